// `wharfctl scan` and `wharfctl db` as a process: a real registry with images built from the
// real Ubuntu dpkg status, a database imported from a zip of the real OSV records, exports
// checked field by field, and `db update` against a local mirror (an HTTP server on its own
// thread, since the test blocks while wharfctl runs).

#include "CommandRunner.h"
#include "ScanFixtures.h"
#include "TestRegistry.h"

#include "scan/service/ScanResultStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
namespace t = wharf::test;
using Fx = t::ScanFixtures;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// Serves one file at one path (HTTP/1.1, Connection: close), from a thread of its own.
class MirrorServer : public QObject
{
public:
    QByteArray path;
    QByteArray body;

    ~MirrorServer() override
    {
        m_thread.quit();
        m_thread.wait();
    }

    quint16 start()
    {
        moveToThread(&m_thread);
        m_thread.start();
        quint16 port = 0;
        QMetaObject::invokeMethod(
            this,
            [this, &port] {
                m_server = new QTcpServer(this);
                connect(m_server, &QTcpServer::newConnection, this, [this] {
                    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                        connect(socket, &QTcpSocket::readyRead, this,
                                [this, socket] { onRead(socket); });
                        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                    }
                });
                if (m_server->listen(QHostAddress::LocalHost))
                    port = m_server->serverPort();
            },
            Qt::BlockingQueuedConnection);
        return port;
    }

    QList<QByteArray> requests() const
    {
        QMutexLocker lock(&m_mutex);
        return m_requests;
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray requestLine = buffer.left(buffer.indexOf("\r\n"));
        m_buffers.remove(socket);
        {
            QMutexLocker lock(&m_mutex);
            m_requests.append(requestLine);
        }
        const QList<QByteArray> parts = requestLine.split(' ');
        QByteArray response;
        if (parts.value(1) == path) {
            response = "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nETag: \"v1\"\r\n"
                       "Content-Length: " +
                       QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        } else {
            response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        }
        socket->write(response);
        socket->disconnectFromHost();
    }

    QThread m_thread;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    mutable QMutex m_mutex;
    QList<QByteArray> m_requests;
};

} // namespace

class TestScanCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noDatabase();
    void dbImportAndStatus();
    void scanJson();
    void scanHuman();
    void exports();
    void usageErrors_data();
    void usageErrors();
    void corruptLayer();
    void dbUpdateFromMirror();

private:
    Run wharfctl(const QStringList &args, const QString &dataDir = {});

    t::TestRegistry m_registry;
    QTemporaryDir m_work;
    QTemporaryDir m_data; // WHARF_DATA_DIR: the default database and results store
    QTemporaryDir m_cache;
    QTemporaryDir m_config;
    QString m_binary;
    QString m_zip;
    Fx::PushedImage m_ubuntu;
    Fx::PushedImage m_corrupt;
};

Run TestScanCli::wharfctl(const QStringList &args, const QString &dataDir)
{
    t::CommandRunner::Command c;
    c.program = m_binary;
    c.arguments = args;
    c.environment.insert(u"WHARF_DATA_DIR"_s, dataDir.isEmpty() ? m_data.path() : dataDir);
    c.environment.insert(u"WHARF_CACHE_DIR"_s, m_cache.path());
    c.environment.insert(u"WHARF_CONFIG_DIR"_s, m_config.path());
    c.environment.remove(u"WHARF_REGISTRY"_s);
    c.environment.remove(u"WHARF_OSV_MIRROR"_s);
    c.timeoutMs = 120000;
    const auto r = t::CommandRunner::run(c);
    return Run{r.exitCode, r.standardOutput, r.standardError};
}

