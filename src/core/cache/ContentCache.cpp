#include "ContentCache.h"

#include <QDir>
#include <QStandardPaths>

#include <sqlite3.h>

#include <chrono>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr int CommitEveryWrites = 500;
constexpr auto CommitInterval = std::chrono::milliseconds(250);

// A prepared statement that finalizes itself.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
    {
        if (db && sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
            m_stmt = nullptr;
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    void bind(int i, const QString &text)
    {
        const QByteArray utf8 = text.toUtf8();
        sqlite3_bind_text(m_stmt, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, const QByteArray &blob)
    {
        sqlite3_bind_blob(m_stmt, i, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, qint64 value) { sqlite3_bind_int64(m_stmt, i, value); }
    int step() { return m_stmt ? sqlite3_step(m_stmt) : SQLITE_ERROR; }
    QString text(int column) const
    {
        return QString::fromUtf8(
            reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column)),
            sqlite3_column_bytes(m_stmt, column));
    }
    QByteArray blob(int column) const
    {
        return QByteArray(static_cast<const char *>(sqlite3_column_blob(m_stmt, column)),
                          sqlite3_column_bytes(m_stmt, column));
    }
    qint64 integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace

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
{
    open();
    if (m_db)
        m_committer = std::thread([this] { committerLoop(); });
}

ContentCache::~ContentCache()
{
    {
        std::lock_guard lock(m_committerMutex);
        m_stopping = true;
    }
    m_committerWake.notify_all();
    if (m_committer.joinable())
        m_committer.join();
    flushTagHints();
    QMutexLocker lock(&m_mutex);
    commitLocked();
    sqlite3_finalize(m_selectBlob);
    if (m_db)
        sqlite3_close(m_db);
}

void ContentCache::exec(const char *sql)
{
    if (m_db)
        sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
}

void ContentCache::open()
{
    if (!QDir().mkpath(m_directory))
        return;
    const QByteArray path = QDir(m_directory).filePath(u"content.sqlite"_s).toUtf8();
    if (sqlite3_open_v2(path.constData(), &m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        sqlite3_close(m_db);
        m_db = nullptr;
        return; // a cache that cannot open is just memory
    }
    sqlite3_busy_timeout(m_db, 2000);
    exec("PRAGMA auto_vacuum=INCREMENTAL");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    // Reads through a memory map rather than a pread per page: a warm run reads every entry.
    exec("PRAGMA mmap_size=268435456");
    exec("CREATE TABLE IF NOT EXISTS blobs(id INTEGER PRIMARY KEY, digest TEXT UNIQUE NOT NULL,"
         " media_type TEXT NOT NULL, data BLOB NOT NULL, size INTEGER NOT NULL)");
    exec("CREATE TABLE IF NOT EXISTS tag_hints(repository TEXT NOT NULL, tag TEXT NOT NULL,"
         " digest TEXT NOT NULL, PRIMARY KEY(repository, tag)) WITHOUT ROWID");
    Statement sum(m_db, "SELECT COALESCE(SUM(size), 0) FROM blobs");
    if (!sum.isValid()) {
        sqlite3_close(m_db);
        m_db = nullptr;
        return;
    }
    if (sum.step() == SQLITE_ROW)
        m_storedBytes = sum.integer(0);
    if (sqlite3_prepare_v3(m_db, "SELECT media_type, data FROM blobs WHERE digest = ?", -1,
                           SQLITE_PREPARE_PERSISTENT, &m_selectBlob, nullptr) != SQLITE_OK)
        m_selectBlob = nullptr;
    reloadKnownLocked();
}

void ContentCache::reloadKnownLocked()
{
    m_known.clear();
    Statement digests(m_db, "SELECT digest FROM blobs");
    while (digests.step() == SQLITE_ROW)
        m_known.insert(digests.text(0));
}

bool ContentCache::isKnown(const Digest &digest)
{
    const QString key = digest.toString();
    QMutexLocker lock(&m_mutex);
    return m_known.contains(key) || m_memory.contains(key);
}

void ContentCache::beginLocked()
{
    if (!m_inTransaction && m_db) {
        m_inTransaction = sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
        m_pendingWrites = 0;
    }
}

void ContentCache::commitLocked()
{
    if (!m_inTransaction)
        return;
    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); // another process held the lock
    m_inTransaction = false;
    m_pendingWrites = 0;
    if (m_storedBytes > m_maxBytes)
        evictLocked();
}

void ContentCache::committerLoop()
{
    std::unique_lock lock(m_committerMutex);
    while (!m_stopping) {
        m_committerWake.wait_for(lock, CommitInterval);
        if (m_stopping)
            break;
        QMutexLocker cacheLock(&m_mutex);
        commitLocked();
    }
}

void ContentCache::flush()
{
    QMutexLocker lock(&m_mutex);
    commitLocked();
}

void ContentCache::evictLocked()
{
    // Another process may have stored or evicted too: count again before deciding.
    Statement sum(m_db, "SELECT COALESCE(SUM(size), 0) FROM blobs");
    if (sum.step() == SQLITE_ROW)
        m_storedBytes = sum.integer(0);
    if (m_storedBytes <= m_maxBytes)
        return;
    const qint64 target = m_maxBytes * 9 / 10; // headroom, so we do not evict on every store
    Statement oldest(m_db, "SELECT id, size FROM blobs ORDER BY id");
    qint64 remaining = m_storedBytes;
    qint64 lastId = -1;
    while (remaining > target && oldest.step() == SQLITE_ROW) {
        lastId = oldest.integer(0);
        remaining -= oldest.integer(1);
    }
    if (lastId < 0)
        return;
    Statement drop(m_db, "DELETE FROM blobs WHERE id <= ?");
    drop.bind(1, lastId);
    if (drop.step() == SQLITE_DONE) {
        m_storedBytes = remaining;
        m_memory.clear(); // cheap to refill; simpler than tracking which entries went
        reloadKnownLocked();
        exec("PRAGMA incremental_vacuum");
    }
}

void ContentCache::removeLocked(const QString &key)
{
    m_memory.remove(key);
    m_known.remove(key);
    beginLocked();
    Statement drop(m_db, "DELETE FROM blobs WHERE digest = ?");
    drop.bind(1, key);
    drop.step();
}

std::optional<ContentCache::Entry> ContentCache::get(const Digest &digest)
{
    if (!digest.canVerify())
        return std::nullopt;
    const QString key = digest.toString();
    QMutexLocker lock(&m_mutex);
    if (const Entry *e = m_memory.object(key)) {
        ++m_hits;
        return *e;
    }
    if (!m_selectBlob) {
        ++m_misses;
        return std::nullopt;
    }
    // One statement prepared at open, reset after each use: preparing per read was a visible
    // share of a warm inventory's CPU.
    const QByteArray utf8Key = key.toUtf8();
    sqlite3_bind_text(m_selectBlob, 1, utf8Key.constData(), int(utf8Key.size()), SQLITE_STATIC);
    std::optional<Entry> entry;
    if (sqlite3_step(m_selectBlob) == SQLITE_ROW) {
        entry = Entry{
            QByteArray(static_cast<const char *>(sqlite3_column_blob(m_selectBlob, 1)),
                       sqlite3_column_bytes(m_selectBlob, 1)),
            QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_selectBlob, 0)),
                              sqlite3_column_bytes(m_selectBlob, 0))};
    }
    sqlite3_reset(m_selectBlob);
    sqlite3_clear_bindings(m_selectBlob);
    if (!entry) {
        ++m_misses;
        return std::nullopt;
    }
    // Hashing needs no lock: other workers read the cache meanwhile.
    lock.unlock();
    const bool intact = digest.matches(entry->bytes);
    lock.relock();
    if (!intact) {
        removeLocked(key); // corrupt: never serve it, fetch again
        ++m_misses;
        return std::nullopt;
    }
    ++m_hits;
    m_memory.insert(key, new Entry(*entry), entry->bytes.size() + 64);
    return entry;
}

