#include "PackageDbCollector.h"

#include "ApkInstalledParser.h"
#include "DpkgStatusParser.h"
#include "LayerPaths.h"
#include "RpmDbParser.h"

#include <QSet>

#include <algorithm>

namespace wharf::scan {

QMap<QString, QByteArray> PackageDbCollector::databaseFiles(const MergedTree &tree)
{
    QMap<QString, QByteArray> out;
    const QMap<QString, QByteArray> all = tree.resolvedFiles();
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        if (LayerPaths::isPackageDb(it.key()))
            out.insert(it.key(), it.value());
    }
    return out;
}

QList<InstalledPackage> PackageDbCollector::parse(const QMap<QString, QByteArray> &files,
                                                  QStringList *warnings)
{
    QList<InstalledPackage> out;
    QSet<QString> seen; // kind/name/arch: the first database that lists a package wins
    auto add = [&](const QList<InstalledPackage> &packages) {
        for (const InstalledPackage &p : packages) {
            const QString key =
                InstalledPackage::kindName(p.kind) + u'/' + p.name + u'/' + p.architecture;
            if (!seen.contains(key)) {
                seen.insert(key);
                out.append(p);
            }
        }
    };

    if (const auto it = files.constFind(LayerPaths::dpkgStatus()); it != files.cend())
        add(DpkgStatusParser::parse(it.value(), DpkgStatusParser::StatusField::Required, warnings));
    const QString statusDir = LayerPaths::dpkgStatusDir() + u'/';
    for (auto it = files.lowerBound(statusDir);
         it != files.cend() && it.key().startsWith(statusDir); ++it)
        add(DpkgStatusParser::parse(it.value(), DpkgStatusParser::StatusField::Optional, warnings));

    // With a merged /usr both apk paths resolve to the same file; read one copy.
    const QStringList &apkPaths = LayerPaths::apkInstalledFiles();
    const auto apkLib = files.constFind(apkPaths[0]);
    const auto apkUsr = files.constFind(apkPaths[1]);
    if (apkLib != files.cend())
        add(ApkInstalledParser::parse(apkLib.value(), warnings));
    if (apkUsr != files.cend() && (apkLib == files.cend() || apkLib.value() != apkUsr.value())) {
        if (apkLib != files.cend() && warnings)
            warnings->append(u"both " + apkPaths[0] + u" and " + apkPaths[1] +
                             u" exist and differ: packages listed in either are reported");
        add(ApkInstalledParser::parse(apkUsr.value(), warnings));
    }

    if (const auto it = files.constFind(LayerPaths::rpmSqlite()); it != files.cend())
        add(RpmDbParser::parse(it.value(), warnings));

    std::sort(out.begin(), out.end(), [](const InstalledPackage &a, const InstalledPackage &b) {
        if (a.kind != b.kind)
            return a.kind < b.kind;
        if (a.name != b.name)
            return a.name < b.name;
        return a.architecture < b.architecture;
    });
    return out;
}

QList<InstalledPackage> PackageDbCollector::collect(const MergedTree &tree, QStringList *warnings)
{
    const QMap<QString, QByteArray> files = databaseFiles(tree);
    if (warnings && !files.contains(LayerPaths::rpmSqlite())) {
        for (const QString &path : LayerPaths::rpmOtherDatabases()) {
            if (tree.otherFiles().contains(path))
                warnings->append(u"rpm database " + path +
                                 u" (Berkeley DB / NDB) is not supported: its packages are "
                                 u"not listed");
        }
    }
    return parse(files, warnings);
}

} // namespace wharf::scan
