#pragma once

#include "reference/Digest.h"

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <atomic>
#include <optional>

namespace wharf {

// A digest-keyed store of immutable registry content (manifests, configs) on disk, with a small
// in-memory layer in front. Content addressed by digest never changes, so an entry is valid
// forever; every read is re-verified so a corrupt file is dropped instead of trusted.
// Bounded: when the directory grows past maxBytes the least recently written entries go.
// Thread-safe: network worker threads read and write it.
//
// Also keeps advisory tag→digest hints per repository so a later run knows which tags it can
// re-validate with a HEAD instead of downloading them again.
class ContentCache
{
public:
    struct Entry
    {
        QByteArray bytes;
        QString mediaType;
    };

    static constexpr qint64 DefaultMaxBytes = 512LL * 1024 * 1024;
    static constexpr qint64 MaxEntryBytes = 16LL * 1024 * 1024;

    // $WHARF_CACHE_DIR, else <generic cache location>/wharf.
    static QString defaultDirectory();

    explicit ContentCache(const QString &directory, qint64 maxBytes = DefaultMaxBytes,
                          qint64 memoryBytes = 64LL * 1024 * 1024);
    ContentCache(const ContentCache &) = delete;
    ContentCache &operator=(const ContentCache &) = delete;

    QString directory() const { return m_directory; }

    std::optional<Entry> get(const Digest &digest);
    bool contains(const Digest &digest);
    // Stores bytes that the caller verified hash to digest.
    void put(const Digest &digest, const QByteArray &bytes, const QString &mediaType);

    QString tagHint(const QString &repositoryKey, const QString &tag);
    void setTagHint(const QString &repositoryKey, const QString &tag, const QString &digest);
    void flushTagHints();

    qint64 hits() const { return m_hits.load(); }
    qint64 misses() const { return m_misses.load(); }
    qint64 diskBytes();
    void clear();

private:
    QString pathFor(const Digest &digest) const;
    QString hintPathFor(const QString &repositoryKey) const;
    void loadHintsLocked(const QString &repositoryKey);
    void evictLocked();
    void scanDiskLocked();

    QString m_directory;
    qint64 m_maxBytes;
    QMutex m_mutex;
    QCache<QString, Entry> m_memory;
    qint64 m_diskBytes = -1; // -1 until scanned
    QHash<QString, QHash<QString, QString>> m_hints;
    QSet<QString> m_dirtyHints;
    std::atomic<qint64> m_hits{0};
    std::atomic<qint64> m_misses{0};
};

} // namespace wharf
