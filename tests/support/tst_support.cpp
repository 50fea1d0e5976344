// Self-test of the registry test harness: real docker-registry, real skopeo, real bytes.

#include "CommandRunner.h"
#include "ImagePusher.h"
#include "MediaType.h"
#include "OciLayout.h"
#include "SampleImages.h"
#include "Skopeo.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf::test;

namespace {

const QByteArray AllManifestTypes =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QString error;
    QList<QSslError> sslErrors;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

// Plain QNetworkAccessManager requests: an observer independent of skopeo and of Wharf.
HttpAnswer http(const QByteArray &verb, const QUrl &url, const QByteArray &accept = {},
                const QSslConfiguration *tls = nullptr, bool ignoreSslErrors = false)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    if (!accept.isEmpty())
        request.setRawHeader("Accept", accept);
    if (tls)
        request.setSslConfiguration(*tls);
    // head() rather than a custom "HEAD": only then does Qt not wait for Content-Length bytes.
    QNetworkReply *reply =
        verb == "HEAD" ? manager.head(request) : manager.sendCustomRequest(request, verb);
    HttpAnswer answer;
    QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                     [&answer, reply, ignoreSslErrors](const QList<QSslError> &errors) {
                         answer.sslErrors = errors;
                         if (ignoreSslErrors)
                             reply->ignoreSslErrors();
                     });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (verb != "HEAD")
        answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError)
        answer.error = reply->errorString();
    delete reply;
    return answer;
}

QString sha256Of(const QByteArray &bytes)
{
    return Descriptor::sha256Digest(bytes);
}

struct ReadEntry
{
    QString path;
    int type = 0;
    QString symlink;
    QString hardlink;
    qint64 mtime = 0;
    qint64 uid = -1;
    qint64 gid = -1;
    int perm = 0;
    QByteArray content;
};

// Reads a (possibly compressed) tar with libarchive; the filter is auto-detected.
QList<ReadEntry> readTar(const QByteArray &blob, QString *filterName)
{
    QList<ReadEntry> entries;
    archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    if (archive_read_open_memory(a, blob.constData(), size_t(blob.size())) != ARCHIVE_OK) {
        archive_read_free(a);
        return entries;
    }
    archive_entry *entry = nullptr;
    while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
        ReadEntry item;
        item.path = QString::fromUtf8(archive_entry_pathname(entry));
        item.type = int(archive_entry_filetype(entry));
        if (const char *link = archive_entry_symlink(entry))
            item.symlink = QString::fromUtf8(link);
        if (const char *link = archive_entry_hardlink(entry))
            item.hardlink = QString::fromUtf8(link);
        item.mtime = archive_entry_mtime(entry);
        item.uid = archive_entry_uid(entry);
        item.gid = archive_entry_gid(entry);
        item.perm = int(archive_entry_perm(entry));
        char buffer[4096];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0)
            item.content.append(buffer, qsizetype(n));
        entries << item;
    }
    if (filterName)
        *filterName = QString::fromUtf8(archive_filter_name(a, 0));
    archive_read_free(a);
    return entries;
}

QJsonObject jsonObject(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

class TestSupport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // Offline: builders and helpers.
    void commandRunnerTimesOutAndMasksSecrets();
    void commandRunnerRunsInParallelInOrder();
    void findExecutableNamesDebianPackage();
    void layersAreDeterministicTarsWithEveryEntryType_data();
    void layersAreDeterministicTarsWithEveryEntryType();
    void configManifestIndexAttestationArtifactJson();
    void sampleSetExpectations();

    // A running registry with the standard set.
    void pushSampleSetAndReadBackExactBytes();
    void blobsAreServedByteForByte();
    void listTagsMatchesSampleSet();
    void preserveDigestsIsRequired();
    void deleteEnabledDeletesAndGarbageCollectSeesIt();
    void restartKeepsDataOnSamePort();

    // Registry variants.
    void deleteDisabledRefusesDelete();
    void readOnlyModeServesButRefusesWrites();
    void basicAuthAcceptsOnlyRightCredentials();
    void tlsWithGeneratedCertificates();
    void tokenAuthConfigIsApplied();
    void startFailureReportsRegistryOutput();
    void seedManyRepositoriesForCatalogPaging();
    void seedManyRepositoriesWithBasicAuth();

    void cleanupTestCase();

private:
    std::unique_ptr<TestRegistry> m_registry;
    SampleImages m_samples;
    bool m_pushed = false;
};

void TestSupport::initTestCase()
{
    for (const QString &tool : {u"docker-registry"_s, u"skopeo"_s, u"htpasswd"_s, u"openssl"_s}) {
        QString error;
        QVERIFY2(!TestRegistry::findExecutable(tool, &error).isEmpty(), qPrintable(error));
    }
    QVERIFY2(m_samples.buildError().isEmpty(), qPrintable(m_samples.buildError()));
}

void TestSupport::commandRunnerTimesOutAndMasksSecrets()
{
    CommandRunner::Command command;
    command.program = u"sleep"_s;
    command.arguments = {u"5"_s};
    command.timeoutMs = 200;
    QElapsedTimer clock;
    clock.start();
    const CommandRunner::Result result = CommandRunner::run(command);
    QVERIFY(result.started);
    QVERIFY(result.timedOut);
    QVERIFY(!result.succeeded());
    QVERIFY(clock.elapsed() < 4000);

    // The tool echoes the secret on stderr; the description must not.
    CommandRunner::Command secret;
    secret.program = u"sh"_s;
    secret.arguments = {u"-c"_s,          u"echo \"token=$2\" >&2; exit 3"_s,
                        u"sh"_s,          u"--dest-creds"_s,
                        u"bob:hunter2"_s, u"--password=hunter2"_s};
    secret.secrets = {u"hunter2"_s};
    const CommandRunner::Result failed = CommandRunner::run(secret);
    QCOMPARE(failed.exitCode, 3);
    QCOMPARE(failed.standardError, QByteArray("token=bob:hunter2\n"));
    const QString text = CommandRunner::describe(secret, failed);
    QVERIFY2(!text.contains(u"hunter2"_s), qPrintable(text));
    QVERIFY2(text.contains(u"exit code 3"_s), qPrintable(text));
    QVERIFY2(text.contains(u"token=bob:***"_s), qPrintable(text));
    QVERIFY2(text.contains(u"--dest-creds ***"_s), qPrintable(text));
    QVERIFY2(text.contains(u"--password=***"_s), qPrintable(text));
    // Even without the secrets list, credential option values stay hidden.
    secret.secrets.clear();
    const QString line = CommandRunner::commandLine(secret);
    QVERIFY2(!line.contains(u"hunter2"_s), qPrintable(line));
}

