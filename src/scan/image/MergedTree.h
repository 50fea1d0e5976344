#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

namespace wharf::scan {

// The part of an image's root file system the scanner tracks, after some layers were applied:
// kept files, symlinks at tracked paths, and tracked paths present without data. Copies are
// cheap (implicitly shared maps), so a snapshot per layer costs little.
class MergedTree
{
public:
    const QMap<QString, QByteArray> &files() const { return m_files; }
    const QMap<QString, QString> &symlinks() const { return m_symlinks; }
    const QMap<QString, qint64> &otherFiles() const { return m_other; }
    bool contains(const QString &path) const;

    // Content at a path, following symlinks recorded in the tree (the path itself or one of its
    // directories; relative or absolute targets; at most 16 hops). nullopt when the path, or
    // a link target, is not a kept file.
    std::optional<QByteArray> read(const QString &path) const;
    // Every file of interest under its own path with symlinks resolved: the fixed paths
    // (LayerPaths::fixedFiles) and the var/lib/dpkg/status.d children.
    QMap<QString, QByteArray> resolvedFiles() const;

    void setFile(const QString &path, const QByteArray &data);
    void setSymlink(const QString &path, const QString &target);
    void setOther(const QString &path, qint64 size);
    // Removes path and everything below it.
    void removeTree(const QString &path);
    // Removes everything below dir but not dir itself ("" = the root).
    void removeChildren(const QString &dir);

    friend bool operator==(const MergedTree &, const MergedTree &) = default;

private:
    std::optional<QString> resolve(const QString &path) const;

    QMap<QString, QByteArray> m_files;
    QMap<QString, QString> m_symlinks;
    QMap<QString, qint64> m_other;
};

} // namespace wharf::scan
