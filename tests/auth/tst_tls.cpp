// HTTPS against real docker-registry 2.8 instances with certificates from a test CA made by
// openssl at run time: trust through a CA file and through certs.d, the errors for an unknown
// CA, an expired certificate and a wrong host name (with the certificate's fingerprint for the
// app to show), skipping verification only when asked, client certificates from certs.d for a
// registry with http.tls.clientcas, HTTP/2, the trust-this-CA helper, and redirects to another
// host over TLS never carrying Authorization.

#include "AsyncTest.h"
#include "CustomRegistry.h"
#include "ExtraCertificates.h"
#include "LoopbackServer.h"
#include "SampleImages.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include "client/RegistryClient.h"
#include "tls/CertificateInfo.h"
#include "tls/TlsSettings.h"
#include "tls/TlsTrust.h"
#include "transport/NetworkPool.h"
#include "transport/RequestScheduler.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
namespace t = wharf::test;
using wharf::testing::await;
using wharf::testing::waitFor;

namespace {

t::RegistryOptions tlsOptions(const QString &certificate, const QString &key)
{
    t::RegistryOptions o;
    o.tlsCertificate = certificate;
    o.tlsKey = key;
    return o;
}

QList<QSslCertificate> pem(const QString &path)
{
    return QSslCertificate::fromPath(path, QSsl::Pem);
}

QString describe(const Error &e)
{
    return e.message + u" [" + Error::kindName(e.kind) + u"] " + e.detail;
}

// Points WHARF_CERTS_D_DIRS at a fresh directory for the life of the object.
class CertsDirectory
{
public:
    CertsDirectory() { qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(m_root.path())); }
    ~CertsDirectory() { qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(m_empty.path())); }
    bool add(const QString &hostPort, const QString &source, const QString &name)
    {
        const QString dir = m_root.filePath(hostPort);
        return QDir().mkpath(dir) && QFile::copy(source, dir + u'/' + name);
    }

private:
    QTemporaryDir m_root;
    QTemporaryDir m_empty;
};

} // namespace

class TestTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void trustedThroughCaFile();
    void trustedThroughCertsDirectory();
    void hostNameInCertificateWorks();
    void unknownCertificateAuthority();
    void expiredCertificate();
    void wrongHostName();
    void skipVerificationOnlyWhenAsked();
    void insecureConnectionsAreNotShared();
    void http2IsNegotiated();
    void clientCertificateFromCertsDirectory();
    void clientCertificateMissing();
    void peerChainOfAnUntrustedRegistry();
    void trustSelfSignedCertificateAfterShowingIt();
    void redirectToAnotherHostOverTlsDropsAuthorization();

private:
    RegistryConfig configFor(const QString &url) const;

    t::TestCertificates m_certs;
    t::ExtraCertificates m_extra;
    std::unique_ptr<t::TestRegistry> m_good;
    std::unique_ptr<t::TestRegistry> m_expired;
    std::unique_ptr<t::TestRegistry> m_wrongHost;
    std::unique_ptr<t::TestRegistry> m_selfSigned;
    t::CustomRegistry m_mutual;
    QTemporaryDir m_noCertsD;
};

RegistryConfig TestTls::configFor(const QString &url) const
{
    RegistryConfig c;
    c.url = QUrl(url);
    c.useCache = false;
    return c;
}

void TestTls::initTestCase()
{
    // Nothing from this machine's /etc/docker/certs.d may change the outcome.
    qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(m_noCertsD.path()));
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    QVERIFY2(m_extra.makeServer(m_certs, u"otherhost"_s, u"DNS:other.test, IP:127.0.0.3"_s, &error),
             qPrintable(error));
    QVERIFY2(m_extra.makeSelfSigned(u"selfsigned"_s, u"IP:127.0.0.1"_s, &error), qPrintable(error));
    QVERIFY2(m_extra.makeClient(u"client-ca"_s, u"client"_s, &error), qPrintable(error));

    m_good = std::make_unique<t::TestRegistry>(
        tlsOptions(m_certs.serverCertificatePath(), m_certs.serverKeyPath()));
    m_expired = std::make_unique<t::TestRegistry>(
        tlsOptions(m_certs.expiredCertificatePath(), m_certs.expiredKeyPath()));
    m_wrongHost = std::make_unique<t::TestRegistry>(
        tlsOptions(m_extra.certificate(u"otherhost"_s), m_extra.key(u"otherhost"_s)));
    m_selfSigned = std::make_unique<t::TestRegistry>(
        tlsOptions(m_extra.certificate(u"selfsigned"_s), m_extra.key(u"selfsigned"_s)));
    for (t::TestRegistry *r :
         {m_good.get(), m_expired.get(), m_wrongHost.get(), m_selfSigned.get()})
        QVERIFY2(r->start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_good, 1, u"tls/r-"_s, &error),
             qPrintable(error));
    QVERIFY2(m_mutual.start(m_certs.serverCertificatePath(), m_certs.serverKeyPath(),
                            m_extra.certificate(u"client-ca"_s), &error),
             qPrintable(error));
}

