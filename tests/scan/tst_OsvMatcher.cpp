// OsvMatcher against the real Ubuntu records (verdicts per tests/data/README.md, written out
// by hand below) and against synthetic records that exercise every event kind.

#include "scan/vuln/OsvMatcher.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

const QString kJammy = u"Ubuntu:22.04:LTS"_s;

OsvRecord loadUbuntu(const QString &fileName)
{
    QFile file(QStringLiteral(WHARF_TEST_DATA_DIR "/osv/ubuntu/") + fileName);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    QString error;
    auto record = OsvRecord::fromJson(file.readAll(), &error);
    if (!record)
        qFatal("%s: %s", qPrintable(fileName), qPrintable(error));
    return *record;
}

OsvRecord synthetic(const QByteArray &json)
{
    QString error;
    auto record = OsvRecord::fromJson(json, &error);
    if (!record)
        qFatal("synthetic record: %s", qPrintable(error));
    return *record;
}

// One affected entry with the given ranges JSON (and optional extra members).
OsvRecord withAffected(const QByteArray &ecosystem, const QByteArray &name,
                       const QByteArray &members, const QByteArray &topLevel = {})
{
    return synthetic(R"({"id":"TEST-1","modified":"2024-05-01T00:00:00Z",)" + topLevel +
                     R"("affected":[{"package":{"ecosystem":")" + ecosystem + R"(","name":")" +
                     name + R"("},)" + members + "}]}");
}

