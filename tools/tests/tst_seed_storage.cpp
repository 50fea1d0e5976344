// Seeds a small storage tree with the built wharf-seed-storage, serves it with a real
// docker-registry (CNCF distribution 2.8) and checks it with independent clients: curl for
// catalog paging, skopeo for manifests and a full `copy --all` that verifies every blob digest,
// Qt for walking every manifest, sizing every blob and deleting.

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <archive.h>
#include <archive_entry.h>
#include <sys/prctl.h>

#include <csignal>

#include <map>

using namespace Qt::StringLiterals;

namespace {

constexpr int Repos = 30;
constexpr int Tags = 3;
constexpr int Platforms = 2;

const QByteArray AcceptAll = "application/vnd.oci.image.index.v1+json, "
                             "application/vnd.oci.image.manifest.v1+json, "
                             "application/vnd.docker.distribution.manifest.list.v2+json, "
                             "application/vnd.docker.distribution.manifest.v2+json";

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         int timeoutMs = 120000)
{
    QProcess process;
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished();
        result.err = "did not finish: " + process.readAllStandardError();
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QByteArray sha256Digest(const QByteArray &data)
{
    return "sha256:"_ba + QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lower-case names
};

QString repoName(int index)
{
    return u"bench/app-%1"_s.arg(index, 3, 10, QLatin1Char('0'));
}

// Headers of a `curl -i` answer, lower-case names.
QMap<QByteArray, QByteArray> curlHeaders(const QByteArray &response, QByteArray *body)
{
    QMap<QByteArray, QByteArray> headers;
    const qsizetype end = response.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = response.left(end).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.insert(line.left(colon).toLower(), line.mid(colon + 1).trimmed());
    }
    if (body)
        *body = end < 0 ? QByteArray() : response.mid(end + 4);
    return headers;
}

// Lists a layer (gzip'ed tar) with libarchive; returns entry name -> content, or fails.
bool readLayer(const QByteArray &blob, std::map<QByteArray, QByteArray> *entries,
               QByteArray *uncompressed)
{
    archive *reader = archive_read_new();
    archive_read_support_filter_gzip(reader);
    archive_read_support_format_tar(reader);
    bool ok = archive_read_open_memory(reader, blob.constData(),
                                       static_cast<size_t>(blob.size())) == ARCHIVE_OK;
    archive_entry *entry = nullptr;
    while (ok) {
        const int rc = archive_read_next_header(reader, &entry);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc != ARCHIVE_OK) {
            ok = false;
            break;
        }
        QByteArray content(static_cast<qsizetype>(archive_entry_size(entry)), Qt::Uninitialized);
        if (archive_read_data(reader, content.data(), static_cast<size_t>(content.size())) !=
            content.size())
            ok = false;
        entries->emplace(QByteArray(archive_entry_pathname(entry)), content);
    }
    archive_read_free(reader);
    if (!ok)
        return false;
    // Recompute the uncompressed stream separately: libarchive hides the raw tar bytes.
    archive *raw = archive_read_new();
    archive_read_support_filter_gzip(raw);
    archive_read_support_format_raw(raw);
    ok = archive_read_open_memory(raw, blob.constData(), static_cast<size_t>(blob.size())) ==
             ARCHIVE_OK &&
         archive_read_next_header(raw, &entry) == ARCHIVE_OK;
    char buffer[65536];
    la_ssize_t got = 0;
    while (ok && (got = archive_read_data(raw, buffer, sizeof buffer)) > 0)
        uncompressed->append(buffer, got);
    ok = ok && got == 0;
    archive_read_free(raw);
    return ok;
}

} // namespace

class TestSeedStorage : public QObject
{
    Q_OBJECT

private:
    HttpResult http(const QByteArray &verb, const QString &path, bool acceptManifests = true);
    ProcessResult curl(const QStringList &arguments);
    QString base() const { return u"http://127.0.0.1:%1"_s.arg(m_port); }
    QJsonObject seed(const QString &root, const QStringList &extra);