void TestTls::trustedThroughCaFile()
{
    RegistryConfig config = configFor(m_good->url());
    config.caCertificates = pem(m_certs.caCertificatePath());
    RegistryClient client(config);
    auto tags = await<QStringList>(
        [&](QObject *ctx, auto done) { client.listTags(u"tls/r-0000"_s, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : describe(tags.error())));
    QCOMPARE(*tags, QStringList{u"latest"_s});
}

void TestTls::trustedThroughCertsDirectory()
{
    CertsDirectory certsD;
    QVERIFY(certsD.add(m_good->hostPort(), m_certs.caCertificatePath(), u"ca.crt"_s));
    RegistryClient client(configFor(m_good->url()));
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY2(ping, qPrintable(ping ? QString() : describe(ping.error())));

    // Opting out of certs.d leaves the registry untrusted.
    RegistryConfig without = configFor(m_good->url());
    without.useCertsDirectories = false;
    RegistryClient strict(without);
    auto refused = await<PingResult>([&](QObject *ctx, auto done) { strict.ping(ctx, done); });
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::Tls);
}

void TestTls::hostNameInCertificateWorks()
{
    // The certificate names both 127.0.0.1 and localhost.
    RegistryConfig config = configFor(u"https://localhost:%1"_s.arg(m_good->port()));
    config.caCertificates = pem(m_certs.caCertificatePath());
    RegistryClient client(config);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY2(ping, qPrintable(ping ? QString() : describe(ping.error())));
}

void TestTls::unknownCertificateAuthority()
{
    RegistryClient client(configFor(m_good->url()));
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping);
    const Error &e = ping.error();
    QCOMPARE(e.kind, Error::Kind::Tls);
    QVERIFY2(e.message.contains(u"signed by an unknown certificate authority"_s),
             qPrintable(e.message));
    QVERIFY(e.message.contains(u"/etc/docker/certs.d/%1/ca.crt"_s.arg(m_good->hostPort())));
    QVERIFY(e.message.contains(u"skip TLS verification"_s));
    // What the app shows before offering to trust: the server's certificate and fingerprint.
    QVERIFY(!e.peerCertificates.isEmpty());
    const CertificateInfo leaf = CertificateInfo::from(e.peerCertificates.first());
    QCOMPARE(leaf.subject, u"CN=127.0.0.1"_s);
    QCOMPARE(leaf.issuer, u"CN=Wharf Test CA"_s);
    QCOMPARE(leaf.sha256Fingerprint,
             CertificateInfo::fingerprint(pem(m_certs.serverCertificatePath()).first()));
    QVERIFY2(e.detail.contains(u"SHA-256 "_s + leaf.sha256Fingerprint), qPrintable(e.detail));
}

void TestTls::expiredCertificate()
{
    RegistryConfig config = configFor(m_expired->url());
    config.caCertificates = pem(m_certs.caCertificatePath());
    RegistryClient client(config);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping);
    QCOMPARE(ping.error().kind, Error::Kind::Tls);
    QVERIFY2(ping.error().message.contains(u"the certificate has expired"_s),
             qPrintable(ping.error().message));
    QVERIFY(ping.error().message.contains(u"renew"_s));
    QVERIFY(!ping.error().message.contains(u"unknown certificate authority"_s));
    QVERIFY(ping.error().detail.contains(u"2020-02-01"_s));
}

