#include "TrivyEngine.h"

#include "ScanJob.h"
#include "TrivyReportParser.h"

#include "client/ImageResolver.h"
#include "client/RegistryClient.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <archive.h>
#include <archive_entry.h>

using namespace Qt::StringLiterals;

namespace wharf::scan {

// One blob being written to disk by the network worker's sink.
struct TrivyEngine::Download
{
    QMutex mutex;
    QFile file;
    QCryptographicHash hash{QCryptographicHash::Sha256};
    qint64 bytes = 0;
    bool failed = false;
    bool cancelled = false;
};

namespace {

QString hexOf(const QString &digest)
{
    return digest.section(u':', 1);
}

bool addFile(archive *a, const QString &name, const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    archive_entry *entry = archive_entry_new();
    const QByteArray encoded = name.toUtf8();
    archive_entry_set_pathname(entry, encoded.constData());
    archive_entry_set_size(entry, file.size());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, 0, 0);
    bool ok = archive_write_header(a, entry) == ARCHIVE_OK;
    archive_entry_free(entry);
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (ok) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        ok = archive_write_data(a, buffer.constData(), size_t(n)) == n;
    }
    if (!ok)
        *error = u"cannot write %1 into the archive: %2"_s.arg(
            name, QString::fromUtf8(archive_error_string(a)));
    return ok;
}

bool addBytes(archive *a, const QString &name, const QByteArray &bytes, QString *error)
{
    archive_entry *entry = archive_entry_new();
    const QByteArray encoded = name.toUtf8();
    archive_entry_set_pathname(entry, encoded.constData());
    archive_entry_set_size(entry, bytes.size());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, 0, 0);
    const bool ok = archive_write_header(a, entry) == ARCHIVE_OK &&
                    archive_write_data(a, bytes.constData(), size_t(bytes.size())) == bytes.size();
    archive_entry_free(entry);
    if (!ok)
        *error = u"cannot write %1 into the archive: %2"_s.arg(
            name, QString::fromUtf8(archive_error_string(a)));
    return ok;
}

} // namespace

TrivyEngine::TrivyEngine(RegistryClient *client, const QString &repository,
                         const QString &reference, QObject *parent)
    : TrivyEngine(client, repository, reference, Options(), parent)
{}

TrivyEngine::TrivyEngine(RegistryClient *client, const QString &repository,
                         const QString &reference, Options options, QObject *parent)
    : Job(tr("Trivy scan %1")
              .arg(Digest::looksLikeDigest(reference) ? repository + u'@' + reference
                                                      : repository + u':' + reference),
          parent)
    , m_client(client)
    , m_repository(repository)
    , m_reference(reference)
    , m_options(std::move(options))
{}

TrivyEngine::~TrivyEngine()
{
    abort();
}

QString TrivyEngine::findTrivy()
{
    return QStandardPaths::findExecutable(u"trivy"_s);
}

bool TrivyEngine::writeDockerArchive(const QString &tarPath, const QString &configDigest,
                                     const QString &configPath, const QList<ArchiveLayer> &layers,
                                     const QString &repoTag, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    QJsonArray layerNames;
    for (const ArchiveLayer &layer : layers)
        layerNames.append(QString(hexOf(layer.digest) + u"/layer.tar"_s));
    QJsonObject entry{{u"Config"_s, QString(hexOf(configDigest) + u".json"_s)},
                      {u"Layers"_s, layerNames}};
    if (!repoTag.isEmpty())
        entry.insert(u"RepoTags"_s, QJsonArray{repoTag});
    const QByteArray manifest = QJsonDocument(QJsonArray{entry}).toJson(QJsonDocument::Compact);

    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    const QByteArray path = QFile::encodeName(tarPath);
    if (archive_write_open_filename(a, path.constData()) != ARCHIVE_OK) {
        message =
            u"cannot create %1: %2"_s.arg(tarPath, QString::fromUtf8(archive_error_string(a)));
        archive_write_free(a);
        return false;
    }
    bool ok = addBytes(a, u"manifest.json"_s, manifest, &message) &&
              addFile(a, hexOf(configDigest) + u".json"_s, configPath, &message);
    QStringList written; // a layer used twice is stored once
    for (const ArchiveLayer &layer : layers) {
        if (!ok)
            break;
        if (written.contains(layer.digest))
            continue;
        written.append(layer.digest);
        ok = addFile(a, hexOf(layer.digest) + u"/layer.tar"_s, layer.path, &message);
    }
    if (archive_write_close(a) != ARCHIVE_OK && ok) {
        message =
            u"cannot finish %1: %2"_s.arg(tarPath, QString::fromUtf8(archive_error_string(a)));
        ok = false;
    }
    archive_write_free(a);
    return ok;
}

