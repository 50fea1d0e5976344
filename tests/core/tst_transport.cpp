#include "client/TagOrder.h"
#include "transport/AuthChallenge.h"
#include "transport/LinkHeader.h"
#include "transport/ResponseError.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;

class TestTransport : public QObject
{
    Q_OBJECT
private slots:
    void linkHeader_data();
    void linkHeader();
    void challenges_data();
    void challenges();
    void multipleChallenges();
    void errorBodies_data();
    void errorBodies();
    void transportErrors();
    void tagOrder();
};

void TestTransport::linkHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected");
    const QString base = u"http://127.0.0.1:5000/v2/_catalog?n=100"_s;
    QTest::newRow("relative encoded")
        << QByteArray(R"(</v2/_catalog?last=lib%2Fbeta&n=100>; rel="next")")
        << u"http://127.0.0.1:5000/v2/_catalog?last=lib%2Fbeta&n=100"_s;
    QTest::newRow("unquoted rel") << QByteArray("</v2/_catalog?last=a&n=2>; rel=next")
                                  << u"http://127.0.0.1:5000/v2/_catalog?last=a&n=2"_s;
    QTest::newRow("absolute") << QByteArray(
                                     R"(<https://other.example/v2/x/tags/list?last=9>; rel="next")")
                              << u"https://other.example/v2/x/tags/list?last=9"_s;
    QTest::newRow("prev then next")
        << QByteArray(R"(</v2/_catalog?last=a>; rel="prev", </v2/_catalog?last=z>; rel="next")")
        << u"http://127.0.0.1:5000/v2/_catalog?last=z"_s;
    QTest::newRow("comma in url") << QByteArray(R"(</v2/_catalog?last=a,b>; rel="next")")
                                  << u"http://127.0.0.1:5000/v2/_catalog?last=a,b"_s;
    QTest::newRow("multi rel") << QByteArray(R"(</p2>; rel="last next")")
                               << u"http://127.0.0.1:5000/p2"_s;
    QTest::newRow("no next") << QByteArray(R"(</v2/_catalog?last=a>; rel="prev")") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("garbage") << QByteArray("not a link") << QString();
    Q_UNUSED(base);
}

void TestTransport::linkHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    const QUrl next =
        LinkHeader::nextPage(header, QUrl(u"http://127.0.0.1:5000/v2/_catalog?n=100"_s));
    QCOMPARE(next.toString(QUrl::FullyEncoded), expected);
}

void TestTransport::challenges_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("realm");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<QString>("error");
    QTest::newRow("basic") << QByteArray(R"(Basic realm="basic-realm")") << u"basic"_s
                           << u"basic-realm"_s << QString() << QStringList() << QString();
    QTest::newRow("bearer")
        << QByteArray(
               R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull")")
        << u"bearer"_s << u"https://auth.docker.io/token"_s << u"registry.docker.io"_s
        << QStringList{u"repository:library/ubuntu:pull"_s} << QString();
    QTest::newRow("several scopes with commas")
        << QByteArray(
               R"(Bearer realm="https://r/token",service="r",scope="repository:a:pull,push repository:b:pull",error="insufficient_scope")")
        << u"bearer"_s << u"https://r/token"_s << u"r"_s
        << QStringList{u"repository:a:pull,push"_s, u"repository:b:pull"_s}
        << u"insufficient_scope"_s;
    QTest::newRow("spaces and case")
        << QByteArray(R"(BEARER  Realm = "https://x/t" , Service="s")") << u"bearer"_s
        << u"https://x/t"_s << u"s"_s << QStringList() << QString();
    QTest::newRow("escaped quote")
        << QByteArray(R"(Basic realm="a \"quoted\" realm")") << u"basic"_s
        << u"a \"quoted\" realm"_s << QString() << QStringList() << QString();
    QTest::newRow("unquoted token")
        << QByteArray("Bearer realm=https://x/t,service=s") << u"bearer"_s << u"https://x/t"_s
        << u"s"_s << QStringList() << QString();
    QTest::newRow("host:port in scope")
        << QByteArray(R"(Bearer realm="https://r/t",scope="repository:localhost:5000/app:pull")")
        << u"bearer"_s << u"https://r/t"_s << QString()
        << QStringList{u"repository:localhost:5000/app:pull"_s} << QString();
}

void TestTransport::challenges()
{
    QFETCH(QByteArray, header);
    const QList<AuthChallenge> all = AuthChallenge::parse(header);
    QCOMPARE(all.size(), 1);
    const AuthChallenge &c = all.first();
    QTEST(c.scheme, "scheme");
    QTEST(c.realm(), "realm");
    QTEST(c.service(), "service");
    QTEST(c.scopes(), "scopes");
    QTEST(c.error(), "error");
}

void TestTransport::multipleChallenges()
{
    const auto all =
        AuthChallenge::parse(R"(Basic realm="one", Bearer realm="https://t/token",service="svc")"
                             "\n"
                             R"(Negotiate abc==)");
    QCOMPARE(all.size(), 3);
    QVERIFY(all.at(0).isBasic());
    QCOMPARE(all.at(0).realm(), u"one"_s);
    QVERIFY(all.at(1).isBearer());
    QCOMPARE(all.at(1).service(), u"svc"_s);
    QCOMPARE(all.at(2).scheme, u"negotiate"_s);
    QVERIFY(AuthChallenge::parse("").isEmpty());
    QVERIFY(AuthChallenge::parse(",,, ,").isEmpty());
    // Garbage never crashes and yields at most harmless challenges.
    const auto junk = AuthChallenge::parse(R"(=== "unterminated)");
    for (const AuthChallenge &c : junk)
        QVERIFY(c.realm().isEmpty());
}

void TestTransport::errorBodies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("manifest unknown")
        << 404
        << QByteArray(
               R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]})")
        << int(Error::Kind::NotFound) << u"MANIFEST_UNKNOWN"_s << u"no such tag"_s;
    QTest::newRow("name unknown")
        << 404
        << QByteArray(
               R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]})")
        << int(Error::Kind::NotFound) << u"NAME_UNKNOWN"_s << u"repository does not exist"_s;
    QTest::newRow("head 404 no body")
        << 404 << QByteArray() << int(Error::Kind::NotFound) << QString() << u"was not found"_s;
    QTest::newRow("text 404") << 404 << QByteArray("404 page not found\n")
                              << int(Error::Kind::NotFound) << QString() << u"404 page not found"_s;
    QTest::newRow("unsupported")
        << 405
        << QByteArray(
               R"({"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]})")
        << int(Error::Kind::Unsupported) << u"UNSUPPORTED"_s << u"does not allow"_s;
    QTest::newRow("denied 403")
        << 403
        << QByteArray(
               R"({"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]})")
        << int(Error::Kind::Forbidden) << u"DENIED"_s << u"not permitted"_s;
    QTest::newRow("401")
        << 401
        << QByteArray(
               R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository"}]}]})")
        << int(Error::Kind::Unauthorized) << u"UNAUTHORIZED"_s << u"credentials"_s;
    QTest::newRow("429") << 429
                         << QByteArray(
                                R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})")
                         << int(Error::Kind::TooManyRequests) << u"TOOMANYREQUESTS"_s
                         << u"rate-limiting"_s;
    QTest::newRow("500 html") << 500 << QByteArray("<html><body>Internal</body></html>")
                              << int(Error::Kind::ServerError) << QString() << u"internal error"_s;
    QTest::newRow("unknown code") << 400 << QByteArray(R"({"errors":[{"message":"odd"}]})")
                                  << int(Error::Kind::HttpError) << u"UNKNOWN"_s << u"HTTP 400"_s;
    QTest::newRow("malformed json") << 400 << QByteArray(R"({"errors":[{"code":)")
                                    << int(Error::Kind::HttpError) << QString() << u"HTTP 400"_s;
}