    QTemporaryDir m_dir;
    QJsonObject m_summary;
    QProcess m_registry;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void summaryCountsMatchTheOptions();
    void catalogPagesThroughEveryRepository();
    void tagsListNamesEveryTag();
    void skopeoInspectsTheIndex();
    void manifestsByDigestAnswerGetAndHead();
    void skopeoCopyAllPullsAndVerifiesEveryBlob();
    void everyBlobIsServedAndUniqueBytesAddUp();
    void deleteByDigestRemovesTheTag();
    void seedingIsDeterministic();
    void rejectsAnInvalidPrefix();
};

QJsonObject TestSeedStorage::seed(const QString &root, const QStringList &extra)
{
    const ProcessResult result =
        runProcess(QStringLiteral(WHARF_SEED_STORAGE_EXE), QStringList{u"--root"_s, root} + extra);
    if (result.exitCode != 0) {
        qWarning("seeder failed: %s", result.err.constData());
        return {};
    }
    return QJsonDocument::fromJson(result.out).object();
}

HttpResult TestSeedStorage::http(const QByteArray &verb, const QString &path, bool acceptManifests)
{
    QNetworkRequest request(QUrl(base() + path));
    if (acceptManifests)
        request.setRawHeader("Accept", AcceptAll);
    // HEAD must go through head(): as a custom verb QNAM would wait for a body of
    // Content-Length bytes.
    QNetworkReply *reply = verb == "HEAD"  ? m_network.head(request)
                           : verb == "GET" ? m_network.get(request)
                                           : m_network.sendCustomRequest(request, verb);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return result;
}

ProcessResult TestSeedStorage::curl(const QStringList &arguments)
{
    return runProcess(u"curl"_s, QStringList{u"-sS"_s, u"-i"_s} + arguments);
}

void TestSeedStorage::initTestCase()
{
    for (const QString &tool : {u"docker-registry"_s, u"skopeo"_s, u"curl"_s}) {
        QVERIFY2(!QStandardPaths::findExecutable(tool).isEmpty(),
                 qPrintable(tool + u" is required (see docs/testing.md)"_s));
    }
    QVERIFY(m_dir.isValid());
    const QString root = m_dir.filePath(u"data"_s);
    m_summary =
        seed(root, {u"--repos"_s, QString::number(Repos), u"--tags"_s, QString::number(Tags),
                    u"--platforms"_s, QString::number(Platforms), u"--layers"_s, u"2"_s,
                    u"--shared-base"_s, u"--prefix"_s, u"bench/app"_s, u"--jobs"_s, u"2"_s});
    QVERIFY(!m_summary.isEmpty());

    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_port = probe.serverPort();
    }
    const QString config = m_dir.filePath(u"config.yml"_s);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(u"version: 0.1\n"
               "log: { level: warn }\n"
               "storage:\n"
               "  filesystem: { rootdirectory: %1 }\n"
               "  delete: { enabled: true }\n"
               "http: { addr: 127.0.0.1:%2 }\n"_s.arg(root)
                   .arg(m_port)
                   .toUtf8());
    file.close();
    // The registry logs every 4xx at error level; its output is shown only for a failed test.
    m_registry.setProcessChannelMode(QProcess::MergedChannels);
    // Should this test crash, the registry goes with it instead of holding the port and the
    // caller's output pipe.
    m_registry.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_registry.start(u"docker-registry"_s, {u"serve"_s, config});
    QVERIFY(m_registry.waitForStarted(10000));
    QElapsedTimer timer;
    timer.start();
    int status = 0;
    while (timer.elapsed() < 15000) {
        status = http("GET", u"/v2/"_s, false).status;
        if (status == 200)
            break;
        QTest::qWait(100);
    }
    QCOMPARE(status, 200);
}

void TestSeedStorage::cleanupTestCase()
{
    QElapsedTimer timer;
    timer.start();
    if (m_registry.state() != QProcess::NotRunning) {
        m_registry.terminate();
        if (!m_registry.waitForFinished(5000)) {
            m_registry.kill();
            m_registry.waitForFinished();
        }
    }
    qInfo("registry stopped in %lld ms", static_cast<long long>(timer.elapsed()));
}

void TestSeedStorage::cleanup()
{
    const QByteArray log = m_registry.readAll();
    if (QTest::currentTestFailed() && !log.isEmpty())
        qInfo("registry log:\n%s", log.constData());
}