void TestSupport::commandRunnerRunsInParallelInOrder()
{
    QList<CommandRunner::Command> commands;
    for (int i = 0; i < 6; ++i) {
        CommandRunner::Command command;
        command.program = u"sh"_s;
        // Within each wave of three, later commands finish first; results must still line up
        // with the commands.
        command.arguments = {u"-c"_s, u"sleep 0.%1; echo %2"_s.arg(6 - i % 3).arg(i)};
        commands << command;
    }
    CommandRunner::Command missing;
    missing.program = u"/nonexistent/wharf-no-such-tool"_s;
    commands << missing;
    QElapsedTimer clock;
    clock.start();
    const QList<CommandRunner::Result> results = CommandRunner::runParallel(commands, 3);
    QCOMPARE(results.size(), commands.size());
    for (int i = 0; i < 6; ++i) {
        QVERIFY(results.at(i).succeeded());
        QCOMPARE(results.at(i).standardOutput.trimmed(), QByteArray::number(i));
    }
    QVERIFY(!results.last().started);
    QVERIFY(!results.last().succeeded());
    // Sequentially this takes 3 s; three at a time about 1.2 s.
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
}

void TestSupport::findExecutableNamesDebianPackage()
{
    const QByteArray savedPath = qgetenv("PATH");
    qputenv("PATH", "/nonexistent-wharf-path");
    QString skopeoError;
    QString htpasswdError;
    const QString skopeo = TestRegistry::findExecutable(u"skopeo"_s, &skopeoError);
    const QString htpasswd = TestRegistry::findExecutable(u"htpasswd"_s, &htpasswdError);
    qputenv("PATH", savedPath);
    QVERIFY(skopeo.isEmpty());
    QVERIFY(htpasswd.isEmpty());
    QVERIFY2(skopeoError.contains(u"apt-get install skopeo"_s), qPrintable(skopeoError));
    QVERIFY2(htpasswdError.contains(u"apt-get install apache2-utils"_s), qPrintable(htpasswdError));
    QVERIFY(!TestRegistry::findExecutable(u"skopeo"_s).isEmpty());
}

void TestSupport::layersAreDeterministicTarsWithEveryEntryType_data()
{
    QTest::addColumn<int>("compression");
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<QString>("filter");
    QTest::newRow("none") << int(TarLayer::Compression::None) << QString(MediaType::OciLayerTar)
                          << u"none"_s;
    QTest::newRow("gzip") << int(TarLayer::Compression::Gzip) << QString(MediaType::OciLayerGzip)
                          << u"gzip"_s;
    QTest::newRow("zstd") << int(TarLayer::Compression::Zstd) << QString(MediaType::OciLayerZstd)
                          << u"zstd"_s;
}

