#include "OsDetector.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

using Files = QMap<QString, QByteArray>;
Q_DECLARE_METATYPE(Files)

class TestOsDetector : public QObject
{
    Q_OBJECT

private slots:
    void detect_data();
    void detect();
    void keyValues();
    void ecosystems_data();
    void ecosystems();
};

void TestOsDetector::detect_data()
{
    QTest::addColumn<Files>("files");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("versionId");
    QTest::addColumn<QString>("ecosystem");
    QTest::addColumn<QString>("prettyName");

    const QByteArray ubuntuOsRelease =
        "PRETTY_NAME=\"Ubuntu 22.04.5 LTS\"\nNAME=\"Ubuntu\"\n"
        "VERSION_ID=\"22.04\"\nVERSION=\"22.04.5 LTS (Jammy Jellyfish)\"\n"
        "VERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n";
    QTest::newRow("ubuntu with debian_version")
        << Files{{u"etc/os-release"_s, ubuntuOsRelease},
                 {u"etc/debian_version"_s, "bookworm/sid\n"},
                 {u"etc/lsb-release"_s, "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n"}}
        << u"ubuntu"_s << u"22.04"_s << u"Ubuntu:22.04:LTS"_s << u"Ubuntu 22.04.5 LTS"_s;
    QTest::newRow("ubuntu from lsb-release only")
        << Files{{u"etc/debian_version"_s, "bullseye/sid\n"},
                 {u"etc/lsb-release"_s, "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\n"
                                        "DISTRIB_CODENAME=focal\n"
                                        "DISTRIB_DESCRIPTION=\"Ubuntu 20.04.6 LTS\"\n"}}
        << u"ubuntu"_s << u"20.04"_s << u"Ubuntu:20.04:LTS"_s << u"Ubuntu 20.04.6 LTS"_s;
    QTest::newRow("ubuntu interim")
        << Files{{u"usr/lib/os-release"_s, "ID=ubuntu\nVERSION_ID=\"23.10\"\nNAME=Ubuntu\n"}}
        << u"ubuntu"_s << u"23.10"_s << u"Ubuntu:23.10"_s << u"Ubuntu 23.10"_s;
    QTest::newRow("ubuntu odd-year april is not LTS")
        << Files{{u"etc/os-release"_s, "ID=ubuntu\nVERSION_ID=\"21.04\"\n"}} << u"ubuntu"_s
        << u"21.04"_s << u"Ubuntu:21.04"_s << QString();
    QTest::newRow("debian 12")
        << Files{{u"etc/os-release"_s,
                  "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                  "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n"},
                 {u"etc/debian_version"_s, "12.4\n"}}
        << u"debian"_s << u"12"_s << u"Debian:12"_s << u"Debian GNU/Linux 12 (bookworm)"_s;
    QTest::newRow("debian_version only")
        << Files{{u"etc/debian_version"_s, "12.4\n"}} << u"debian"_s << u"12"_s << u"Debian:12"_s
        << u"Debian GNU/Linux 12"_s;
    QTest::newRow("debian sid")
        << Files{{u"etc/os-release"_s, "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n"},
                 {u"etc/debian_version"_s, "trixie/sid\n"}}
        << u"debian"_s << QString() << QString() << u"Debian GNU/Linux trixie/sid"_s;
    QTest::newRow("alpine 3.20.3")
        << Files{{u"etc/os-release"_s, "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"
                                       "PRETTY_NAME=\"Alpine Linux v3.20\"\n"},
                 {u"etc/alpine-release"_s, "3.20.3\n"}}
        << u"alpine"_s << u"3.20.3"_s << u"Alpine:v3.20"_s << u"Alpine Linux v3.20"_s;
    QTest::newRow("alpine-release only")
        << Files{{u"etc/alpine-release"_s, "3.19.1\n"}} << u"alpine"_s << u"3.19.1"_s
        << u"Alpine:v3.19"_s << u"Alpine Linux 3.19.1"_s;
    QTest::newRow("rocky")
        << Files{{u"etc/os-release"_s, "NAME=\"Rocky Linux\"\nID=\"rocky\"\nVERSION_ID=\"9.3\"\n"},
                 {u"etc/redhat-release"_s, "Rocky Linux release 9.3 (Blue Onyx)\n"}}
        << u"rocky"_s << u"9.3"_s << u"Rocky Linux:9"_s << u"Rocky Linux 9.3"_s;
    QTest::newRow("centos 7 redhat-release only")
        << Files{{u"etc/redhat-release"_s, "CentOS Linux release 7.9.2009 (Core)\n"}} << u"centos"_s
        << u"7.9.2009"_s << QString() << u"CentOS Linux release 7.9.2009 (Core)"_s;
    QTest::newRow("unknown distribution")
        << Files{{u"etc/os-release"_s, "ID=myos\nVERSION_ID=1.0\nNAME='My OS'\n"}} << u"myos"_s
        << u"1.0"_s << QString() << u"My OS 1.0"_s;
    QTest::newRow("nothing") << Files{} << QString() << QString() << QString() << QString();
    QTest::newRow("empty etc/os-release falls back")
        << Files{{u"etc/os-release"_s, "\n"},
                 {u"usr/lib/os-release"_s, "ID=debian\nVERSION_ID=11\n"}}
        << u"debian"_s << u"11"_s << u"Debian:11"_s << QString();
}

void TestOsDetector::detect()
{
    QFETCH(Files, files);
    QFETCH(QString, id);
    QFETCH(QString, versionId);
    QFETCH(QString, ecosystem);
    QFETCH(QString, prettyName);
    const OsInfo os = OsDetector::detect(files);
    QCOMPARE(os.id, id);
    QCOMPARE(os.versionId, versionId);
    QCOMPARE(os.ecosystem, ecosystem);
    if (!prettyName.isEmpty())
        QCOMPARE(os.prettyName, prettyName);
    QCOMPARE(os.isKnown(), !id.isEmpty());
}

void TestOsDetector::keyValues()
{
    const QMap<QString, QString> kv = OsDetector::parseKeyValues(
        "# comment\nA=plain\nB=\"double \\\"quoted\\\" \\$x\"\nC='single \"x\"'\r\n"
        "  D = spaced  \nnoequals\n=novalue\nE=\n");
    QCOMPARE(kv.value(u"A"_s), u"plain"_s);
    QCOMPARE(kv.value(u"B"_s), u"double \"quoted\" $x"_s);
    QCOMPARE(kv.value(u"C"_s), u"single \"x\""_s);
    QCOMPARE(kv.value(u"D"_s), u"spaced"_s);
    QVERIFY(kv.contains(u"E"_s));
    QCOMPARE(kv.size(), 5);
}

void TestOsDetector::ecosystems_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("ecosystem");
    QTest::newRow("debian 11.9") << u"debian"_s << u"11.9"_s << u"Debian:11"_s;
    QTest::newRow("ubuntu 24.04.1") << u"ubuntu"_s << u"24.04"_s << u"Ubuntu:24.04:LTS"_s;
    QTest::newRow("ubuntu 24.10") << u"ubuntu"_s << u"24.10"_s << u"Ubuntu:24.10"_s;
    QTest::newRow("ubuntu garbage") << u"ubuntu"_s << u"jammy"_s << QString();
    QTest::newRow("alpine edge") << u"alpine"_s << u"3.21_alpha20240807"_s << u"Alpine:v3.21"_s;
    QTest::newRow("alpine garbage") << u"alpine"_s << u"edge"_s << QString();
    QTest::newRow("almalinux") << u"almalinux"_s << u"8.9"_s << u"AlmaLinux:8"_s;
    QTest::newRow("wolfi") << u"wolfi"_s << u"20230201"_s << u"Wolfi"_s;
    QTest::newRow("rhel") << u"rhel"_s << u"9.3"_s << QString();
}

void TestOsDetector::ecosystems()
{
    QFETCH(QString, id);
    QFETCH(QString, version);
    QFETCH(QString, ecosystem);
    QCOMPARE(OsDetector::ecosystemFor(id, version), ecosystem);
}

QTEST_GUILESS_MAIN(TestOsDetector)
#include "tst_OsDetector.moc"
