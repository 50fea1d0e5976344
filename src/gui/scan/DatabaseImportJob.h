#pragma once

#include "jobs/Job.h"
#include "scan/vuln/VulnerabilityDatabase.h"

#include <QTimer>

#include <atomic>
#include <memory>

namespace wharf::gui {

// Imports local OSV all.zip files into the vulnerability database, one after the other, on a
// pool thread with its own database connection (VulnerabilityDatabase::importZip: one
// transaction per zip, rolled back on cancel). Progress is records read out of the current
// zip's total; the GUI thread polls it, so a fast import does not flood the event queue.
class DatabaseImportJob : public Job
{
    Q_OBJECT
public:
    struct Import
    {
        QString zipPath;
        QString sourceName; // empty: from the file name ("Ubuntu" for Ubuntu/all.zip)
    };

    DatabaseImportJob(const QString &databasePath, QList<Import> imports,
                      QObject *parent = nullptr);
    ~DatabaseImportJob() override;

    QString databasePath() const { return m_databasePath; }
    // One report per zip that was attempted, valid once finished.
    const QList<scan::VulnerabilityDatabase::ImportReport> &reports() const { return m_reports; }
    // Records in the database after the import (-1 when unknown).
    qint64 recordCount() const { return m_recordCount; }

    // "Ubuntu" for …/Ubuntu/all.zip, "alpine" for alpine-all.zip.
    static QString sourceNameFor(const QString &zipPath);

protected:
    void run() override;
    void abort() override;

private:
    struct Shared;
    struct Outcome
    {
        QList<scan::VulnerabilityDatabase::ImportReport> reports;
        qint64 recordCount = -1;
        QString error;
    };

    void pollProgress();
    void onFinished(const Outcome &outcome);

    QString m_databasePath;
    QList<Import> m_imports;
    std::shared_ptr<Shared> m_shared;
    QList<scan::VulnerabilityDatabase::ImportReport> m_reports;
    qint64 m_recordCount = -1;
    QTimer m_poll;
};

} // namespace wharf::gui