void TestSupport::layersAreDeterministicTarsWithEveryEntryType()
{
    QFETCH(int, compression);
    QFETCH(QString, mediaType);
    QFETCH(QString, filter);
    const QList<TarEntry> entries{
        TarEntry::directory(u"etc"_s),
        TarEntry::file(u"etc/hosts"_s, "127.0.0.1 localhost\n"),
        TarEntry::file(u"usr/bin/tool"_s, "#!/bin/sh\n", 0755),
        TarEntry::symlink(u"usr/bin/alias"_s, u"tool"_s),
        TarEntry::hardlink(u"usr/bin/tool2"_s, u"usr/bin/tool"_s),
        TarEntry::whiteout(u"etc"_s, u"motd"_s),
        TarEntry::opaqueWhiteout(u"var/cache"_s),
        TarEntry::file(u"long/"_s + QString(120, u'x') + u"/file.txt"_s, "long path\n")};
    const auto kind = TarLayer::Compression(compression);
    QString error;
    const TarLayer first = TarLayer::build(entries, kind, TarLayer::Format::Oci, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Built again a second later: the same bytes (no timestamps leak in).
    QTest::qWait(1100);
    const TarLayer second = TarLayer::build(entries, kind, TarLayer::Format::Oci, &error);
    QCOMPARE(second.descriptor.digest, first.descriptor.digest);
    QCOMPARE(second.descriptor.bytes, first.descriptor.bytes);

    QCOMPARE(first.descriptor.mediaType, mediaType);
    QCOMPARE(first.descriptor.size, first.descriptor.bytes.size());
    QCOMPARE(first.descriptor.digest, sha256Of(first.descriptor.bytes));
    QCOMPARE(first.diffId, sha256Of(first.uncompressed));
    if (kind == TarLayer::Compression::None)
        QCOMPARE(first.descriptor.bytes, first.uncompressed);
    if (kind == TarLayer::Compression::Gzip)
        QVERIFY(first.descriptor.bytes.startsWith("\x1f\x8b"));
    if (kind == TarLayer::Compression::Zstd)
        QVERIFY(first.descriptor.bytes.startsWith("\x28\xb5\x2f\xfd"));
    QCOMPARE(TarLayer::mediaTypeFor(kind, TarLayer::Format::Docker)
                 .startsWith(u"application/vnd.docker.image.rootfs.diff.tar"_s),
             true);

    // The compressed blob unpacks to exactly the tar whose digest is the diff_id.
    QString filterName;
    const QList<ReadEntry> fromBlob = readTar(first.descriptor.bytes, &filterName);
    QCOMPARE(filterName, filter);
    const QList<ReadEntry> read = readTar(first.uncompressed, nullptr);
    QCOMPARE(read.size(), entries.size());
    QCOMPARE(fromBlob.size(), entries.size());
    for (qsizetype i = 0; i < read.size(); ++i) {
        QString path = read.at(i).path;
        // tar writers, libarchive included, mark directories with a trailing slash.
        if (read.at(i).type == int(AE_IFDIR)) {
            QVERIFY(path.endsWith(u'/'));
            path.chop(1);
        }
        QCOMPARE(path, entries.at(i).path);
        QCOMPARE(fromBlob.at(i).content, read.at(i).content);
        QCOMPARE(read.at(i).mtime, TarLayer::FixedMtime);
        QCOMPARE(read.at(i).uid, 0);
        QCOMPARE(read.at(i).gid, 0);
    }
    QCOMPARE(read.at(0).type, int(AE_IFDIR));
    QCOMPARE(read.at(1).content, QByteArray("127.0.0.1 localhost\n"));
    QCOMPARE(read.at(2).perm, 0755);
    QCOMPARE(read.at(3).type, int(AE_IFLNK));
    QCOMPARE(read.at(3).symlink, u"tool"_s);
    QCOMPARE(read.at(4).hardlink, u"usr/bin/tool"_s);
    QCOMPARE(read.at(5).path, u"etc/.wh.motd"_s);
    QCOMPARE(read.at(5).content.size(), 0);
    QCOMPARE(read.at(6).path, u"var/cache/.wh..wh..opq"_s);
    QCOMPARE(read.at(7).content, QByteArray("long path\n"));
}

void TestSupport::configManifestIndexAttestationArtifactJson()
{
    QTemporaryDir dir;
    OciLayout layout(dir.filePath(u"layout"_s));
    const TarLayer layer = layout.addLayer({TarEntry::file(u"a.txt"_s, "a\n")});
    ImageConfig config;
    config.platform = Platform{u"windows"_s, u"amd64"_s, {}, u"10.0.20348.2340"_s};
    config.created = QDateTime(QDate(2024, 2, 3), QTime(4, 5, 6), QTimeZone::utc());
    config.author = u"someone"_s;
    config.env = {u"A=1"_s};
    config.entrypoint = {u"/a"_s};
    config.cmd = {u"b"_s};
    config.workingDir = u"/w"_s;
    config.user = u"app"_s;
    config.exposedPorts = {u"80/tcp"_s};
    config.labels = {{u"k"_s, u"v"_s}};
    config.history = {{config.created, u"ENV A=1"_s, true, {}},
                      {config.created, u"COPY a.txt /"_s, false, {}}};
    const OciLayout::Image image = layout.addImage(config, {layer});

    const QJsonObject cfg = jsonObject(image.config.bytes);
    QCOMPARE(image.config.mediaType, QString(MediaType::OciConfig));
    QCOMPARE(cfg.value(u"os"_s).toString(), u"windows"_s);
    QCOMPARE(cfg.value(u"os.version"_s).toString(), u"10.0.20348.2340"_s);
    QCOMPARE(cfg.value(u"created"_s).toString(), u"2024-02-03T04:05:06Z"_s);
    QCOMPARE(cfg.value(u"author"_s).toString(), u"someone"_s);
    const QJsonObject inner = cfg.value(u"config"_s).toObject();
    QCOMPARE(inner.value(u"Env"_s).toArray().first().toString(), u"A=1"_s);
    QCOMPARE(inner.value(u"Entrypoint"_s).toArray().first().toString(), u"/a"_s);
    QCOMPARE(inner.value(u"Cmd"_s).toArray().first().toString(), u"b"_s);
    QCOMPARE(inner.value(u"WorkingDir"_s).toString(), u"/w"_s);
    QCOMPARE(inner.value(u"User"_s).toString(), u"app"_s);
    QVERIFY(inner.value(u"ExposedPorts"_s).toObject().contains(u"80/tcp"_s));
    QCOMPARE(inner.value(u"Labels"_s).toObject().value(u"k"_s).toString(), u"v"_s);
    QCOMPARE(cfg.value(u"rootfs"_s).toObject().value(u"diff_ids"_s).toArray().first().toString(),
             layer.diffId);
    const QJsonArray history = cfg.value(u"history"_s).toArray();
    QCOMPARE(history.size(), 2);
    QVERIFY(history.at(0).toObject().value(u"empty_layer"_s).toBool());
    QVERIFY(!history.at(1).toObject().contains(u"empty_layer"_s));

    const QJsonObject manifest = jsonObject(image.manifest.bytes);
    QCOMPARE(manifest.value(u"schemaVersion"_s).toInt(), 2);
    QCOMPARE(manifest.value(u"mediaType"_s).toString(), QString(MediaType::OciManifest));
    QCOMPARE(manifest.value(u"config"_s).toObject().value(u"digest"_s).toString(),
             image.config.digest);
    QCOMPARE(manifest.value(u"config"_s).toObject().value(u"size"_s).toInteger(),
             image.config.size);
    QCOMPARE(manifest.value(u"layers"_s).toArray().first().toObject().value(u"digest"_s).toString(),
             layer.descriptor.digest);
    QCOMPARE(image.compressedSize(), image.config.size + layer.descriptor.size);
    QCOMPARE(image.manifest.digest, sha256Of(image.manifest.bytes));

    const OciLayout::Image docker = layout.addImage(config, {layer}, OciLayout::Format::Docker);
    QCOMPARE(docker.manifest.mediaType, QString(MediaType::DockerManifest));
    QCOMPARE(docker.config.mediaType, QString(MediaType::DockerConfig));
    const Descriptor list = layout.addIndex({docker.manifest}, OciLayout::Format::Docker);
    QCOMPARE(jsonObject(list.bytes).value(u"mediaType"_s).toString(),
             QString(MediaType::DockerManifestList));

    const OciLayout::Image attestation = layout.addAttestation(image.manifest);
    QCOMPARE(attestation.manifest.platform->os, u"unknown"_s);
    QCOMPARE(attestation.manifest.platform->architecture, u"unknown"_s);
    QCOMPARE(attestation.manifest.annotations.value(u"vnd.docker.reference.type"_s),
             u"attestation-manifest"_s);
    QCOMPARE(attestation.manifest.annotations.value(u"vnd.docker.reference.digest"_s),
             image.manifest.digest);
    QCOMPARE(attestation.config.mediaType, QString(MediaType::OciConfig));
    QCOMPARE(attestation.layers.size(), 1);
    QCOMPARE(attestation.layers.first().mediaType, QString(MediaType::InToto));
    const QJsonObject statement = jsonObject(attestation.layers.first().bytes);
    QCOMPARE(statement.value(u"subject"_s)
                 .toArray()
                 .first()
                 .toObject()
                 .value(u"digest"_s)
                 .toObject()
                 .value(u"sha256"_s)
                 .toString(),
             image.manifest.hex());

    const Descriptor index = layout.addIndex({image.manifest, attestation.manifest});
    const QList<Descriptor> entries = layout.indexEntries(index);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(*entries.at(0).platform, config.platform);
    QCOMPARE(entries.at(1).annotations, attestation.manifest.annotations);
    const Descriptor nested = layout.addIndex({index, image.manifest});
    QVERIFY(layout.indexEntries(nested).first().isIndex());

    const Descriptor artifact = layout.addArtifact(u"application/x.test"_s, {}, image.manifest);
    const QJsonObject art = jsonObject(artifact.bytes);
    QCOMPARE(art.value(u"artifactType"_s).toString(), u"application/x.test"_s);
    QCOMPARE(art.value(u"config"_s).toObject().value(u"mediaType"_s).toString(),
             QString(MediaType::OciEmpty));
    QCOMPARE(art.value(u"config"_s).toObject().value(u"size"_s).toInt(), 2);
    // sha256("{}") – the well-known empty descriptor digest.
    QCOMPARE(art.value(u"config"_s).toObject().value(u"digest"_s).toString(),
             u"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"_s);
    QCOMPARE(art.value(u"subject"_s).toObject().value(u"digest"_s).toString(),
             image.manifest.digest);
    QVERIFY(!art.value(u"subject"_s).toObject().contains(u"platform"_s));
    QCOMPARE(artifact.artifactType, u"application/x.test"_s);

    const Descriptor raw =
        layout.addRawManifest(u"application/x.odd+json"_s, QByteArrayLiteral("{\"odd\":true}"));
    QCOMPARE(raw.mediaType, u"application/x.odd+json"_s);
    QCOMPARE(layout.blob(raw.digest), raw.bytes);

    layout.tag(u"one"_s, image.manifest);
    layout.tag(u"dock"_s, docker.manifest);
    layout.tag(u"one"_s, index); // re-tag replaces
    QString error;
    QVERIFY2(layout.write(&error), qPrintable(error));
    QFile indexFile(layout.path() + u"/index.json"_s);
    QVERIFY(indexFile.open(QIODevice::ReadOnly));
    const QJsonArray tagged = jsonObject(indexFile.readAll()).value(u"manifests"_s).toArray();
    QCOMPARE(tagged.size(), 2);
    QCOMPARE(tagged.at(0)
                 .toObject()
                 .value(u"annotations"_s)
                 .toObject()
                 .value(u"org.opencontainers.image.ref.name"_s)
                 .toString(),
             u"dock"_s);
    QCOMPARE(tagged.at(1).toObject().value(u"digest"_s).toString(), index.digest);
    QFile layoutFile(layout.path() + u"/oci-layout"_s);
    QVERIFY(layoutFile.open(QIODevice::ReadOnly));
    QCOMPARE(jsonObject(layoutFile.readAll()).value(u"imageLayoutVersion"_s).toString(),
             u"1.0.0"_s);
    QFile blobFile(layout.path() + u"/blobs/sha256/"_s + image.manifest.hex());
    QVERIFY(blobFile.open(QIODevice::ReadOnly));
    QCOMPARE(blobFile.readAll(), image.manifest.bytes);
}

void TestSupport::sampleSetExpectations()
{
    const SampleImages &s = m_samples;
    QCOMPARE(s.repositories(),
             QStringList({u"sample/app"_s, u"sample/artifact"_s, u"sample/compression"_s,
                          u"sample/docker"_s, u"sample/multi"_s, u"sample/nested"_s,
                          u"sample/versions"_s}));
    QCOMPARE(
        s.tagNames(u"sample/versions"_s),
        QStringList({u"1.2"_s, u"1.10"_s, u"1.9"_s, u"v2.0.0-rc1"_s, u"v2.0.0"_s, u"latest"_s}));
    const auto *app = s.find(u"sample/app"_s, u"1.0"_s);
    const auto *appLatest = s.find(u"sample/app"_s, u"latest"_s);
    QVERIFY(app && appLatest);
    QCOMPARE(app->top.digest, appLatest->top.digest);
    QCOMPARE(app->images.size(), 1);
    QCOMPARE(app->images.first().layers.size(), 3);
    for (const Descriptor &layer : app->images.first().layers)
        QCOMPARE(layer.mediaType, QString(MediaType::OciLayerGzip));

    const auto *multi = s.find(u"sample/multi"_s, u"2.0"_s);
    QVERIFY(multi);
    QCOMPARE(multi->top.mediaType, QString(MediaType::OciIndex));
    QCOMPARE(multi->images.size(), 2);
    QCOMPARE(multi->images.at(1).platform.variant, u"v8"_s);
    QCOMPARE(multi->attestations.size(), 2);
    QCOMPARE(multi->attestations.at(1).manifest.annotations.value(u"vnd.docker.reference.digest"_s),
             multi->images.at(1).manifest.digest);

    const auto *list = s.find(u"sample/docker"_s, u"list"_s);
    QVERIFY(list);
    QCOMPARE(list->top.mediaType, QString(MediaType::DockerManifestList));
    QCOMPARE(list->images.at(1).platform.toString(), u"linux/arm/v7"_s);
    QCOMPARE(list->images.at(0).manifest.digest, s.find(u"sample/docker"_s, u"1.0"_s)->top.digest);

    QCOMPARE(s.find(u"sample/compression"_s, u"zstd"_s)->images.first().layers.last().mediaType,
             QString(MediaType::OciLayerZstd));
    QCOMPARE(s.find(u"sample/compression"_s, u"plain"_s)->images.first().layers.last().mediaType,
             QString(MediaType::OciLayerTar));
    QCOMPARE(s.find(u"sample/nested"_s, u"1.0"_s)->childIndexes.size(), 1);
    QCOMPARE(s.find(u"sample/versions"_s, u"latest"_s)->top.digest,
             s.find(u"sample/versions"_s, u"v2.0.0"_s)->top.digest);
    const auto *subject = s.find(u"sample/artifact"_s, u"1.0"_s);
    QVERIFY(s.find(u"sample/artifact"_s, u"sha256-"_s + subject->top.hex()));

    // The shared base layer makes deduplicated bytes smaller than the naive sum.
    const Descriptor base = app->images.first().layers.first();
    QCOMPARE(multi->images.first().layers.first().digest, base.digest);
    QCOMPARE(s.find(u"sample/docker"_s, u"1.0"_s)->images.first().layers.first().digest,
             base.digest);
    QVERIFY(s.uniqueBlobBytes() < s.naiveBytes());
    QVERIFY(s.uniqueBlobBytes(u"sample/app"_s) < s.naiveBytes(u"sample/app"_s));
    QCOMPARE(s.naiveBytes(u"sample/app"_s), 2 * app->images.first().compressedSize());
    qint64 expected = app->images.first().config.size;
    for (const Descriptor &layer : app->images.first().layers)
        expected += layer.size;
    QCOMPARE(app->images.first().compressedSize(), expected);
    // Stays small so seeding is quick.
    QVERIFY2(s.naiveBytes() < 200 * 1024, qPrintable(QString::number(s.naiveBytes())));

    // Deterministic: building the set again gives the same digests.
    SampleImages again;
    QCOMPARE(again.tags().size(), s.tags().size());
    for (qsizetype i = 0; i < s.tags().size(); ++i)
        QCOMPARE(again.tags().at(i).top.digest, s.tags().at(i).top.digest);
}

void TestSupport::pushSampleSetAndReadBackExactBytes()
{
    m_registry = std::make_unique<TestRegistry>();
    QString error;
    QVERIFY2(m_registry->start(&error), qPrintable(error));
    QVERIFY(m_registry->port() > 0);
    QCOMPARE(m_registry->hostPort(), u"127.0.0.1:%1"_s.arg(m_registry->port()));
    QCOMPARE(m_registry->url(), u"http://"_s + m_registry->hostPort());
    QVERIFY(QFile::exists(m_registry->configPath()));

    QVERIFY2(m_samples.pushTo(*m_registry, &error), qPrintable(error));
    m_pushed = true;
    qInfo("standard sample set pushed in %lld ms (%lld tags)", m_samples.lastPushMs(),
          qint64(m_samples.tags().size()));

    const SkopeoOptions options = m_registry->skopeoOptions();
    for (const SampleImages::Tag &tag : m_samples.tags()) {
        QByteArray raw;
        QVERIFY2(
            Skopeo::inspectRaw(m_registry->dockerReference(tag.reference()), options, &raw, &error),
            qPrintable(error));
        QCOMPARE(sha256Of(raw), tag.top.digest);
        QCOMPARE(raw, tag.top.bytes);
        // Every child manifest by digest, and the Content-Type the registry stored.
        for (const Descriptor &manifest : tag.allManifests()) {
            const QString byDigest = tag.repository + u'@' + manifest.digest;
            QVERIFY2(
                Skopeo::inspectRaw(m_registry->dockerReference(byDigest), options, &raw, &error),
                qPrintable(error));
            QCOMPARE(sha256Of(raw), manifest.digest);
            const HttpAnswer head = http("HEAD",
                                         QUrl(m_registry->url() + u"/v2/"_s + tag.repository +
                                              u"/manifests/"_s + manifest.digest),
                                         AllManifestTypes);
            QCOMPARE(head.status, 200);
            QCOMPARE(QString::fromLatin1(head.header("Docker-Content-Digest")), manifest.digest);
            QCOMPARE(QString::fromLatin1(head.header("Content-Type")), manifest.mediaType);
            QCOMPARE(head.header("Content-Length").toLongLong(), manifest.size);
        }
    }
}

void TestSupport::blobsAreServedByteForByte()
{
    QVERIFY(m_pushed);
    int checked = 0;
    for (const SampleImages::Tag &tag : m_samples.tags()) {
        for (const auto *list : {&tag.images, &tag.attestations}) {
            for (const OciLayout::Image &image : *list) {
                QList<Descriptor> blobs{image.config};
                blobs << image.layers;
                for (const Descriptor &blob : blobs) {
                    const HttpAnswer answer =
                        http("GET", QUrl(m_registry->url() + u"/v2/"_s + tag.repository +
                                         u"/blobs/"_s + blob.digest));
                    QVERIFY2(answer.status == 200,
                             qPrintable(tag.reference() + u' ' + blob.digest));
                    QCOMPARE(answer.body.size(), blob.size);
                    QCOMPARE(sha256Of(answer.body), blob.digest);
                    ++checked;
                }
            }
        }
    }
    QVERIFY(checked > 40);
}

void TestSupport::listTagsMatchesSampleSet()
{
    QVERIFY(m_pushed);
    for (const QString &repository : m_samples.repositories()) {
        QStringList tags;
        QString error;
        QVERIFY2(Skopeo::listTags(m_registry->dockerReference(repository),
                                  m_registry->skopeoOptions(), &tags, &error),
                 qPrintable(error));
        QStringList expected = m_samples.tagNames(repository);
        tags.sort();
        expected.sort();
        QCOMPARE(tags, expected);
    }
    // The nested index's children were pushed by digest: no helper tags leaked.
    QStringList nested;
    QString error;
    QVERIFY(Skopeo::listTags(m_registry->dockerReference(u"sample/nested"_s),
                             m_registry->skopeoOptions(), &nested, &error));
    QCOMPARE(nested, QStringList{u"1.0"_s});
}

void TestSupport::preserveDigestsIsRequired()
{
    QVERIFY(m_pushed);
    // An uncompressed layer no registry has seen yet (skopeo reuses a blob it already knows of,
    // which would hide the effect).
    QTemporaryDir dir;
    OciLayout layout(dir.filePath(u"layout"_s));
    const QByteArray unique = "run " + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) +
                              " port " + QByteArray::number(m_registry->port()) + '\n';
    const TarLayer layer =
        layout.addLayer({TarEntry::file(u"unique.txt"_s, unique)}, TarLayer::Compression::None);
    const OciLayout::Image image = layout.addImage(ImageConfig(), {layer});
    layout.tag(u"plain"_s, image.manifest);
    QString error;
    QVERIFY2(layout.write(&error), qPrintable(error));

    // Without --preserve-digests skopeo gzips the layer on the way and rewrites the manifest:
    // the registry would hold something other than what was built.
    SkopeoOptions options = m_registry->skopeoOptions();
    options.preserveDigests = false;
    QVERIFY2(Skopeo::copy(layout.path(), u"plain"_s,
                          m_registry->dockerReference(u"scratch/rewritten:plain"_s), options,
                          &error),
             qPrintable(error));
    QByteArray raw;
    QVERIFY2(Skopeo::inspectRaw(m_registry->dockerReference(u"scratch/rewritten:plain"_s), options,
                                &raw, &error),
             qPrintable(error));
    QVERIFY(sha256Of(raw) != image.manifest.digest);
    const QJsonObject layerJson = jsonObject(raw).value(u"layers"_s).toArray().first().toObject();
    QCOMPARE(layerJson.value(u"mediaType"_s).toString(), QString(MediaType::OciLayerGzip));
    QVERIFY(layerJson.value(u"digest"_s).toString() != layer.descriptor.digest);

    // With it (the default) everything is kept, even for a fresh uncompressed blob.
    const QByteArray unique2 = unique + "again\n";
    const TarLayer layer2 =
        layout.addLayer({TarEntry::file(u"unique.txt"_s, unique2)}, TarLayer::Compression::None);
    const OciLayout::Image image2 = layout.addImage(ImageConfig(), {layer2});
    layout.tag(u"plain2"_s, image2.manifest);
    QVERIFY2(layout.write(&error), qPrintable(error));
    options.preserveDigests = true;
    QVERIFY2(Skopeo::copy(layout.path(), u"plain2"_s,
                          m_registry->dockerReference(u"scratch/kept:plain"_s), options, &error),
             qPrintable(error));
    QVERIFY(Skopeo::inspectRaw(m_registry->dockerReference(u"scratch/kept:plain"_s), options, &raw,
                               &error));
    QCOMPARE(sha256Of(raw), image2.manifest.digest);
}

