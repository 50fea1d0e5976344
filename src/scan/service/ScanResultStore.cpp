#include "ScanResultStore.h"

#include "ScanPaths.h"
#include "ScanResultJson.h"

#include <QAtomicInteger>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace wharf::scan {

namespace {

QAtomicInteger<quint64> connectionCounter;

QString timeKey(const QDateTime &time)
{
    return ScanResultJson::formatTime(time);
}

} // namespace

ScanResultStore::ScanResultStore()
    : m_connectionName(u"wharf-scan-results-%1"_s.arg(connectionCounter.fetchAndAddRelaxed(1)))
{}

ScanResultStore::~ScanResultStore()
{
    close();
}

QString ScanResultStore::defaultPath()
{
    return ScanPaths::defaultResultsPath();
}

bool ScanResultStore::open(const QString &path)
{
    close();
    m_path = path;
    if (!ScanPaths::ensureParentDirectory(path)) {
        m_lastError = u"cannot create the directory of %1"_s.arg(path);
        return false;
    }
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!m_db.open()) {
        m_lastError = m_db.lastError().text();
        close();
        return false;
    }
    if (!exec(u"PRAGMA journal_mode=WAL"_s) ||
        !exec(u"CREATE TABLE IF NOT EXISTS results(digest TEXT PRIMARY KEY, engine TEXT, "
              u"registry TEXT, repository TEXT, reference TEXT, platform TEXT, scanned_at TEXT, "
              u"database_updated_at TEXT, total INTEGER, critical INTEGER, high INTEGER, "
              u"medium INTEGER, low INTEGER, unknown INTEGER, json BLOB)"_s) ||
        !exec(u"CREATE INDEX IF NOT EXISTS results_repository ON results(registry, "
              u"repository)"_s) ||
        !exec(u"PRAGMA user_version = %1"_s.arg(SchemaVersion))) {
        close();
        return false;
    }
    return true;
}

void ScanResultStore::close()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool ScanResultStore::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

bool ScanResultStore::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql)) {
        m_lastError = query.lastError().text();
        return false;
    }
    return true;
}

bool ScanResultStore::save(const ScanResult &result)
{
    if (!isOpen()) {
        m_lastError = u"the results store is not open"_s;
        return false;
    }
    if (result.digest.isEmpty()) {
        m_lastError = u"a result without a digest cannot be stored"_s;
        return false;
    }
    QSqlQuery query(m_db);
    query.prepare(u"INSERT OR REPLACE INTO results(digest, engine, registry, repository, "
                  u"reference, platform, scanned_at, database_updated_at, total, critical, high, "
                  u"medium, low, unknown, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  u"?)"_s);
    const SeverityCounts &c = result.counts;
    const QVariantList values{
        result.digest,
        result.engine,
        result.registry,
        result.repository,
        result.reference,
        result.platform,
        timeKey(result.scannedAt),
        timeKey(result.databaseUpdatedAt),
        c.total,
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.unknown,
        QJsonDocument(ScanResultJson::toJson(result)).toJson(QJsonDocument::Compact)};
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values[i]);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return true;
}

std::optional<ScanResult> ScanResultStore::load(const QString &digest)
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery query(m_db);
    query.prepare(u"SELECT json FROM results WHERE digest = ?"_s);
    query.bindValue(0, digest);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(query.value(0).toByteArray(), &parseError);
    if (!doc.isObject()) {
        m_lastError =
            u"stored result for %1 is damaged: %2"_s.arg(digest, parseError.errorString());
        return std::nullopt;
    }
    QString error;
    auto result = ScanResultJson::fromJson(doc.object(), &error);
    if (!result)
        m_lastError = error;
    return result;
}

ScanResultStore::Summary ScanResultStore::summaryFromQuery(const QSqlQuery &query)
{
    Summary s;
    s.digest = query.value(0).toString();
    s.engine = query.value(1).toString();
    s.registry = query.value(2).toString();
    s.repository = query.value(3).toString();
    s.reference = query.value(4).toString();
    s.platform = query.value(5).toString();
    s.scannedAt = ScanResultJson::parseTime(query.value(6).toString());
    s.databaseUpdatedAt = ScanResultJson::parseTime(query.value(7).toString());
    s.counts.total = query.value(8).toInt();
    s.counts.critical = query.value(9).toInt();
    s.counts.high = query.value(10).toInt();
    s.counts.medium = query.value(11).toInt();
    s.counts.low = query.value(12).toInt();
    s.counts.unknown = query.value(13).toInt();
    return s;
}

QHash<QString, ScanResultStore::Summary> ScanResultStore::summaries(const QStringList &digests)
{
    QHash<QString, Summary> out;
    if (!isOpen())
        return out;
    QSqlQuery query(m_db);
    query.prepare(u"SELECT digest, engine, registry, repository, reference, platform, "
                  u"scanned_at, database_updated_at, total, critical, high, medium, low, unknown "
                  u"FROM results WHERE digest = ?"_s);
    for (const QString &digest : digests) {
        query.bindValue(0, digest);
        if (!query.exec()) {
            m_lastError = query.lastError().text();
            continue;
        }
        if (query.next())
            out.insert(digest, summaryFromQuery(query));
    }
    return out;
}

QList<ScanResultStore::Summary> ScanResultStore::summariesFor(const QString &registry,
                                                              const QString &repository)
{
    QList<Summary> out;
    if (!isOpen())
        return out;
    QSqlQuery query(m_db);
    query.prepare(u"SELECT digest, engine, registry, repository, reference, platform, "
                  u"scanned_at, database_updated_at, total, critical, high, medium, low, unknown "
                  u"FROM results WHERE repository = ? AND (IFNULL(?, '') = '' OR registry = ?) "
                  u"ORDER BY scanned_at DESC"_s);
    query.bindValue(0, repository);
    query.bindValue(1, registry);
    query.bindValue(2, registry);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return out;
    }
    while (query.next())
        out.append(summaryFromQuery(query));
    return out;
}

bool ScanResultStore::remove(const QString &digest)
{
    if (!isOpen())
        return false;
    QSqlQuery query(m_db);
    query.prepare(u"DELETE FROM results WHERE digest = ?"_s);
    query.bindValue(0, digest);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return query.numRowsAffected() > 0;
}

int ScanResultStore::count()
{
    if (!isOpen())
        return -1;
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT COUNT(*) FROM results"_s) || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool ScanResultStore::isStale(const QDateTime &resultDatabaseUpdatedAt,
                              const VulnerabilityDatabase::Status &status)
{
    if (!status.lastChange.isValid())
        return false; // no database to compare with
    return !resultDatabaseUpdatedAt.isValid() || status.lastChange > resultDatabaseUpdatedAt;
}

bool ScanResultStore::isStale(const ScanResult &result, const VulnerabilityDatabase::Status &status)
{
    return isStale(result.databaseUpdatedAt, status);
}

} // namespace wharf::scan
