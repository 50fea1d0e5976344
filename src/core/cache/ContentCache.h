#pragma once

#include "reference/Digest.h"

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace wharf {

// A digest-keyed store of immutable registry content (manifests, configs) with a small
// in-memory layer in front. Content addressed by digest never changes, so an entry is valid
// forever; every read is re-verified so a corrupt entry is dropped instead of trusted.
// Bounded: past maxBytes the least recently stored entries go.
//
// On disk it is one SQLite database (content.sqlite, WAL) rather than a file per digest: an
// inventory stores tens of thousands of small documents, and creating that many files cost more
// CPU in the file system than everything else the client does (docs/performance.md). Writes are
// grouped into transactions committed at least every 250 ms. Thread-safe: network worker threads
// read and write it; several processes (the app and wharfctl) may share the directory.
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
    ~ContentCache();
    ContentCache(const ContentCache &) = delete;
    ContentCache &operator=(const ContentCache &) = delete;

    QString directory() const { return m_directory; }
    // False when the database could not be opened: the cache then only lives in memory.
    bool isPersistent() const { return m_db != nullptr; }

    std::optional<Entry> get(const Digest &digest);
    bool contains(const Digest &digest);
    // Whether this process knows the digest is stored (memory only, no I/O): cheap enough to
    // decide per request whether a fetch can skip the network queue. Entries another process
    // added later are not known; entries it evicted are found missing on read.
    bool isKnown(const Digest &digest);
    // Stores bytes that the caller verified hash to digest.
    void put(const Digest &digest, const QByteArray &bytes, const QString &mediaType);

    QString tagHint(const QString &repositoryKey, const QString &tag);
    void setTagHint(const QString &repositoryKey, const QString &tag, const QString &digest);
    void flushTagHints();
    // Commits pending writes now (they are committed within 250 ms anyway).
    void flush();

    qint64 hits() const { return m_hits.load(); }
    qint64 misses() const { return m_misses.load(); }
    qint64 diskBytes();
    void clear();

private:
    void open();
    void exec(const char *sql);
    void beginLocked();
    void commitLocked();
    void evictLocked();
    void loadHintsLocked(const QString &repositoryKey);
    void removeLocked(const QString &key);
    void reloadKnownLocked(); // m_known from the database (at open, after an eviction)
    void committerLoop();

    QString m_directory;
    qint64 m_maxBytes;
    QMutex m_mutex; // guards everything below, including the connection
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_selectBlob = nullptr; // SELECT by digest, reused
    bool m_inTransaction = false;
    int m_pendingWrites = 0;
    qint64 m_storedBytes = 0;
    QCache<QString, Entry> m_memory;
    QSet<QString> m_known; // digests stored on disk (loaded at open, kept up to date)
    QHash<QString, QHash<QString, QString>> m_hints;
    QSet<QString> m_dirtyHints;
    std::atomic<qint64> m_hits{0};
    std::atomic<qint64> m_misses{0};

    std::mutex m_committerMutex;
    std::condition_variable m_committerWake;
    bool m_stopping = false;
    std::thread m_committer;
};

} // namespace wharf