void TestSupport::deleteEnabledDeletesAndGarbageCollectSeesIt()
{
    QVERIFY(m_pushed);
    const SampleImages::Tag *old = m_samples.find(u"sample/versions"_s, u"1.2"_s);
    QVERIFY(old);
    const SkopeoOptions options = m_registry->skopeoOptions();
    QString error;
    QVERIFY2(Skopeo::deleteImage(m_registry->dockerReference(old->reference()), options, &error),
             qPrintable(error));
    QByteArray raw;
    QVERIFY(
        !Skopeo::inspectRaw(m_registry->dockerReference(old->reference()), options, &raw, &error));
    QVERIFY2(error.contains(u"manifest unknown"_s), qPrintable(error));
    QStringList tags;
    QVERIFY(Skopeo::listTags(m_registry->dockerReference(u"sample/versions"_s), options, &tags,
                             &error));
    QVERIFY(!tags.contains(u"1.2"_s));
    QVERIFY(tags.contains(u"1.10"_s));
    // DELETE by digest twice: the second one is 404 on 2.8.
    const HttpAnswer again = http(
        "DELETE", QUrl(m_registry->url() + u"/v2/sample/versions/manifests/"_s + old->top.digest));
    QCOMPARE(again.status, 404);

    // The config and version layer of 1.2 belong to nothing else any more.
    QString output;
    QVERIFY2(m_registry->runGarbageCollect(true, &output), qPrintable(output));
    const OciLayout::Image &image = old->images.first();
    QVERIFY2(output.contains(u"eligible for deletion"_s), qPrintable(output));
    QVERIFY2(output.contains(image.config.digest), qPrintable(output));
    QVERIFY2(output.contains(image.layers.last().digest), qPrintable(output));
    // The shared base layer is still referenced and must not be listed.
    QVERIFY2(!output.contains(u"blob eligible for deletion: "_s + image.layers.first().digest),
             qPrintable(output));
}