bool ContentCache::contains(const Digest &digest)
{
    const QString key = digest.toString();
    QMutexLocker lock(&m_mutex);
    if (m_memory.contains(key))
        return true;
    Statement select(m_db, "SELECT 1 FROM blobs WHERE digest = ?");
    select.bind(1, key);
    return select.isValid() && select.step() == SQLITE_ROW;
}

void ContentCache::put(const Digest &digest, const QByteArray &bytes, const QString &mediaType)
{
    if (!digest.canVerify() || bytes.size() > MaxEntryBytes)
        return;
    const QString key = digest.toString();
    QMutexLocker lock(&m_mutex);
    const bool known = m_memory.contains(key);
    m_memory.insert(key, new Entry{bytes, mediaType}, bytes.size() + 64);
    if (!m_db || known)
        return;
    beginLocked();
    Statement insert(m_db, "INSERT OR IGNORE INTO blobs(digest, media_type, data, size) "
                           "VALUES(?, ?, ?, ?)");
    insert.bind(1, key);
    insert.bind(2, mediaType);
    insert.bind(3, bytes);
    insert.bind(4, qint64(bytes.size()));
    if (insert.step() == SQLITE_DONE && sqlite3_changes(m_db) > 0)
        m_storedBytes += bytes.size();
    m_known.insert(key);
    if (++m_pendingWrites >= CommitEveryWrites)
        commitLocked();
}

void ContentCache::loadHintsLocked(const QString &repositoryKey)
{
    if (m_hints.contains(repositoryKey))
        return;
    QHash<QString, QString> &hints = m_hints[repositoryKey];
    Statement select(m_db, "SELECT tag, digest FROM tag_hints WHERE repository = ?");
    if (!select.isValid())
        return;
    select.bind(1, repositoryKey);
    while (select.step() == SQLITE_ROW)
        hints.insert(select.text(0), select.text(1));
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
        m_dirtyHints.insert(repositoryKey + QChar(0) + tag);
    }
}

void ContentCache::flushTagHints()
{
    QMutexLocker lock(&m_mutex);
    if (m_dirtyHints.isEmpty() || !m_db)
        return;
    beginLocked();
    for (const QString &dirty : std::as_const(m_dirtyHints)) {
        const qsizetype split = dirty.indexOf(QChar(0));
        const QString repository = dirty.left(split);
        const QString tag = dirty.mid(split + 1);
        Statement one(m_db, "INSERT OR REPLACE INTO tag_hints(repository, tag, digest) "
                            "VALUES(?, ?, ?)");
        one.bind(1, repository);
        one.bind(2, tag);
        one.bind(3, m_hints.value(repository).value(tag));
        one.step();
    }
    m_dirtyHints.clear();
    commitLocked();
}

qint64 ContentCache::diskBytes()
{
    QMutexLocker lock(&m_mutex);
    Statement sum(m_db, "SELECT COALESCE(SUM(size), 0) FROM blobs");
    return sum.step() == SQLITE_ROW ? sum.integer(0) : 0;
}

void ContentCache::clear()
{
    QMutexLocker lock(&m_mutex);
    m_memory.clear();
    m_known.clear();
    m_hints.clear();
    m_dirtyHints.clear();
    commitLocked();
    exec("DELETE FROM blobs");
    exec("DELETE FROM tag_hints");
    exec("PRAGMA incremental_vacuum");
    m_storedBytes = 0;
}

} // namespace wharf