void TestScanCli::initTestCase()
{
    m_binary = QStringLiteral(WHARF_BINARY_DIR) + u"/src/cli/wharfctl"_s;
    QVERIFY2(QFileInfo::exists(m_binary), qPrintable(m_binary));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    t::OciLayout layout(m_work.filePath(u"layout"_s));
    const QByteArray status = Fx::ubuntuStatus();
    const QByteArray osRelease = Fx::osRelease(u"ubuntu"_s, u"22.04"_s, u"Ubuntu 22.04.5 LTS"_s);
    QVERIFY2(Fx::push(m_registry, layout, u"cli/ubuntu"_s, u"22.04"_s,
                      {{{t::TarEntry::file(u"etc/os-release"_s, osRelease),
                         t::TarEntry::file(u"var/lib/dpkg/status"_s,
                                           Fx::withoutPackage(status, u"gpgv"_s))},
                        t::TarLayer::Compression::Gzip,
                        u"ADD base.tar /"_s},
                       {{t::TarEntry::file(u"var/lib/dpkg/status"_s, status)},
                        t::TarLayer::Compression::Zstd,
                        u"RUN apt-get install -y gpgv, \"quoted\""_s}},
                      &m_ubuntu, &error),
             qPrintable(error));
    QVERIFY2(Fx::push(m_registry, layout, u"cli/corrupt"_s, u"1"_s,
                      {{{t::TarEntry::file(u"etc/os-release"_s, osRelease),
                         t::TarEntry::file(u"var/lib/dpkg/status"_s, status),
                         t::TarEntry::file(u"etc/cli-corrupt"_s, "x\n")},
                        t::TarLayer::Compression::Gzip,
                        u"ADD base.tar /"_s}},
                      &m_corrupt, &error),
             qPrintable(error));
    const QString hex = m_corrupt.image.layers[0].digest.mid(7);
    QFile blob(m_registry.storageDir() + u"/docker/registry/v2/blobs/sha256/"_s + hex.left(2) +
               u'/' + hex + u"/data"_s);
    QVERIFY(blob.open(QIODevice::ReadWrite));
    QByteArray bytes = blob.readAll();
    bytes[bytes.size() / 3] = char(bytes[bytes.size() / 3] ^ 0x01);
    blob.seek(0);
    QCOMPARE(blob.write(bytes), bytes.size());
    blob.close();

    m_zip = m_work.filePath(u"osv-test-all.zip"_s);
    QVERIFY2(Fx::writeZip(m_zip, Fx::ubuntuRecords() + Fx::alpineRecords() + Fx::debianRecords(),
                          &error),
             qPrintable(error));
}

void TestScanCli::noDatabase()
{
    QTemporaryDir empty;
    const Run status = wharfctl({u"db"_s, u"status"_s}, empty.path());
    QCOMPARE(status.exitCode, 1);
    QVERIFY2(status.err.contains("wharfctl db import"), status.err.constData());
    QVERIFY(status.err.contains("wharfctl db update"));
    const Run scan =
        wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu:22.04"_s}, empty.path());
    QCOMPARE(scan.exitCode, 1);
    QVERIFY2(scan.err.contains("no vulnerability database"), scan.err.constData());
    QVERIFY(scan.err.contains("wharfctl db import"));
    QVERIFY(scan.out.isEmpty());
}

void TestScanCli::dbImportAndStatus()
{
    const Run import = wharfctl({u"db"_s, u"import"_s, m_zip});
    QVERIFY2(import.exitCode == 0, import.err.constData());
    QVERIFY2(import.out.contains("23 records (23 new, 0 updated, 0 unchanged, 0 malformed)"),
             import.out.constData());
    // Importing the same snapshot again changes nothing.
    const Run again = wharfctl({u"db"_s, u"import"_s, m_zip, u"--json"_s});
    QCOMPARE(again.exitCode, 0);
    const QJsonObject report = again.json().value(u"imports"_s).toArray().first().toObject();
    QCOMPARE(report.value(u"unchanged"_s).toInt(), 23);
    QCOMPARE(report.value(u"source"_s).toString(), u"osv-test"_s);

    const Run status = wharfctl({u"db"_s, u"status"_s, u"--json"_s});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    const QJsonObject s = status.json();
    QCOMPARE(s.value(u"path"_s).toString(), m_data.filePath(u"vulnerabilities.db"_s));
    QCOMPARE(s.value(u"records"_s).toInt(), 23);
    QVERIFY(s.value(u"ageSeconds"_s).toInt() >= 0);
    QVERIFY(!s.value(u"lastImport"_s).toString().isEmpty());
    QHash<QString, int> ecosystems;
    for (const QJsonValue &e : s.value(u"ecosystems"_s).toArray())
        ecosystems.insert(e.toObject().value(u"ecosystem"_s).toString(),
                          e.toObject().value(u"records"_s).toInt());
    QCOMPARE(ecosystems.value(u"Ubuntu:22.04:LTS"_s), 12);
    QCOMPARE(ecosystems.value(u"Alpine:v3.20"_s), 9);
    QCOMPARE(ecosystems.value(u"Debian:12"_s), 2);
    const QJsonObject source = s.value(u"sources"_s).toArray().first().toObject();
    QCOMPARE(source.value(u"name"_s).toString(), u"osv-test"_s);
    QCOMPARE(source.value(u"records"_s).toInt(), 23);

    const Run human = wharfctl({u"db"_s, u"status"_s});
    QCOMPARE(human.exitCode, 0);
    QVERIFY(human.out.contains("Records:      23"));
    QVERIFY(human.out.contains("Ubuntu:22.04:LTS"));
}

