// wharf-scan-bench-registry: the scanner's numbers for docs/performance.md, in one run.
//
//   wharf-scan-bench-registry [--size-mb 500] [--layer PATH] [--records 50000] [--match 1000]
//
// 1. wharf-scan-bench-layer on one gzip layer (>= size-mb compressed; created if missing):
//    LayerReader from a file next to `gzip -dc | tar -t` on the same blob.
// 2. The same blob pushed (skopeo) to a real docker-registry started here, then streamed FROM THE
//    REGISTRY through RegistryLayerSource + LayerReader in a child process (so its peak RSS is
//    the streaming path's alone), and scanned end to end by a ScanJob in another child.
// 3. wharf-scan-bench-match: matching 1,000 packages against 50,000 records.
// Prints one JSON object on stdout.

#include "ImageConfig.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "client/RegistryClient.h"
#include "scan/image/LayerReader.h"
#include "scan/service/RegistryLayerSource.h"
#include "scan/service/ScanJob.h"
#include "scan/vuln/VulnerabilityDatabase.h"
#include "scan/vuln/ZipArchiveWriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <sys/resource.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::scan;
namespace t = wharf::test;

namespace {

constexpr double kMB = 1000.0 * 1000.0;

QString binary(const QString &relative)
{
    return QStringLiteral(WHARF_BINARY_DIR) + u'/' + relative;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

qint64 peakRssKiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

QJsonObject runJson(const QString &program, const QStringList &arguments, QString *error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(program, arguments);
    if (!p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = u"%1 failed (exit %2)"_s.arg(program).arg(p.exitCode());
        return {};
    }
    const QByteArray out = p.readAllStandardOutput();
    const QJsonDocument doc = QJsonDocument::fromJson(out.mid(out.indexOf('{')));
    if (!doc.isObject())
        *error = program + u" printed no JSON"_s;
    return doc.object();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QString sha256(const QByteArray &bytes)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// An OCI layout around an existing layer file (linked, not copied).
bool writeLayout(const QString &dir, const QString &layerPath, const QString &digest,
                 const QString &diffId, qint64 size, QString *error)
{
    const QString blobs = dir + u"/blobs/sha256/"_s;
    QDir().mkpath(blobs);
    const QString layerBlob = blobs + digest.mid(7);
    QFile::remove(layerBlob);
    if (!QFile::link(QFileInfo(layerPath).absoluteFilePath(), layerBlob)) {
        *error = u"cannot link the layer into the layout"_s;
        return false;
    }
    t::ImageConfig config;
    config.diffIds = {diffId};
    config.history = {
        {QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC), u"ADD big.tar /"_s, false, {}}};
    const QByteArray configBytes = config.toJson();
    const QString configDigest = sha256(configBytes);
    const QByteArray manifest =
        QJsonDocument(
            QJsonObject{{u"schemaVersion"_s, 2},
                        {u"mediaType"_s, u"application/vnd.oci.image.manifest.v1+json"_s},
                        {u"config"_s, QJsonObject{{u"mediaType"_s,
                                                   u"application/vnd.oci.image.config.v1+json"_s},
                                                  {u"digest"_s, configDigest},
                                                  {u"size"_s, configBytes.size()}}},
                        {u"layers"_s,
                         QJsonArray{QJsonObject{
                             {u"mediaType"_s, u"application/vnd.oci.image.layer.v1.tar+gzip"_s},
                             {u"digest"_s, digest},
                             {u"size"_s, size}}}}})
            .toJson(QJsonDocument::Compact);
    const QString manifestDigest = sha256(manifest);
    const QByteArray index =
        QJsonDocument(
            QJsonObject{{u"schemaVersion"_s, 2},
                        {u"manifests"_s,
                         QJsonArray{QJsonObject{
                             {u"mediaType"_s, u"application/vnd.oci.image.manifest.v1+json"_s},
                             {u"digest"_s, manifestDigest},
                             {u"size"_s, manifest.size()},
                             {u"annotations"_s, QJsonObject{{u"org.opencontainers.image.ref.name"_s,
                                                             u"bench"_s}}}}}}})
            .toJson(QJsonDocument::Compact);
    if (!writeFile(blobs + configDigest.mid(7), configBytes) ||
        !writeFile(blobs + manifestDigest.mid(7), manifest) ||
        !writeFile(dir + u"/index.json"_s, index) ||
        !writeFile(dir + u"/oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})")) {
        *error = u"cannot write the layout"_s;
        return false;
    }
    return true;
}

// Child: stream one blob from the registry through RegistryLayerSource into LayerReader.
int measureSource(const QCommandLineParser &p)
{
    RegistryConfig config;
    config.url = QUrl(p.value(u"url"_s));
    config.useCache = false;
    RegistryClient client(config);
    const Digest digest = *Digest::parse(p.value(u"digest"_s));
    RegistryLayerSource source(&client, p.value(u"repository"_s), digest);
    ImageLayer layer;
    layer.digest = digest.toString();
    layer.diffId = p.value(u"diff-id"_s);
    layer.size = p.value(u"size"_s).toLongLong();
    layer.mediaType = u"application/vnd.oci.image.layer.v1.tar+gzip"_s;
    std::optional<LayerContents> contents;
    QString error;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<QThread> worker(QThread::create([&] {
        LayerReader reader;
        contents = reader.read(source, layer);
        if (!contents)
            error = reader.errorString();
    }));
    QObject::connect(worker.get(), &QThread::finished, qApp, &QCoreApplication::quit);
    source.start();
    worker->start();
    QCoreApplication::exec();
    worker->wait();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!contents) {
        fprintf(stderr, "streaming failed: %s\n", qPrintable(error));
        return 1;
    }
    QJsonObject o{{u"seconds"_s, seconds},
                  {u"cpuSeconds"_s, cpuSeconds() - cpuBefore},
                  {u"compressedMBps"_s, double(contents->compressedBytes) / kMB / seconds},
                  {u"uncompressedMBps"_s, double(contents->uncompressedBytes) / kMB / seconds},
                  {u"digestVerified"_s, contents->digest == layer.digest},
                  {u"diffIdVerified"_s, contents->diffId == layer.diffId},
                  {u"peakBufferedBytes"_s, source.buffer()->peakBufferedBytes()},
                  {u"bufferCapacity"_s, source.buffer()->capacity()},
                  {u"pauses"_s, source.buffer()->pauses()},
                  {u"peakRssKiB"_s, peakRssKiB()}};
    printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    return 0;
}

// Child: a whole ScanJob (resolve, stream, analyse, match) of repository:1.
int measureScan(const QCommandLineParser &p)
{
    RegistryConfig config;
    config.url = QUrl(p.value(u"url"_s));
    config.useCache = false;
    RegistryClient client(config);
    ScanJob::Options options;
    options.databasePath = p.value(u"db"_s);
    ScanJob job(&client, p.value(u"repository"_s), u"1"_s, options);
    QObject::connect(&job, &Job::finished, qApp, &QCoreApplication::quit);
    const double cpuBefore = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    job.start();
    if (!job.isFinished())
        QCoreApplication::exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (job.state() != Job::State::Succeeded) {
        fprintf(stderr, "scan failed: %s\n",
                qPrintable(job.error() ? job.error()->message : u"?"_s));
        return 1;
    }
    QJsonObject o{{u"seconds"_s, seconds},
                  {u"cpuSeconds"_s, cpuSeconds() - cpuBefore},
                  {u"compressedMBps"_s, double(job.total()) / kMB / seconds},
                  {u"peakRssKiB"_s, peakRssKiB()}};
    printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions({
        {u"size-mb"_s, u"Compressed size of the created layer."_s, u"MB"_s, u"500"_s},
        {u"layer"_s, u"gzip layer to use (created when missing)."_s, u"PATH"_s},
        {u"records"_s, u"OSV records for the matching benchmark."_s, u"N"_s, u"50000"_s},
        {u"match"_s, u"Packages to match."_s, u"N"_s, u"1000"_s},
        {u"measure"_s, u"Internal: source or scan."_s, u"MODE"_s},
        {u"url"_s, u"Internal."_s, u"URL"_s},
        {u"repository"_s, u"Internal."_s, u"NAME"_s},
        {u"digest"_s, u"Internal."_s, u"DIGEST"_s},
        {u"diff-id"_s, u"Internal."_s, u"DIGEST"_s},
        {u"size"_s, u"Internal."_s, u"BYTES"_s},
        {u"db"_s, u"Internal."_s, u"PATH"_s},
    });
    p.process(app);
    if (p.value(u"measure"_s) == u"source"_s)
        return measureSource(p);
    if (p.value(u"measure"_s) == u"scan"_s)
        return measureScan(p);

    QTemporaryDir work;
    QString layerPath = p.value(u"layer"_s);
    if (layerPath.isEmpty())
        layerPath = work.filePath(u"layer.tar.gz"_s);
    QString error;
    QJsonObject report;

    // 1. The file path, and the reference pipeline on the same blob.
    fprintf(stderr, "layer benchmark (creates %s if needed)...\n", qPrintable(layerPath));
    const QJsonObject fileBench =
        runJson(binary(u"tests/scan/image/wharf-scan-bench-layer"_s),
                {u"--layer"_s, layerPath, u"--size-mb"_s, p.value(u"size-mb"_s)}, &error);
    if (!error.isEmpty()) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    report[u"file"_s] = fileBench;
    const QString digest =
        fileBench.value(u"layerReader"_s).toObject().value(u"digest"_s).toString();
    const QString diffId =
        fileBench.value(u"layerReader"_s).toObject().value(u"diffId"_s).toString();
    const qint64 size = QFileInfo(layerPath).size();

    // 2. Push it, stream it back.
    t::TestRegistry registry;
    if (!registry.start(&error)) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const QString layout = work.filePath(u"layout"_s);
    if (!writeLayout(layout, layerPath, digest, diffId, size, &error)) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    fprintf(stderr, "pushing %lld bytes...\n", static_cast<long long>(size));
    QElapsedTimer pushTimer;
    pushTimer.start();
    if (!t::Skopeo::copy(layout, u"bench"_s, registry.dockerReference(u"bench/big:1"_s),
                         registry.skopeoOptions(), &error)) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    report[u"pushSeconds"_s] = double(pushTimer.elapsed()) / 1000.0;
    report[u"blobBytes"_s] = size;

    fprintf(stderr, "streaming from the registry...\n");
    const QString self = QCoreApplication::applicationFilePath();
    report[u"registrySource"_s] = runJson(
        self,
        {u"--measure"_s, u"source"_s, u"--url"_s, registry.url(), u"--repository"_s, u"bench/big"_s,
         u"--digest"_s, digest, u"--diff-id"_s, diffId, u"--size"_s, QString::number(size)},
        &error);
    if (!error.isEmpty()) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    // A whole scan needs a database: a one-record one is enough (the layer has no packages).
    const QString zip = work.filePath(u"one.zip"_s);
    {
        ZipArchiveWriter writer;
        writer.open(zip);
        writer.addFile(u"X-1.json"_s,
                       R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[]})");
        writer.close();
        VulnerabilityDatabase db;
        db.open(work.filePath(u"one.db"_s));
        db.importZip(zip, u"bench"_s);
    }
    fprintf(stderr, "scanning from the registry...\n");
    report[u"registryScanJob"_s] =
        runJson(self,
                {u"--measure"_s, u"scan"_s, u"--url"_s, registry.url(), u"--repository"_s,
                 u"bench/big"_s, u"--db"_s, work.filePath(u"one.db"_s)},
                &error);
    if (!error.isEmpty()) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    registry.stop();

    // 3. Matching.
    fprintf(stderr, "matching benchmark...\n");
    report[u"matching"_s] =
        runJson(binary(u"src/scan/wharf-scan-bench-match"_s),
                {u"--records"_s, p.value(u"records"_s), u"--match"_s, p.value(u"match"_s)}, &error);
    if (!error.isEmpty()) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const double gzipTar = fileBench.value(u"gzipTarSeconds"_s).toDouble();
    const double streamed = report[u"registrySource"_s].toObject().value(u"seconds"_s).toDouble();
    report[u"registryVsGzipTar"_s] = gzipTar > 0 ? streamed / gzipTar : -1.0;
    printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Indented).constData());
    return 0;
}