void TestSupport::restartKeepsDataOnSamePort()
{
    QVERIFY(m_pushed);
    const quint16 port = m_registry->port();
    QString error;
    QVERIFY2(m_registry->restart(&error), qPrintable(error));
    QVERIFY(m_registry->isRunning());
    QCOMPARE(m_registry->port(), port);
    const SampleImages::Tag *multi = m_samples.find(u"sample/multi"_s, u"2.0"_s);
    QByteArray raw;
    QVERIFY2(Skopeo::inspectRaw(m_registry->dockerReference(multi->reference()),
                                m_registry->skopeoOptions(), &raw, &error),
             qPrintable(error));
    QCOMPARE(sha256Of(raw), multi->top.digest);

    m_registry->stop();
    QVERIFY(!m_registry->isRunning());
    const HttpAnswer down = http("GET", QUrl(m_registry->url() + u"/v2/"_s));
    QCOMPARE(down.status, 0);
    QVERIFY(m_registry->restart(&error));
    QCOMPARE(http("GET", QUrl(m_registry->url() + u"/v2/"_s)).status, 200);
}

void TestSupport::deleteDisabledRefusesDelete()
{
    RegistryOptions options;
    options.deleteEnabled = false;
    TestRegistry registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    const SampleImages::Tag *app = m_samples.find(u"sample/app"_s, u"1.0"_s);
    QVERIFY2(ImagePusher::push(m_samples.layout(), app->top,
                               registry.dockerReference(app->reference()), registry.skopeoOptions(),
                               &error),
             qPrintable(error));
    QVERIFY(!Skopeo::deleteImage(registry.dockerReference(app->reference()),
                                 registry.skopeoOptions(), &error));
    qInfo("skopeo delete with delete disabled: %s", qPrintable(error.section(u'\n', 1, 1)));
    QVERIFY2(error.contains(u"405"_s) || error.contains(u"unsupported"_s, Qt::CaseInsensitive),
             qPrintable(error));
    const HttpAnswer direct =
        http("DELETE", QUrl(registry.url() + u"/v2/sample/app/manifests/"_s + app->top.digest));
    QCOMPARE(direct.status, 405);
    QVERIFY(direct.body.contains("UNSUPPORTED"));
    QByteArray raw;
    QVERIFY(Skopeo::inspectRaw(registry.dockerReference(app->reference()), registry.skopeoOptions(),
                               &raw, &error));
    QCOMPARE(sha256Of(raw), app->top.digest);
}

