// Every row of tests/data/versions-{deb,apk,rpm}.tsv through the matching comparator, in both
// directions, plus the edge cases the TSV files do not cover.

#include "scan/version/ApkVersion.h"
#include "scan/version/DebianVersion.h"
#include "scan/version/RpmVersion.h"
#include "scan/version/SemanticVersion.h"
#include "scan/version/VersionScheme.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

struct Row
{
    int line = 0;
    QString a;
    QString op;
    QString b;
};

QList<Row> readRows(const QString &fileName)
{
    QFile file(QStringLiteral(WHARF_TEST_DATA_DIR "/") + fileName);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    QList<Row> rows;
    int line = 0;
    while (!file.atEnd()) {
        ++line;
        const QString text = QString::fromUtf8(file.readLine()).trimmed();
        if (text.isEmpty() || text.startsWith(u'#'))
            continue;
        const QStringList fields = text.split(u'\t');
        if (fields.size() != 3)
            qFatal("%s:%d: expected 3 tab-separated fields", qPrintable(fileName), line);
        rows.append({line, fields[0], fields[1], fields[2]});
    }
    return rows;
}

int expectedSign(const QString &op)
{
    if (op == u"<")
        return -1;
    if (op == u">")
        return 1;
    if (op == u"=")
        return 0;
    qFatal("unknown operator %s", qPrintable(op));
}

int sign(int v)
{
    return (v > 0) - (v < 0);
}

void addRows(const QString &fileName, int expectedCount)
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    const QList<Row> rows = readRows(fileName);
    // Guards against a silently truncated or mis-parsed data file.
    QCOMPARE(rows.size(), expectedCount);
    for (const Row &row : rows) {
        QTest::addRow("%s:%d %s %s %s", qPrintable(fileName), row.line, qPrintable(row.a),
                      qPrintable(row.op), qPrintable(row.b))
            << row.a << row.b << expectedSign(row.op);
    }
}

} // namespace