void TestTls::wrongHostName()
{
    RegistryConfig config = configFor(m_wrongHost->url());
    config.caCertificates = pem(m_certs.caCertificatePath());
    RegistryClient client(config);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping);
    QCOMPARE(ping.error().kind, Error::Kind::Tls);
    const QString &m = ping.error().message;
    QVERIFY2(m.contains(u"issued for a different host name"_s), qPrintable(m));
    QVERIFY2(m.contains(u"other.test"_s) && m.contains(u"127.0.0.3"_s), qPrintable(m));
    QVERIFY(m.contains(u"Connect with a host name the certificate names"_s));
    QVERIFY(!m.contains(u"unknown certificate authority"_s));
}

void TestTls::skipVerificationOnlyWhenAsked()
{
    for (t::TestRegistry *r : {m_good.get(), m_expired.get(), m_wrongHost.get()}) {
        RegistryConfig config = configFor(r->url());
        config.skipTlsVerify = true;
        RegistryClient client(config);
        auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
        QVERIFY2(ping, qPrintable(ping ? QString() : describe(ping.error())));
    }
}

void TestTls::insecureConnectionsAreNotShared()
{
    // One worker thread, so both clients go through the same QNetworkAccessManager machinery:
    // the connection opened without verification must not serve the client that verifies.
    auto pool = std::make_shared<NetworkPool>(1);
    RegistryConfig insecure = configFor(m_good->url());
    insecure.skipTlsVerify = true;
    RegistryClient careless(insecure, pool, nullptr);
    auto first = await<PingResult>([&](QObject *ctx, auto done) { careless.ping(ctx, done); });
    QVERIFY(first);
    RegistryClient careful(configFor(m_good->url()), pool, nullptr);
    auto second = await<PingResult>([&](QObject *ctx, auto done) { careful.ping(ctx, done); });
    QVERIFY2(!second, "a verifying client reused an unverified connection");
    QCOMPARE(second.error().kind, Error::Kind::Tls);
    // And the other way round: a CA trusted by one client is not trusted by another.
    RegistryConfig trusting = configFor(m_good->url());
    trusting.caCertificates = pem(m_certs.caCertificatePath());
    RegistryClient withCa(trusting, pool, nullptr);
    QVERIFY(await<PingResult>([&](QObject *ctx, auto done) { withCa.ping(ctx, done); }));
    RegistryClient withoutCa(configFor(m_good->url()), pool, nullptr);
    QVERIFY(!await<PingResult>([&](QObject *ctx, auto done) { withoutCa.ping(ctx, done); }));
}

void TestTls::http2IsNegotiated()
{
    // docker-registry (Go net/http) offers h2 through ALPN; Wharf's HTTPS transport takes it.
    RegistryConfig config = configFor(m_good->url());
    config.caCertificates = pem(m_certs.caCertificatePath());
    const TlsSettings::Result tls = TlsSettings::forRegistry(config);
    auto pool = std::make_shared<NetworkPool>(1);
    RequestScheduler scheduler(pool, nullptr, 4);
    HttpRequest request;
    request.url = QUrl(m_good->url() + u"/v2/tls/r-0000/tags/list"_s);
    request.ssl = tls.configuration;
    request.tlsProfile = tls.profile;
    std::optional<HttpResponse> response;
    QObject context;
    scheduler.submit(request, {}, &context,
                     [&response](const HttpResponse &r, std::any &) { response = r; });
    QVERIFY(waitFor([&] { return response.has_value(); }));
    QCOMPARE(response->status, 200);
    QVERIFY2(response->http2, "the registry did not negotiate HTTP/2");
    QVERIFY(response->body.contains("\"latest\""));
}

void TestTls::clientCertificateFromCertsDirectory()
{
    CertsDirectory certsD;
    const QString hostPort = u"127.0.0.1:%1"_s.arg(m_mutual.port());
    QVERIFY(certsD.add(hostPort, m_certs.caCertificatePath(), u"ca.crt"_s));
    QVERIFY(certsD.add(hostPort, m_extra.certificate(u"client"_s), u"client.cert"_s));
    QVERIFY(certsD.add(hostPort, m_extra.key(u"client"_s), u"client.key"_s));
    RegistryClient client(configFor(m_mutual.url()));
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY2(ping, qPrintable(ping ? QString() : describe(ping.error()) + m_mutual.output()));
    auto repos = await<QStringList>(
        [&](QObject *ctx, auto done) { client.listRepositories(ctx, {}, done); });
    QVERIFY2(repos, qPrintable(repos ? QString() : describe(repos.error())));
    QVERIFY(repos->isEmpty());
}

