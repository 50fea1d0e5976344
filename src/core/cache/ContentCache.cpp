#include "ContentCache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

QString ContentCache::defaultDirectory()
{
    const QString env = qEnvironmentVariable("WHARF_CACHE_DIR");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/wharf"_s;
}

ContentCache::ContentCache(const QString &directory, qint64 maxBytes, qint64 memoryBytes)
    : m_directory(directory)
    , m_maxBytes(maxBytes)
    , m_memory(static_cast<qsizetype>(std::max<qint64>(memoryBytes, 1)))
{}

QString ContentCache::pathFor(const Digest &digest) const
{
    const QString hex = digest.encoded();
    return m_directory + u"/blobs/"_s + digest.algorithm() + u'/' + hex.left(2) + u'/' + hex;
}

std::optional<ContentCache::Entry> ContentCache::get(const Digest &digest)
{
    if (!digest.canVerify())
        return std::nullopt;
    const QString key = digest.toString();
    {
        QMutexLocker lock(&m_mutex);
        if (const Entry *e = m_memory.object(key)) {
            ++m_hits;
            return *e;
        }
    }
    QFile file(pathFor(digest));
    if (!file.open(QIODevice::ReadOnly) || file.size() > MaxEntryBytes + 256) {
        ++m_misses;
        return std::nullopt;
    }
    const QByteArray raw = file.readAll();
    file.close();
    const qsizetype newline = raw.indexOf('\n');
    Entry entry;
    if (newline >= 0) {
        entry.mediaType = QString::fromUtf8(raw.left(newline));
        entry.bytes = raw.mid(newline + 1);
    }
    if (newline < 0 || !digest.matches(entry.bytes)) {
        QFile::remove(pathFor(digest)); // corrupt: never serve it, fetch again
        ++m_misses;
        return std::nullopt;
    }
    ++m_hits;
    QMutexLocker lock(&m_mutex);
    m_memory.insert(key, new Entry(entry), entry.bytes.size() + 64);
    return entry;
}

bool ContentCache::contains(const Digest &digest)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_memory.contains(digest.toString()))
            return true;
    }
    return QFileInfo::exists(pathFor(digest));
}

void ContentCache::put(const Digest &digest, const QByteArray &bytes, const QString &mediaType)
{
    if (!digest.canVerify() || bytes.size() > MaxEntryBytes || mediaType.contains(u'\n'))
        return;
    const QString path = pathFor(digest);
    {
        QMutexLocker lock(&m_mutex);
        m_memory.insert(digest.toString(), new Entry{bytes, mediaType}, bytes.size() + 64);
    }
    if (QFileInfo::exists(path))
        return;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return; // a cache that cannot write is just a slower cache
    file.write(mediaType.toUtf8() + '\n');
    file.write(bytes);
    if (!file.commit())
        return;
    QMutexLocker lock(&m_mutex);
    if (m_diskBytes < 0)
        scanDiskLocked();
    else
        m_diskBytes += bytes.size() + mediaType.size() + 1;
    if (m_diskBytes > m_maxBytes)
        evictLocked();
}

void ContentCache::scanDiskLocked()
{
    m_diskBytes = 0;
    QDirIterator it(m_directory + u"/blobs"_s, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        m_diskBytes += it.fileInfo().size();
    }
}

void ContentCache::evictLocked()
{
    struct File
    {
        QString path;
        qint64 size;
        QDateTime modified;
    };
    QList<File> files;
    QDirIterator it(m_directory + u"/blobs"_s, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        files.append({it.filePath(), it.fileInfo().size(), it.fileInfo().lastModified()});
    }
    std::sort(files.begin(), files.end(),
              [](const File &a, const File &b) { return a.modified < b.modified; });
    qint64 total = 0;
    for (const File &f : files)
        total += f.size;
    const qint64 target = m_maxBytes * 9 / 10; // leave headroom so we do not evict on every put
    for (const File &f : files) {
        if (total <= target)
            break;
        if (QFile::remove(f.path))
            total -= f.size;
    }
    m_diskBytes = total;
}

qint64 ContentCache::diskBytes()
{
    QMutexLocker lock(&m_mutex);
    scanDiskLocked();
    return m_diskBytes;
}

void ContentCache::clear()
{
    QMutexLocker lock(&m_mutex);
    m_memory.clear();
    m_hints.clear();
    m_dirtyHints.clear();
    QDir(m_directory + u"/blobs"_s).removeRecursively();
    QDir(m_directory + u"/tags"_s).removeRecursively();
    m_diskBytes = 0;
}

QString ContentCache::hintPathFor(const QString &repositoryKey) const
{
    const QByteArray hash =
        QCryptographicHash::hash(repositoryKey.toUtf8(), QCryptographicHash::Sha256).toHex();
    return m_directory + u"/tags/"_s + QString::fromLatin1(hash);
}

void ContentCache::loadHintsLocked(const QString &repositoryKey)
{
    if (m_hints.contains(repositoryKey))
        return;
    QHash<QString, QString> &hints = m_hints[repositoryKey];
    QFile file(hintPathFor(repositoryKey));
    if (!file.open(QIODevice::ReadOnly) || file.size() > MaxEntryBytes)
        return;
    const QList<QByteArray> lines = file.readAll().split('\n');
    // First line names the repository so a hash collision cannot mix two repositories.
    if (lines.isEmpty() || QString::fromUtf8(lines.first()) != repositoryKey)
        return;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype space = lines.at(i).indexOf(' ');
        if (space > 0)
            hints.insert(QString::fromUtf8(lines.at(i).left(space)),
                         QString::fromUtf8(lines.at(i).mid(space + 1)));
    }
}

QString ContentCache::tagHint(const QString &repositoryKey, const QString &tag)
{
    QMutexLocker lock(&m_mutex);
    loadHintsLocked(repositoryKey);
    return m_hints.value(repositoryKey).value(tag);
}

void ContentCache::setTagHint(const QString &repositoryKey, const QString &tag,
                              const QString &digest)
{
    QMutexLocker lock(&m_mutex);
    loadHintsLocked(repositoryKey);
    QString &slot = m_hints[repositoryKey][tag];
    if (slot != digest) {
        slot = digest;
        m_dirtyHints.insert(repositoryKey);
    }
}

void ContentCache::flushTagHints()
{
    QHash<QString, QHash<QString, QString>> dirty;
    {
        QMutexLocker lock(&m_mutex);
        for (const QString &key : std::as_const(m_dirtyHints))
            dirty.insert(key, m_hints.value(key));
        m_dirtyHints.clear();
    }
    if (dirty.isEmpty())
        return;
    QDir().mkpath(m_directory + u"/tags"_s);
    for (auto it = dirty.cbegin(); it != dirty.cend(); ++it) {
        QByteArray out = it.key().toUtf8() + '\n';
        for (auto h = it.value().cbegin(); h != it.value().cend(); ++h)
            out += h.key().toUtf8() + ' ' + h.value().toUtf8() + '\n';
        QSaveFile file(hintPathFor(it.key()));
        if (file.open(QIODevice::WriteOnly)) {
            file.write(out);
            file.commit();
        }
    }
}

} // namespace wharf