class TestVersionCompare : public QObject
{
    Q_OBJECT

private slots:
    void debianRows_data() { addRows(u"versions-deb.tsv"_s, 23); }
    void debianRows()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        QCOMPARE(sign(DebianVersion::compare(a, b)), expected);
        QCOMPARE(sign(DebianVersion::compare(b, a)), -expected);
        QCOMPARE(sign(compareVersions(VersionScheme::Debian, a, b)), expected);
        QCOMPARE(DebianVersion::compare(a, a), 0);
    }

    void apkRows_data() { addRows(u"versions-apk.tsv"_s, 16); }
    void apkRows()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        QVERIFY2(ApkVersion::isValid(a), qPrintable(a));
        QVERIFY2(ApkVersion::isValid(b), qPrintable(b));
        QCOMPARE(sign(ApkVersion::compare(a, b)), expected);
        QCOMPARE(sign(ApkVersion::compare(b, a)), -expected);
        QCOMPARE(sign(compareVersions(VersionScheme::Apk, a, b)), expected);
    }

    void rpmRows_data() { addRows(u"versions-rpm.tsv"_s, 20); }
    void rpmRows()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        QCOMPARE(sign(RpmVersion::compare(a, b)), expected);
        QCOMPARE(sign(RpmVersion::compare(b, a)), -expected);
        QCOMPARE(sign(compareVersions(VersionScheme::Rpm, a, b)), expected);
    }

    void debianEdgeCases()
    {
        // Epoch wins over everything after it; a huge epoch does not overflow.
        QVERIFY(DebianVersion::compare(u"1:0.1", u"0:99.99") > 0);
        QVERIFY(DebianVersion::compare(u"99999999999999999999:1", u"9999999999999999999:1") > 0);
        // Missing revision equals revision "0"; "~" sorts before the end of the string.
        QCOMPARE(DebianVersion::compare(u"1.2", u"1.2-0"), 0);
        QVERIFY(DebianVersion::compare(u"1.2~rc1-1", u"1.2-1") < 0);
        // Ubuntu security updates: the numeric tail of the revision is numeric.
        QVERIFY(DebianVersion::compare(u"3.0.2-0ubuntu1.20", u"3.0.2-0ubuntu1.21") < 0);
        QVERIFY(DebianVersion::compare(u"3.0.2-0ubuntu1.9", u"3.0.2-0ubuntu1.10") < 0);
        QVERIFY(DebianVersion::compare(u"1.34+dfsg-1ubuntu0.1.22.04.2",
                                       u"1.34+dfsg-1ubuntu0.1.22.04.1") > 0);
        // Non-alphanumeric characters sort after letters ('+' > 'a').
        QVERIFY(DebianVersion::compare(u"1.0+a", u"1.0a") > 0);

        const auto parts = DebianVersion::split(u"1:2.3-4-5");
        QCOMPARE(parts.epoch.toString(), u"1"_s);
        QCOMPARE(parts.upstream.toString(), u"2.3-4"_s);
        QCOMPARE(parts.revision.toString(), u"5"_s);

        QVERIFY(DebianVersion::isValid(u"1:2.44-1ubuntu0.22.04.2"));
        QVERIFY(DebianVersion::isValid(u"2.35-0ubuntu3.11"));
        QVERIFY(DebianVersion::isValid(u"1.0~rc1"));
        QString error;
        QVERIFY(!DebianVersion::isValid(u"", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!DebianVersion::isValid(u"a:1.0"));
        QVERIFY(!DebianVersion::isValid(u"1.0 1"));
        QVERIFY(!DebianVersion::isValid(u"1.0-"));
        QVERIFY(!DebianVersion::isValid(u"abc"));
        QVERIFY(!DebianVersion::isValid(u"1.0_1"));
        QVERIFY(!DebianVersion::isValid(u"1.0-1_2"));
    }

    void apkEdgeCases()
    {
        // A dotted component with a leading zero compares as text, as apk does.
        QVERIFY(ApkVersion::compare(u"1.02", u"1.1") < 0);
        QVERIFY(ApkVersion::compare(u"8.2.0015", u"8.2.002") < 0);
        // Numbers beyond 64 bits still order numerically.
        QVERIFY(ApkVersion::compare(u"1.99999999999999999999999", u"1.100000000000000000000000") <
                0);
        // Suffix ranks and numbers.
        QVERIFY(ApkVersion::compare(u"1.0_alpha", u"1.0_beta") < 0);
        QVERIFY(ApkVersion::compare(u"1.0_rc2", u"1.0") < 0);
        QVERIFY(ApkVersion::compare(u"1.0_git20240101", u"1.0") > 0);
        QVERIFY(ApkVersion::compare(u"1.0_p2", u"1.0_p10") < 0);
        // Revision: numeric, and absent is lower.
        QVERIFY(ApkVersion::compare(u"3.3.2-r9", u"3.3.2-r10") < 0);
        QCOMPARE(ApkVersion::compare(u"1.2.5-r0", u"1.2.5-r0"), 0);
        // Real versions from the Alpine 3.20 package database.
        QVERIFY(ApkVersion::compare(u"6.4_p20240420-r1", u"6.4_p20240420-r2") < 0);
        QVERIFY(ApkVersion::compare(u"1.36.1-r29", u"1.36.1-r30") < 0);
        QVERIFY(ApkVersion::compare(u"1.36.1-r29", u"1.37.0-r0") < 0);

        QVERIFY(ApkVersion::isValid(u"1.0_rc1~abc123-r4"));
        QVERIFY(!ApkVersion::isValid(u""));
        QVERIFY(!ApkVersion::isValid(u"1.0-1"));
        QVERIFY(!ApkVersion::isValid(u"1.0_foo"));
        QVERIFY(!ApkVersion::isValid(u"1.0-r1_p1"));
        QVERIFY(!ApkVersion::isValid(u"v1.0"));
        QVERIFY(!ApkVersion::isValid(u"1..0"));
        // Invalid versions fall back to plain string order (still antisymmetric).
        QVERIFY(ApkVersion::compare(u"abc", u"abd") < 0);
        QVERIFY(ApkVersion::compare(u"abd", u"abc") > 0);
    }

    void rpmEdgeCases()
    {
        const auto evr = RpmVersion::split(u"2:1.0.1-3.el9_2");
        QCOMPARE(evr.epoch.toString(), u"2"_s);
        QCOMPARE(evr.version.toString(), u"1.0.1"_s);
        QCOMPARE(evr.release.toString(), u"3.el9_2"_s);
        QVERIFY(RpmVersion::compare(u"1:1.0-1", u"2.0-1") > 0);
        QVERIFY(RpmVersion::compare(u"3.0.7-24.el9", u"3.0.7-25.el9") < 0);
        QVERIFY(RpmVersion::compare(u"1.0-1", u"1.0") > 0);
        QCOMPARE(RpmVersion::compareSegments(u"1.0", u"1.0."), 0);
    }

    void semver()
    {
        QVERIFY(SemanticVersion::compare(u"1.0.0-alpha", u"1.0.0-alpha.1") < 0);
        QVERIFY(SemanticVersion::compare(u"1.0.0-alpha.1", u"1.0.0-alpha.beta") < 0);
        QVERIFY(SemanticVersion::compare(u"1.0.0-beta.2", u"1.0.0-beta.11") < 0);
        QVERIFY(SemanticVersion::compare(u"1.0.0-rc.1", u"1.0.0") < 0);
        QVERIFY(SemanticVersion::compare(u"1.10.0", u"1.9.0") > 0);
        QCOMPARE(SemanticVersion::compare(u"v1.2.3", u"1.2.3+build.5"), 0);
        QCOMPARE(SemanticVersion::compare(u"1.2", u"1.2.0"), 0);
        QVERIFY(SemanticVersion::isValid(u"v0.0.1-0.3.7"));
        QVERIFY(!SemanticVersion::isValid(u"1.2.3.4"));
        QVERIFY(!SemanticVersion::isValid(u"1.x"));
    }

    void schemes_data()
    {
        QTest::addColumn<QString>("ecosystem");
        QTest::addColumn<int>("scheme");
        QTest::newRow("Debian:12") << u"Debian:12"_s << int(VersionScheme::Debian);
        QTest::newRow("Debian") << u"Debian"_s << int(VersionScheme::Debian);
        QTest::newRow("Ubuntu:22.04:LTS") << u"Ubuntu:22.04:LTS"_s << int(VersionScheme::Debian);
        QTest::newRow("Ubuntu:Pro:FIPS")
            << u"Ubuntu:Pro:FIPS-updates:22.04:LTS"_s << int(VersionScheme::Debian);
        QTest::newRow("Alpine:v3.20") << u"Alpine:v3.20"_s << int(VersionScheme::Apk);
        QTest::newRow("Wolfi") << u"Wolfi"_s << int(VersionScheme::Apk);
        QTest::newRow("Red Hat") << u"Red Hat:enterprise_linux:9::appstream"_s
                                 << int(VersionScheme::Rpm);
        QTest::newRow("Rocky Linux:9") << u"Rocky Linux:9"_s << int(VersionScheme::Rpm);
        QTest::newRow("SUSE") << u"SUSE:Linux Enterprise Server 15 SP5"_s
                              << int(VersionScheme::Rpm);
        QTest::newRow("npm") << u"npm"_s << int(VersionScheme::SemVer);
        QTest::newRow("PyPI") << u"PyPI"_s << int(VersionScheme::Unknown);
        QTest::newRow("lowercase") << u"debian:12"_s << int(VersionScheme::Unknown);
        QTest::newRow("empty") << QString() << int(VersionScheme::Unknown);
    }
    void schemes()
    {
        QFETCH(QString, ecosystem);
        QFETCH(int, scheme);
        QCOMPARE(int(schemeForEcosystem(ecosystem)), scheme);
    }

    void dispatch()
    {
        // The same pair orders differently per scheme: proof the dispatch is real.
        QVERIFY(compareVersions(VersionScheme::Debian, u"1.0~rc1", u"1.0") < 0);
        QVERIFY(compareVersions(VersionScheme::Unknown, u"1.0~rc1", u"1.0") > 0);
        QVERIFY(compareVersions(VersionScheme::Apk, u"1.0_rc1", u"1.0") < 0);
        QVERIFY(compareVersions(VersionScheme::Unknown, u"1.0_rc1", u"1.0") > 0);
        QVERIFY(isValidVersion(VersionScheme::Apk, u"1.2.3-r0"));
        QVERIFY(!isValidVersion(VersionScheme::Apk, u"1.2.3-0"));
        QVERIFY(isValidVersion(VersionScheme::Debian, u"1.2.3-0"));
        QCOMPARE(versionSchemeName(VersionScheme::Rpm), u"rpm"_s);
    }
};

QTEST_GUILESS_MAIN(TestVersionCompare)
#include "tst_VersionCompare.moc"