void TestTls::clientCertificateMissing()
{
    CertsDirectory certsD;
    QVERIFY(certsD.add(u"127.0.0.1:%1"_s.arg(m_mutual.port()), m_certs.caCertificatePath(),
                       u"ca.crt"_s));
    RegistryClient client(configFor(m_mutual.url()));
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping);
    QVERIFY2(ping.error().kind == Error::Kind::Tls, qPrintable(describe(ping.error())));
    QVERIFY2(ping.error().message.contains(u"client certificate"_s),
             qPrintable(describe(ping.error())));
}

void TestTls::peerChainOfAnUntrustedRegistry()
{
    std::optional<Expected<TlsTrust::PeerChain>> result;
    QObject context;
    TlsTrust::fetchPeerChain(configFor(m_good->url()), &context,
                             [&result](Expected<TlsTrust::PeerChain> r) { result = r; });
    QVERIFY(waitFor([&] { return result.has_value(); }));
    QVERIFY2(*result, qPrintable(*result ? QString() : describe(result->error())));
    const TlsTrust::PeerChain &chain = result->value();
    QCOMPARE(chain.port, m_good->port());
    QCOMPARE(chain.chain.size(), 1); // docker-registry sends the leaf only
    QVERIFY(!chain.isTrusted());
    QVERIFY2(chain.problem().contains(u"unknown certificate authority"_s),
             qPrintable(chain.problem()));
    // The CA is not on the wire: the app has to ask for the CA file instead of trusting a leaf.
    QVERIFY(chain.trustAnchor().isNull());

    RegistryConfig trusting = configFor(m_good->url());
    trusting.caCertificates = pem(m_certs.caCertificatePath());
    result.reset();
    TlsTrust::fetchPeerChain(trusting, &context,
                             [&result](Expected<TlsTrust::PeerChain> r) { result = r; });
    QVERIFY(waitFor([&] { return result.has_value(); }));
    QVERIFY(*result);
    QVERIFY((*result)->isTrusted());

    // A registry that wants a client certificate still shows its chain.
    result.reset();
    TlsTrust::fetchPeerChain(configFor(m_mutual.url()), &context,
                             [&result](Expected<TlsTrust::PeerChain> r) { result = r; });
    QVERIFY(waitFor([&] { return result.has_value(); }));
    QVERIFY2(*result, qPrintable(*result ? QString() : describe(result->error())));
    QCOMPARE((*result)->chain.size(), 1);

    // Nothing listening: a clear error, not a hang.
    result.reset();
    TlsTrust::fetchPeerChain(
        configFor(u"https://127.0.0.1:%1"_s.arg(t::TestRegistry::pickFreePort())), &context,
        [&result](Expected<TlsTrust::PeerChain> r) { result = r; });
    QVERIFY(waitFor([&] { return result.has_value(); }));
    QVERIFY(!*result);
    QCOMPARE(result->error().kind, Error::Kind::ConnectionRefused);
}

void TestTls::trustSelfSignedCertificateAfterShowingIt()
{
    RegistryClient before(configFor(m_selfSigned->url()));
    auto refused = await<PingResult>([&](QObject *ctx, auto done) { before.ping(ctx, done); });
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::Tls);
    QCOMPARE(refused.error().peerCertificates.size(), 1);

    std::optional<Expected<TlsTrust::PeerChain>> result;
    QObject context;
    TlsTrust::fetchPeerChain(configFor(m_selfSigned->url()), &context,
                             [&result](Expected<TlsTrust::PeerChain> r) { result = r; });
    QVERIFY(waitFor([&] { return result.has_value(); }));
    QVERIFY(*result);
    const QSslCertificate anchor = (*result)->trustAnchor();
    QVERIFY(!anchor.isNull());
    // The one the error showed is the one being trusted.
    QCOMPARE(CertificateInfo::fingerprint(anchor),
             CertificateInfo::fingerprint(refused.error().peerCertificates.first()));

    QTemporaryDir store;
    auto saved = TlsTrust::saveTrustedCertificate(anchor, u"bookmark/../1"_s, store.path());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(QFileInfo(*saved).dir().absolutePath(), QDir(store.path()).absolutePath());
    QVERIFY(QFileInfo(*saved).fileName().endsWith(u".crt"_s));

    RegistryConfig after = configFor(m_selfSigned->url());
    after.caCertificates = pem(*saved); // what Bookmark::caCertificateFile does
    RegistryClient client(after);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY2(ping, qPrintable(ping ? QString() : describe(ping.error())));
}

