// CVSS v3 parsing, base scores for every row of tests/data/cvss31.tsv, Roundup and the
// validation errors.

#include "scan/vuln/Cvss3.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

class TestCvss3 : public QObject
{
    Q_OBJECT

private slots:
    void vectors_data()
    {
        QTest::addColumn<QString>("vector");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("rating");
        QFile file(QStringLiteral(WHARF_TEST_DATA_DIR "/cvss31.tsv"));
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        int rows = 0;
        int line = 0;
        while (!file.atEnd()) {
            ++line;
            const QString text = QString::fromUtf8(file.readLine()).trimmed();
            if (text.isEmpty() || text.startsWith(u'#'))
                continue;
            const QStringList fields = text.split(u'\t');
            QCOMPARE(fields.size(), 3);
            bool ok = false;
            const double score = fields[1].toDouble(&ok);
            QVERIFY(ok);
            QTest::addRow("line %d %s", line, qPrintable(fields[0]))
                << fields[0] << score << fields[2];
            ++rows;
        }
        QCOMPARE(rows, 12);
    }
    void vectors()
    {
        QFETCH(QString, vector);
        QFETCH(double, score);
        QFETCH(QString, rating);
        QString error;
        const auto cvss = Cvss3::parse(vector, &error);
        QVERIFY2(cvss, qPrintable(error));
        QCOMPARE(cvss->baseScore(), score);
        QCOMPARE(Cvss3::qualitativeRating(cvss->baseScore()), rating);
        QCOMPARE(cvss->version(), Cvss3::Version::V3_1);
        QCOMPARE(cvss->vector(), vector);
        // The 0.0 "None" rating is Wharf's Negligible; the rest map one to one.
        const Severity expected =
            rating == u"None" ? Severity::Negligible : severityFromName(rating);
        QCOMPARE(cvss->severity(), expected);
    }

    void version30()
    {
        const auto cvss = Cvss3::parse(u"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        QVERIFY(cvss);
        QCOMPARE(cvss->version(), Cvss3::Version::V3_0);
        QCOMPARE(cvss->baseScore(), 9.8);
    }

    void temporalAndEnvironmentalIgnored()
    {
        const auto cvss = Cvss3::parse(
            u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L"_s);
        QVERIFY(cvss);
        QCOMPARE(cvss->baseScore(), 9.8);
    }

    void orderDoesNotMatter()
    {
        const auto cvss = Cvss3::parse(u"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N");
        QVERIFY(cvss);
        QCOMPARE(cvss->baseScore(), 9.8);
    }

    void realUbuntuVectors()
    {
        // Vectors from the Ubuntu OSV records in tests/data/osv/ubuntu; scores worked out by hand
        // from the v3.1 equations.
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H")->baseScore(), 5.5);
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N")->baseScore(), 3.3);
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L")->baseScore(), 5.3);
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:N")->baseScore(), 7.8);
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H")->baseScore(), 7.8);
        QCOMPARE(Cvss3::parse(u"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H")->baseScore(), 8.8);
    }

    void roundUp()
    {
        QCOMPARE(Cvss3::roundUp(4.0), 4.0);
        QCOMPARE(Cvss3::roundUp(4.02), 4.1);
        // Floating-point noise just above a tenth must not bump it (the v3.1 Roundup fix).
        QCOMPARE(Cvss3::roundUp(4.000000000000001), 4.0);
        QCOMPARE(Cvss3::roundUp(0.0), 0.0);
        QCOMPARE(Cvss3::roundUp(9.99), 10.0);
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("vector");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << u"prefix"_s;
        QTest::newRow("v2") << u"AV:N/AC:L/Au:N/C:P/I:P/A:P"_s << u"prefix"_s;
        QTest::newRow("v4") << u"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"_s
                            << u"prefix"_s;
        QTest::newRow("missing A")
            << u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"_s << u"missing base metric A"_s;
        QTest::newRow("duplicate")
            << u"CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"_s << u"more than once"_s;
        QTest::newRow("bad value")
            << u"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"_s << u"invalid value"_s;
        QTest::newRow("unknown metric")
            << u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1"_s << u"unknown metric"_s;
        QTest::newRow("trailing slash")
            << u"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"_s << u"malformed"_s;
        QTest::newRow("long value")
            << u"CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"_s << u"malformed"_s;
    }
    void invalid()
    {
        QFETCH(QString, vector);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!Cvss3::parse(vector, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void severityNames()
    {
        QCOMPARE(severityFromName(u"negligible"), Severity::Negligible);
        QCOMPARE(severityFromName(u"MODERATE"), Severity::Medium);
        QCOMPARE(severityFromName(u"Important"), Severity::High);
        QCOMPARE(severityFromName(u"untriaged"), Severity::Unknown);
        QCOMPARE(trivySeverityName(Severity::Negligible), u"LOW"_s);
        QCOMPARE(trivySeverityName(Severity::Unknown), u"UNKNOWN"_s);
        QCOMPARE(severityFromScore(-1.0), Severity::Unknown);
        QCOMPARE(severityFromScore(0.0), Severity::Negligible);
        QCOMPARE(severityFromScore(3.9), Severity::Low);
        QCOMPARE(severityFromScore(6.9), Severity::Medium);
        QCOMPARE(severityFromScore(7.0), Severity::High);
        QCOMPARE(severityFromScore(9.0), Severity::Critical);
    }
};

QTEST_GUILESS_MAIN(TestCvss3)
#include "tst_Cvss3.moc"
