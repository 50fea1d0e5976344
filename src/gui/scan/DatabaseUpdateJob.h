#pragma once

#include "jobs/Job.h"
#include "scan/vuln/OsvDownloader.h"

#include <QPointer>
#include <QStringList>
#include <QUrl>

namespace wharf::gui {

// Downloads <mirror>/<ecosystem>/all.zip for each ecosystem in turn and imports it into the
// vulnerability database (OsvDownloader: resumable, verified, the import on a pool thread).
// Progress is bytes while downloading and records while importing; Cancel stops the current
// download (its part file is kept for resuming) or rolls back the current import.
class DatabaseUpdateJob : public Job
{
    Q_OBJECT
public:
    DatabaseUpdateJob(const QString &databasePath, const QUrl &mirror, QStringList ecosystems,
                      const QString &downloadDirectory, QObject *parent = nullptr);
    ~DatabaseUpdateJob() override;

    QUrl mirror() const { return m_mirror; }
    QStringList ecosystems() const { return m_ecosystems; }
    const QList<scan::OsvDownloader::Result> &results() const { return m_results; }
    // The downloader, for tests and tuning (timeouts, retries); set before start().
    scan::OsvDownloader *downloader() const { return m_downloader; }

protected:
    void run() override;
    void abort() override;

private:
    void startNext();
    void onDownloadFinished(const scan::OsvDownloader::Result &result);

    QString m_databasePath;
    QUrl m_mirror;
    QStringList m_ecosystems;
    int m_next = 0;
    QString m_current;
    scan::OsvDownloader *m_downloader;
    QList<scan::OsvDownloader::Result> m_results;
};

} // namespace wharf::gui
