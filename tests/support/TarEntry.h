#pragma once

#include <QByteArray>
#include <QString>

namespace wharf::test {

// One member of a layer tarball. Paths are relative ("etc/os-release"), as in real layers.
struct TarEntry
{
    enum class Type { File, Directory, Symlink, Hardlink };

    Type type = Type::File;
    QString path;
    QByteArray content; // File only
    QString linkTarget; // Symlink / Hardlink
    int mode = 0644;    // permission bits only
    int uid = 0;
    int gid = 0;

    static TarEntry file(const QString &path, const QByteArray &content, int mode = 0644);
    static TarEntry directory(const QString &path, int mode = 0755);
    static TarEntry symlink(const QString &path, const QString &target);
    static TarEntry hardlink(const QString &path, const QString &target);
    // Deletes `name` inside `directory` from the layers below: "<directory>/.wh.<name>".
    static TarEntry whiteout(const QString &directory, const QString &name);
    // Hides everything the lower layers had in `directory`: "<directory>/.wh..wh..opq".
    static TarEntry opaqueWhiteout(const QString &directory);
};

} // namespace wharf::test
