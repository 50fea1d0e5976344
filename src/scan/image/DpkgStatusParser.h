#pragma once

#include "InstalledPackage.h"
#include "LayerPaths.h"

#include <QByteArrayView>
#include <QList>
#include <QStringList>

namespace wharf::scan {

// dpkg's var/lib/dpkg/status and the one-file-per-package var/lib/dpkg/status.d/ variant
// (distroless): RFC 822-style stanzas separated by blank lines.
class DpkgStatusParser
{
public:
    enum class StatusField {
        Required, // status file: installed only when Status's third word is "installed"
        Optional, // status.d: a stanza without Status counts as installed
    };

    // Garbage or truncated input yields the stanzas that are complete enough (Package and
    // Version), never a crash; input over maxBytes is refused with a warning.
    static QList<InstalledPackage> parse(QByteArrayView data, StatusField mode,
                                         QStringList *warnings = nullptr,
                                         qint64 maxBytes = LayerPaths::DefaultMaxPackageDbBytes);
};

} // namespace wharf::scan
