#pragma once

#include "InstalledPackage.h"
#include "LayerPaths.h"

#include <QByteArrayView>
#include <QList>
#include <QStringList>

namespace wharf::scan {

// apk's lib/apk/db/installed: "X:value" lines, one record per package, blank-line separated.
// P name, V version, o origin (source package; the name when missing), A architecture.
class ApkInstalledParser
{
public:
    static QList<InstalledPackage> parse(QByteArrayView data, QStringList *warnings = nullptr,
                                         qint64 maxBytes = LayerPaths::DefaultMaxPackageDbBytes);
};

} // namespace wharf::scan