void TestSeedStorage::summaryCountsMatchTheOptions()
{
    QCOMPARE(m_summary.value(u"repositories"_s).toInteger(), Repos);
    QCOMPARE(m_summary.value(u"tags"_s).toInteger(), Repos * Tags);
    QCOMPARE(m_summary.value(u"manifests"_s).toInteger(), Repos * Tags * (1 + Platforms));
    // One shared base per platform, then a config and an app layer per tag and platform.
    QCOMPARE(m_summary.value(u"blobs"_s).toInteger(), Platforms + Repos * Tags * Platforms * 2);
    QVERIFY(m_summary.value(u"uniqueBytes"_s).toInteger() > 0);
    QVERIFY(m_summary.contains(u"seconds"_s));
}

void TestSeedStorage::catalogPagesThroughEveryRepository()
{
    QStringList expected;
    for (int i = 0; i < Repos; ++i)
        expected << repoName(i);

    // Unasked, 2.8 answers up to 100 names in one page and no Link.
    QByteArray body;
    ProcessResult whole = curl({base() + u"/v2/_catalog"_s});
    QCOMPARE(whole.exitCode, 0);
    auto headers = curlHeaders(whole.out, &body);
    QVERIFY(!headers.contains("link"));
    QStringList all;
    for (const QJsonValue &name :
         QJsonDocument::fromJson(body).object().value(u"repositories"_s).toArray())
        all << name.toString();
    QCOMPARE(all, expected);

    // n=7: follow rel="next" links until there are none.
    QStringList paged;
    QString next = u"/v2/_catalog?n=7"_s;
    int pages = 0;
    static const QRegularExpression linkPattern(u"<([^>]+)>;\\s*rel=\"next\""_s);
    while (!next.isEmpty() && pages < 20) {
        const ProcessResult page = curl({base() + next});
        QCOMPARE(page.exitCode, 0);
        headers = curlHeaders(page.out, &body);
        const QJsonArray names =
            QJsonDocument::fromJson(body).object().value(u"repositories"_s).toArray();
        QVERIFY(names.size() <= 7);
        for (const QJsonValue &name : names)
            paged << name.toString();
        ++pages;
        const auto match = linkPattern.match(QString::fromUtf8(headers.value("link")));
        next = match.hasMatch() ? match.captured(1) : QString();
    }
    QCOMPARE(paged, expected);
    QCOMPARE(pages, (Repos + 6) / 7);
}

void TestSeedStorage::tagsListNamesEveryTag()
{
    for (int r : {0, Repos - 1}) {
        const HttpResult result = http("GET", u"/v2/"_s + repoName(r) + u"/tags/list"_s);
        QCOMPARE(result.status, 200);
        const QJsonObject object = QJsonDocument::fromJson(result.body).object();
        QCOMPARE(object.value(u"name"_s).toString(), repoName(r));
        QStringList tags;
        for (const QJsonValue &tag : object.value(u"tags"_s).toArray())
            tags << tag.toString();
        tags.sort();
        QCOMPARE(tags, (QStringList{u"1.0.0"_s, u"1.1.0"_s, u"1.2.0"_s}));
    }
}

void TestSeedStorage::skopeoInspectsTheIndex()
{
    const QString repo = repoName(7);
    const ProcessResult raw =
        runProcess(u"skopeo"_s, {u"inspect"_s, u"--raw"_s, u"--tls-verify=false"_s,
                                 u"docker://127.0.0.1:%1/%2:1.1.0"_s.arg(m_port).arg(repo)});
    QVERIFY2(raw.exitCode == 0, raw.err.constData());
    const QJsonObject index = QJsonDocument::fromJson(raw.out).object();
    QCOMPARE(index.value(u"mediaType"_s).toString(), u"application/vnd.oci.image.index.v1+json"_s);
    const QJsonArray manifests = index.value(u"manifests"_s).toArray();
    QCOMPARE(manifests.size(), Platforms);
    QCOMPARE(
        manifests[0].toObject().value(u"platform"_s).toObject().value(u"architecture"_s).toString(),
        u"amd64"_s);
    QCOMPARE(
        manifests[1].toObject().value(u"platform"_s).toObject().value(u"architecture"_s).toString(),
        u"arm64"_s);

    // HEAD by tag names the digest of exactly these bytes.
    const HttpResult head = http("HEAD", u"/v2/%1/manifests/1.1.0"_s.arg(repo));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.headers.value("docker-content-digest"), sha256Digest(raw.out));
    QCOMPARE(head.headers.value("content-type"), "application/vnd.oci.image.index.v1+json");
    QCOMPARE(head.headers.value("content-length").toLongLong(), raw.out.size());

    // Each tag has its own index.
    QSet<QByteArray> digests;
    for (int t = 0; t < Tags; ++t)
        digests.insert(http("HEAD", u"/v2/%1/manifests/1.%2.0"_s.arg(repo).arg(t))
                           .headers.value("docker-content-digest"));
    QCOMPARE(digests.size(), Tags);
}

