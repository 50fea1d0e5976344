#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace wharf::scan {

// The few paths of a root file system the scanner cares about, and path normalisation.
// Paths are relative to the image root, without leading "/" or "./" ("etc/os-release").
class LayerPaths
{
public:
    enum class Kind {
        Ignored,
        ReleaseFile, // small text files that identify the OS
        PackageDb,   // dpkg / apk / rpm databases whose content is parsed
        Noted,       // databases only recorded as present (rpm Berkeley DB and NDB)
        Ancestor,    // a directory above one of those ("lib", "var/lib/dpkg"): a symlink or
                     // file there redirects or hides everything below it
    };

    static constexpr qint64 DefaultMaxReleaseFileBytes = 64 * 1024;
    static constexpr qint64 DefaultMaxPackageDbBytes = 64 * 1024 * 1024;

    // Lexical clean-up: strips leading "/" and "./", collapses "//" and ".", resolves ".."
    // without climbing above the root, drops a trailing "/". The root itself is "".
    static QByteArray normalize(QByteArrayView path);
    static QString normalize(const QString &path);
    // Files of interest only (never Kind::Ancestor).
    static Kind classify(QByteArrayView normalizedPath);
    // Also reports Kind::Ancestor: what the layer reader uses.
    static Kind classifyWithAncestors(QByteArrayView normalizedPath);

    // "" for a top-level entry.
    static QString parentDir(const QString &path);
    // Joins a symlink target to the directory of the link; absolute targets start at the root.
    static QString resolveLinkTarget(const QString &linkPath, const QString &target);

    static const QStringList &osReleaseFiles(); // etc/os-release, usr/lib/os-release
    static QString dpkgStatus();
    static QString dpkgStatusDir(); // "var/lib/dpkg/status.d"
    static const QStringList &apkInstalledFiles();
    static QString rpmSqlite();
    static const QStringList &rpmOtherDatabases(); // Packages (BDB), Packages.db (NDB)
    // Every fixed path of a file of interest (release files and package databases, not the
    // status.d children).
    static const QStringList &fixedFiles();
    // True for a package database path that parsers read (dpkg, status.d, apk, rpm sqlite).
    static bool isPackageDb(const QString &normalizedPath);
};

} // namespace wharf::scan