void TestScanCli::scanJson()
{
    const Run run =
        wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu:22.04"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject o = run.json();
    QCOMPARE(o.value(u"digest"_s).toString(), m_ubuntu.digest());
    QCOMPARE(o.value(u"os"_s).toString(), u"ubuntu 22.04"_s);
    QCOMPARE(o.value(u"total"_s).toInt(), 6);
    QCOMPARE(o.value(u"critical"_s).toInt(), 1);
    QCOMPARE(o.value(u"high"_s).toInt(), 3);
    QCOMPARE(o.value(u"medium"_s).toInt(), 0);
    QCOMPARE(o.value(u"low"_s).toInt(), 1);
    QCOMPARE(o.value(u"unknown"_s).toInt(), 1);
    const QJsonArray layers = o.value(u"layers"_s).toArray();
    QCOMPARE(layers.size(), 2);
    const QJsonObject l1 = layers[1].toObject();
    QCOMPARE(l1.value(u"index"_s).toInt(), 1);
    QCOMPARE(l1.value(u"digest"_s).toString(), m_ubuntu.image.layers[1].digest);
    QCOMPARE(l1.value(u"diffId"_s).toString(), m_ubuntu.layers[1].diffId);
    QCOMPARE(l1.value(u"createdBy"_s).toString(), u"RUN apt-get install -y gpgv, \"quoted\""_s);
    QCOMPARE(l1.value(u"total"_s).toInt(), 1);
    QCOMPARE(l1.value(u"high"_s).toInt(), 1);
    QCOMPARE(layers[0].toObject().value(u"total"_s).toInt(), 5);
    QCOMPARE(layers[0].toObject().value(u"critical"_s).toInt(), 1);
    const QJsonArray vulns = o.value(u"vulnerabilities"_s).toArray();
    QStringList ids;
    for (const QJsonValue &v : vulns)
        ids << v.toObject().value(u"id"_s).toString();
    QCOMPARE(ids, (QStringList{u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s,
                               u"UBUNTU-CVE-2026-0861"_s, u"UBUNTU-CVE-2025-68973"_s,
                               u"UBUNTU-CVE-2023-29383"_s, u"CVE-2024-2236"_s}));
    const QJsonObject gnupg = vulns[3].toObject();
    QCOMPARE(gnupg.value(u"package"_s).toString(), u"gpgv"_s);
    QCOMPARE(gnupg.value(u"sourcePackage"_s).toString(), u"gnupg2"_s);
    QCOMPARE(gnupg.value(u"installedVersion"_s).toString(), u"2.2.27-3ubuntu2.4"_s);
    QCOMPARE(gnupg.value(u"fixedVersion"_s).toString(), u"2.2.27-3ubuntu2.5"_s);
    QCOMPARE(gnupg.value(u"severity"_s).toString(), u"High"_s);
    QCOMPARE(gnupg.value(u"cvssScore"_s).toDouble(), 7.8);
    QCOMPARE(gnupg.value(u"layerIndex"_s).toInt(), 1);
    QVERIFY(gnupg.value(u"aliases"_s).toArray().contains(u"CVE-2025-68973"_s));
    QVERIFY(vulns[5].toObject().value(u"cvssScore"_s).isNull());
    QCOMPARE(vulns[5].toObject().value(u"fixedVersion"_s).toString(), QString());

    // Stored by digest in the data directory.
    wharf::scan::ScanResultStore store;
    QVERIFY(store.open(m_data.filePath(u"scan-results.db"_s)));
    const auto stored = store.load(m_ubuntu.digest());
    QVERIFY(stored);
    QCOMPARE(stored->counts.total, 6);
    QCOMPARE(stored->reference, u"22.04"_s);
}

