// OsvRecord parsing: every real Ubuntu record in tests/data/osv/ubuntu, field by field for a
// few, and the error messages for malformed input.

#include "scan/vuln/OsvRecord.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

QByteArray readData(const QString &relative)
{
    QFile file(QStringLiteral(WHARF_TEST_DATA_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return file.readAll();
}

OsvRecord parseData(const QString &relative)
{
    QString error;
    auto record = OsvRecord::fromJson(readData(relative), &error);
    if (!record)
        qFatal("%s: %s", qPrintable(relative), qPrintable(error));
    return *record;
}

const OsvRecord::Affected *findAffected(const OsvRecord &record, const QString &ecosystem)
{
    for (const OsvRecord::Affected &entry : record.affected()) {
        if (entry.package.ecosystem == ecosystem)
            return &entry;
    }
    return nullptr;
}

} // namespace

class TestOsvRecord : public QObject
{
    Q_OBJECT

private slots:
    void allUbuntuRecordsParse()
    {
        const QDir dir(QStringLiteral(WHARF_TEST_DATA_DIR "/osv/ubuntu"));
        const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 12);
        for (const QString &name : files) {
            QString error;
            const auto record = OsvRecord::fromJson(readData(u"osv/ubuntu/"_s + name), &error);
            QVERIFY2(record, qPrintable(name + u": "_s + error));
            QCOMPARE(record->id() + u".json"_s, name);
            QVERIFY(record->modified().isValid());
            QVERIFY(!record->affected().isEmpty());
            QVERIFY(!record->isWithdrawn());
        }
    }

    void ubuntuCveRecordFields()
    {
        const OsvRecord record = parseData(u"osv/ubuntu/UBUNTU-CVE-2025-15467.json"_s);
        QCOMPARE(record.id(), u"UBUNTU-CVE-2025-15467"_s);
        QCOMPARE(record.schemaVersion(), u"1.7.0"_s);
        QVERIFY(record.aliases().isEmpty());
        QCOMPARE(record.upstream(), QStringList{u"CVE-2025-15467"_s});
        QCOMPARE(record.related(), QStringList{u"USN-7980-1"_s});
        QCOMPARE(record.identifiers(), QStringList{u"CVE-2025-15467"_s});
        QVERIFY(record.details().startsWith(u"Issue summary: Parsing CMS"_s));
        QCOMPARE(record.published(), QDateTime(QDate(2026, 1, 27), QTime(0, 0), Qt::UTC));
        QCOMPARE(record.modified(), QDateTime(QDate(2026, 9, 11), QTime(5, 2, 59), Qt::UTC));
        QCOMPARE(record.severity().size(), 3);
        QCOMPARE(record.severity()[0].type, u"CVSS_V3"_s);
        QCOMPARE(record.severity()[0].score, u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"_s);
        QCOMPARE(record.severity()[2].type, u"Ubuntu"_s);
        QCOMPARE(record.severity()[2].score, u"medium"_s);

        const OsvRecord::Affected *jammy = findAffected(record, u"Ubuntu:22.04:LTS"_s);
        QVERIFY(jammy);
        QCOMPARE(jammy->package.name, u"openssl"_s);
        QVERIFY(jammy->package.purl.startsWith(u"pkg:deb/ubuntu/openssl@"_s));
        QCOMPARE(jammy->ranges.size(), 1);
        QCOMPARE(jammy->ranges[0].type, u"ECOSYSTEM"_s);
        QCOMPARE(jammy->ranges[0].events.size(), 2);
        QCOMPARE(jammy->ranges[0].events[0].kind, OsvRecord::Event::Kind::Introduced);
        QCOMPARE(jammy->ranges[0].events[0].version, u"0"_s);
        QCOMPARE(jammy->ranges[0].events[1].kind, OsvRecord::Event::Kind::Fixed);
        QCOMPARE(jammy->ranges[0].events[1].version, u"3.0.2-0ubuntu1.21"_s);
        QVERIFY(jammy->versions.contains(u"3.0.2-0ubuntu1.20"_s));
        QCOMPARE(jammy->ecosystemSpecific.value(u"availability").toString(),
                 u"No subscription required"_s);
        // The Pro entries are distinct ecosystems in the same record.
        QVERIFY(findAffected(record, u"Ubuntu:Pro:22.04:LTS"_s));
        QVERIFY(findAffected(record, u"Ubuntu:Pro:FIPS-updates:22.04:LTS"_s));
        QVERIFY(!record.references().isEmpty());
        QVERIFY(!record.primaryUrl().isEmpty());
    }

    void olderSchemaAndUsn()
    {
        const OsvRecord tar = parseData(u"osv/ubuntu/UBUNTU-CVE-2022-48303.json"_s);
        const OsvRecord::Affected *jammy = findAffected(tar, u"Ubuntu:22.04:LTS"_s);
        QVERIFY(jammy);
        QCOMPARE(jammy->ecosystemSpecific.value(u"ubuntu_priority").toString(), u"medium"_s);

        const OsvRecord usn = parseData(u"osv/ubuntu/USN-7980-1.json"_s);
        QVERIFY(usn.severity().isEmpty());
        const OsvRecord::Affected *usnJammy = findAffected(usn, u"Ubuntu:22.04:LTS"_s);
        QVERIFY(usnJammy);
        const QJsonArray cves =
            usnJammy->databaseSpecific.value(u"cves_map").toObject().value(u"cves").toArray();
        QVERIFY(cves.size() >= 2);
        QVERIFY(cves[0].isObject());

        // JSON escapes (\u0160, \u201c) decode to the real characters.
        QVERIFY(usn.details().startsWith(u"Stanislav Fort, Petr \u0160ime\u010Dek, and Hamza"_s));
        const OsvRecord libcap = parseData(u"osv/ubuntu/UBUNTU-CVE-2025-1390.json"_s);
        QVERIFY(libcap.details().contains(u"starting with \u201c@\u201d"_s));
        bool found = false;
        for (const OsvRecord::Reference &reference : usn.references())
            found = found || !reference.url.isEmpty();
        QVERIFY(found);
    }

    void minimalRecord()
    {
        const auto record =
            OsvRecord::fromJson(R"({"id":"X-1","modified":"2024-03-12T06:38:20.123456789Z"})");
        QVERIFY(record);
        QCOMPARE(record->modified(), QDateTime(QDate(2024, 3, 12), QTime(6, 38, 20, 123), Qt::UTC));
        QVERIFY(record->affected().isEmpty());
        QVERIFY(record->summary().isEmpty());
    }

    void withdrawnAndOffsets()
    {
        const auto record = OsvRecord::fromJson(
            R"({"id":"X-2","modified":"2024-01-01T12:00:00+02:00",
                "withdrawn":"2024-02-01T00:00:00Z"})");
        QVERIFY(record);
        QVERIFY(record->isWithdrawn());
        QCOMPARE(record->modified().toUTC(), QDateTime(QDate(2024, 1, 1), QTime(10, 0), Qt::UTC));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{\"id\": ") << u"invalid JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"must be a JSON object"_s;
        QTest::newRow("no id") << QByteArray(R"({"modified":"2024-01-01T00:00:00Z"})")
                               << u"id is missing"_s;
        QTest::newRow("empty id") << QByteArray(R"({"id":"","modified":"2024-01-01T00:00:00Z"})")
                                  << u"id must not be empty"_s;
        QTest::newRow("numeric id") << QByteArray(R"({"id":5,"modified":"2024-01-01T00:00:00Z"})")
                                    << u"id must be a string, not a number"_s;
        QTest::newRow("no modified") << QByteArray(R"({"id":"A"})") << u"modified is missing"_s;
        QTest::newRow("bad date") << QByteArray(R"({"id":"A","modified":"yesterday"})")
                                  << u"modified is not an RFC 3339 timestamp"_s;
        QTest::newRow("aliases type")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","aliases":"CVE-1"})")
            << u"aliases must be an array, not a string"_s;
        QTest::newRow("alias item")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","aliases":[1]})")
            << u"aliases[0] must be a string"_s;
        QTest::newRow("affected object")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":{}})")
            << u"affected must be an array, not an object"_s;
        QTest::newRow("events type")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[{},
                   {"ranges":[{"type":"ECOSYSTEM","events":{}}]}]})")
            << u"affected[1].ranges[0].events must be an array, not an object"_s;
        QTest::newRow("events missing")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[
                   {"ranges":[{"type":"ECOSYSTEM"}]}]})")
            << u"affected[0].ranges[0].events is missing"_s;
        QTest::newRow("event two kinds")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[
                   {"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0","fixed":"1"}]}]}]})")
            << u"affected[0].ranges[0].events[0] must have exactly one of"_s;
        QTest::newRow("event number")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[
                   {"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":1}]}]}]})")
            << u"affected[0].ranges[0].events[0].fixed must be a string"_s;
        QTest::newRow("package name")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[
                   {"package":{"ecosystem":"Debian:12","name":["x"]}}]})")
            << u"affected[0].package.name must be a string, not an array"_s;
        QTest::newRow("severity score")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z",
                   "severity":[{"type":"CVSS_V3"}]})")
            << u"severity[0].score is missing"_s;
        QTest::newRow("ecosystem_specific")
            << QByteArray(R"({"id":"A","modified":"2024-01-01T00:00:00Z","affected":[
                   {"ecosystem_specific":"x"}]})")
            << u"affected[0].ecosystem_specific must be an object"_s;
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!OsvRecord::fromJson(json, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void sizeBound()
    {
        const QByteArray json = readData(u"osv/ubuntu/UBUNTU-CVE-2025-15467.json"_s);
        QString error;
        QVERIFY(!OsvRecord::fromJson(json, &error, json.size() - 1));
        QVERIFY2(error.contains(u"limit"_s), qPrintable(error));
        QVERIFY(OsvRecord::fromJson(json, &error, json.size()));
    }
};

QTEST_GUILESS_MAIN(TestOsvRecord)
#include "tst_OsvRecord.moc"
