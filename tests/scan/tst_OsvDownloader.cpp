// OsvDownloader against a small HTTP server written here (QTcpServer on 127.0.0.1) that
// serves a zip built at test time, honours Range/If-Range, sends x-goog-hash like Google Cloud
// Storage, and can cut a response midway, stall, or change the file between requests.

#include "scan/vuln/OsvDownloader.h"
#include "scan/vuln/ZipArchiveWriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

struct Request
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

// Serves one file at `path`; every response closes the connection.
class TestHttpServer : public QObject
{
public:
    QByteArray path = "/Ubuntu/all.zip";
    QByteArray body;
    QByteArray etag = "\"v1\"";
    bool sendMd5 = true;
    QByteArray md5Override; // announced instead of the real MD5 when set
    int cutAfterBytes = -1; // with cutsRemaining > 0: close after this many body bytes
    int cutsRemaining = 0;
    bool ignoreRange = false;
    bool stall = false; // read the request, never answer
    QList<Request> requests;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }

    QUrl mirror(const QString &prefix = QString()) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(prefix));
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        buffer.clear();
        Request request;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                       lines[i].mid(colon + 1).trimmed());
        }
        requests.append(request);
        if (stall)
            return;
        respond(socket, request);
    }

    void respond(QTcpSocket *socket, const Request &request)
    {
        auto send = [socket](const QByteArray &status, const QList<QByteArray> &headers,
                             const QByteArray &payload) {
            QByteArray head = "HTTP/1.1 " + status + "\r\nConnection: close\r\n";
            for (const QByteArray &header : headers)
                head += header + "\r\n";
            socket->write(head + "\r\n");
            socket->write(payload);
            socket->disconnectFromHost();
        };
        if (request.path != path) {
            send("404 Not Found", {"Content-Length: 9"}, "not found");
            return;
        }
        const QByteArray md5 = md5Override.isEmpty()
                                   ? QCryptographicHash::hash(body, QCryptographicHash::Md5)
                                   : md5Override;
        QList<QByteArray> headers{"Content-Type: application/zip", "ETag: " + etag,
                                  "Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT",
                                  "Accept-Ranges: bytes"};
        if (sendMd5) {
            // Google Cloud Storage sends the two hashes as separate headers.
            headers << "x-goog-hash: crc32c=AAAAAA=="
                    << "x-goog-hash: md5=" + md5.toBase64();
        }

        qint64 from = 0;
        const QByteArray range = request.headers.value("range");
        const QByteArray ifRange = request.headers.value("if-range");
        if (!ignoreRange && range.startsWith("bytes=") && range.endsWith('-') &&
            (ifRange.isEmpty() || ifRange == etag)) {
            from = range.mid(6, range.size() - 7).toLongLong();
            if (from >= body.size()) {
                send("416 Range Not Satisfiable",
                     {"Content-Range: bytes */" + QByteArray::number(body.size()),
                      "Content-Length: 0"},
                     {});
                return;
            }
        }
        QByteArray payload = body.mid(from);
        headers << "Content-Length: " + QByteArray::number(payload.size());
        QByteArray status = "200 OK";
        if (from > 0) {
            status = "206 Partial Content";
            headers << "Content-Range: bytes " + QByteArray::number(from) + '-' +
                           QByteArray::number(body.size() - 1) + '/' +
                           QByteArray::number(body.size());
        }
        if (cutsRemaining > 0 && cutAfterBytes >= 0) {
            --cutsRemaining;
            payload.truncate(cutAfterBytes);
        }
        send(status, headers, payload);
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return file.readAll();
}

// The 12 Ubuntu records, plus `extra` synthetic ones, as an all.zip.
QByteArray buildZip(const QString &directory, int extra = 0)
{
    const QString zipPath = QDir(directory).filePath(u"built-%1.zip"_s.arg(extra));
    ZipArchiveWriter writer;
    if (!writer.open(zipPath))
        qFatal("%s", qPrintable(writer.error()));
    const QDir data(QStringLiteral(WHARF_TEST_DATA_DIR "/osv/ubuntu"));
    for (const QString &name : data.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
        writer.addFile(name, readFile(data.filePath(name)));
    for (int i = 0; i < extra; ++i) {
        writer.addFile(
            u"EXTRA-%1.json"_s.arg(i),
            u"{\"id\":\"EXTRA-%1\",\"modified\":\"2025-01-01T00:00:00Z\"}"_s.arg(i).toUtf8());
    }
    if (!writer.close())
        qFatal("%s", qPrintable(writer.error()));
    return readFile(zipPath);
}

} // namespace