void TestSupport::readOnlyModeServesButRefusesWrites()
{
    QTemporaryDir storage;
    const SampleImages::Tag *app = m_samples.find(u"sample/app"_s, u"1.0"_s);
    QString error;
    {
        RegistryOptions writable;
        writable.storageDir = storage.path();
        TestRegistry registry(writable);
        QVERIFY2(registry.start(&error), qPrintable(error));
        QCOMPARE(registry.storageDir(), storage.path());
        QVERIFY2(ImagePusher::push(m_samples.layout(), app->top,
                                   registry.dockerReference(app->reference()),
                                   registry.skopeoOptions(), &error),
                 qPrintable(error));
    }
    RegistryOptions readOnly;
    readOnly.storageDir = storage.path();
    readOnly.readOnly = true;
    TestRegistry registry(readOnly);
    QVERIFY2(registry.start(&error), qPrintable(error));
    QByteArray raw;
    QVERIFY2(Skopeo::inspectRaw(registry.dockerReference(app->reference()),
                                registry.skopeoOptions(), &raw, &error),
             qPrintable(error));
    QCOMPARE(sha256Of(raw), app->top.digest);
    const HttpAnswer del =
        http("DELETE", QUrl(registry.url() + u"/v2/sample/app/manifests/"_s + app->top.digest));
    QCOMPARE(del.status, 405);
    QVERIFY(!Skopeo::deleteImage(registry.dockerReference(app->reference()),
                                 registry.skopeoOptions(), &error));
    const SampleImages::Tag *docker = m_samples.find(u"sample/docker"_s, u"1.0"_s);
    QVERIFY(!ImagePusher::push(m_samples.layout(), docker->top,
                               registry.dockerReference(docker->reference()),
                               registry.skopeoOptions(), &error));
    qInfo("push to a read-only registry: %s", qPrintable(error.section(u'\n', 1, 1)));
}

