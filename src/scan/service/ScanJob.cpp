#include "ScanJob.h"

#include "ImageScanner.h"
#include "LayerPrefetcher.h"
#include "ScanPaths.h"

#include "client/ImageResolver.h"
#include "client/RegistryClient.h"
#include "model/Format.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace wharf::scan {

// Shared with the worker, which may outlive the job by the time it takes to notice a cancel.
struct ScanJob::Shared
{
    std::atomic_bool cancel{false};
    std::atomic<qint64> bytesDone{0};
    std::atomic<int> layer{0};
};

struct ScanJob::Outcome
{
    std::optional<ScanResult> result;
    Error error;
};

namespace {

Q_GLOBAL_STATIC(QThreadPool, scanPool)

QString describe(const QString &repository, const QString &reference)
{
    return Digest::looksLikeDigest(reference) ? repository + u'@' + reference
                                              : repository + u':' + reference;
}

} // namespace

ScanJob::ScanJob(RegistryClient *client, const QString &repository, const QString &reference,
                 QObject *parent)
    : ScanJob(client, repository, reference, Options(), parent)
{}

ScanJob::ScanJob(RegistryClient *client, const QString &repository, const QString &reference,
                 Options options, QObject *parent)
    : Job(tr("Scan %1").arg(describe(repository, reference)), parent)
    , m_client(client)
    , m_repository(repository)
    , m_reference(reference)
    , m_options(std::move(options))
{
    if (m_options.databasePath.isEmpty())
        m_options.databasePath = ScanPaths::defaultDatabasePath();
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &ScanJob::pollProgress);
}

ScanJob::~ScanJob()
{
    stopWorker();
}

QThreadPool *ScanJob::threadPool()
{
    QThreadPool *pool = scanPool();
    // Workers wait on the network part of the time; a little more than the cores keeps them
    // busy without oversubscribing decompression.
    if (pool->maxThreadCount() < 4)
        pool->setMaxThreadCount(std::max(4, QThread::idealThreadCount() + 2));
    return pool;
}

int ScanJob::choosePlatform(const ResolvedImage &image, const QString &wanted, QString *error)
{
    if (image.platforms.isEmpty()) {
        if (error)
            *error = tr("%1 has no image to scan (only attestations or artifacts)")
                         .arg(describe(image.repository, image.reference));
        return -1;
    }
    QStringList available;
    for (const ImagePlatform &p : image.platforms)
        available.append(p.platform.toString());
    if (wanted.isEmpty()) {
        for (int i = 0; i < image.platforms.size(); ++i) {
            const Platform &p = image.platforms[i].platform;
            if (p.os == u"linux"_s && p.architecture == u"amd64"_s)
                return i;
        }
        return 0;
    }
    const QStringList parts = wanted.split(u'/');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        if (error)
            *error = tr("“%1” is not a platform: use os/arch or os/arch/variant").arg(wanted);
        return -1;
    }
    for (int i = 0; i < image.platforms.size(); ++i) {
        const Platform &p = image.platforms[i].platform;
        if (p.os == parts[0] && p.architecture == parts[1] &&
            (parts.size() < 3 || p.variant == parts[2]))
            return i;
    }
    if (error)
        *error =
            tr("%1 has no %2 image (it has: %3)")
                .arg(describe(image.repository, image.reference), wanted, available.join(u", "_s));
    return -1;
}

void ScanJob::joinScanOf(ScanJob *other)
{
    if (!other || other == this || isFinished())
        return;
    m_joined = other;
}

void ScanJob::run()
{
    if (!m_client) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No registry connection to scan with")));
        return;
    }
    // Fail before any download when there is no database to match against.
    if (auto error = ImageScanner::checkDatabase(m_options.databasePath)) {
        fail(*error);
        return;
    }
    setProgress(0, 0, tr("Resolving %1").arg(describe(m_repository, m_reference)));
    ImageResolver::Options options;
    options.fetchConfigs = true;
    ImageResolver::resolve(m_client, m_repository, m_reference, options, this,
                           [this](Expected<ResolvedImage> image) { onResolved(std::move(image)); });
}

void ScanJob::onResolved(Expected<ResolvedImage> image)
{
    if (isFinished())
        return;
    if (!image) {
        fail(image.error());
        return;
    }
    QString error;
    const int index = choosePlatform(*image, m_options.platform, &error);
    if (index < 0) {
        fail(Error::make(Error::Kind::NotFound, error));
        return;
    }
    const ImagePlatform &platform = image->platforms[index];
    if (!platform.error.isEmpty()) {
        fail(Error::make(Error::Kind::Protocol,
                         tr("The %1 image cannot be read: %2")
                             .arg(platform.platform.toString(), platform.error)));
        return;
    }
    m_digest = platform.digest.toString();
    m_result = {};
    m_result.registry = m_client ? m_client->config().hostPort() : QString();
    m_result.repository = m_repository;
    m_result.reference = m_reference;
    m_result.digest = m_digest;
    m_result.topDigest = image->digest.toString();
    m_result.platform = platform.platform.toString();

    emit resolved(m_digest);
    if (isFinished())
        return; // a slot cancelled us
    if (m_joined) {
        m_image = *image;
        m_platformIndex = index;
        setProgress(0, 0, tr("Waiting for the scan of the same image (%1)").arg(m_digest.left(19)));
        connect(m_joined, &Job::finished, this, &ScanJob::onJoinedFinished);
        connect(m_joined, &Job::progressChanged, this,
                [this](qint64 done, qint64 total, const QString &text) {
                    setProgress(done, total, text);
                });
        if (m_joined->isFinished())
            onJoinedFinished();
        return;
    }
    startScan(*image, platform);
}