class TestOsvDownloader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_zip;
    QNetworkAccessManager m_network;
    int m_run = 0;

    struct Run
    {
        OsvDownloader::Result result;
        QList<OsvDownloader::State> states;
        qint64 lastReceived = -1;
        qint64 lastTotal = -1;
        qint64 importDone = -1;
    };

    // Waits for finished(); the downloader and its directory are given by the caller.
    static Run runOnce(OsvDownloader &downloader, const QString &ecosystem, const QString &database,
                       int timeoutMs = 30000)
    {
        Run run;
        bool finished = false;
        QObject context;
        connect(&downloader, &OsvDownloader::finished, &context,
                [&](const OsvDownloader::Result &result) {
                    run.result = result;
                    finished = true;
                });
        connect(&downloader, &OsvDownloader::stateChanged, &context,
                [&](OsvDownloader::State state) { run.states.append(state); });
        connect(&downloader, &OsvDownloader::downloadProgress, &context,
                [&](qint64 received, qint64 total) {
                    run.lastReceived = received;
                    run.lastTotal = total;
                });
        connect(&downloader, &OsvDownloader::importProgress, &context,
                [&](qint64 done, qint64) { run.importDone = done; });
        if (!downloader.start(ecosystem, database))
            qFatal("start() refused");
        if (!QTest::qWaitFor([&] { return finished; }, timeoutMs))
            qFatal("the download did not finish");
        return run;
    }

    QString freshDirectory() { return m_dir.filePath(u"run-%1"_s.arg(++m_run)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_zip = buildZip(m_dir.path());
        QVERIFY(m_zip.size() > 16000); // room for the cuts below
    }

    void downloadVerifyAndImport()
    {
        TestHttpServer server;
        server.path = "/mirror/Ubuntu/all.zip";
        server.body = m_zip;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror(u"/mirror"_s));
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const QString database = QDir(directory).filePath(u"osv.sqlite"_s);

        const Run run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QCOMPARE(run.result.httpStatus, 200);
        QCOMPARE(run.result.attempts, 1);
        QVERIFY(!run.result.resumed);
        QVERIFY(run.result.md5Verified);
        QCOMPARE(run.result.bytes, m_zip.size());
        QCOMPARE(run.result.url.path(), u"/mirror/Ubuntu/all.zip"_s);
        QCOMPARE(run.result.import.inserted, 12);
        QCOMPARE(run.states, (QList<OsvDownloader::State>{
                                 OsvDownloader::State::Downloading, OsvDownloader::State::Verifying,
                                 OsvDownloader::State::Importing, OsvDownloader::State::Idle}));
        QCOMPARE(run.lastReceived, m_zip.size());
        QCOMPARE(run.lastTotal, m_zip.size());
        QCOMPARE(run.importDone, 12);
        QVERIFY(!downloader.isRunning());

        // The verified zip replaced the part file; the database is usable on its own.
        QCOMPARE(run.result.zipPath, downloader.zipPathFor(u"Ubuntu"_s));
        QCOMPARE(readFile(run.result.zipPath), m_zip);
        QVERIFY(!QFileInfo::exists(downloader.partPathFor(u"Ubuntu"_s)));
        VulnerabilityDatabase db;
        QVERIFY(db.open(database));
        QCOMPARE(db.match(u"Ubuntu:22.04:LTS"_s, u"openssl"_s, u"3.0.2-0ubuntu1.20"_s).size(), 2);
        const auto status = db.status();
        QCOMPARE(status.sources.size(), 1);
        QCOMPARE(status.sources.first().name, u"Ubuntu"_s);
        QCOMPARE(status.sources.first().location, run.result.url.toDisplayString());

        QCOMPARE(server.requests.size(), 1);
        QCOMPARE(server.requests.first().headers.value("accept-encoding"), "identity");
        QVERIFY(!server.requests.first().headers.contains("range"));
    }

    void resumesAfterDroppedConnection()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.cutAfterBytes = 8000;
        server.cutsRemaining = 1;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setMaxRetries(0);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const QString database = QDir(directory).filePath(u"osv.sqlite"_s);

        // First attempt: the server hangs up after 8000 bytes; they stay on disk.
        Run run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY(!run.result.ok);
        QVERIFY2(run.result.error.contains(u"failed"_s), qPrintable(run.result.error));
        qInfo("first attempt: %s", qPrintable(run.result.error));
        QCOMPARE(QFileInfo(downloader.partPathFor(u"Ubuntu"_s)).size(), 8000);
        QVERIFY(!QFileInfo::exists(database)); // nothing was imported

        // Second attempt asks for the rest only, conditional on the same ETag.
        run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QVERIFY(run.result.resumed);
        QCOMPARE(run.result.httpStatus, 206);
        QVERIFY(run.result.md5Verified); // over the whole file, both halves
        QCOMPARE(readFile(run.result.zipPath), m_zip);
        QCOMPARE(run.result.import.inserted, 12);
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests[1].headers.value("range"), "bytes=8000-");
        QCOMPARE(server.requests[1].headers.value("if-range"), "\"v1\"");
    }

    void retriesResumeAutomatically()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.cutAfterBytes = 6000;
        server.cutsRemaining = 2;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setMaxRetries(3);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);

        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QCOMPARE(run.result.attempts, 3);
        QVERIFY(run.result.resumed);
        QCOMPARE(readFile(run.result.zipPath), m_zip);
        QCOMPARE(server.requests.size(), 3);
        QCOMPARE(server.requests[1].headers.value("range"), "bytes=6000-");
        QCOMPARE(server.requests[2].headers.value("range"), "bytes=12000-");
    }

    void changedFileStartsOver()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.cutAfterBytes = 8000;
        server.cutsRemaining = 1;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setMaxRetries(0);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const QString database = QDir(directory).filePath(u"osv.sqlite"_s);
        QVERIFY(!runOnce(downloader, u"Ubuntu"_s, database).result.ok);

        // The mirror publishes a new all.zip: If-Range no longer matches, so the server sends
        // the whole new file and the stale 8000 bytes must not be kept.
        const QByteArray newer = buildZip(m_dir.path(), 3);
        server.body = newer;
        server.etag = "\"v2\"";
        const Run run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QVERIFY(!run.result.resumed);
        QCOMPARE(run.result.httpStatus, 200);
        QCOMPARE(readFile(run.result.zipPath), newer);
        QCOMPARE(run.result.import.inserted, 15);
        QCOMPARE(server.requests[1].headers.value("if-range"), "\"v1\"");
    }

    void serverIgnoringRangeStartsOver()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.cutAfterBytes = 8000;
        server.cutsRemaining = 1;
        server.ignoreRange = true;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setMaxRetries(1);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QVERIFY(!run.result.resumed);
        QCOMPARE(run.result.attempts, 2);
        QCOMPARE(readFile(run.result.zipPath), m_zip); // not 8000 stale bytes + full body
    }

    void completePartIsNotDownloadedAgain()
    {
        TestHttpServer server;
        server.body = m_zip;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        // State left by a run that received every byte but stopped before verifying.
        const QString part = downloader.partPathFor(u"Ubuntu"_s);
        QVERIFY(QDir().mkpath(QFileInfo(part).path()));
        QFile file(part);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(m_zip);
        file.close();
        QFile info(part + u".json"_s);
        QVERIFY(info.open(QIODevice::WriteOnly));
        info.write(QJsonDocument(QJsonObject{{u"url"_s, downloader.urlFor(u"Ubuntu"_s).toString()},
                                             {u"etag"_s, u"\"v1\""_s}})
                       .toJson());
        info.close();

        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY2(run.result.ok, qPrintable(run.result.error));
        QCOMPARE(run.result.httpStatus, 416);
        QCOMPARE(run.result.import.inserted, 12);
        QCOMPARE(server.requests.first().headers.value("range"),
                 "bytes=" + QByteArray::number(m_zip.size()) + '-');
    }

    void unknownEcosystemIs404()
    {
        TestHttpServer server;
        server.body = m_zip;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const Run run =
            runOnce(downloader, u"Nope Linux"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY(!run.result.ok);
        QCOMPARE(run.result.httpStatus, 404);
        QVERIFY2(run.result.error.contains(u"no OSV data for ecosystem \"Nope Linux\""_s),
                 qPrintable(run.result.error));
        QCOMPARE(server.requests.first().path, "/Nope%20Linux/all.zip");
        QVERIFY(!QFileInfo::exists(downloader.partPathFor(u"Nope Linux"_s)));
    }

    void checksumMismatchIsRejected()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.md5Override = QCryptographicHash::hash("something else", QCryptographicHash::Md5);
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const QString database = QDir(directory).filePath(u"osv.sqlite"_s);
        const Run run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY(!run.result.ok);
        QVERIFY2(run.result.error.contains(u"checksum mismatch"_s), qPrintable(run.result.error));
        QVERIFY(!QFileInfo::exists(downloader.partPathFor(u"Ubuntu"_s)));
        QVERIFY(!QFileInfo::exists(downloader.zipPathFor(u"Ubuntu"_s)));
        QVERIFY(!QFileInfo::exists(database));
    }

    void notAZipIsRejected()
    {
        TestHttpServer server;
        server.body = QByteArray(5000, 'x');
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY(!run.result.ok);
        QVERIFY(run.result.md5Verified); // the transfer was fine, the content is not a zip
        QVERIFY2(run.result.error.contains(u"not a readable zip"_s), qPrintable(run.result.error));
    }

    void tooLargeIsRejected()
    {
        TestHttpServer server;
        server.body = m_zip;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setMaxBytes(10000);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY(!run.result.ok);
        QVERIFY2(run.result.error.contains(u"10000-byte limit"_s), qPrintable(run.result.error));
    }

    void stalledServerTimesOut()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.stall = true;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        downloader.setInactivityTimeout(300);
        downloader.setMaxRetries(1);
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        QElapsedTimer timer;
        timer.start();
        const Run run = runOnce(downloader, u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s));
        QVERIFY(!run.result.ok);
        QVERIFY2(run.result.error.contains(u"no data from"_s), qPrintable(run.result.error));
        QCOMPARE(run.result.attempts, 2); // one retry, then give up
        QVERIFY(timer.elapsed() < 10000);
    }

    void cancelDuringDownload()
    {
        TestHttpServer server;
        server.body = m_zip;
        server.stall = true;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        bool finished = false;
        OsvDownloader::Result result;
        connect(&downloader, &OsvDownloader::finished, this, [&](const OsvDownloader::Result &r) {
            result = r;
            finished = true;
        });
        QVERIFY(downloader.start(u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s)));
        QVERIFY(!downloader.start(u"Ubuntu"_s, QDir(directory).filePath(u"osv.sqlite"_s)));
        QTRY_COMPARE(server.requests.size(), 1);
        downloader.cancel();
        QTRY_VERIFY(finished);
        QVERIFY(!result.ok);
        QVERIFY(result.cancelled);
        QVERIFY(!downloader.isRunning());
    }

    void cancelDuringVerification()
    {
        TestHttpServer server;
        server.body = m_zip;
        QVERIFY(server.listen());
        OsvDownloader downloader(&m_network);
        downloader.setMirror(server.mirror());
        const QString directory = freshDirectory();
        downloader.setDownloadDirectory(directory);
        const QString database = QDir(directory).filePath(u"osv.sqlite"_s);
        // Cancelling as soon as the download is complete stops the pool-thread work.
        connect(&downloader, &OsvDownloader::stateChanged, &downloader,
                [&downloader](OsvDownloader::State state) {
                    if (state == OsvDownloader::State::Verifying)
                        downloader.cancel();
                });
        const Run run = runOnce(downloader, u"Ubuntu"_s, database);
        QVERIFY(!run.result.ok);
        QVERIFY(run.result.cancelled);
        QVERIFY(!QFileInfo::exists(database));
        // The complete download is kept as a part file for the next attempt.
        QCOMPARE(QFileInfo(downloader.partPathFor(u"Ubuntu"_s)).size(), m_zip.size());
    }

    void urls()
    {
        OsvDownloader downloader(&m_network);
        QCOMPARE(downloader.mirror(), OsvDownloader::defaultMirror());
        QCOMPARE(downloader.urlFor(u"Debian"_s).toString(),
                 u"https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip"_s);
        QCOMPARE(downloader.urlFor(u"Red Hat"_s).toEncoded(),
                 "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip");
        downloader.setMirror(QUrl(u"http://mirror.example/osv/"_s));
        QCOMPARE(downloader.urlFor(u"Alpine"_s).toString(),
                 u"http://mirror.example/osv/Alpine/all.zip"_s);
        QVERIFY(!downloader.start(u"../etc"_s, u"/tmp/x.sqlite"_s));
        QVERIFY(!downloader.start(QString(), u"/tmp/x.sqlite"_s));
        QVERIFY(!downloader.start(u".."_s, u"/tmp/x.sqlite"_s));
        QVERIFY(!downloader.start(u"a\\b"_s, u"/tmp/x.sqlite"_s));
        QVERIFY(!downloader.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestOsvDownloader)
#include "tst_OsvDownloader.moc"