void TestSeedStorage::manifestsByDigestAnswerGetAndHead()
{
    const QString repo = repoName(3);
    const HttpResult index = http("GET", u"/v2/%1/manifests/1.0.0"_s.arg(repo));
    QCOMPARE(index.status, 200);
    const QByteArray indexDigest = sha256Digest(index.body);
    QCOMPARE(http("GET", u"/v2/%1/manifests/%2"_s.arg(repo, QString::fromLatin1(indexDigest))).body,
             index.body);
    for (const QJsonValue &entry :
         QJsonDocument::fromJson(index.body).object().value(u"manifests"_s).toArray()) {
        const QString digest = entry.toObject().value(u"digest"_s).toString();
        const HttpResult get = http("GET", u"/v2/%1/manifests/%2"_s.arg(repo, digest));
        QCOMPARE(get.status, 200);
        QCOMPARE(QString::fromLatin1(sha256Digest(get.body)), digest);
        QCOMPARE(get.body.size(), entry.toObject().value(u"size"_s).toInteger());
        QCOMPARE(get.headers.value("content-type"), "application/vnd.oci.image.manifest.v1+json");
        const HttpResult head = http("HEAD", u"/v2/%1/manifests/%2"_s.arg(repo, digest));
        QCOMPARE(head.status, 200);
        QCOMPARE(QString::fromLatin1(head.headers.value("docker-content-digest")), digest);
        // A manifest of another repository is not served from this one.
        QCOMPARE(http("HEAD", u"/v2/%1/manifests/%2"_s.arg(repoName(4), digest)).status, 404);
    }
}

void TestSeedStorage::skopeoCopyAllPullsAndVerifiesEveryBlob()
{
    const QString repo = repoName(12);
    const QString layout = m_dir.filePath(u"pulled"_s);
    const ProcessResult copy =
        runProcess(u"skopeo"_s, {u"copy"_s, u"--all"_s, u"--src-tls-verify=false"_s,
                                 u"docker://127.0.0.1:%1/%2:1.2.0"_s.arg(m_port).arg(repo),
                                 u"oci:"_s + layout + u":1.2.0"_s});
    QVERIFY2(copy.exitCode == 0, copy.err.constData());

    auto readBlob = [&](const QString &digest) {
        QFile blob(layout + u"/blobs/sha256/"_s + digest.mid(7));
        return blob.open(QIODevice::ReadOnly) ? blob.readAll() : QByteArray();
    };
    QFile indexFile(layout + u"/index.json"_s);
    QVERIFY(indexFile.open(QIODevice::ReadOnly));
    const QJsonArray top =
        QJsonDocument::fromJson(indexFile.readAll()).object().value(u"manifests"_s).toArray();
    QCOMPARE(top.size(), 1);
    const QString indexDigest = top[0].toObject().value(u"digest"_s).toString();
    QCOMPARE(QString::fromLatin1(http("HEAD", u"/v2/%1/manifests/1.2.0"_s.arg(repo))
                                     .headers.value("docker-content-digest")),
             indexDigest);

    const QJsonArray children =
        QJsonDocument::fromJson(readBlob(indexDigest)).object().value(u"manifests"_s).toArray();
    QCOMPARE(children.size(), Platforms);
    for (const QJsonValue &child : children) {
        const QJsonObject manifest =
            QJsonDocument::fromJson(readBlob(child.toObject().value(u"digest"_s).toString()))
                .object();
        const QString configDigest =
            manifest.value(u"config"_s).toObject().value(u"digest"_s).toString();
        const QByteArray configBytes = readBlob(configDigest);
        QCOMPARE(QString::fromLatin1(sha256Digest(configBytes)), configDigest);
        const QJsonObject config = QJsonDocument::fromJson(configBytes).object();
        QCOMPARE(
            config.value(u"architecture"_s).toString(),
            child.toObject().value(u"platform"_s).toObject().value(u"architecture"_s).toString());
        const QJsonArray diffIds =
            config.value(u"rootfs"_s).toObject().value(u"diff_ids"_s).toArray();
        const QJsonArray layers = manifest.value(u"layers"_s).toArray();
        QCOMPARE(layers.size(), 2);
        QCOMPARE(diffIds.size(), layers.size());
        for (qsizetype i = 0; i < layers.size(); ++i) {
            const QJsonObject layer = layers[i].toObject();
            const QByteArray blob = readBlob(layer.value(u"digest"_s).toString());
            QCOMPARE(blob.size(), layer.value(u"size"_s).toInteger());
            std::map<QByteArray, QByteArray> entries;
            QByteArray tar;
            QVERIFY2(readLayer(blob, &entries, &tar), "layer is not a gzip'ed tar");
            QCOMPARE(QString::fromLatin1(sha256Digest(tar)), diffIds[i].toString());
            QCOMPARE(entries.size(), std::size_t{2});
            const QByteArray directory = i == 0 ? "usr/share/wharf-base" : "app";
            QVERIFY(entries.count(directory + "/IDENTITY"));
            QCOMPARE(entries[directory + "/payload.bin"].size(), 512);
            if (i == 1) {
                QVERIFY(entries[directory + "/IDENTITY"].contains((repo + u":1.2.0"_s).toUtf8()));
            }
        }
    }
}

