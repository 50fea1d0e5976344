#pragma once

#include "ScanResult.h"
#include "scan/image/LayerReader.h"

#include "Expected.h"
#include "client/RegistryClient.h"
#include "jobs/Job.h"
#include "model/ImageInfo.h"

#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>

class QThreadPool;
template<typename T>
class QFutureWatcher;

namespace wharf::scan {

class LayerPrefetcher;

// Scans one image of a registry for vulnerabilities: resolves the reference (configs
// included), picks a platform, streams that platform's layers from the registry
// (RegistryLayerSource, next layer prefetched) through ImageAnalyzer on a pool thread, and
// matches the packages against the vulnerability database there. Progress is compressed
// layer bytes read out of the platform's total; cancel() stops the transfers and the CPU work.
//
// Lives on the client's thread (the GUI thread in the app); nothing heavy runs there.
class ScanJob : public Job
{
    Q_OBJECT
public:
    struct Options
    {
        QString databasePath; // empty: ScanPaths::defaultDatabasePath()
        // "os/arch[/variant]"; empty: linux/amd64 when the image has it, else the first
        // platform.
        QString platform;
        qint64 layerBufferBytes = 8 * 1024 * 1024;
        bool prefetchLayers = true;
        LayerReader::Limits limits;
        QThreadPool *threadPool = nullptr; // empty: ScanJob::threadPool()
    };

    ScanJob(RegistryClient *client, const QString &repository, const QString &reference,
            QObject *parent = nullptr);
    ScanJob(RegistryClient *client, const QString &repository, const QString &reference,
            Options options, QObject *parent = nullptr);
    ~ScanJob() override;

    RegistryClient *client() const { return m_client; }
    QString repository() const { return m_repository; }
    QString reference() const { return m_reference; }
    const Options &options() const { return m_options; }
    // The platform manifest digest, once resolved (the key of the result).
    QString digest() const { return m_digest; }
    // Valid once the job succeeded.
    const ScanResult &result() const { return m_result; }
    // The job whose scan this one is waiting for (see joinScanOf), if any.
    ScanJob *joinedJob() const { return m_joined; }
    // True when the result came from another job's scan of the same digest.
    bool tookSharedResult() const { return m_sharedResult; }

    // Call from a slot connected to resolved(): instead of scanning itself, this job takes the
    // result of `other`, which is scanning the same digest. If `other` fails for another reason
    // than cancellation the error is shared too; if it is cancelled, this job scans itself.
    void joinScanOf(ScanJob *other);

    // Shared pool for scan workers: they block on network reads, so they stay off the global
    // pool that short background tasks use.
    static QThreadPool *threadPool();
    // Index into image.platforms of the platform to scan ("os/arch[/variant]", empty = the
    // default choice), or -1 with *error.
    static int choosePlatform(const ResolvedImage &image, const QString &wanted, QString *error);

signals:
    // The platform digest is known; connected slots may call joinScanOf().
    void resolved(const QString &digest);

protected:
    void run() override;
    void abort() override;

private:
    struct Shared;
    struct Outcome;

    void onResolved(Expected<ResolvedImage> image);
    void startScan(const ResolvedImage &image, const ImagePlatform &platform);
    void onScanFinished();
    void onJoinedFinished();
    void pollProgress();
    void stopWorker();

    QPointer<RegistryClient> m_client;
    QString m_repository;
    QString m_reference;
    Options m_options;
    QString m_digest;
    ScanResult m_result;     // filled with what is known before the scan, completed after
    qint64 m_totalBytes = 0; // compressed layer bytes of the platform
    int m_layerCount = 0;
    std::shared_ptr<Shared> m_shared;
    std::shared_ptr<LayerPrefetcher> m_prefetcher;
    QFutureWatcher<Outcome> *m_watcher = nullptr;
    QTimer m_progressTimer;
    QPointer<ScanJob> m_joined;
    std::optional<ResolvedImage> m_image; // kept while joined, to scan alone if needed
    int m_platformIndex = -1;
    bool m_sharedResult = false;
};

} // namespace wharf::scan
