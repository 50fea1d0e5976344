#include "TarEntry.h"

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

QString joinPath(const QString &directory, const QString &name)
{
    if (directory.isEmpty() || directory == u"."_s)
        return name;
    if (directory.endsWith(u'/'))
        return directory + name;
    return directory + u'/' + name;
}

} // namespace

TarEntry TarEntry::file(const QString &path, const QByteArray &content, int mode)
{
    TarEntry entry;
    entry.type = Type::File;
    entry.path = path;
    entry.content = content;
    entry.mode = mode;
    return entry;
}

TarEntry TarEntry::directory(const QString &path, int mode)
{
    TarEntry entry;
    entry.type = Type::Directory;
    entry.path = path;
    entry.mode = mode;
    return entry;
}

TarEntry TarEntry::symlink(const QString &path, const QString &target)
{
    TarEntry entry;
    entry.type = Type::Symlink;
    entry.path = path;
    entry.linkTarget = target;
    entry.mode = 0777;
    return entry;
}

TarEntry TarEntry::hardlink(const QString &path, const QString &target)
{
    TarEntry entry;
    entry.type = Type::Hardlink;
    entry.path = path;
    entry.linkTarget = target;
    return entry;
}

TarEntry TarEntry::whiteout(const QString &directory, const QString &name)
{
    return file(joinPath(directory, u".wh."_s + name), {}, 0644);
}

TarEntry TarEntry::opaqueWhiteout(const QString &directory)
{
    return file(joinPath(directory, u".wh..wh..opq"_s), {}, 0644);
}

} // namespace wharf::test
