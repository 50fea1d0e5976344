#include "DatabaseUpdateJob.h"

#include "model/Format.h"
#include "scan/service/ScanPaths.h"

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::gui {

DatabaseUpdateJob::DatabaseUpdateJob(const QString &databasePath, const QUrl &mirror,
                                     QStringList ecosystems, const QString &downloadDirectory,
                                     QObject *parent)
    : Job(tr("Update vulnerability database (%1)").arg(ecosystems.join(u", "_s)), parent)
    , m_databasePath(databasePath)
    , m_mirror(mirror)
    , m_ecosystems(std::move(ecosystems))
    , m_downloader(new OsvDownloader(nullptr, this))
{
    m_downloader->setMirror(mirror);
    m_downloader->setDownloadDirectory(downloadDirectory);
    connect(m_downloader, &OsvDownloader::downloadProgress, this,
            [this](qint64 received, qint64 total) {
                setProgress(
                    received, std::max<qint64>(total, 0),
                    total > 0 ? tr("%1: downloading %2 of %3")
                                    .arg(m_current, Format::bytes(received), Format::bytes(total))
                              : tr("%1: downloading, %2").arg(m_current, Format::bytes(received)));
            });
    connect(m_downloader, &OsvDownloader::importProgress, this, [this](qint64 done, qint64 total) {
        setProgress(done, total,
                    tr("%1: importing %2 of %3 records").arg(m_current).arg(done).arg(total));
    });
    connect(m_downloader, &OsvDownloader::stateChanged, this, [this](OsvDownloader::State state) {
        if (state == OsvDownloader::State::Verifying)
            setProgress(0, 0, tr("%1: verifying the download").arg(m_current));
    });
    connect(m_downloader, &OsvDownloader::finished, this, &DatabaseUpdateJob::onDownloadFinished);
}

DatabaseUpdateJob::~DatabaseUpdateJob()
{
    if (m_downloader->isRunning())
        m_downloader->cancel();
}

void DatabaseUpdateJob::run()
{
    if (m_ecosystems.isEmpty()) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No ecosystem to update.")));
        return;
    }
    if (!m_mirror.isValid() ||
        (m_mirror.scheme() != u"http"_s && m_mirror.scheme() != u"https"_s)) {
        fail(Error::make(Error::Kind::InvalidInput,
                         tr("The mirror must be an http:// or https:// URL.")));
        return;
    }
    if (!ScanPaths::ensureParentDirectory(m_databasePath)) {
        fail(Error::make(Error::Kind::Io,
                         tr("Cannot create the directory for %1.").arg(m_databasePath)));
        return;
    }
    startNext();
}

void DatabaseUpdateJob::abort()
{
    if (m_downloader->isRunning())
        m_downloader->cancel();
}

void DatabaseUpdateJob::startNext()
{
    if (isFinished())
        return;
    if (m_next >= m_ecosystems.size()) {
        QStringList failures;
        for (const OsvDownloader::Result &r : std::as_const(m_results)) {
            if (!r.ok)
                failures << tr("%1: %2").arg(r.ecosystem, r.error);
        }
        if (!failures.isEmpty()) {
            fail(Error::make(Error::Kind::Network, failures.join(u"; "_s)));
            return;
        }
        QStringList done;
        for (const OsvDownloader::Result &r : std::as_const(m_results))
            done << tr("%1: %2 records (%3 new, %4 updated, %5 unchanged)")
                        .arg(r.ecosystem)
                        .arg(r.import.entries)
                        .arg(r.import.inserted)
                        .arg(r.import.replaced)
                        .arg(r.import.unchanged);
        setProgress(1, 1, done.join(u"; "_s));
        succeed();
        return;
    }
    m_current = m_ecosystems.at(m_next++);
    setProgress(
        0, 0,
        tr("%1: connecting to %2").arg(m_current, m_downloader->urlFor(m_current).toString()));
    if (!m_downloader->start(m_current, m_databasePath)) {
        OsvDownloader::Result r;
        r.ecosystem = m_current;
        r.error = tr("the download could not be started");
        m_results << r;
        QMetaObject::invokeMethod(this, &DatabaseUpdateJob::startNext, Qt::QueuedConnection);
    }
}

void DatabaseUpdateJob::onDownloadFinished(const OsvDownloader::Result &result)
{
    m_results << result;
    if (isFinished())
        return;
    // The downloader is still inside its own signal: go on from the event loop.
    QMetaObject::invokeMethod(this, &DatabaseUpdateJob::startNext, Qt::QueuedConnection);
}

} // namespace wharf::gui
