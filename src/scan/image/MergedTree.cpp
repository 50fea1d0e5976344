#include "MergedTree.h"

#include "LayerPaths.h"

namespace wharf::scan {

namespace {

template<class Map>
void eraseBelow(Map &map, const QString &dir)
{
    if (dir.isEmpty()) {
        map.clear();
        return;
    }
    const QString prefix = dir + u'/';
    // Keys that start with the prefix are contiguous in a sorted map.
    auto it = map.lowerBound(prefix);
    while (it != map.end() && it.key().startsWith(prefix))
        it = map.erase(it);
}

} // namespace

bool MergedTree::contains(const QString &path) const
{
    return m_files.contains(path) || m_symlinks.contains(path) || m_other.contains(path);
}

std::optional<QString> MergedTree::resolve(const QString &start) const
{
    QString current = LayerPaths::normalize(start);
    for (int hops = 0; hops <= 16; ++hops) {
        // A symlinked directory on the way ("lib" -> "usr/lib") redirects the rest of the path.
        bool redirected = false;
        for (qsizetype slash = current.indexOf(u'/'); slash >= 0;
             slash = current.indexOf(u'/', slash + 1)) {
            const QString dir = current.left(slash);
            const auto link = m_symlinks.constFind(dir);
            if (link != m_symlinks.cend()) {
                current = LayerPaths::normalize(LayerPaths::resolveLinkTarget(dir, link.value()) +
                                                current.mid(slash));
                redirected = true;
                break;
            }
        }
        if (redirected)
            continue;
        const auto link = m_symlinks.constFind(current);
        if (link == m_symlinks.cend())
            return current;
        current = LayerPaths::resolveLinkTarget(current, link.value());
    }
    return std::nullopt; // a loop, or a chain too long to be sane
}

std::optional<QByteArray> MergedTree::read(const QString &path) const
{
    const std::optional<QString> target = resolve(path);
    if (!target)
        return std::nullopt;
    const auto it = m_files.constFind(*target);
    if (it == m_files.cend())
        return std::nullopt;
    return it.value();
}

QMap<QString, QByteArray> MergedTree::resolvedFiles() const
{
    QMap<QString, QByteArray> out;
    for (const QString &path : LayerPaths::fixedFiles()) {
        if (auto data = read(path))
            out.insert(path, *data);
    }
    const QString prefix = LayerPaths::dpkgStatusDir() + u'/';
    auto collect = [&](const auto &map) {
        for (auto it = map.lowerBound(prefix); it != map.cend() && it.key().startsWith(prefix);
             ++it) {
            if (LayerPaths::classify(QByteArrayView(it.key().toUtf8())) !=
                LayerPaths::Kind::PackageDb)
                continue;
            if (auto data = read(it.key()))
                out.insert(it.key(), *data);
        }
    };
    collect(m_files);
    collect(m_symlinks);
    return out;
}

void MergedTree::setFile(const QString &path, const QByteArray &data)
{
    removeTree(path);
    m_files.insert(path, data);
}

void MergedTree::setSymlink(const QString &path, const QString &target)
{
    removeTree(path);
    m_symlinks.insert(path, target);
}

void MergedTree::setOther(const QString &path, qint64 size)
{
    removeTree(path);
    m_other.insert(path, size);
}

void MergedTree::removeTree(const QString &path)
{
    if (path.isEmpty()) {
        removeChildren(path);
        return;
    }
    m_files.remove(path);
    m_symlinks.remove(path);
    m_other.remove(path);
    removeChildren(path);
}

void MergedTree::removeChildren(const QString &dir)
{
    eraseBelow(m_files, dir);
    eraseBelow(m_symlinks, dir);
    eraseBelow(m_other, dir);
}

} // namespace wharf::scan