void TestSupport::basicAuthAcceptsOnlyRightCredentials()
{
    RegistryOptions options;
    options.username = u"alice"_s;
    options.password = u"s3cret-Pa55"_s;
    TestRegistry registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    const HttpAnswer ping = http("GET", QUrl(registry.url() + u"/v2/"_s));
    QCOMPARE(ping.status, 401);
    QVERIFY(ping.header("WWW-Authenticate").startsWith("Basic realm="));

    const SampleImages::Tag *app = m_samples.find(u"sample/app"_s, u"1.0"_s);
    SkopeoOptions wrong = registry.skopeoOptions();
    wrong.password = u"not-the-Pa55word"_s;
    QVERIFY(!ImagePusher::push(m_samples.layout(), app->top,
                               registry.dockerReference(app->reference()), wrong, &error));
    QVERIFY2(error.contains(u"unauthorized"_s, Qt::CaseInsensitive) ||
                 error.contains(u"authentication required"_s),
             qPrintable(error));
    QVERIFY2(!error.contains(wrong.password), qPrintable(error));
    QVERIFY2(error.contains(u"--dest-creds ***"_s), qPrintable(error));

    SkopeoOptions anonymous = registry.skopeoOptions();
    anonymous.username.clear();
    anonymous.password.clear();
    QVERIFY(!ImagePusher::push(m_samples.layout(), app->top,
                               registry.dockerReference(app->reference()), anonymous, &error));

    QVERIFY2(ImagePusher::push(m_samples.layout(), app->top,
                               registry.dockerReference(app->reference()), registry.skopeoOptions(),
                               &error),
             qPrintable(error));
    QByteArray raw;
    QVERIFY2(Skopeo::inspectRaw(registry.dockerReference(app->reference()),
                                registry.skopeoOptions(), &raw, &error),
             qPrintable(error));
    QCOMPARE(sha256Of(raw), app->top.digest);
    QVERIFY(!Skopeo::inspectRaw(registry.dockerReference(app->reference()), wrong, &raw, &error));
    QVERIFY(!error.contains(wrong.password));
    QVERIFY(!registry.processOutput().contains(options.password));
}

void TestSupport::tlsWithGeneratedCertificates()
{
    TestCertificates certificates;
    QString error;
    QVERIFY2(certificates.generate(&error), qPrintable(error));
    QVERIFY(QFile::exists(certificates.caCertDir() + u"/ca.crt"_s));
    const QList<QSslCertificate> ca =
        QSslCertificate::fromPath(certificates.caCertificatePath(), QSsl::Pem);
    QCOMPARE(ca.size(), 1);
    const QList<QSslCertificate> server =
        QSslCertificate::fromPath(certificates.serverCertificatePath(), QSsl::Pem);
    QCOMPARE(server.size(), 1);
    QVERIFY(server.first().expiryDate() > QDateTime::currentDateTimeUtc());
    QCOMPARE(server.first().issuerInfo(QSslCertificate::CommonName),
             ca.first().subjectInfo(QSslCertificate::CommonName));
    const QList<QSslCertificate> expired =
        QSslCertificate::fromPath(certificates.expiredCertificatePath(), QSsl::Pem);
    QCOMPARE(expired.size(), 1);
    QVERIFY(expired.first().expiryDate() < QDateTime::currentDateTimeUtc());

    RegistryOptions options;
    options.tlsCertificate = certificates.serverCertificatePath();
    options.tlsKey = certificates.serverKeyPath();
    TestRegistry registry(options);
    QVERIFY2(registry.start(&error), qPrintable(error));
    QVERIFY(registry.url().startsWith(u"https://127.0.0.1:"_s));

    // Qt trusts it once the test CA is added, with no SSL errors at all.
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(ca);
    const HttpAnswer trusted = http("GET", QUrl(registry.url() + u"/v2/"_s), {}, &tls);
    QCOMPARE(trusted.status, 200);
    QVERIFY(trusted.sslErrors.isEmpty());
    const HttpAnswer untrusted = http("GET", QUrl(registry.url() + u"/v2/"_s));
    QCOMPARE(untrusted.status, 0);
    QVERIFY(!untrusted.sslErrors.isEmpty());

    const SampleImages::Tag *multi = m_samples.find(u"sample/multi"_s, u"2.0"_s);
    SkopeoOptions insecure = registry.skopeoOptions();
    QVERIFY2(ImagePusher::push(m_samples.layout(), multi->top,
                               registry.dockerReference(multi->reference()), insecure, &error),
             qPrintable(error));
    SkopeoOptions verified;
    verified.tlsVerify = true;
    verified.certDir = certificates.caCertDir();
    QByteArray raw;
    QVERIFY2(
        Skopeo::inspectRaw(registry.dockerReference(multi->reference()), verified, &raw, &error),
        qPrintable(error));
    QCOMPARE(sha256Of(raw), multi->top.digest);
    SkopeoOptions noCa;
    noCa.tlsVerify = true;
    QVERIFY(!Skopeo::inspectRaw(registry.dockerReference(multi->reference()), noCa, &raw, &error));
    QVERIFY2(error.contains(u"certificate"_s), qPrintable(error));

    // The expired certificate is served as is; verification must fail because of the date.
    RegistryOptions expiredOptions;
    expiredOptions.tlsCertificate = certificates.expiredCertificatePath();
    expiredOptions.tlsKey = certificates.expiredKeyPath();
    TestRegistry expiredRegistry(expiredOptions);
    QVERIFY2(expiredRegistry.start(&error), qPrintable(error));
    QVERIFY(!Skopeo::inspectRaw(expiredRegistry.dockerReference(multi->reference()), verified, &raw,
                                &error));
    QVERIFY2(error.contains(u"expired"_s), qPrintable(error));
    const HttpAnswer qtExpired = http("GET", QUrl(expiredRegistry.url() + u"/v2/"_s), {}, &tls);
    bool sawExpired = false;
    for (const QSslError &sslError : qtExpired.sslErrors)
        sawExpired = sawExpired || sslError.error() == QSslError::CertificateExpired;
    QVERIFY(sawExpired);
}