void TestSeedStorage::everyBlobIsServedAndUniqueBytesAddUp()
{
    QMap<QString, qint64> blobs; // digest -> size, over the whole registry
    QSet<QString> sharedBases;   // bottom layers, shared by every repository
    QString firstRepoOnly;
    int requests = 0;
    for (int r = 0; r < Repos; ++r) {
        const QString repo = repoName(r);
        QMap<QString, qint64> repoBlobs;
        for (int t = 0; t < Tags; ++t) {
            const HttpResult index = http("GET", u"/v2/%1/manifests/1.%2.0"_s.arg(repo).arg(t));
            QCOMPARE(index.status, 200);
            for (const QJsonValue &entry :
                 QJsonDocument::fromJson(index.body).object().value(u"manifests"_s).toArray()) {
                const HttpResult manifest =
                    http("GET", u"/v2/%1/manifests/%2"_s.arg(
                                    repo, entry.toObject().value(u"digest"_s).toString()));
                QCOMPARE(manifest.status, 200);
                const QJsonObject object = QJsonDocument::fromJson(manifest.body).object();
                QJsonArray descriptors = object.value(u"layers"_s).toArray();
                sharedBases.insert(descriptors.first().toObject().value(u"digest"_s).toString());
                descriptors.append(object.value(u"config"_s));
                for (const QJsonValue &d : descriptors)
                    repoBlobs.insert(d.toObject().value(u"digest"_s).toString(),
                                     d.toObject().value(u"size"_s).toInteger());
            }
        }
        if (r == 0) {
            // Any blob of repository 0 that is not a shared base layer.
            for (auto it = repoBlobs.cbegin(); it != repoBlobs.cend() && firstRepoOnly.isEmpty();
                 ++it) {
                if (!sharedBases.contains(it.key()))
                    firstRepoOnly = it.key();
            }
        }
        for (auto it = repoBlobs.cbegin(); it != repoBlobs.cend(); ++it) {
            const HttpResult head = http("HEAD", u"/v2/%1/blobs/%2"_s.arg(repo, it.key()), false);
            ++requests;
            QCOMPARE(head.status, 200);
            QCOMPARE(head.headers.value("content-length").toLongLong(), it.value());
            blobs.insert(it.key(), it.value());
        }
    }
    qint64 total = 0;
    for (qint64 size : std::as_const(blobs))
        total += size;
    qInfo("checked %d blob HEADs; %lld distinct blobs, %lld bytes", requests,
          static_cast<long long>(blobs.size()), static_cast<long long>(total));
    QCOMPARE(static_cast<qint64>(blobs.size()), m_summary.value(u"blobs"_s).toInteger());
    QCOMPARE(total, m_summary.value(u"uniqueBytes"_s).toInteger());

    // A blob linked only into one repository is not reachable through another.
    QCOMPARE(http("HEAD", u"/v2/%1/blobs/%2"_s.arg(repoName(1), firstRepoOnly), false).status, 404);
}

