#pragma once

#include "scan/service/ScanResult.h"
#include "scan/service/ScanResultStore.h"
#include "scan/vuln/VulnerabilityDatabase.h"

#include <QHash>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>

namespace wharf::gui {

// The app's access to the scan results store and the vulnerability database's status, run on
// a thread of its own so the GUI thread never waits for SQLite (opening the files, reading a
// result's JSON, counting records per ecosystem). Both SQLite connections are opened lazily on
// that thread and used only there (WAL lets scans and imports write meanwhile through their own
// connections).
//
// Every call returns at once; its callback runs later on the caller's (GUI) thread, in call
// order, and never once `context` is destroyed. Looking creates no files: a missing database is
// reported as such (DatabaseState::exists false), a missing results store as "no results" until
// the first save creates it.
class ScanStorage : public QObject
{
    Q_OBJECT
public:
    struct DatabaseState
    {
        QString path;
        bool exists = false;
        scan::VulnerabilityDatabase::Status status;
        // A database that scans can use: it exists, reads and holds records.
        bool usable() const { return exists && status.ok && status.totalRecords > 0; }
    };
    using Summaries = QHash<QString, scan::ScanResultStore::Summary>;

    ScanStorage(const QString &resultsPath, const QString &databasePath, QObject *parent = nullptr);
    ~ScanStorage() override;

    QString resultsPath() const { return m_resultsPath; }
    QString databasePath() const { return m_databasePath; }

    void load(const QString &digest, QObject *context,
              std::function<void(std::optional<scan::ScanResult>)> done);
    void summaries(const QStringList &digests, QObject *context,
                   std::function<void(Summaries)> done);
    void summariesFor(const QString &registry, const QString &repository, QObject *context,
                      std::function<void(QList<scan::ScanResultStore::Summary>)> done);
    // done (optional) gets an empty string on success, else why the result was not kept.
    void save(const scan::ScanResult &result, QObject *context = nullptr,
              std::function<void(QString error)> done = {});
    void databaseState(QObject *context, std::function<void(DatabaseState)> done);

private:
    struct Worker;

    // Runs work(worker) on the storage thread, then done(result) on this object's thread.
    template<class R>
    void post(std::function<R(Worker &)> work, QObject *context, std::function<void(R)> done);

    QString m_resultsPath;
    QString m_databasePath;
    QThread m_thread;
    QObject *m_threadObject; // lives on m_thread: the target of posted work
    std::shared_ptr<Worker> m_worker;
};

} // namespace wharf::gui