void TestTls::redirectToAnotherHostOverTlsDropsAuthorization()
{
    const QByteArray blob = "layer bytes from object storage";
    const QString blobDigest =
        u"sha256:"_s +
        QString::fromLatin1(QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex());
    t::LoopbackServer storage([&](const t::LoopbackServer::Request &) {
        t::LoopbackServer::Response r;
        r.body = blob;
        return r;
    });
    const t::LoopbackServer::Tls tls{m_certs.serverCertificatePath(), m_certs.serverKeyPath()};
    QString error;
    QVERIFY2(storage.start(&error, tls), qPrintable(error));
    const QUrl storageUrl = storage.url(u"localhost"_s); // another origin, same certificate
    const QByteArray blobPath = "/blobs/" + blobDigest.toLatin1();
    t::LoopbackServer registry([&](const t::LoopbackServer::Request &r) {
        t::LoopbackServer::Response response;
        if (!r.header("authorization").startsWith("Basic ")) {
            response.status = 401;
            response.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="test")");
            return response;
        }
        if (r.path().endsWith(blobPath)) {
            response.status = 307;
            response.headers.emplaceBack(
                "Location", (storageUrl.toString() + u"/bucket/blob?sig=abc"_s).toLatin1());
        } else if (r.path().endsWith("/same-origin")) {
            response.body = blob;
        } else if (r.path().contains("/blobs/")) {
            response.status = 307;
            response.headers.emplaceBack("Location", "/v2/lib/same-origin");
        }
        return response;
    });
    QVERIFY2(registry.start(&error, tls), qPrintable(error));

    RegistryConfig config = configFor(registry.url().toString());
    config.caCertificates = pem(m_certs.caCertificatePath());
    config.credentials.username = u"user"_s;
    config.credentials.secret = u"secret"_s;
    RegistryClient client(config);
    QByteArray received;
    auto streamed = await<Done>([&](QObject *ctx, auto done) {
        client.streamBlob(
            u"lib"_s, *Digest::parse(blobDigest),
            [&received](const QByteArray &chunk) {
                received += chunk;
                return true;
            },
            ctx, done);
    });
    QVERIFY2(streamed, qPrintable(streamed ? QString() : describe(streamed.error())));
    QCOMPARE(received, blob);
    const auto atStorage = storage.requests();
    QCOMPARE(atStorage.size(), 1);
    QCOMPARE(atStorage.first().target, QByteArray("/bucket/blob?sig=abc"));
    QVERIFY2(!atStorage.first().headers.contains("authorization"),
             "Authorization was sent to another host");
    const auto atRegistry = registry.requests();
    QVERIFY(atRegistry.last().header("authorization").startsWith("Basic "));

    // A redirect within the registry's own origin keeps the credentials.
    received.clear();
    auto sameOrigin = await<Done>([&](QObject *ctx, auto done) {
        client.streamBlob(
            u"lib"_s, *Digest::parse(u"sha256:"_s + QString(64, u'0')),
            [&received](const QByteArray &chunk) {
                received += chunk;
                return true;
            },
            ctx, done);
    });
    QVERIFY2(sameOrigin, qPrintable(sameOrigin ? QString() : describe(sameOrigin.error())));
    QCOMPARE(received, blob);
    QCOMPARE(registry.requests().last().path(), QByteArray("/v2/lib/same-origin"));
    QVERIFY(registry.requests().last().header("authorization").startsWith("Basic "));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