void TestTransport::errorBodies()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.url = QUrl(u"http://127.0.0.1:5000/v2/app/manifests/x"_s);
    r.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "7"));
    const Error e = ResponseError::from(r, u"the manifest of app:x"_s);
    QTEST(int(e.kind), "kind");
    QTEST(e.code, "code");
    QCOMPARE(e.httpStatus, status);
    QFETCH(QString, messagePart);
    QVERIFY2(e.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(e.message));
    QVERIFY(!e.message.at(0).isLower()); // sentences start with a capital (or a host)
}

void TestTransport::transportErrors()
{
    HttpResponse refused;
    refused.url = QUrl(u"http://127.0.0.1:1/v2/"_s);
    refused.networkError = QNetworkReply::ConnectionRefusedError;
    QCOMPARE(ResponseError::from(refused, u"x"_s).kind, Error::Kind::ConnectionRefused);
    QVERIFY(ResponseError::from(refused, u"x"_s).message.contains(u"127.0.0.1:1"_s));

    HttpResponse timeout;
    timeout.timedOut = true;
    QCOMPARE(ResponseError::from(timeout, u"x"_s).kind, Error::Kind::Timeout);

    HttpResponse tls;
    tls.networkError = QNetworkReply::SslHandshakeFailedError;
    tls.sslErrors << QSslError(QSslError::CertificateExpired)
                  << QSslError(QSslError::HostNameMismatch);
    const Error e = ResponseError::from(tls, u"x"_s);
    QCOMPARE(e.kind, Error::Kind::Tls);
    QVERIFY(e.message.contains(u"expired"_s));
    QVERIFY(e.message.contains(u"different host name"_s));

    HttpResponse big;
    big.status = 200;
    big.tooLarge = true;
    QCOMPARE(ResponseError::from(big, u"x"_s).kind, Error::Kind::TooLarge);
}

void TestTransport::tagOrder()
{
    QStringList tags{u"latest"_s,     u"1.10"_s,        u"1.9"_s,        u"1.2"_s,     u"v2.0.0"_s,
                     u"v2.0.0-rc1"_s, u"v2.0.0-rc10"_s, u"v2.0.0-rc2"_s, u"v10.0.0"_s, u"Alpha"_s,
                     u"alpha"_s,      u"1.2.0"_s,       u"01.2"_s};
    TagOrder::sort(tags);
    const QStringList expected{u"1.2"_s,        u"01.2"_s,       u"1.2.0"_s,       u"1.9"_s,
                               u"1.10"_s,       u"Alpha"_s,      u"alpha"_s,       u"latest"_s,
                               u"v2.0.0-rc1"_s, u"v2.0.0-rc2"_s, u"v2.0.0-rc10"_s, u"v2.0.0"_s,
                               u"v10.0.0"_s};
    QCOMPARE(tags, expected);
    // A strict weak order: irreflexive and antisymmetric over every pair.
    for (const QString &a : expected) {
        QCOMPARE(TagOrder::compare(a, a), 0);
        for (const QString &b : expected)
            QCOMPARE(TagOrder::compare(a, b), -TagOrder::compare(b, a));
    }
}

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