void TestScanCli::scanHuman()
{
    const Run run =
        wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu@"_s + m_ubuntu.digest()});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(u"Total: 6 (CRITICAL: 1, HIGH: 3, MEDIUM: 0, LOW: 1, UNKNOWN: 1)"_s),
             qPrintable(out));
    QVERIFY(out.contains(u"Ubuntu 22.04.5 LTS (Ubuntu:22.04:LTS)"_s));
    // The table is sorted by severity: the critical one first, the unknown one last.
    const qsizetype critical = out.indexOf(u"CRITICAL  UBUNTU-CVE-2025-15467"_s);
    const qsizetype low = out.indexOf(u"LOW       UBUNTU-CVE-2023-29383"_s);
    const qsizetype unknown = out.indexOf(u"UNKNOWN   CVE-2024-2236"_s);
    QVERIFY2(critical > 0 && low > critical && unknown > low, qPrintable(out));
    QVERIFY(out.contains(u"libc-bin (+1) [glibc]"_s));
}

void TestScanCli::exports()
{
    const QString csvPath = m_work.filePath(u"out.csv"_s);
    const Run csv = wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu:22.04"_s,
                              u"--format"_s, u"csv"_s, u"-o"_s, csvPath});
    QVERIFY2(csv.exitCode == 0, csv.err.constData());
    QVERIFY(csv.out.contains("Total: 6")); // the summary still goes to stdout
    QFile file(csvPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    const QList<QByteArray> lines = text.split('\n');
    QCOMPARE(lines.size(), 1 + 6 + 1); // header, rows, the empty rest after the last CRLF
    QVERIFY(lines[0].startsWith("severity,id,aliases,package,"));
    QVERIFY(lines[1].startsWith("Critical,UBUNTU-CVE-2025-15467,CVE-2025-15467,libssl3,"));
    // created_by with a comma and quotes, quoted per RFC 4180.
    QVERIFY2(text.contains(",\"RUN apt-get install -y gpgv, \"\"quoted\"\"\","), text.constData());

    const Run sarif = wharfctl(
        {u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu:22.04"_s, u"--format"_s, u"sarif"_s});
    QVERIFY2(sarif.exitCode == 0, sarif.err.constData());
    const QJsonObject log = sarif.json();
    QCOMPARE(log.value(u"version"_s).toString(), u"2.1.0"_s);
    const QJsonObject run = log.value(u"runs"_s).toArray().first().toObject();
    QCOMPARE(run.value(u"tool"_s).toObject().value(u"driver"_s).toObject().value(u"name"_s),
             QJsonValue(u"Wharf"_s));
    QCOMPARE(run.value(u"results"_s).toArray().size(), 6);
    QCOMPARE(run.value(u"results"_s).toArray().first().toObject().value(u"level"_s),
             QJsonValue(u"error"_s));

    // --db elsewhere, JSON into a file and JSON on stdout.
    const QString jsonPath = m_work.filePath(u"out.json"_s);
    const Run json = wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/ubuntu:22.04"_s,
                               u"--db"_s, m_data.filePath(u"vulnerabilities.db"_s), u"-o"_s,
                               jsonPath, u"--json"_s, u"--no-store"_s},
                              m_work.path());
    QVERIFY2(json.exitCode == 0, json.err.constData());
    QFile jsonFile(jsonPath);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(jsonFile.readAll()).object().value(u"total"_s).toInt(), 6);
    QCOMPARE(json.json().value(u"total"_s).toInt(), 6);
    QVERIFY(!QFile::exists(m_work.filePath(u"scan-results.db"_s))); // --no-store
}

void TestScanCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no image") << QStringList{u"scan"_s} << u"usage: wharfctl scan"_s;
    QTest::newRow("bad format") << QStringList{u"scan"_s, u"a:b"_s, u"--format"_s, u"xml"_s}
                                << u"--format takes json, csv or sarif"_s;
    QTest::newRow("bad engine") << QStringList{u"scan"_s, u"a:b"_s, u"--engine"_s, u"clair"_s}
                                << u"--engine takes wharf or trivy"_s;
    QTest::newRow("db without action") << QStringList{u"db"_s} << u"usage: wharfctl db"_s;
    QTest::newRow("import nothing")
        << QStringList{u"db"_s, u"import"_s} << u"usage: wharfctl db import"_s;
    QTest::newRow("import missing")
        << QStringList{u"db"_s, u"import"_s, u"/nonexistent.zip"_s} << u"no such file"_s;
    QTest::newRow("bad mirror") << QStringList{u"db"_s, u"update"_s, u"--mirror"_s, u"ftp://x"_s}
                                << u"--mirror takes"_s;
}

void TestScanCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    if (args.first() == u"scan"_s)
        args = QStringList{u"-r"_s, m_registry.url()} + args;
    const Run run = wharfctl(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY2(!run.err.contains("QCommandLineParser"), run.err.constData());
}

void TestScanCli::corruptLayer()
{
    const Run run = wharfctl({u"-r"_s, m_registry.url(), u"scan"_s, u"cli/corrupt:1"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("layer 1/1"), run.err.constData());
    QVERIFY2(run.err.contains("digest"), run.err.constData());
    wharf::scan::ScanResultStore store;
    QVERIFY(store.open(m_data.filePath(u"scan-results.db"_s)));
    QVERIFY(!store.load(m_corrupt.digest()));
}

void TestScanCli::dbUpdateFromMirror()
{
    MirrorServer server;
    server.path = "/Ubuntu/all.zip";
    {
        QString error;
        const QString zip = m_work.filePath(u"mirror.zip"_s);
        QVERIFY2(Fx::writeZip(zip, Fx::ubuntuRecords(), &error), qPrintable(error));
        QFile f(zip);
        QVERIFY(f.open(QIODevice::ReadOnly));
        server.body = f.readAll();
    }
    const quint16 port = server.start();
    QVERIFY(port > 0);
    const QString mirror = u"http://127.0.0.1:%1"_s.arg(port);
    QTemporaryDir data;
    const QString db = data.filePath(u"fresh.db"_s);
    const Run update = wharfctl({u"db"_s, u"update"_s, u"--mirror"_s, mirror, u"--ecosystem"_s,
                                 u"Ubuntu"_s, u"--db"_s, db, u"--json"_s},
                                data.path());
    QVERIFY2(update.exitCode == 0, update.err.constData());
    const QJsonObject result = update.json().value(u"updates"_s).toArray().first().toObject();
    QCOMPARE(result.value(u"ecosystem"_s).toString(), u"Ubuntu"_s);
    QCOMPARE(result.value(u"ok"_s).toBool(), true);
    QCOMPARE(result.value(u"bytes"_s).toInteger(), server.body.size());
    QCOMPARE(result.value(u"inserted"_s).toInt(), 12);
    QCOMPARE(server.requests(), QList<QByteArray>{"GET /Ubuntu/all.zip HTTP/1.1"});

    const Run status = wharfctl({u"db"_s, u"status"_s, u"--db"_s, db, u"--json"_s}, data.path());
    QCOMPARE(status.exitCode, 0);
    QCOMPARE(status.json().value(u"records"_s).toInt(), 12);
    QVERIFY(status.json()
                .value(u"sources"_s)
                .toArray()
                .first()
                .toObject()
                .value(u"location"_s)
                .toString()
                .startsWith(mirror));

    // Without --ecosystem: the ecosystems the database already holds (only Ubuntu here).
    const Run again =
        wharfctl({u"db"_s, u"update"_s, u"--mirror"_s, mirror, u"--db"_s, db}, data.path());
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.out.contains("Ubuntu: 12 records (0 new, 0 updated, 12 unchanged"),
             again.out.constData());
    QCOMPARE(server.requests().size(), 2);
    QVERIFY(server.requests().last().startsWith("GET /Ubuntu/all.zip"));

    // An ecosystem the mirror does not have: a clear failure, exit 1.
    const Run missing = wharfctl(
        {u"db"_s, u"update"_s, u"--mirror"_s, mirror, u"--ecosystem"_s, u"Alpine"_s, u"--db"_s, db},
        data.path());
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("Alpine"), missing.err.constData());
    QVERIFY2(missing.err.contains("404"), missing.err.constData());
}

QTEST_GUILESS_MAIN(TestScanCli)
#include "tst_ScanCli.moc"
