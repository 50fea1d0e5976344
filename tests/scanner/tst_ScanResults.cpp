// The scan service's plain parts, without a registry: the bounded stream buffer between the
// network and the scan thread, the result JSON shape, the CSV and SARIF exports, the results
// store (persistence, summaries, staleness) and the Trivy report parser.

#include "scan/service/ScanExporter.h"
#include "scan/service/ScanResultJson.h"
#include "scan/service/ScanResultStore.h"
#include "scan/service/StreamBuffer.h"
#include "scan/service/TrivyReportParser.h"
#include "transport/StreamFlow.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::scan;

namespace {

ScanFinding finding(const QString &id, Severity severity, std::optional<double> score,
                    const QString &package, int layer)
{
    ScanFinding f;
    f.id = id;
    f.aliases = {u"CVE-2025-0001"_s};
    f.package = package;
    f.packages = {package};
    f.packageType = u"deb"_s;
    f.sourcePackage = package + u"-src"_s;
    f.installedVersion = u"1.0-1"_s;
    f.sourceVersion = u"1.0-1"_s;
    f.severity = severity;
    f.cvssScore = score;
    f.title = id + u" title"_s;
    f.primaryUrl = u"https://example.test/"_s + id;
    f.layerIndex = layer;
    f.layerDigest = u"sha256:"_s + QString(64, QChar(u'a' + layer));
    f.createdBy = u"RUN step %1"_s.arg(layer);
    return f;
}

ScanResult sampleResult()
{
    ScanResult r;
    r.registry = u"127.0.0.1:5000"_s;
    r.repository = u"team/app"_s;
    r.reference = u"1.0"_s;
    r.digest = u"sha256:"_s + QString(64, u'1');
    r.topDigest = u"sha256:"_s + QString(64, u'2');
    r.platform = u"linux/amd64"_s;
    r.os.id = u"ubuntu"_s;
    r.os.versionId = u"22.04"_s;
    r.os.ecosystem = u"Ubuntu:22.04:LTS"_s;
    r.scannedAt = QDateTime(QDate(2025, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    r.databaseUpdatedAt = QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
    r.packageCount = 42;
    for (int i = 0; i < 2; ++i) {
        ScanLayer l;
        l.index = i;
        l.digest = u"sha256:"_s + QString(64, QChar(u'a' + i));
        l.diffId = u"sha256:"_s + QString(64, QChar(u'c' + i));
        l.createdBy = u"RUN step %1"_s.arg(i);
        l.size = 1000 + i;
        r.layers.append(l);
    }
    r.findings = {
        finding(u"LOW-1"_s, Severity::Negligible, std::nullopt, u"zlib"_s, 0),
        finding(u"CRIT-1"_s, Severity::Critical, 9.8, u"openssl"_s, 1),
        finding(u"HIGH-1"_s, Severity::High, 7.5, u"glibc"_s, 0),
        finding(u"UNK-1"_s, Severity::Unknown, std::nullopt, u"tar"_s, 0),
        finding(u"MED-1"_s, Severity::Medium, 5.0, u"gnupg"_s, 1),
    };
    r.findings[2].fixedVersion = u"2.0-1"_s;
    r.findings[0].title = u"line one, \"quoted\"\nline two"_s;
    r.sortFindings();
    r.recount();
    return r;
}

// CSV rows per RFC 4180 (quoted fields may hold commas, quotes and line breaks).
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

VulnerabilityDatabase::Status statusAt(const QDateTime &lastChange)
{
    VulnerabilityDatabase::Status s;
    s.ok = true;
    s.lastImport = lastChange;
    s.lastChange = lastChange;
    return s;
}

} // namespace

class TestScanResults : public QObject
{
    Q_OBJECT
private slots:
    void streamBufferBlocksWithoutFlow();
    void streamBufferPausesAndResumesFlow();
    void streamBufferCancelWakesReader();
    void streamBufferDeliversBytesBeforeFailure();
    void countsFoldNegligibleIntoLow();
    void jsonShape();
    void jsonRoundTrip();
    void csvExport();
    void sarifExport();
    void storePersistsByDigest();
    void staleAfterNewerImport();
    void trivyReport();
    void trivyReportErrors_data();
    void trivyReportErrors();
};

void TestScanResults::streamBufferBlocksWithoutFlow()
{
    // No flow: the producer (a thread of its own) blocks while the buffer is full.
    StreamBuffer buffer(256 * 1024);
    QByteArray data(8 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(7);
    for (qsizetype i = 0; i < data.size(); i += 4) {
        const quint32 v = rng.generate();
        memcpy(data.data() + i, &v, 4);
    }
    std::atomic_bool refused{false};
    std::unique_ptr<QThread> producer(QThread::create([&] {
        for (qsizetype at = 0; at < data.size(); at += 64 * 1024) {
            if (!buffer.write(data.mid(at, 64 * 1024)))
                refused = true;
        }
        buffer.finish();
    }));
    producer->start();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    char chunk[10000];
    qint64 total = 0;
    for (;;) {
        const qint64 n = buffer.read(chunk, sizeof chunk);
        QVERIFY(n >= 0);
        if (n == 0)
            break;
        hash.addData(QByteArrayView(chunk, n));
        total += n;
        if (total % (1024 * 1024) < 10000)
            QThread::msleep(5); // a slow consumer now and then
    }
    QVERIFY(producer->wait(10000));
    QVERIFY(!refused.load());
    QCOMPARE(total, data.size());
    QCOMPARE(hash.result(), QCryptographicHash::hash(data, QCryptographicHash::Sha256));
    // Full = no more writes: at most one chunk beyond the capacity was ever held.
    QVERIFY2(buffer.peakBufferedBytes() <= 256 * 1024 + 64 * 1024,
             qPrintable(QString::number(buffer.peakBufferedBytes())));
}

void TestScanResults::streamBufferPausesAndResumesFlow()
{
    auto flow = std::make_shared<StreamFlow>();
    StreamBuffer buffer(1024 * 1024);
    buffer.setFlow(flow);
    const QByteArray chunk(100 * 1024, 'x');
    // With a flow, writes never block: they pause the transfer at the capacity.
    int written = 0;
    while (!flow->isPaused()) {
        QVERIFY(buffer.write(chunk));
        ++written;
        QVERIFY(written < 100);
    }
    QCOMPARE(written, 11); // 11 * 100 KiB >= 1 MiB
    QCOMPARE(buffer.pauses(), 1);
    // The transport may still hand over what it already read.
    QVERIFY(buffer.write(chunk));
    QVERIFY(flow->isPaused());
    // Draining to half the capacity resumes.
    QByteArray sink(64 * 1024, Qt::Uninitialized);
    qint64 drained = 0;
    while (flow->isPaused()) {
        const qint64 n = buffer.read(sink.data(), sink.size());
        QVERIFY(n > 0);
        drained += n;
    }
    QVERIFY(buffer.bufferedBytes() <= 512 * 1024);
    QCOMPARE(drained + buffer.bufferedBytes(), 12 * chunk.size());
    QCOMPARE(buffer.bytesWritten(), 12 * chunk.size());
}

void TestScanResults::streamBufferCancelWakesReader()
{
    auto flow = std::make_shared<StreamFlow>();
    StreamBuffer buffer(128 * 1024);
    buffer.setFlow(flow);
    for (int i = 0; i < 3; ++i)
        QVERIFY(buffer.write(QByteArray(64 * 1024, 'y')));
    QVERIFY(flow->isPaused());
    std::atomic<qint64> result{1};
    std::unique_ptr<QThread> reader(QThread::create([&] {
        char b[4096];
        qint64 n = 0;
        while ((n = buffer.read(b, sizeof b)) > 0) {
        }
        result = n;
    }));
    reader->start();
    QTest::qWait(100);
    QVERIFY(!reader->isFinished()); // waiting for more bytes
    buffer.cancel(u"Cancelled"_s);
    QVERIFY(reader->wait(5000));
    QCOMPARE(result.load(), qint64(-1));
    QCOMPARE(buffer.errorString(), u"Cancelled"_s);
    // A paused transport must hear about it: cancelling resumes, and the next write refuses.
    QVERIFY(!flow->isPaused());
    QVERIFY(!buffer.write(QByteArray(10, 'z')));
    // A late transport failure does not replace the reason.
    buffer.fail(u"connection reset"_s);
    QCOMPARE(buffer.errorString(), u"Cancelled"_s);
}

void TestScanResults::streamBufferDeliversBytesBeforeFailure()
{
    StreamBuffer buffer(1024 * 1024);
    QVERIFY(buffer.write("hello "));
    QVERIFY(buffer.write("world"));
    buffer.fail(u"the server closed the connection"_s);
    char b[64];
    QCOMPARE(buffer.read(b, 3), qint64(3));
    QCOMPARE(QByteArray(b, 3), QByteArray("hel"));
    QCOMPARE(buffer.read(b, sizeof b), qint64(8));
    QCOMPARE(QByteArray(b, 8), QByteArray("lo world"));
    QCOMPARE(buffer.read(b, sizeof b), qint64(-1));
    QCOMPARE(buffer.errorString(), u"the server closed the connection"_s);
    QVERIFY(!buffer.write("more"));
}

void TestScanResults::countsFoldNegligibleIntoLow()
{
    const ScanResult r = sampleResult();
    QCOMPARE(r.counts.total, 5);
    QCOMPARE(r.counts.critical, 1);
    QCOMPARE(r.counts.high, 1);
    QCOMPARE(r.counts.medium, 1);
    QCOMPARE(r.counts.low, 1); // the Negligible one
    QCOMPARE(r.counts.unknown, 1);
    QCOMPARE(r.layers[0].counts.total, 3);
    QCOMPARE(r.layers[1].counts.total, 2);
    QCOMPARE(r.layers[1].counts.critical, 1);
    QStringList order;
    for (const ScanFinding &f : r.findings)
        order << f.id;
    QCOMPARE(order, (QStringList{u"CRIT-1"_s, u"HIGH-1"_s, u"MED-1"_s, u"LOW-1"_s, u"UNK-1"_s}));
}

void TestScanResults::jsonShape()
{
    const QJsonObject o = ScanResultJson::toJson(sampleResult());
    // The documented shape of `wharfctl scan --json`.
    for (const char *key : {"digest", "os", "total", "critical", "high", "medium", "low", "unknown",
                            "layers", "vulnerabilities"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value(u"digest"_s).toString(), u"sha256:"_s + QString(64, u'1'));
    QCOMPARE(o.value(u"os"_s).toString(), u"ubuntu 22.04"_s);
    QCOMPARE(o.value(u"total"_s).toInt(), 5);
    QCOMPARE(o.value(u"unknown"_s).toInt(), 1);
    const QJsonArray layers = o.value(u"layers"_s).toArray();
    QCOMPARE(layers.size(), 2);
    const QJsonObject layer1 = layers[1].toObject();
    for (const char *key :
         {"index", "digest", "diffId", "createdBy", "total", "critical", "high", "medium", "low"})
        QVERIFY2(layer1.contains(QLatin1String(key)), key);
    QCOMPARE(layer1.value(u"index"_s).toInt(), 1);
    QCOMPARE(layer1.value(u"createdBy"_s).toString(), u"RUN step 1"_s);
    QCOMPARE(layer1.value(u"critical"_s).toInt(), 1);
    const QJsonArray vulns = o.value(u"vulnerabilities"_s).toArray();
    QCOMPARE(vulns.size(), 5);
    const QJsonObject v0 = vulns[0].toObject();
    for (const char *key : {"id", "aliases", "package", "sourcePackage", "installedVersion",
                            "fixedVersion", "severity", "cvssScore", "layerIndex"})
        QVERIFY2(v0.contains(QLatin1String(key)), key);
    QCOMPARE(v0.value(u"id"_s).toString(), u"CRIT-1"_s);
    QCOMPARE(v0.value(u"severity"_s).toString(), u"Critical"_s);
    QCOMPARE(v0.value(u"cvssScore"_s).toDouble(), 9.8);
    QCOMPARE(v0.value(u"layerIndex"_s).toInt(), 1);
    QCOMPARE(v0.value(u"aliases"_s).toArray().first().toString(), u"CVE-2025-0001"_s);
    // No score is null, not 0.
    QVERIFY(vulns[4].toObject().value(u"cvssScore"_s).isNull());
}

void TestScanResults::jsonRoundTrip()
{
    const ScanResult r = sampleResult();
    QString error;
    const auto back = ScanResultJson::fromJson(ScanResultJson::toJson(r), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(ScanResultJson::toJson(*back), ScanResultJson::toJson(r));
    QCOMPARE(back->scannedAt, r.scannedAt);
    QCOMPARE(back->findings[3].severity, Severity::Negligible);
    QCOMPARE(back->findings[3].title, r.findings[3].title);
    QVERIFY(!ScanResultJson::fromJson(QJsonObject{{u"total"_s, 1}}, &error));
    QVERIFY(error.contains(u"digest"_s));
}

void TestScanResults::csvExport()
{
    const ScanResult r = sampleResult();
    const QByteArray csv = ScanExporter::exportResult(r, ScanExporter::Format::Csv);
    QVERIFY(csv.endsWith("\r\n"));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv));
    QCOMPARE(rows.size(), 1 + 5);
    QCOMPARE(rows[0], ScanExporter::csvHeader());
    const int id = int(rows[0].indexOf(u"id"_s));
    const int title = int(rows[0].indexOf(u"title"_s));
    const int fixed = int(rows[0].indexOf(u"fixedVersion"_s));
    const int score = int(rows[0].indexOf(u"cvssScore"_s));
    const int layer = int(rows[0].indexOf(u"layerIndex"_s));
    for (const QStringList &row : rows)
        QCOMPARE(row.size(), rows[0].size());
    QCOMPARE(rows[1][id], u"CRIT-1"_s);
    QCOMPARE(rows[1][score], u"9.8"_s);
    QCOMPARE(rows[1][layer], u"1"_s);
    QCOMPARE(rows[2][fixed], u"2.0-1"_s);
    // The awkward title survives quoting exactly.
    QCOMPARE(rows[4][id], u"LOW-1"_s);
    QCOMPARE(rows[4][title], u"line one, \"quoted\"\nline two"_s);
    QVERIFY(csv.contains("\"line one, \"\"quoted\"\"\nline two\""));
    QCOMPARE(ScanExporter::csvField(u"plain"_s), u"plain"_s);
    QCOMPARE(ScanExporter::csvField(u"a,b"_s), u"\"a,b\""_s);
}

void TestScanResults::sarifExport()
{
    const ScanResult r = sampleResult();
    const QJsonDocument doc =
        QJsonDocument::fromJson(ScanExporter::exportResult(r, ScanExporter::Format::Sarif));
    QVERIFY(doc.isObject());
    const QJsonObject log = doc.object();
    // sarifLog: version 2.1.0 and runs are required; $schema names the schema.
    QCOMPARE(log.value(u"version"_s).toString(), u"2.1.0"_s);
    QVERIFY(log.value(u"$schema"_s).toString().contains(u"sarif-2.1.0"_s));
    const QJsonArray runs = log.value(u"runs"_s).toArray();
    QCOMPARE(runs.size(), 1);
    const QJsonObject run = runs[0].toObject();
    const QJsonObject driver = run.value(u"tool"_s).toObject().value(u"driver"_s).toObject();
    QCOMPARE(driver.value(u"name"_s).toString(), u"Wharf"_s); // toolComponent.name is required
    const QJsonArray rules = driver.value(u"rules"_s).toArray();
    QCOMPARE(rules.size(), 5);
    QHash<QString, QJsonObject> ruleById;
    for (const QJsonValue &value : rules) {
        const QJsonObject rule = value.toObject();
        QVERIFY(!rule.value(u"id"_s).toString().isEmpty()); // reportingDescriptor.id required
        QVERIFY(
            !rule.value(u"shortDescription"_s).toObject().value(u"text"_s).toString().isEmpty());
        QVERIFY(rule.value(u"helpUri"_s).toString().startsWith(u"https://"_s));
        bool numeric = false;
        const double s = rule.value(u"properties"_s)
                             .toObject()
                             .value(u"security-severity"_s)
                             .toString()
                             .toDouble(&numeric);
        QVERIFY(numeric && s >= 0.0 && s <= 10.0);
        ruleById.insert(rule.value(u"id"_s).toString(), rule);
    }
    QCOMPARE(ruleById.value(u"CRIT-1"_s)
                 .value(u"properties"_s)
                 .toObject()
                 .value(u"security-severity"_s)
                 .toString(),
             u"9.8"_s);
    const QJsonArray results = run.value(u"results"_s).toArray();
    QCOMPARE(results.size(), 5);
    QHash<QString, QString> levels;
    for (const QJsonValue &value : results) {
        const QJsonObject result = value.toObject();
        const QString ruleId = result.value(u"ruleId"_s).toString();
        QVERIFY(ruleById.contains(ruleId));
        QCOMPARE(rules[result.value(u"ruleIndex"_s).toInt()].toObject().value(u"id"_s).toString(),
                 ruleId);
        QVERIFY(!result.value(u"message"_s).toObject().value(u"text"_s).toString().isEmpty());
        levels.insert(ruleId, result.value(u"level"_s).toString());
        const QJsonArray locations = result.value(u"locations"_s).toArray();
        QCOMPARE(locations.size(), 2);
        const QString imageUri = locations[0]
                                     .toObject()
                                     .value(u"physicalLocation"_s)
                                     .toObject()
                                     .value(u"artifactLocation"_s)
                                     .toObject()
                                     .value(u"uri"_s)
                                     .toString();
        QCOMPARE(imageUri, u"oci://127.0.0.1:5000/team/app@sha256:"_s + QString(64, u'1'));
        const QString layerUri = locations[1]
                                     .toObject()
                                     .value(u"physicalLocation"_s)
                                     .toObject()
                                     .value(u"artifactLocation"_s)
                                     .toObject()
                                     .value(u"uri"_s)
                                     .toString();
        QVERIFY(layerUri.startsWith(u"oci://127.0.0.1:5000/team/app@sha256:"_s));
        QVERIFY(layerUri != imageUri);
    }
    QCOMPARE(levels.value(u"CRIT-1"_s), u"error"_s);
    QCOMPARE(levels.value(u"HIGH-1"_s), u"error"_s);
    QCOMPARE(levels.value(u"MED-1"_s), u"warning"_s);
    QCOMPARE(levels.value(u"LOW-1"_s), u"note"_s);
    QCOMPARE(levels.value(u"UNK-1"_s), u"note"_s);
}

void TestScanResults::storePersistsByDigest()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/results.db"_s);
    const ScanResult r = sampleResult();
    {
        ScanResultStore store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QVERIFY2(store.save(r), qPrintable(store.lastError()));
        ScanResult other = r;
        other.digest = u"sha256:"_s + QString(64, u'9');
        other.reference = u"2.0"_s;
        other.findings.removeLast();
        other.recount();
        QVERIFY(store.save(other));
        // Same digest again replaces (a tag scanned twice is one result).
        QVERIFY(store.save(r));
        QCOMPARE(store.count(), 2);
    }
    ScanResultStore store; // reopened, as the app does at start
    QVERIFY(store.open(path));
    const auto loaded = store.load(r.digest);
    QVERIFY2(loaded, qPrintable(store.lastError()));
    QCOMPARE(ScanResultJson::toJson(*loaded), ScanResultJson::toJson(r));
    QVERIFY(!store.load(u"sha256:"_s + QString(64, u'0')));

    const auto summaries =
        store.summaries({r.digest, u"sha256:"_s + QString(64, u'9'), u"sha256:none"_s});
    QCOMPARE(summaries.size(), 2);
    QCOMPARE(summaries.value(r.digest).counts, r.counts);
    QCOMPARE(summaries.value(u"sha256:"_s + QString(64, u'9')).counts.total, 4);
    QCOMPARE(summaries.value(r.digest).databaseUpdatedAt, r.databaseUpdatedAt);
    QCOMPARE(store.summariesFor(u"127.0.0.1:5000"_s, u"team/app"_s).size(), 2);
    QCOMPARE(store.summariesFor(QString(), u"team/app"_s).size(), 2);
    QCOMPARE(store.summariesFor(u"elsewhere:1"_s, u"team/app"_s).size(), 0);
    QVERIFY(store.remove(r.digest));
    QVERIFY(!store.load(r.digest));
    QCOMPARE(store.count(), 1);

    ScanResult noDigest = r;
    noDigest.digest.clear();
    QVERIFY(!store.save(noDigest));
}

void TestScanResults::staleAfterNewerImport()
{
    const ScanResult r = sampleResult(); // matched against the import of 2025-01-01
    QVERIFY(!ScanResultStore::isStale(r, statusAt(r.databaseUpdatedAt)));
    QVERIFY(!ScanResultStore::isStale(r, statusAt(r.databaseUpdatedAt.addSecs(-3600))));
    QVERIFY(ScanResultStore::isStale(r, statusAt(r.databaseUpdatedAt.addSecs(1))));
    QVERIFY(!ScanResultStore::isStale(r, statusAt(QDateTime()))); // no database: nothing newer
    ScanResult unknown = r;
    unknown.databaseUpdatedAt = {};
    QVERIFY(ScanResultStore::isStale(unknown, statusAt(r.databaseUpdatedAt)));
}

void TestScanResults::trivyReport()
{
    // Written to Trivy's documented JSON schema (SchemaVersion 2): two OS packages from the
    // same source, one library finding, a result without vulnerabilities.
    const QByteArray report = R"json({
      "SchemaVersion": 2,
      "CreatedAt": "2025-02-03T04:05:06.789Z",
      "ArtifactName": "registry.test/team/app:1.0",
      "ArtifactType": "container_image",
      "Metadata": {
        "OS": {"Family": "debian", "Name": "12.7"},
        "ImageID": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
        "DiffIDs": [
          "sha256:aaaa000000000000000000000000000000000000000000000000000000000000",
          "sha256:bbbb000000000000000000000000000000000000000000000000000000000000"
        ],
        "RepoDigests": ["registry.test/team/app@sha256:2222222222222222222222222222222222222222222222222222222222222222"],
        "ImageConfig": {"history": [
          {"created_by": "ADD rootfs.tar /"},
          {"created_by": "ENV A=b", "empty_layer": true},
          {"created_by": "RUN apt-get install -y openssl"}
        ]}
      },
      "Results": [
        {
          "Target": "registry.test/team/app:1.0 (debian 12.7)",
          "Class": "os-pkgs",
          "Type": "debian",
          "Vulnerabilities": [
            {
              "VulnerabilityID": "CVE-2024-5535",
              "VendorIDs": ["DSA-5800-1"],
              "PkgID": "libssl3@3.0.14-1~deb12u2",
              "PkgName": "libssl3",
              "InstalledVersion": "3.0.14-1~deb12u2",
              "FixedVersion": "3.0.15-1~deb12u1",
              "Status": "fixed",
              "Layer": {"Digest": "sha256:dddd000000000000000000000000000000000000000000000000000000000000",
                        "DiffID": "sha256:bbbb000000000000000000000000000000000000000000000000000000000000"},
              "SeveritySource": "nvd",
              "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2024-5535",
              "Title": "openssl: SSL_select_next_proto buffer overread",
              "Description": "Long text",
              "Severity": "CRITICAL",
              "CVSS": {
                "nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", "V3Score": 9.1},
                "redhat": {"V3Vector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:L", "V3Score": 5.9}
              }
            },
            {
              "VulnerabilityID": "CVE-2023-4039",
              "PkgName": "libc6",
              "InstalledVersion": "2.36-9+deb12u7",
              "Layer": {"DiffID": "sha256:aaaa000000000000000000000000000000000000000000000000000000000000"},
              "Title": "gcc: -fstack-protector fails to guard dynamic stack allocations on ARM64",
              "Severity": "LOW"
            }
          ]
        },
        {
          "Target": "usr/lib/python3/dist-packages/app.egg-info",
          "Class": "lang-pkgs",
          "Type": "python-pkg",
          "Vulnerabilities": [
            {
              "VulnerabilityID": "GHSA-xxxx-yyyy-zzzz",
              "PkgName": "requests",
              "InstalledVersion": "2.31.0",
              "FixedVersion": "2.32.0",
              "Severity": "MEDIUM",
              "Layer": {"DiffID": "sha256:ffff000000000000000000000000000000000000000000000000000000000000"}
            }
          ]
        },
        {"Target": "empty", "Class": "os-pkgs", "Type": "debian"}
      ]
    })json";
    QString error;
    const auto result = TrivyReportParser::parse(report, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(result->engine, u"trivy"_s);
    QCOMPARE(result->reference, u"registry.test/team/app:1.0"_s);
    QCOMPARE(result->digest,
             u"sha256:2222222222222222222222222222222222222222222222222222222222222222"_s);
    QCOMPARE(result->os.id, u"debian"_s);
    QCOMPARE(result->os.versionId, u"12.7"_s);
    QCOMPARE(result->scannedAt, QDateTime(QDate(2025, 2, 3), QTime(4, 5, 6, 789), Qt::UTC));
    QCOMPARE(result->layers.size(), 2);
    QCOMPARE(result->layers[1].createdBy, u"RUN apt-get install -y openssl"_s);
    QCOMPARE(result->layers[1].digest,
             u"sha256:dddd000000000000000000000000000000000000000000000000000000000000"_s);
    QCOMPARE(result->findings.size(), 3);
    const ScanFinding &ssl = result->findings[0]; // critical first
    QCOMPARE(ssl.id, u"CVE-2024-5535"_s);
    QCOMPARE(ssl.aliases, QStringList{u"DSA-5800-1"_s});
    QCOMPARE(ssl.package, u"libssl3"_s);
    QCOMPARE(ssl.installedVersion, u"3.0.14-1~deb12u2"_s);
    QCOMPARE(ssl.fixedVersion, u"3.0.15-1~deb12u1"_s);
    QCOMPARE(ssl.severity, Severity::Critical);
    QCOMPARE(ssl.cvssScore.value_or(-1), 9.1); // the highest vendor score
    QCOMPARE(ssl.cvssVector, u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H"_s);
    QCOMPARE(ssl.layerIndex, 1);
    QCOMPARE(ssl.createdBy, u"RUN apt-get install -y openssl"_s);
    QCOMPARE(ssl.primaryUrl, u"https://avd.aquasec.com/nvd/cve-2024-5535"_s);
    QCOMPARE(ssl.packageType, u"debian"_s);
    QCOMPARE(result->findings[1].id, u"GHSA-xxxx-yyyy-zzzz"_s);
    QCOMPARE(result->findings[1].layerIndex, -1); // a DiffID the image does not list
    const ScanFinding &libc = result->findings[2];
    QCOMPARE(libc.severity, Severity::Low);
    QCOMPARE(libc.layerIndex, 0);
    QCOMPARE(libc.layerDigest, QString()); // Trivy gave no digest for that layer
    QVERIFY(libc.fixedVersion.isEmpty());
    QVERIFY(!libc.cvssScore);
    QCOMPARE(result->counts.total, 3);
    QCOMPARE(result->counts.critical, 1);
    QCOMPARE(result->counts.medium, 1);
    QCOMPARE(result->counts.low, 1);
    QCOMPARE(result->layers[0].counts.total, 1);
    QCOMPARE(result->layers[1].counts.critical, 1);
}

void TestScanResults::trivyReportErrors_data()
{
    QTest::addColumn<QByteArray>("report");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << QByteArray("{oops") << u"not a JSON object"_s;
    QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("old schema") << QByteArray(R"({"SchemaVersion": 1, "Results": []})")
                                << u"SchemaVersion 1 is not supported"_s;
    QTest::newRow("no schema") << QByteArray(R"({"Results": []})") << u"no SchemaVersion"_s;
    QTest::newRow("results object")
        << QByteArray(R"({"SchemaVersion": 2, "Results": {}})") << u"Results must be an array"_s;
    QTest::newRow("vulnerabilities object")
        << QByteArray(R"({"SchemaVersion": 2, "Results": [{"Vulnerabilities": 3}]})")
        << u"Results[0].Vulnerabilities must be an array"_s;
    QTest::newRow("no id") << QByteArray(R"({"SchemaVersion": 2, "Results": [{"Vulnerabilities":
                                            [{"PkgName": "x"}]}]})")
                           << u"needs VulnerabilityID"_s;
}

void TestScanResults::trivyReportErrors()
{
    QFETCH(QByteArray, report);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!TrivyReportParser::parse(report, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestScanResults)
#include "tst_ScanResults.moc"
