#include "LayerPaths.h"

#include <QList>

namespace wharf::scan {

namespace {

constexpr QByteArrayView kStatusDirPrefix = "var/lib/dpkg/status.d/";

bool isDpkgStatusDirFile(QByteArrayView path)
{
    if (!path.startsWith(kStatusDirPrefix))
        return false;
    const QByteArrayView name = path.sliced(kStatusDirPrefix.size());
    // Direct children only; the md5sums companions carry no package metadata.
    return !name.isEmpty() && !name.contains('/') && !name.endsWith(".md5sums");
}

} // namespace

QByteArray LayerPaths::normalize(QByteArrayView path)
{
    QList<QByteArrayView> parts;
    qsizetype start = 0;
    const qsizetype n = path.size();
    while (start <= n) {
        qsizetype end = path.indexOf('/', start);
        if (end < 0)
            end = n;
        const QByteArrayView part = path.sliced(start, end - start);
        if (part == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
        } else if (!part.isEmpty() && part != ".") {
            parts.append(part);
        }
        start = end + 1;
    }
    QByteArray out;
    out.reserve(path.size());
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += '/';
        out += parts[i];
    }
    return out;
}

QString LayerPaths::normalize(const QString &path)
{
    return QString::fromUtf8(normalize(QByteArrayView(path.toUtf8())));
}

LayerPaths::Kind LayerPaths::classify(QByteArrayView p)
{
    // Cheap reject first: every path of interest lives under etc/, usr/, var/ or lib/.
    if (p.size() < 14)
        return Kind::Ignored;
    const char c = p[0];
    if (c != 'e' && c != 'u' && c != 'v' && c != 'l')
        return Kind::Ignored;
    if (p == "etc/os-release" || p == "usr/lib/os-release" || p == "etc/debian_version" ||
        p == "etc/alpine-release" || p == "etc/lsb-release" || p == "etc/redhat-release")
        return Kind::ReleaseFile;
    if (p == "var/lib/dpkg/status" || p == "lib/apk/db/installed" ||
        p == "usr/lib/apk/db/installed" || p == "var/lib/rpm/rpmdb.sqlite" ||
        isDpkgStatusDirFile(p))
        return Kind::PackageDb;
    if (p == "var/lib/rpm/Packages" || p == "var/lib/rpm/Packages.db")
        return Kind::Noted;
    return Kind::Ignored;
}

LayerPaths::Kind LayerPaths::classifyWithAncestors(QByteArrayView p)
{
    const Kind kind = classify(p);
    if (kind != Kind::Ignored || p.isEmpty() || p.size() > 22)
        return kind;
    if (p == "etc" || p == "usr" || p == "usr/lib" || p == "var" || p == "var/lib" ||
        p == "var/lib/dpkg" || p == "var/lib/dpkg/status.d" || p == "var/lib/rpm" || p == "lib" ||
        p == "lib/apk" || p == "lib/apk/db" || p == "usr/lib/apk" || p == "usr/lib/apk/db")
        return Kind::Ancestor;
    return Kind::Ignored;
}

QString LayerPaths::parentDir(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash);
}

QString LayerPaths::resolveLinkTarget(const QString &linkPath, const QString &target)
{
    if (target.startsWith(u'/'))
        return normalize(target);
    const QString dir = parentDir(linkPath);
    return normalize(dir.isEmpty() ? target : dir + u'/' + target);
}

const QStringList &LayerPaths::osReleaseFiles()
{
    static const QStringList files{QStringLiteral("etc/os-release"),
                                   QStringLiteral("usr/lib/os-release")};
    return files;
}

QString LayerPaths::dpkgStatus()
{
    return QStringLiteral("var/lib/dpkg/status");
}

QString LayerPaths::dpkgStatusDir()
{
    return QStringLiteral("var/lib/dpkg/status.d");
}

const QStringList &LayerPaths::apkInstalledFiles()
{
    static const QStringList files{QStringLiteral("lib/apk/db/installed"),
                                   QStringLiteral("usr/lib/apk/db/installed")};
    return files;
}

QString LayerPaths::rpmSqlite()
{
    return QStringLiteral("var/lib/rpm/rpmdb.sqlite");
}

const QStringList &LayerPaths::rpmOtherDatabases()
{
    static const QStringList files{QStringLiteral("var/lib/rpm/Packages"),
                                   QStringLiteral("var/lib/rpm/Packages.db")};
    return files;
}

const QStringList &LayerPaths::fixedFiles()
{
    static const QStringList files{
        QStringLiteral("etc/os-release"),           QStringLiteral("usr/lib/os-release"),
        QStringLiteral("etc/debian_version"),       QStringLiteral("etc/alpine-release"),
        QStringLiteral("etc/lsb-release"),          QStringLiteral("etc/redhat-release"),
        QStringLiteral("var/lib/dpkg/status"),      QStringLiteral("lib/apk/db/installed"),
        QStringLiteral("usr/lib/apk/db/installed"), QStringLiteral("var/lib/rpm/rpmdb.sqlite"),
    };
    return files;
}

bool LayerPaths::isPackageDb(const QString &normalizedPath)
{
    return classify(QByteArrayView(normalizedPath.toUtf8())) == Kind::PackageDb;
}

} // namespace wharf::scan