void TestSupport::tokenAuthConfigIsApplied()
{
    TestCertificates certificates;
    QString error;
    QVERIFY2(certificates.generate(&error), qPrintable(error));
    RegistryOptions options;
    options.tokenRealm = u"http://127.0.0.1:1/token"_s;
    options.tokenService = u"wharf-test-registry"_s;
    options.tokenIssuer = u"wharf-test-issuer"_s;
    options.tokenRootCertBundle = certificates.caCertificatePath();
    TestRegistry registry(options);
    QVERIFY2(registry.start(&error), qPrintable(error));
    const HttpAnswer ping = http("GET", QUrl(registry.url() + u"/v2/"_s));
    QCOMPARE(ping.status, 401);
    const QByteArray challenge = ping.header("WWW-Authenticate");
    QVERIFY2(challenge.startsWith("Bearer "), challenge.constData());
    QVERIFY2(challenge.contains("realm=\"http://127.0.0.1:1/token\""), challenge.constData());
    QVERIFY2(challenge.contains("service=\"wharf-test-registry\""), challenge.constData());

    RegistryOptions both = options;
    both.username = u"x"_s;
    both.password = u"y"_s;
    TestRegistry invalid(both);
    QVERIFY(!invalid.start(&error));
    QVERIFY2(error.contains(u"exclusive"_s), qPrintable(error));
}

void TestSupport::startFailureReportsRegistryOutput()
{
    RegistryOptions options;
    options.tlsCertificate = u"/nonexistent/wharf/cert.pem"_s;
    options.tlsKey = u"/nonexistent/wharf/key.pem"_s;
    options.startTimeoutMs = 10000;
    TestRegistry registry(options);
    QString error;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!registry.start(&error));
    QVERIFY(!registry.isRunning());
    QVERIFY2(error.contains(u"docker-registry exited"_s), qPrintable(error));
    QVERIFY2(error.contains(u"/nonexistent/wharf/cert.pem"_s), qPrintable(error));
    QVERIFY2(error.contains(u"no such file"_s, Qt::CaseInsensitive), qPrintable(error));
    // Fails as soon as the process dies, not after the whole start timeout.
    QVERIFY(clock.elapsed() < 8000);

    // A port somebody else holds makes start() move on to another one.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    RegistryOptions plain;
    plain.port = squatter.serverPort();
    plain.extraYaml = {u"# extra lines end up verbatim in config.yml"_s};
    TestRegistry other(plain);
    QVERIFY2(other.start(&error), qPrintable(error));
    QVERIFY(other.port() != squatter.serverPort());
    QVERIFY2(other.processOutput().contains(u"address already in use"_s),
             qPrintable(other.processOutput()));
    QFile config(other.configPath());
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray yaml = config.readAll();
    QVERIFY(yaml.contains("# extra lines end up verbatim in config.yml"));
    const QByteArray addr = "addr: 127.0.0.1:" + QByteArray::number(other.port());
    QVERIFY(yaml.contains(addr));
}

void TestSupport::seedManyRepositoriesForCatalogPaging()
{
    TestRegistry registry;
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    constexpr int Count = 260;
    const QString prefix = u"many/repo-"_s;
    qint64 elapsed = 0;
    QVERIFY2(SampleImages::seedManyRepositories(registry, Count, prefix, &error,
                                                SampleImages::SeedMethod::SkopeoThenMount, 4,
                                                &elapsed),
             qPrintable(error));
    qInfo("seeded %d repositories (skopeo + blob mounts) in %.2f s", Count,
          double(elapsed) / 1000.0);

    // Walk the catalog with the registry's own pagination (Link rel="next").
    QStringList names;
    QString next = u"/v2/_catalog?n=100"_s;
    int pages = 0;
    while (!next.isEmpty() && pages < 20) {
        const HttpAnswer page = http("GET", QUrl(registry.url() + next));
        QCOMPARE(page.status, 200);
        const QJsonArray repositories = jsonObject(page.body).value(u"repositories"_s).toArray();
        for (const QJsonValue &value : repositories)
            names << value.toString();
        const QRegularExpression link(uR"(<([^>]+)>;\s*rel="next")"_s);
        const auto match = link.match(QString::fromLatin1(page.header("Link")));
        next = match.hasMatch() ? match.captured(1) : QString();
        ++pages;
    }
    QCOMPARE(pages, 3);
    QCOMPARE(names.size(), Count);
    QCOMPARE(names.first(), SampleImages::manyRepositoryName(prefix, 0));
    QCOMPARE(names.last(), u"many/repo-0259"_s);

    // Every repository really holds the image, with blobs linked into it (not just a tag).
    const QString digest = SampleImages::manyRepositoryDigest();
    for (const int i : {0, 1, 130, Count - 1}) {
        const QString name = SampleImages::manyRepositoryName(prefix, i);
        QByteArray raw;
        QVERIFY2(Skopeo::inspectRaw(registry.dockerReference(name + u":latest"_s),
                                    registry.skopeoOptions(), &raw, &error),
                 qPrintable(error));
        QCOMPARE(sha256Of(raw), digest);
        const QString layer = jsonObject(raw)
                                  .value(u"layers"_s)
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(u"digest"_s)
                                  .toString();
        QCOMPARE(
            http("HEAD", QUrl(registry.url() + u"/v2/"_s + name + u"/blobs/"_s + layer)).status,
            200);
    }

    // The all-skopeo method gives the same result (a few repositories: it is the slow one).
    QVERIFY2(SampleImages::seedManyRepositories(registry, 8, u"each/repo-"_s, &error,
                                                SampleImages::SeedMethod::SkopeoEach, 4, &elapsed),
             qPrintable(error));
    qInfo("seeded 8 repositories (one skopeo each, 4 parallel) in %.2f s",
          double(elapsed) / 1000.0);
    QByteArray raw;
    QVERIFY(Skopeo::inspectRaw(registry.dockerReference(u"each/repo-0007:latest"_s),
                               registry.skopeoOptions(), &raw, &error));
    QCOMPARE(sha256Of(raw), digest);
}

void TestSupport::seedManyRepositoriesWithBasicAuth()
{
    RegistryOptions options;
    options.username = u"seeder"_s;
    options.password = u"seed-Pa55"_s;
    TestRegistry registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    QVERIFY2(SampleImages::seedManyRepositories(registry, 5, u"auth/repo-"_s, &error),
             qPrintable(error));
    QStringList tags;
    QVERIFY2(Skopeo::listTags(registry.dockerReference(u"auth/repo-0004"_s),
                              registry.skopeoOptions(), &tags, &error),
             qPrintable(error));
    QCOMPARE(tags, QStringList{u"latest"_s});
}

void TestSupport::cleanupTestCase()
{
    if (m_registry)
        m_registry->stop();
}

QTEST_GUILESS_MAIN(TestSupport)
#include "tst_support.moc"