void TestSeedStorage::deleteByDigestRemovesTheTag()
{
    const QString repo = repoName(1);
    const HttpResult head = http("HEAD", u"/v2/%1/manifests/1.0.0"_s.arg(repo));
    QCOMPARE(head.status, 200);
    const QString digest = QString::fromLatin1(head.headers.value("docker-content-digest"));
    QVERIFY(digest.startsWith(u"sha256:"_s));

    QCOMPARE(http("DELETE", u"/v2/%1/manifests/1.0.0"_s.arg(repo)).status, 400); // by tag: no
    QCOMPARE(http("DELETE", u"/v2/%1/manifests/%2"_s.arg(repo, digest)).status, 202);
    QCOMPARE(http("GET", u"/v2/%1/manifests/1.0.0"_s.arg(repo)).status, 404);
    QCOMPARE(http("GET", u"/v2/%1/manifests/%2"_s.arg(repo, digest)).status, 404);
    QCOMPARE(http("DELETE", u"/v2/%1/manifests/%2"_s.arg(repo, digest)).status, 404);

    const HttpResult tags = http("GET", u"/v2/%1/tags/list"_s.arg(repo));
    QStringList remaining;
    for (const QJsonValue &tag :
         QJsonDocument::fromJson(tags.body).object().value(u"tags"_s).toArray())
        remaining << tag.toString();
    remaining.sort();
    QCOMPARE(remaining, (QStringList{u"1.1.0"_s, u"1.2.0"_s}));
    // Other tags still resolve.
    QCOMPARE(http("HEAD", u"/v2/%1/manifests/1.1.0"_s.arg(repo)).status, 200);
}

void TestSeedStorage::seedingIsDeterministic()
{
    // Different shape: no shared base, three platforms, three layers.
    // Also run with one and with two worker threads: the split must not change the output.
    const QStringList options{u"--repos"_s,     u"2"_s, u"--tags"_s,   u"2"_s,
                              u"--platforms"_s, u"3"_s, u"--layers"_s, u"3"_s};
    const QString first = m_dir.filePath(u"det-1"_s);
    const QString second = m_dir.filePath(u"det-2"_s);
    QJsonObject a = seed(first, options + QStringList{u"--jobs"_s, u"1"_s});
    QJsonObject b = seed(second, options + QStringList{u"--jobs"_s, u"2"_s});
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    a.remove(u"seconds"_s);
    b.remove(u"seconds"_s);
    QCOMPARE(a, b);
    QCOMPARE(a.value(u"manifests"_s).toInteger(), 2 * 2 * (1 + 3));
    // Per repository: 3 bases + 3 middles + (config + app layer) per tag and platform.
    QCOMPARE(a.value(u"blobs"_s).toInteger(), 2 * (3 + 3 + 2 * 3 * 2));

    auto tree = [](const QString &root) {
        QMap<QString, QByteArray> files;
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
                files.insert(path.mid(root.size()), file.readAll());
        }
        return files;
    };
    const auto firstTree = tree(first);
    QVERIFY(!firstTree.isEmpty());
    QCOMPARE(firstTree, tree(second));
}

void TestSeedStorage::rejectsAnInvalidPrefix()
{
    const ProcessResult result =
        runProcess(QStringLiteral(WHARF_SEED_STORAGE_EXE),
                   {u"--root"_s, m_dir.filePath(u"bad"_s), u"--prefix"_s, u"Bench/App"_s});
    QVERIFY(result.exitCode != 0);
    QVERIFY(result.err.contains("invalid repository name"));
    QVERIFY(!QDir(m_dir.filePath(u"bad"_s)).exists());
}

QTEST_GUILESS_MAIN(TestSeedStorage)
#include "tst_seed_storage.moc"
