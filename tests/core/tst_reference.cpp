#include "reference/Digest.h"
#include "reference/ImageReference.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;

class TestReference : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void invalid_data();
    void invalid();
    void inRegistry();
    void digests_data();
    void digests();
    void digestOfBytes();
};

void TestReference::parse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("apiHost");
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("familiar");

    const QString d = u"sha256:"_s + QString(64, u'a');
    QTest::newRow("hub one part") << u"nginx"_s << u"docker.io"_s << u"registry-1.docker.io"_s
                                  << u"library/nginx"_s << QString() << QString() << u"nginx"_s;
    QTest::newRow("hub tag") << u"nginx:1.25"_s << u"docker.io"_s << u"registry-1.docker.io"_s
                             << u"library/nginx"_s << u"1.25"_s << QString() << u"nginx:1.25"_s;
    QTest::newRow("hub user") << u"bitnami/redis:7"_s << u"docker.io"_s << u"registry-1.docker.io"_s
                              << u"bitnami/redis"_s << u"7"_s << QString() << u"bitnami/redis:7"_s;
    QTest::newRow("hub explicit") << u"docker.io/library/alpine"_s << u"docker.io"_s
                                  << u"registry-1.docker.io"_s << u"library/alpine"_s << QString()
                                  << QString() << u"alpine"_s;
    QTest::newRow("index.docker.io")
        << u"index.docker.io/alpine:3"_s << u"docker.io"_s << u"registry-1.docker.io"_s
        << u"library/alpine"_s << u"3"_s << QString() << u"alpine:3"_s;
    QTest::newRow("host port") << u"localhost:5000/team/app:v1.2.3"_s << u"localhost:5000"_s
                               << u"localhost:5000"_s << u"team/app"_s << u"v1.2.3"_s << QString()
                               << u"localhost:5000/team/app:v1.2.3"_s;
    QTest::newRow("localhost") << u"localhost/app"_s << u"localhost"_s << u"localhost"_s << u"app"_s
                               << QString() << QString() << u"localhost/app"_s;
    QTest::newRow("ghcr digest") << (u"ghcr.io/o/r@"_s + d) << u"ghcr.io"_s << u"ghcr.io"_s
                                 << u"o/r"_s << QString() << d << (u"ghcr.io/o/r@"_s + d);
    QTest::newRow("tag and digest")
        << (u"127.0.0.1:5000/a/b/c:t@"_s + d) << u"127.0.0.1:5000"_s << u"127.0.0.1:5000"_s
        << u"a/b/c"_s << u"t"_s << d << (u"127.0.0.1:5000/a/b/c:t@"_s + d);
    QTest::newRow("ipv6") << u"[::1]:5000/app:1"_s << u"[::1]:5000"_s << u"[::1]:5000"_s << u"app"_s
                          << u"1"_s << QString() << u"[::1]:5000/app:1"_s;
    QTest::newRow("separators") << u"r.example.com/a_b/c__d/e-f/g.h:x"_s << u"r.example.com"_s
                                << u"r.example.com"_s << u"a_b/c__d/e-f/g.h"_s << u"x"_s
                                << QString() << u"r.example.com/a_b/c__d/e-f/g.h:x"_s;
}

void TestReference::parse()
{
    QFETCH(QString, input);
    auto ref = ImageReference::parse(input);
    QVERIFY2(ref.hasValue(), qPrintable(ref.hasValue() ? QString() : ref.error().message));
    QTEST(ref->registry(), "registry");
    QTEST(ref->apiHost(), "apiHost");
    QTEST(ref->repository(), "repository");
    QTEST(ref->tag(), "tag");
    QTEST(ref->hasDigest() ? ref->digest().toString() : QString(), "digest");
    QTEST(ref->familiarName(), "familiar");
}

void TestReference::invalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("empty") << u""_s << u"empty"_s;
    QTest::newRow("upper case") << u"example.com/MyApp"_s << u"lower case"_s;
    QTest::newRow("url") << u"https://example.com/app"_s << u"URL"_s;
    QTest::newRow("double slash") << u"example.com/a//b"_s << u"empty path component"_s;
    QTest::newRow("bad tag") << u"example.com/app:-x"_s << u"not a valid tag"_s;
    QTest::newRow("long tag") << (u"app:"_s + QString(129, u'a')) << u"not a valid tag"_s;
    QTest::newRow("short digest") << u"app@sha256:abc"_s << u"64"_s;
    QTest::newRow("digest no algo") << u"app@:abc"_s << u"digest"_s;
    QTest::newRow("trailing separator") << u"example.com/app-"_s << u"not a valid"_s;
    QTest::newRow("too long") << (u"example.com/"_s + QString(300, u'a')) << u"255"_s;
}

void TestReference::invalid()
{
    QFETCH(QString, input);
    QFETCH(QString, messagePart);
    auto ref = ImageReference::parse(input);
    QVERIFY(!ref.hasValue());
    QCOMPARE(ref.error().kind, Error::Kind::InvalidInput);
    QVERIFY2(ref.error().message.contains(messagePart), qPrintable(ref.error().message));
}

void TestReference::inRegistry()
{
    // Relative to a chosen registry every component belongs to the repository, even one that
    // looks like a host.
    auto ref = ImageReference::parseInRegistry(u"127.0.0.1:5000"_s, u"my.team/app:1.0"_s);
    QVERIFY(ref.hasValue());
    QCOMPARE(ref->repository(), u"my.team/app"_s);
    QCOMPARE(ref->tag(), u"1.0"_s);
    QCOMPARE(ref->manifestReference(), u"1.0"_s);
    auto bare = ImageReference::parseInRegistry(u"r:1"_s, u"app"_s);
    QVERIFY(bare.hasValue());
    QCOMPARE(bare->manifestReference(), u"latest"_s);
}

void TestReference::digests_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("sha256") << (u"sha256:"_s + QString(64, u'0')) << true;
    QTest::newRow("sha512") << (u"sha512:"_s + QString(128, u'f')) << true;
    QTest::newRow("upper hex") << (u"sha256:"_s + QString(64, u'A')) << false;
    QTest::newRow("63 digits") << (u"sha256:"_s + QString(63, u'0')) << false;
    QTest::newRow("non hex") << (u"sha256:"_s + QString(64, u'g')) << false;
    QTest::newRow("other algorithm") << u"blake3:abcDEF_="_s << true;
    QTest::newRow("no colon") << QString(64, u'0') << false;
    QTest::newRow("empty encoded") << u"sha256:"_s << false;
}

void TestReference::digests()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QCOMPARE(Digest::parse(text).hasValue(), valid);
}

void TestReference::digestOfBytes()
{
    const Digest d = Digest::sha256Of("hello");
    QCOMPARE(d.toString(),
             u"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"_s);
    QVERIFY(d.matches("hello"));
    QVERIFY(!d.matches("hello!"));
    QCOMPARE(d.shortForm(), u"sha256:2cf24dba5fb0"_s);
    auto other = Digest::parse(u"blake3:abc"_s);
    QVERIFY(other.hasValue());
    QVERIFY(!other->canVerify());
    QVERIFY(!other->matches("anything"));
}

QTEST_GUILESS_MAIN(TestReference)
#include "tst_reference.moc"