void ScanJob::onJoinedFinished()
{
    if (isFinished())
        return;
    ScanJob *other = m_joined;
    m_joined = nullptr;
    if (other)
        other->disconnect(this);
    if (other && other->state() == State::Succeeded) {
        const QString reference = m_result.reference;
        const QString topDigest = m_result.topDigest;
        m_result = other->result();
        m_result.reference = reference; // what this job was asked for
        m_result.topDigest = topDigest;
        m_sharedResult = true;
        setProgress(other->total(), other->total(), tr("Done"));
        succeed();
        return;
    }
    if (other && other->state() == State::Failed && other->error()) {
        fail(*other->error());
        return;
    }
    // The other scan was cancelled (or vanished): this request still wants its answer.
    if (m_image && m_platformIndex >= 0)
        startScan(*m_image, m_image->platforms[m_platformIndex]);
    else
        fail(Error::make(Error::Kind::Cancelled, tr("The scan this one was waiting for stopped")));
}

void ScanJob::startScan(const ResolvedImage &image, const ImagePlatform &platform)
{
    Q_UNUSED(image);
    if (!platform.configDetails) {
        fail(Error::make(Error::Kind::Protocol,
                         tr("The image config of %1 could not be read").arg(m_digest)));
        return;
    }
    const ImageConfig &config = *platform.configDetails;
    const QList<HistoryEntry> history = config.layerHistory();
    QList<ImageLayer> layers;
    m_totalBytes = 0;
    for (int i = 0; i < platform.layers.size(); ++i) {
        const Descriptor &d = platform.layers[i];
        if (d.isForeignLayer()) {
            m_result.warnings.append(
                tr("layer %1 is a foreign layer (not stored in the registry) and was not "
                   "scanned")
                    .arg(i + 1));
            continue;
        }
        ImageLayer layer;
        layer.digest = d.digest.toString();
        layer.size = d.size;
        layer.mediaType = d.mediaType;
        layer.diffId = config.diffIds.value(i);
        layer.createdBy = i < history.size() ? history[i].createdBy : QString();
        m_totalBytes += std::max<qint64>(d.size, 0);
        layers.append(layer);
    }
    m_layerCount = int(layers.size());

    m_shared = std::make_shared<Shared>();
    m_prefetcher = std::make_shared<LayerPrefetcher>(
        m_client, m_repository, layers, m_options.layerBufferBytes, m_options.prefetchLayers);
    ImageScanner::Options scanOptions;
    scanOptions.databasePath = m_options.databasePath;
    scanOptions.limits = m_options.limits;

    auto work = [layers, scanOptions, shared = m_shared, prefetcher = m_prefetcher]() {
        ImageScanner scanner(
            layers,
            [prefetcher](int index, const ImageLayer &, QString *error) {
                return prefetcher->take(index, error);
            },
            scanOptions);
        scanner.setCancelFlag(&shared->cancel);
        scanner.setProgressCallback([shared](int index, qint64, qint64 total) {
            shared->layer = index;
            shared->bytesDone = total;
        });
        Expected<ScanResult> scanned = scanner.run();
        prefetcher->cancelAll(); // nothing may keep streaming once the worker is done
        Outcome outcome;
        if (scanned)
            outcome.result = std::move(scanned).value();
        else
            outcome.error = scanned.error();
        return outcome;
    };
    m_watcher = new QFutureWatcher<Outcome>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ScanJob::onScanFinished);
    QThreadPool *pool = m_options.threadPool ? m_options.threadPool : threadPool();
    m_watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
    setProgress(0, m_totalBytes,
                tr("Scanning %1 layers (%2)").arg(m_layerCount).arg(Format::bytes(m_totalBytes)));
    m_progressTimer.start();
}

void ScanJob::pollProgress()
{
    if (!m_shared || isFinished())
        return;
    const qint64 done = m_shared->bytesDone.load();
    const int layer = m_shared->layer.load();
    setProgress(done, m_totalBytes,
                tr("Layer %1/%2: %3 of %4")
                    .arg(layer + 1)
                    .arg(m_layerCount)
                    .arg(Format::bytes(done), Format::bytes(m_totalBytes)));
}

void ScanJob::onScanFinished()
{
    m_progressTimer.stop();
    if (isFinished())
        return;
    const Outcome outcome = m_watcher->result();
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_prefetcher.reset();
    if (!outcome.result) {
        fail(outcome.error);
        return;
    }
    ScanResult result = *outcome.result;
    result.registry = m_result.registry;
    result.repository = m_result.repository;
    result.reference = m_result.reference;
    result.digest = m_result.digest;
    result.topDigest = m_result.topDigest;
    result.platform = m_result.platform;
    result.warnings = m_result.warnings + result.warnings;
    m_result = std::move(result);
    setProgress(m_totalBytes, m_totalBytes,
                tr("%n vulnerabilities", nullptr, m_result.counts.total));
    succeed();
}

void ScanJob::abort()
{
    stopWorker();
    if (m_client)
        m_client->cancelFor(this);
    if (m_joined)
        m_joined->disconnect(this);
}

void ScanJob::stopWorker()
{
    m_progressTimer.stop();
    if (m_shared)
        m_shared->cancel = true;
    if (m_prefetcher)
        m_prefetcher->cancelAll();
}

} // namespace wharf::scan
