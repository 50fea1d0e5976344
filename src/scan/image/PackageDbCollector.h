#pragma once

#include "InstalledPackage.h"
#include "MergedTree.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QStringList>

namespace wharf::scan {

// Lists the packages every package database of a merged tree says are installed.
class PackageDbCollector
{
public:
    // The package database files of the tree (symlinks resolved): dpkg status, status.d
    // children, apk installed, rpmdb.sqlite. Comparing two results tells whether anything
    // that affects the package list changed.
    static QMap<QString, QByteArray> databaseFiles(const MergedTree &tree);
    static QList<InstalledPackage> parse(const QMap<QString, QByteArray> &databaseFiles,
                                         QStringList *warnings = nullptr);
    // databaseFiles() + parse(), plus warnings for databases Wharf cannot read (rpm BDB/NDB).
    static QList<InstalledPackage> collect(const MergedTree &tree, QStringList *warnings = nullptr);
};

} // namespace wharf::scan