void TrivyEngine::run()
{
    m_trivy = m_options.trivyPath.isEmpty() ? findTrivy() : m_options.trivyPath;
    if (m_trivy.isEmpty()) {
        fail(Error::make(Error::Kind::InvalidInput,
                         tr("Trivy is not installed (no `trivy` on PATH); Wharf's own engine "
                            "needs no external scanner")));
        return;
    }
    if (!m_client) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No registry connection to scan with")));
        return;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        fail(Error::make(Error::Kind::Io,
                         tr("Cannot create a temporary directory: %1").arg(m_dir->errorString())));
        return;
    }
    setProgress(0, 0, tr("Resolving"));
    ImageResolver::Options options;
    options.fetchConfigs = true;
    ImageResolver::resolve(m_client, m_repository, m_reference, options, this,
                           [this](Expected<ResolvedImage> image) { onResolved(std::move(image)); });
}

void TrivyEngine::onResolved(Expected<ResolvedImage> image)
{
    if (isFinished())
        return;
    if (!image) {
        fail(image.error());
        return;
    }
    QString error;
    const int index = ScanJob::choosePlatform(*image, m_options.platform, &error);
    if (index < 0) {
        fail(Error::make(Error::Kind::NotFound, error));
        return;
    }
    const ImagePlatform &platform = image->platforms[index];
    m_result.engine = u"trivy"_s;
    m_result.registry = m_client->config().hostPort();
    m_result.repository = m_repository;
    m_result.reference = m_reference;
    m_result.digest = platform.digest.toString();
    m_result.topDigest = image->digest.toString();
    m_result.platform = platform.platform.toString();
    m_repoTag = m_result.registry + u'/' + m_repository + u':' +
                (Digest::looksLikeDigest(m_reference) ? u"scan"_s : m_reference);
    m_blobs = {platform.config};
    for (const Descriptor &layer : platform.layers) {
        if (layer.isForeignLayer()) {
            fail(Error::make(Error::Kind::Unsupported,
                             tr("The image has foreign layers, which are not in the registry")));
            return;
        }
        m_blobs.append(layer);
    }
    m_totalBytes = 0;
    for (const Descriptor &d : std::as_const(m_blobs))
        m_totalBytes += d.size;
    downloadNext();
}

void TrivyEngine::downloadNext()
{
    if (isFinished())
        return;
    if (m_next >= m_blobs.size()) {
        runTrivy();
        return;
    }
    const Descriptor blob = m_blobs[m_next];
    auto download = std::make_shared<Download>();
    download->file.setFileName(m_dir->filePath(hexOf(blob.digest.toString())));
    if (!download->file.open(QIODevice::WriteOnly)) {
        fail(Error::make(Error::Kind::Io,
                         tr("Cannot write %1: %2")
                             .arg(download->file.fileName(), download->file.errorString())));
        return;
    }
    m_download = download;
    setProgress(m_doneBytes, m_totalBytes,
                tr("Pulling blob %1/%2").arg(m_next + 1).arg(m_blobs.size()));
    m_client->streamBlob(
        m_repository, blob.digest,
        [download](const QByteArray &chunk) {
            QMutexLocker lock(&download->mutex);
            if (download->cancelled)
                return false;
            download->hash.addData(chunk);
            download->bytes += chunk.size();
            if (download->file.write(chunk) != chunk.size()) {
                download->failed = true;
                return false;
            }
            return true;
        },
        this,
        [this, download, blob](Expected<Done> done) {
            {
                QMutexLocker lock(&download->mutex);
                download->file.close();
            }
            if (isFinished())
                return;
            if (!done) {
                fail(done.error());
                return;
            }
            const QString actual =
                u"sha256:"_s + QString::fromLatin1(download->hash.result().toHex());
            if (blob.digest.algorithm() == u"sha256"_s && actual != blob.digest.toString()) {
                fail(Error::make(Error::Kind::DigestMismatch,
                                 tr("The blob %1 does not match its digest (got %2)")
                                     .arg(blob.digest.toString(), actual)));
                return;
            }
            m_doneBytes += download->bytes;
            ++m_next;
            downloadNext();
        });
}

