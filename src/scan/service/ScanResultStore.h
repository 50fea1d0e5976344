#pragma once

// Scan results on SQLite, keyed by platform manifest digest (tags move; digests don't), so the
// app shows earlier results at once when it reopens and the tag table's vulnerability column
// can be filled for every tag whose digest was scanned.
//
// Schema (user_version 1):
//   results(digest PRIMARY KEY, engine, registry, repository, reference, platform,
//           scanned_at, database_updated_at, total, critical, high, medium, low, unknown,
//           json)
//     json is ScanResultJson; the counts and dates are columns so that summaries need no JSON.
//     Index on (registry, repository).
//
// Threading: like VulnerabilityDatabase, one QSqlDatabase connection per instance, usable from
// the thread that opened it; open another instance on the same file elsewhere (WAL mode).

#include "ScanResult.h"

#include "scan/vuln/VulnerabilityDatabase.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf::scan {

class ScanResultStore
{
public:
    static constexpr int SchemaVersion = 1;

    // The counts of one stored result, without its findings.
    struct Summary
    {
        QString digest;
        QString engine;
        QString registry;
        QString repository;
        QString reference;
        QString platform;
        QDateTime scannedAt;
        QDateTime databaseUpdatedAt;
        SeverityCounts counts;
    };

    ScanResultStore();
    ~ScanResultStore();
    ScanResultStore(const ScanResultStore &) = delete;
    ScanResultStore &operator=(const ScanResultStore &) = delete;

    // ScanPaths::defaultResultsPath().
    static QString defaultPath();

    // Opens (creating it and its directory if needed) the store.
    bool open(const QString &path);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }

    // Replaces any earlier result for result.digest.
    bool save(const ScanResult &result);
    std::optional<ScanResult> load(const QString &digest);
    // Summaries of the given digests that have a stored result (the tag table's column).
    QHash<QString, Summary> summaries(const QStringList &digests);
    // Every stored summary of a repository (registry empty = any), newest first.
    QList<Summary> summariesFor(const QString &registry, const QString &repository);
    bool remove(const QString &digest);
    int count();

    // A result is stale when the vulnerability database's records changed after the ones it
    // was matched against: it may miss newly published vulnerabilities or fixes.
    static bool isStale(const ScanResult &result, const VulnerabilityDatabase::Status &status);
    static bool isStale(const QDateTime &resultDatabaseUpdatedAt,
                        const VulnerabilityDatabase::Status &status);

private:
    bool exec(const QString &sql);
    static Summary summaryFromQuery(const class QSqlQuery &query);

    QString m_connectionName;
    QString m_path;
    QString m_lastError;
    QSqlDatabase m_db;
};

} // namespace wharf::scan