// Installed source versions in tests/data/pkgdb/ubuntu-22.04-dpkg-status, found by reading the
// file so the hand-written verdicts below provably refer to the real image.
QHash<QString, QString> installedSources()
{
    QFile file(QStringLiteral(WHARF_TEST_DATA_DIR "/pkgdb/ubuntu-22.04-dpkg-status"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot open the dpkg status file");
    QHash<QString, QString> sources;
    const QString text = QString::fromUtf8(file.readAll());
    for (const QString &stanza : text.split(u"\n\n"_s, Qt::SkipEmptyParts)) {
        QString package, version, source, sourceVersion;
        for (const QString &line : stanza.split(u'\n')) {
            if (line.startsWith(u"Package: "_s))
                package = line.sliced(9).trimmed();
            else if (line.startsWith(u"Version: "_s))
                version = line.sliced(9).trimmed();
            else if (line.startsWith(u"Source: "_s)) {
                const QString value = line.sliced(8).trimmed();
                const qsizetype paren = value.indexOf(u'(');
                source = (paren < 0 ? value : value.first(paren)).trimmed();
                if (paren >= 0)
                    sourceVersion = value.sliced(paren + 1).chopped(1).trimmed();
            }
        }
        if (package.isEmpty())
            continue;
        sources.insert(source.isEmpty() ? package : source,
                       sourceVersion.isEmpty() ? version : sourceVersion);
    }
    return sources;
}

} // namespace

class TestOsvMatcher : public QObject
{
    Q_OBJECT

private slots:
    void ubuntuVerdicts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("version");
        QTest::addColumn<bool>("vulnerable");
        QTest::addColumn<QString>("fixed");
        QTest::addColumn<int>("severity");
        QTest::addColumn<int>("severitySource");
        QTest::addColumn<double>("cvss"); // -1: none
        QTest::addColumn<int>("vendor");

        const int none = int(SeveritySource::None);
        const int cvss = int(SeveritySource::Cvss);
        // Six vulnerable: three with a fix, three unfixed.
        QTest::newRow("openssl CVE-2025-15467")
            << u"UBUNTU-CVE-2025-15467.json"_s << u"openssl"_s << u"3.0.2-0ubuntu1.20"_s << true
            << u"3.0.2-0ubuntu1.21"_s << int(Severity::Critical) << cvss << 9.8
            << int(Severity::Medium);
        QTest::newRow("openssl USN-7980-1")
            << u"USN-7980-1.json"_s << u"openssl"_s << u"3.0.2-0ubuntu1.20"_s << true
            << u"3.0.2-0ubuntu1.21"_s << int(Severity::High) << cvss << 8.8
            << int(Severity::Medium);
        QTest::newRow("gnupg2 CVE-2025-68973")
            << u"UBUNTU-CVE-2025-68973.json"_s << u"gnupg2"_s << u"2.2.27-3ubuntu2.4"_s << true
            << u"2.2.27-3ubuntu2.5"_s << int(Severity::High) << cvss << 7.8 << int(Severity::High);
        QTest::newRow("libgcrypt20 CVE-2024-2236 unfixed")
            << u"CVE-2024-2236.json"_s << u"libgcrypt20"_s << u"1.9.4-3ubuntu3"_s << true
            << QString() << int(Severity::Unknown) << none << -1.0 << int(Severity::Unknown);
        QTest::newRow("glibc CVE-2026-0861 unfixed")
            << u"UBUNTU-CVE-2026-0861.json"_s << u"glibc"_s << u"2.35-0ubuntu3.11"_s << true
            << QString() << int(Severity::High) << cvss << 8.4 << int(Severity::Medium);
        QTest::newRow("shadow CVE-2023-29383 unfixed")
            << u"UBUNTU-CVE-2023-29383.json"_s << u"shadow"_s << u"1:4.8.1-2ubuntu2.2"_s << true
            << QString() << int(Severity::Low) << cvss << 3.3 << int(Severity::Low);
        // Six not vulnerable (fixed before or exactly at the installed version).
        QTest::newRow("tar CVE-2022-48303")
            << u"UBUNTU-CVE-2022-48303.json"_s << u"tar"_s << u"1.34+dfsg-1ubuntu0.1.22.04.2"_s
            << false << QString() << 0 << 0 << -1.0 << 0;
        QTest::newRow("tar USN-5900-1")
            << u"USN-5900-1.json"_s << u"tar"_s << u"1.34+dfsg-1ubuntu0.1.22.04.2"_s << false
            << QString() << 0 << 0 << -1.0 << 0;
        QTest::newRow("sqlite3 CVE-2025-6965 boundary")
            << u"UBUNTU-CVE-2025-6965.json"_s << u"sqlite3"_s << u"3.37.2-2ubuntu0.5"_s << false
            << QString() << 0 << 0 << -1.0 << 0;
        QTest::newRow("pam CVE-2025-6020")
            << u"UBUNTU-CVE-2025-6020.json"_s << u"pam"_s << u"1.4.0-11ubuntu2.6"_s << false
            << QString() << 0 << 0 << -1.0 << 0;
        QTest::newRow("libcap2 CVE-2025-1390 epoch")
            << u"UBUNTU-CVE-2025-1390.json"_s << u"libcap2"_s << u"1:2.44-1ubuntu0.22.04.2"_s
            << false << QString() << 0 << 0 << -1.0 << 0;
        QTest::newRow("libtasn1-6 CVE-2024-12133")
            << u"UBUNTU-CVE-2024-12133.json"_s << u"libtasn1-6"_s << u"4.18.0-4ubuntu0.1"_s << false
            << QString() << 0 << 0 << -1.0 << 0;
    }
    void ubuntuVerdicts()
    {
        QFETCH(QString, file);
        QFETCH(QString, source);
        QFETCH(QString, version);
        QFETCH(bool, vulnerable);
        QFETCH(QString, fixed);
        QFETCH(int, severity);
        QFETCH(int, severitySource);
        QFETCH(double, cvss);
        QFETCH(int, vendor);

        static const QHash<QString, QString> installed = installedSources();
        QCOMPARE(installed.value(source), version);

        const OsvRecord record = loadUbuntu(file);
        const auto finding = OsvMatcher::match(record, kJammy, source, version);
        QCOMPARE(finding.has_value(), vulnerable);
        if (!finding)
            return;
        QCOMPARE(finding->id, record.id());
        QCOMPARE(finding->fixedVersion, fixed);
        QCOMPARE(int(finding->severity), severity);
        QCOMPARE(int(finding->severitySource), severitySource);
        QCOMPARE(finding->cvssScore.value_or(-1.0), cvss);
        QCOMPARE(int(finding->vendorSeverity), vendor);
        QCOMPARE(finding->ecosystem, kJammy);
        QCOMPARE(finding->packageName, source);
        QCOMPARE(finding->installedVersion, version);
        QVERIFY(finding->modified.isValid());
    }

    void ubuntuCveIdentifiers()
    {
        const auto finding = OsvMatcher::match(loadUbuntu(u"UBUNTU-CVE-2025-15467.json"_s), kJammy,
                                               u"openssl", u"3.0.2-0ubuntu1.20");
        QVERIFY(finding);
        QCOMPARE(finding->aliases, QStringList{u"CVE-2025-15467"_s});
        QCOMPARE(finding->summary, QString()); // Ubuntu CVE records carry details only
        QVERIFY(finding->primaryUrl.startsWith(u"https://"_s));
    }

    void ubuntuExactEcosystem()
    {
        const OsvRecord record = loadUbuntu(u"UBUNTU-CVE-2025-15467.json"_s);
        // Fixed in the plain jammy archive...
        QVERIFY(!OsvMatcher::match(record, kJammy, u"openssl", u"3.0.2-0ubuntu1.21"));
        // ...but the FIPS stream of the same release has its own, later fix.
        const auto fips = OsvMatcher::match(record, u"Ubuntu:Pro:FIPS-updates:22.04:LTS",
                                            u"openssl", u"3.0.2-0ubuntu1.21");
        QVERIFY(fips);
        QCOMPARE(fips->fixedVersion, u"3.0.2-0ubuntu1.21+Fips1"_s);
        // Ubuntu:Pro:22.04:LTS lists only nodejs in this record.
        QVERIFY(
            !OsvMatcher::match(record, u"Ubuntu:Pro:22.04:LTS", u"openssl", u"3.0.2-0ubuntu1.20"));
        QVERIFY(OsvMatcher::match(record, u"Ubuntu:Pro:22.04:LTS", u"nodejs",
                                  u"12.22.9~dfsg-1ubuntu3"));
        // A prefix or case variant of the ecosystem is not the ecosystem.
        QVERIFY(!OsvMatcher::match(record, u"Ubuntu:22.04", u"openssl", u"3.0.2-0ubuntu1.20"));
        QVERIFY(!OsvMatcher::match(record, u"ubuntu:22.04:lts", u"openssl", u"3.0.2-0ubuntu1.20"));
        // Package names are exact too.
        QVERIFY(!OsvMatcher::match(record, kJammy, u"OpenSSL", u"3.0.2-0ubuntu1.20"));
        QVERIFY(!OsvMatcher::match(record, kJammy, u"libssl3", u"3.0.2-0ubuntu1.20"));
    }

    void introducedFixedWithEpochs()
    {
        const OsvRecord record =
            withAffected("Debian:12", "zlib",
                         R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1:1.2.0-1"},
                {"fixed":"1:1.2.13.dfsg-1"}]}])");
        const QString eco = u"Debian:12"_s;
        const auto vulnerable = OsvMatcher::match(record, eco, u"zlib", u"1:1.2.11.dfsg-2");
        QVERIFY(vulnerable);
        QCOMPARE(vulnerable->fixedVersion, u"1:1.2.13.dfsg-1"_s);
        QVERIFY(OsvMatcher::match(record, eco, u"zlib", u"1:1.2.0-1")); // introduced is inclusive
        QVERIFY(!OsvMatcher::match(record, eco, u"zlib", u"1.2.11.dfsg-2"));   // epoch 0 < 1
        QVERIFY(!OsvMatcher::match(record, eco, u"zlib", u"1:1.2.13.dfsg-1")); // fixed exclusive
        QVERIFY(!OsvMatcher::match(record, eco, u"zlib", u"1:1.2.13.dfsg-1+deb12u1"));
        QVERIFY(!OsvMatcher::match(record, eco, u"zlib", u"1:1.1.4-1"));
        QVERIFY(!OsvMatcher::match(record, u"Debian:11", u"zlib", u"1:1.2.11.dfsg-2"));
    }

    void introducedZeroIsBelowEverything()
    {
        const OsvRecord record = withAffected(
            "Debian:12", "pkg", R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}])");
        // "0~" sorts below "0" in dpkg order; introduced "0" still covers it.
        QVERIFY(OsvMatcher::match(record, u"Debian:12", u"pkg", u"0~beta1"));
        QVERIFY(OsvMatcher::match(record, u"Debian:12", u"pkg", u"99:1.0"));
        QCOMPARE(OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0")->fixedVersion, QString());
    }

    void lastAffected()
    {
        const OsvRecord record =
            withAffected("Debian:12", "pkg",
                         R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0-1"},
                {"last_affected":"2.5-1"}]}])");
        const QString eco = u"Debian:12"_s;
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"1.9-1"));
        QVERIFY(OsvMatcher::match(record, eco, u"pkg", u"2.0-1"));
        QVERIFY(OsvMatcher::match(record, eco, u"pkg", u"2.5-1")); // last_affected is inclusive
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"2.5-1+b1"));
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"2.6-1"));
        QCOMPARE(OsvMatcher::match(record, eco, u"pkg", u"2.2-1")->fixedVersion, QString());
    }

    void limit()
    {
        // Two introduced events, a fix in between and a limit above both.
        const OsvRecord record = withAffected(
            "Debian:12", "pkg",
            R"("ranges":[{"type":"ECOSYSTEM","events":[{"limit":"4.0"},{"introduced":"3.0"},
                {"introduced":"0"},{"fixed":"2.0"}]}])");
        const QString eco = u"Debian:12"_s;
        QVERIFY(OsvMatcher::match(record, eco, u"pkg", u"1.0"));
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"2.0"));
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"2.9"));
        QVERIFY(OsvMatcher::match(record, eco, u"pkg", u"3.5"));
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"4.0")); // limit is exclusive
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"4.1"));

        const OsvRecord unbounded = withAffected(
            "Debian:12", "pkg",
            R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"limit":"*"}]}])");
        QVERIFY(OsvMatcher::match(unbounded, eco, u"pkg", u"99.0"));
        QVERIFY(!OsvMatcher::match(unbounded, eco, u"pkg", u"0.9"));
    }

    void multipleRangesAndSmallestFix()
    {
        // Events deliberately out of order; the matcher sorts them by version.
        const OsvRecord record = withAffected("Debian:12", "pkg",
                                              R"("ranges":[
                {"type":"ECOSYSTEM","events":[{"fixed":"2.3"},{"introduced":"2.0"}]},
                {"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.2"}]},
                {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.5"}]}])");
        const QString eco = u"Debian:12"_s;
        QCOMPARE(OsvMatcher::match(record, eco, u"pkg", u"1.1")->fixedVersion, u"1.2"_s);
        QCOMPARE(OsvMatcher::match(record, eco, u"pkg", u"1.3")->fixedVersion, u"1.5"_s);
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"1.5"));
        QCOMPARE(OsvMatcher::match(record, eco, u"pkg", u"2.1")->fixedVersion, u"2.3"_s);
        QVERIFY(!OsvMatcher::match(record, eco, u"pkg", u"2.3"));
    }

    void equalIntroducedAndFixed()
    {
        const OsvRecord record = withAffected(
            "Debian:12", "pkg",
            R"("ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"1.0"},{"introduced":"1.0"}]}])");
        QVERIFY(!OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0"));
    }

    void versionsOnly()
    {
        const OsvRecord record =
            withAffected("Debian:12", "pkg", R"("versions":["1.0-1","1.1-1"])");
        QVERIFY(OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0-1"));
        QVERIFY(OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.1-1"));
        QVERIFY(!OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0-2"));
        QCOMPARE(OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0-1")->fixedVersion,
                 QString());
    }

    void withdrawnNeverMatches()
    {
        const OsvRecord record = synthetic(
            R"({"id":"W-1","modified":"2024-05-01T00:00:00Z","withdrawn":"2024-05-02T00:00:00Z",
                "affected":[{"package":{"ecosystem":"Debian:12","name":"pkg"},
                "versions":["1.0"],
                "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]})");
        QVERIFY(record.isWithdrawn());
        QVERIFY(!OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0"));
    }

    void unknownEcosystem()
    {
        const OsvRecord record = withAffected(
            "PyPI", "requests",
            R"("versions":["2.0.0"],"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}])");
        // Ranges cannot be evaluated without a comparator; only listed versions match.
        QVERIFY(!OsvMatcher::match(record, u"PyPI", u"requests", u"2.1.0"));
        QVERIFY(OsvMatcher::match(record, u"PyPI", u"requests", u"2.0.0"));
    }

    void alpine()
    {
        const OsvRecord record =
            withAffected("Alpine:v3.20", "openssl",
                         R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},
                {"fixed":"3.3.2-r1"}]}])");
        const QString eco = u"Alpine:v3.20"_s;
        QCOMPARE(OsvMatcher::match(record, eco, u"openssl", u"3.3.2-r0")->fixedVersion,
                 u"3.3.2-r1"_s);
        QVERIFY(OsvMatcher::match(record, eco, u"openssl", u"3.3.2_rc1-r0"));
        QVERIFY(OsvMatcher::match(record, eco, u"openssl", u"3.3.1-r9"));
        QVERIFY(!OsvMatcher::match(record, eco, u"openssl", u"3.3.2-r1"));
        QVERIFY(!OsvMatcher::match(record, eco, u"openssl", u"3.3.10-r0")); // not text order
        QVERIFY(!OsvMatcher::match(record, u"Alpine:v3.19", u"openssl", u"3.3.2-r0"));
    }

    void semverRange()
    {
        const OsvRecord record = withAffected(
            "npm", "lodash",
            R"("ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.2.3"}]}])");
        QVERIFY(OsvMatcher::match(record, u"npm", u"lodash", u"1.2.3-rc.1"));
        QVERIFY(OsvMatcher::match(record, u"npm", u"lodash", u"1.2.2"));
        QVERIFY(!OsvMatcher::match(record, u"npm", u"lodash", u"1.10.0"));
    }

    void gitRangesIgnored()
    {
        const OsvRecord record =
            withAffected("Debian:12", "pkg",
                         R"("ranges":[{"type":"GIT","repo":"https:\/\/example.org\/x.git",
                "events":[{"introduced":"0"}]}])");
        QVERIFY(!OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0"));
    }

    void severityFromAffectedCvss()
    {
        const OsvRecord record = withAffected(
            "Debian:12", "pkg",
            R"("severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
               "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}])",
            R"("severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"}],)");
        const auto finding = OsvMatcher::match(record, u"Debian:12", u"pkg", u"1.0");
        QVERIFY(finding);
        // The higher of the top-level (3.1) and per-package (7.5) scores wins.
        QCOMPARE(finding->cvssScore.value_or(-1), 7.5);
        QCOMPARE(finding->severity, Severity::High);
        QCOMPARE(finding->cvssVector, u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"_s);
    }

    void severityFallbacks()
    {
        const QByteArray range = R"("ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}])";
        // Only a CVSS v4 vector: not scored, falls through to the Ubuntu priority.
        const OsvRecord v4 = withAffected(
            "Debian:12", "pkg", range,
            R"("severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
                           {"type":"Ubuntu","score":"negligible"}],)");
        auto finding = OsvMatcher::match(v4, u"Debian:12", u"pkg", u"1.0");
        QCOMPARE(finding->severity, Severity::Negligible);
        QCOMPARE(finding->severitySource, SeveritySource::Vendor);
        QVERIFY(!finding->cvssScore);

        // An unparsable CVSS vector is ignored, ecosystem_specific.ubuntu_priority used.
        const OsvRecord priority = withAffected(
            "Debian:12", "pkg", range + R"(,"ecosystem_specific":{"ubuntu_priority":"high"})",
            R"("severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N"}],)");
        finding = OsvMatcher::match(priority, u"Debian:12", u"pkg", u"1.0");
        QCOMPARE(finding->severity, Severity::High);
        QCOMPARE(finding->severitySource, SeveritySource::Vendor);

        // GHSA-style database_specific.severity.
        const OsvRecord database = withAffected("Debian:12", "pkg", range,
                                                R"("database_specific":{"severity":"MODERATE"},)");
        finding = OsvMatcher::match(database, u"Debian:12", u"pkg", u"1.0");
        QCOMPARE(finding->severity, Severity::Medium);
        QCOMPARE(finding->severitySource, SeveritySource::Database);

        // Nothing at all.
        const OsvRecord bare = withAffected("Debian:12", "pkg", range);
        finding = OsvMatcher::match(bare, u"Debian:12", u"pkg", u"1.0");
        QCOMPARE(finding->severity, Severity::Unknown);
        QCOMPARE(finding->severitySource, SeveritySource::None);
    }

    void recordLevelSeverity()
    {
        // Over all entries, USN-7980-1's worst per-CVE vector is 8.8 (jammy/noble) and the
        // 25.10 entry adds nothing higher.
        const auto assessment = OsvMatcher::assessSeverity(loadUbuntu(u"USN-7980-1.json"_s));
        QCOMPARE(assessment.cvssScore.value_or(-1), 8.8);
        QCOMPARE(assessment.severity, Severity::High);
        QCOMPARE(assessment.vendorSeverity, Severity::Medium);
    }
};

QTEST_GUILESS_MAIN(TestOsvMatcher)
#include "tst_OsvMatcher.moc"
