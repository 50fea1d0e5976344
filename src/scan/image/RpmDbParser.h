#pragma once

#include "InstalledPackage.h"
#include "LayerPaths.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace wharf::scan {

// rpm's SQLite database (var/lib/rpm/rpmdb.sqlite, RHEL 9 / Fedora 33+): one header blob per
// row of table Packages. Needs the QSQLITE driver plugin (and so a QCoreApplication).
class RpmDbParser
{
public:
    // The database bytes are written to a private temporary file: SQLite reads files only.
    static QList<InstalledPackage> parse(const QByteArray &sqliteBytes,
                                         QStringList *warnings = nullptr,
                                         qint64 maxBytes = LayerPaths::DefaultMaxPackageDbBytes);
    static QList<InstalledPackage> parseFile(const QString &path, QStringList *warnings = nullptr);
};

} // namespace wharf::scan