void TrivyEngine::runTrivy()
{
    QList<ArchiveLayer> layers;
    for (int i = 1; i < m_blobs.size(); ++i)
        layers.append(
            {m_blobs[i].digest.toString(), m_dir->filePath(hexOf(m_blobs[i].digest.toString()))});
    const QString tar = m_dir->filePath(u"image.tar"_s);
    QString error;
    if (!writeDockerArchive(tar, m_blobs[0].digest.toString(),
                            m_dir->filePath(hexOf(m_blobs[0].digest.toString())), layers, m_repoTag,
                            &error)) {
        fail(Error::make(Error::Kind::Io, error));
        return;
    }
    // The blobs are in the tar now: free the disk space early.
    for (const Descriptor &blob : std::as_const(m_blobs))
        QFile::remove(m_dir->filePath(hexOf(blob.digest.toString())));
    if (!m_options.keepArchiveAt.isEmpty()) {
        QFile::remove(m_options.keepArchiveAt);
        QFile::copy(tar, m_options.keepArchiveAt);
    }
    setProgress(m_totalBytes, m_totalBytes, tr("Running Trivy"));
    m_process = new QProcess(this);
    m_process->setProgram(m_trivy);
    m_process->setArguments(QStringList{u"image"_s, u"--input"_s, tar, u"--format"_s, u"json"_s,
                                        u"--output"_s, m_dir->filePath(u"report.json"_s)} +
                            m_options.extraArguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::finished, this, &TrivyEngine::onTrivyFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart && !isFinished())
            fail(Error::make(Error::Kind::Io,
                             tr("Cannot run %1: %2").arg(m_trivy, m_process->errorString())));
    });
    QTimer::singleShot(m_options.timeoutMs, m_process, [this] {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            fail(Error::make(
                Error::Kind::Timeout,
                tr("Trivy did not finish within %1 s").arg(m_options.timeoutMs / 1000)));
        }
    });
    m_process->start();
}

void TrivyEngine::onTrivyFinished(int exitCode, QProcess::ExitStatus status)
{
    if (isFinished())
        return;
    if (status != QProcess::NormalExit || exitCode != 0) {
        const QString stderrText =
            QString::fromUtf8(m_process->readAllStandardError()).trimmed().right(2000);
        fail(Error::make(Error::Kind::Io,
                         tr("Trivy failed (exit %1): %2").arg(exitCode).arg(stderrText)));
        return;
    }
    QFile report(m_dir->filePath(u"report.json"_s));
    if (!report.open(QIODevice::ReadOnly)) {
        fail(Error::make(Error::Kind::Io,
                         tr("Trivy wrote no report: %1").arg(report.errorString())));
        return;
    }
    QString error;
    auto parsed = TrivyReportParser::parse(report.readAll(), &error);
    if (!parsed) {
        fail(Error::make(Error::Kind::Protocol, error));
        return;
    }
    ScanResult result = *parsed;
    // What Wharf knows about the image beats what Trivy read from the tar.
    result.registry = m_result.registry;
    result.repository = m_result.repository;
    result.reference = m_result.reference;
    result.digest = m_result.digest;
    result.topDigest = m_result.topDigest;
    result.platform = m_result.platform;
    m_result = std::move(result);
    succeed();
}

void TrivyEngine::abort()
{
    if (m_download) {
        QMutexLocker lock(&m_download->mutex);
        m_download->cancelled = true;
    }
    if (m_client)
        m_client->cancelFor(this);
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

} // namespace wharf::scan
