// Fast checks of the pieces behind token auth, docker's credentials and TLS trust: challenge
// parsing, token lifetimes, config.json parsing and key matching, the helper protocol's answers,
// certs.d loading and certificate descriptions (certificates made by openssl at run time).

#include "ExtraCertificates.h"
#include "TestCertificates.h"

#include "client/RegistryConfig.h"
#include "credentials/CredentialHelper.h"
#include "credentials/DockerConfig.h"
#include "tls/CertificateInfo.h"
#include "tls/CertsDirectories.h"
#include "tls/TlsSettings.h"
#include "transport/AuthChallenge.h"
#include "transport/Authenticator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
namespace t = wharf::test;

namespace {

QByteArray base64(const QString &text)
{
    return text.toUtf8().toBase64();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

bool copyFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

// What openssl says a certificate's SHA-256 fingerprint is ("AB:CD:…").
QString opensslFingerprint(const QString &certificatePath)
{
    QProcess p;
    p.start(u"openssl"_s,
            {u"x509"_s, u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s, u"-in"_s, certificatePath});
    p.waitForFinished(30000);
    const QString out = QString::fromLatin1(p.readAllStandardOutput()).trimmed();
    return out.section(u'=', 1);
}

} // namespace

class TestAuthUnits : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void challenges_data();
    void challenges();
    void severalChallengesInOneHeader();

    void tokenLifetime_data();
    void tokenLifetime();

    void serverKeys_data();
    void serverKeys();
    void parsesAuths();
    void authsMatchWithSchemeAndPathStripped();
    void credHelperMatching();
    void badConfig();
    void dockerAuthConfigOverridesFile();
    void dockerConfigDirectory();

    void helperAnswers();

    void certificateInfo();
    void certsDirectoriesLoadCasAndClientCertificate();
    void certsDirectoriesReportProblems();
    void certsDirectoriesDefaultPortNames();
    void tlsProfilesDiffer();

private:
    t::TestCertificates m_certs;
    t::ExtraCertificates m_extra;
};

void TestAuthUnits::initTestCase()
{
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    QVERIFY2(m_extra.makeClient(u"client-ca"_s, u"client"_s, &error), qPrintable(error));
}

void TestAuthUnits::challenges_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("realm");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<QString>("error");
    // What distribution 2.8 sends: realm, service, scope, error, each quoted.
    QTest::newRow("distribution insufficient_scope")
        << QByteArray(
               R"(Bearer realm="http://127.0.0.1:5001/token",service="wharf-test-registry",scope="repository:team/app-0000:delete",error="insufficient_scope")")
        << u"http://127.0.0.1:5001/token"_s << u"wharf-test-registry"_s
        << QStringList{u"repository:team/app-0000:delete"_s} << u"insufficient_scope"_s;
    QTest::newRow("catalog scope")
        << QByteArray(
               R"(Bearer realm="https://auth.example/token",service="reg",scope="registry:catalog:*")")
        << u"https://auth.example/token"_s << u"reg"_s << QStringList{u"registry:catalog:*"_s}
        << QString();
    QTest::newRow("invalid_token")
        << QByteArray(R"(Bearer realm="https://a/t",service="s",error="invalid_token")")
        << u"https://a/t"_s << u"s"_s << QStringList() << u"invalid_token"_s;
    QTest::newRow("error first, scope last")
        << QByteArray(
               R"(Bearer error="insufficient_scope", scope="repository:a:pull", realm="https://a/t")")
        << u"https://a/t"_s << QString() << QStringList{u"repository:a:pull"_s}
        << u"insufficient_scope"_s;
    QTest::newRow("comma and space inside quoted realm")
        << QByteArray(R"(Bearer realm="https://a/t?x=1, y=2",service="s")")
        << u"https://a/t?x=1, y=2"_s << u"s"_s << QStringList() << QString();
    QTest::newRow("three scopes, extra spaces")
        << QByteArray(
               R"(Bearer realm="https://a/t",scope="  repository:a:pull   repository:b:pull,push registry:catalog:* ")")
        << u"https://a/t"_s << QString()
        << QStringList{u"repository:a:pull"_s, u"repository:b:pull,push"_s, u"registry:catalog:*"_s}
        << QString();
    QTest::newRow("GHCR style")
        << QByteArray(
               R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull")")
        << u"https://ghcr.io/token"_s << u"ghcr.io"_s
        << QStringList{u"repository:user/image:pull"_s} << QString();
}

void TestAuthUnits::challenges()
{
    QFETCH(QByteArray, header);
    const QList<AuthChallenge> all = AuthChallenge::parse(header);
    QCOMPARE(all.size(), 1);
    QVERIFY(all.first().isBearer());
    QTEST(all.first().realm(), "realm");
    QTEST(all.first().service(), "service");
    QTEST(all.first().scopes(), "scopes");
    QTEST(all.first().error(), "error");
}

void TestAuthUnits::severalChallengesInOneHeader()
{
    // Two WWW-Authenticate headers joined with ", " by HttpResponse::header().
    const auto all = AuthChallenge::parse(
        R"(Bearer realm="https://a/t",service="s",scope="repository:x:pull,push repository:y:pull", Basic realm="fallback")");
    QCOMPARE(all.size(), 2);
    QVERIFY(all.at(0).isBearer());
    QCOMPARE(all.at(0).scopes(),
             (QStringList{u"repository:x:pull,push"_s, u"repository:y:pull"_s}));
    QVERIFY(all.at(1).isBasic());
    QCOMPARE(all.at(1).realm(), u"fallback"_s);
}

void TestAuthUnits::tokenLifetime_data()
{
    const QDateTime now = QDateTime::fromString(u"2026-01-01T12:00:00Z"_s, Qt::ISODate);
    QTest::addColumn<qint64>("expiresIn");
    QTest::addColumn<QString>("issuedAt");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<qint64>("expectedMs");
    // 60 s is the default and the minimum; renewal starts a quarter (at most 30 s) early.
    QTest::newRow("absent") << qint64(0) << QString() << now << qint64(45000);
    QTest::newRow("below minimum") << qint64(10) << QString() << now << qint64(45000);
    QTest::newRow("five minutes") << qint64(300) << QString() << now << qint64(270000);
    QTest::newRow("issued 50 s ago")
        << qint64(60) << u"2026-01-01T11:59:10Z"_s << now << qint64(1000);
    QTest::newRow("issued 20 s ago, nanoseconds")
        << qint64(300) << u"2026-01-01T11:59:40.123456789Z"_s << now << qint64(250000);
    QTest::newRow("issued in the future (server clock ahead)")
        << qint64(300) << u"2026-01-01T12:05:00Z"_s << now << qint64(270000);
    QTest::newRow("issued long ago (clocks disagree)")
        << qint64(300) << u"2025-12-31T12:00:00Z"_s << now << qint64(270000);
    QTest::newRow("unparseable issued_at") << qint64(120) << u"yesterday"_s << now << qint64(90000);
}

void TestAuthUnits::tokenLifetime()
{
    QFETCH(qint64, expiresIn);
    QFETCH(QString, issuedAt);
    QFETCH(QDateTime, now);
    QFETCH(qint64, expectedMs);
    QCOMPARE(Authenticator::tokenLifetimeMs(expiresIn, issuedAt, now), expectedMs);
}

void TestAuthUnits::serverKeys_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("key");
    QTest::newRow("docker.io") << u"docker.io"_s << u"https://index.docker.io/v1/"_s;
    QTest::newRow("registry-1") << u"https://registry-1.docker.io"_s
                                << u"https://index.docker.io/v1/"_s;
    QTest::newRow("hub key itself")
        << u"https://index.docker.io/v1/"_s << u"https://index.docker.io/v1/"_s;
    QTest::newRow("host:port") << u"127.0.0.1:5000"_s << u"127.0.0.1:5000"_s;
    QTest::newRow("url with path")
        << u"https://Registry.Example:8443/v2/"_s << u"registry.example:8443"_s;
    QTest::newRow("http url") << u"http://localhost:5000"_s << u"localhost:5000"_s;
    QTest::newRow("ghcr") << u"ghcr.io"_s << u"ghcr.io"_s;
}

void TestAuthUnits::serverKeys()
{
    QFETCH(QString, registry);
    QTEST(DockerConfig::serverKey(registry), "key");
}

void TestAuthUnits::parsesAuths()
{
    const QByteArray json = R"({
      "auths": {
        "127.0.0.1:5000": {"auth": ")" +
                            base64(u"alice:pa:ss+word"_s) + R"("},
        "https://index.docker.io/v1/": {"auth": ")" +
                            base64(u"hubuser:hubpass"_s) + R"(",
                                        "identitytoken": "id-token-1"},
        "legacy.example": {"username": "old", "password": "school"},
        "token.example": {"registrytoken": "bearer-xyz"},
        "broken.example": {"auth": "not base64 at all!"},
        "empty.example": {}
      },
      "credsStore": "desktop",
      "credHelpers": {"gcr.io": "gcloud"}
    })";
    auto config = DockerConfig::parse(json, u"test.json"_s);
    QVERIFY2(config.hasValue(), qPrintable(config ? QString() : config.error().message));
    QCOMPARE(config->origin(), u"test.json"_s);
    QCOMPARE(config->credsStore(), u"desktop"_s);
    QCOMPARE(config->credHelpers().value(u"gcr.io"_s), u"gcloud"_s);

    auto local = config->authFor(u"http://127.0.0.1:5000"_s);
    QVERIFY(local);
    QCOMPARE(local->credentials.username, u"alice"_s);
    QCOMPARE(local->credentials.secret, u"pa:ss+word"_s); // split at the first colon only
    auto hub = config->authFor(u"docker.io"_s);
    QVERIFY(hub);
    QCOMPARE(hub->credentials.username, u"hubuser"_s);
    QCOMPARE(hub->credentials.identityToken, u"id-token-1"_s);
    QCOMPARE(config->authFor(u"legacy.example"_s)->credentials.secret, u"school"_s);
    QCOMPARE(config->authFor(u"token.example"_s)->credentials.registryToken, u"bearer-xyz"_s);
    QVERIFY(!config->authFor(u"broken.example"_s));
    QVERIFY(!config->authFor(u"empty.example"_s));
    QVERIFY(!config->authFor(u"127.0.0.1:5001"_s));
    QCOMPARE(config->problems().size(), 1);
    QVERIFY(config->problems().first().contains(u"broken.example"_s));
    QVERIFY(!config->problems().first().contains(u"at all!"_s)); // never the value
}

void TestAuthUnits::authsMatchWithSchemeAndPathStripped()
{
    const QByteArray json = R"({"auths": {
        "https://127.0.0.1:5000/v2/": {"auth": ")" +
                            base64(u"stripped:one"_s) + R"("},
        "http://other.example": {"auth": ")" +
                            base64(u"other:two"_s) + R"("},
        "other.example": {"auth": ")" +
                            base64(u"exact:three"_s) + R"("}}})";
    auto config = DockerConfig::parse(json, u"t"_s);
    QVERIFY(config);
    QCOMPARE(config->authFor(u"127.0.0.1:5000"_s)->key, u"https://127.0.0.1:5000/v2/"_s);
    QCOMPARE(config->authFor(u"127.0.0.1:5000"_s)->credentials.username, u"stripped"_s);
    // The exact key wins over one that matches only once stripped.
    QCOMPARE(config->authFor(u"https://other.example"_s)->credentials.username, u"exact"_s);
}

void TestAuthUnits::credHelperMatching()
{
    auto config = DockerConfig::parse(
        R"({"credHelpers": {"127.0.0.1:5000": "local", "index.docker.io": "hubhelper"}})", u"t"_s);
    QVERIFY(config);
    QCOMPARE(config->credHelperFor(u"https://127.0.0.1:5000"_s)->second, u"local"_s);
    QCOMPARE(config->credHelperFor(u"docker.io"_s)->second, u"hubhelper"_s);
    QVERIFY(!config->credHelperFor(u"127.0.0.1:5001"_s));
}

void TestAuthUnits::badConfig()
{
    auto broken = DockerConfig::parse("{\"auths\": ", u"/x/config.json"_s);
    QVERIFY(!broken);
    QVERIFY(broken.error().message.contains(u"/x/config.json"_s));
    QVERIFY(!DockerConfig::parse("[1,2]", u"y"_s));
    // No file at all is an empty configuration.
    auto missing = DockerConfig::loadFile(u"/nonexistent/wharf/config.json"_s);
    QVERIFY(missing);
    QVERIFY(missing->isEmpty());
}

void TestAuthUnits::dockerAuthConfigOverridesFile()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u"config.json"_s),
                      R"({"auths":{"r.example":{"auth":")" + base64(u"fromfile:x"_s) + R"("}}})"));
    qputenv("DOCKER_CONFIG", QFile::encodeName(dir.path()));
    qputenv("DOCKER_AUTH_CONFIG",
            R"({"auths":{"r.example":{"auth":")" + base64(u"fromenv:y"_s) + R"("}}})");
    auto config = DockerConfig::load();
    qunsetenv("DOCKER_AUTH_CONFIG");
    QVERIFY(config);
    QCOMPARE(config->origin(), u"DOCKER_AUTH_CONFIG"_s);
    QCOMPARE(config->authFor(u"r.example"_s)->credentials.username, u"fromenv"_s);
    auto fromFile = DockerConfig::load();
    qunsetenv("DOCKER_CONFIG");
    QVERIFY(fromFile);
    QCOMPARE(fromFile->authFor(u"r.example"_s)->credentials.username, u"fromfile"_s);
}

void TestAuthUnits::dockerConfigDirectory()
{
    qputenv("DOCKER_CONFIG", "/some/where");
    QCOMPARE(DockerConfig::defaultPath(), u"/some/where/config.json"_s);
    qunsetenv("DOCKER_CONFIG");
    QCOMPARE(DockerConfig::defaultPath(), QDir::homePath() + u"/.docker/config.json"_s);
}

void TestAuthUnits::helperAnswers()
{
    auto found = CredentialHelper::parseGetOutput(
        u"x"_s, 0, R"({"ServerURL":"r","Username":"u","Secret":"s3cret"})", {});
    QVERIFY(found && found->found);
    QCOMPARE(found->credentials.username, u"u"_s);
    QCOMPARE(found->credentials.secret, u"s3cret"_s);

    auto token = CredentialHelper::parseGetOutput(
        u"x"_s, 0, R"({"ServerURL":"r","Username":"<token>","Secret":"refresh-me"})", {});
    QVERIFY(token && token->found);
    QVERIFY(token->credentials.username.isEmpty());
    QVERIFY(token->credentials.secret.isEmpty());
    QCOMPARE(token->credentials.identityToken, u"refresh-me"_s);

    auto notFound = CredentialHelper::parseGetOutput(
        u"x"_s, 1, "credentials not found in native keychain\n", {});
    QVERIFY(notFound);
    QVERIFY(!notFound->found);

    auto failed = CredentialHelper::parseGetOutput(u"pass"_s, 3, {}, "gpg: decryption failed\n");
    QVERIFY(!failed);
    QVERIFY(failed.error().message.contains(u"docker-credential-pass"_s));
    QVERIFY(failed.error().message.contains(u"gpg: decryption failed"_s));
    QVERIFY(failed.error().message.contains(u"exit code 3"_s));

    // A failing helper that printed a record anyway: its text is not repeated.
    auto leaky = CredentialHelper::parseGetOutput(u"x"_s, 2,
                                                  R"({"Username":"u","Secret":"do-not-show"})", {});
    QVERIFY(!leaky);
    QVERIFY(!leaky.error().message.contains(u"do-not-show"_s));

    auto garbage = CredentialHelper::parseGetOutput(u"x"_s, 0, "hello", {});
    QVERIFY(!garbage);
    QCOMPARE(garbage.error().kind, Error::Kind::Protocol);

    QVERIFY(CredentialHelper::isValidName(u"ecr-login"_s));
    QVERIFY(!CredentialHelper::isValidName(u"../../bin/sh"_s));
    QVERIFY(!CredentialHelper::isValidName(QString()));
}

void TestAuthUnits::certificateInfo()
{
    const QList<QSslCertificate> server =
        QSslCertificate::fromPath(m_certs.serverCertificatePath());
    QCOMPARE(server.size(), 1);
    const CertificateInfo info = CertificateInfo::from(server.first());
    QCOMPARE(info.subject, u"CN=127.0.0.1"_s);
    QCOMPARE(info.issuer, u"CN=Wharf Test CA"_s);
    QCOMPARE(info.sha256Fingerprint, opensslFingerprint(m_certs.serverCertificatePath()));
    QVERIFY(info.names.contains(u"127.0.0.1"_s));
    QVERIFY(info.names.contains(u"localhost"_s));
    QVERIFY(!info.selfSigned);
    QVERIFY(!info.certificateAuthority);
    QVERIFY(!info.isExpired());
    QVERIFY(info.summary().contains(info.sha256Fingerprint));

    const CertificateInfo ca =
        CertificateInfo::from(QSslCertificate::fromPath(m_certs.caCertificatePath()).first());
    QVERIFY(ca.selfSigned);
    QVERIFY(ca.certificateAuthority);
    const CertificateInfo expired =
        CertificateInfo::from(QSslCertificate::fromPath(m_certs.expiredCertificatePath()).first());
    QVERIFY(expired.isExpired());
    QCOMPARE(expired.notAfter.date(), QDate(2020, 2, 1));
}

void TestAuthUnits::certsDirectoriesLoadCasAndClientCertificate()
{
    QTemporaryDir root;
    const QString dir = root.filePath(u"127.0.0.1:5443"_s);
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(copyFile(m_certs.caCertificatePath(), dir + u"/ca.crt"_s));
    QVERIFY(copyFile(m_extra.certificate(u"client"_s), dir + u"/client.cert"_s));
    QVERIFY(copyFile(m_extra.key(u"client"_s), dir + u"/client.key"_s));
    // A second root (containers' certs.d) adds its own CA.
    QTemporaryDir second;
    QVERIFY(QDir().mkpath(second.filePath(u"127.0.0.1:5443"_s)));
    QVERIFY(copyFile(m_extra.certificate(u"client-ca"_s),
                     second.filePath(u"127.0.0.1:5443/extra.crt"_s)));

    const auto material =
        CertsDirectories::load(QUrl(u"https://127.0.0.1:5443"_s), {root.path(), second.path()});
    QVERIFY2(material.problems.isEmpty(), qPrintable(material.problems.join(u'\n')));
    QCOMPARE(material.caCertificates.size(), 2);
    QCOMPARE(CertificateInfo::from(material.caCertificates.at(0)).subject, u"CN=Wharf Test CA"_s);
    QCOMPARE(CertificateInfo::from(material.caCertificates.at(1)).subject, u"CN=client-ca"_s);
    QVERIFY(!material.clientCertificate.isNull());
    QVERIFY(!material.clientKey.isNull());
    QCOMPARE(material.clientKey.algorithm(), QSsl::Ec);
    QCOMPARE(material.clientCertificateFile, dir + u"/client.cert"_s);
    QCOMPARE(material.files.size(), 4);

    // Another port is another registry.
    QVERIFY(CertsDirectories::load(QUrl(u"https://127.0.0.1:5444"_s), {root.path()}).isEmpty());

    // The environment variable replaces the default roots.
    qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(root.path() + u':' + second.path()));
    QCOMPARE(CertsDirectories::roots(), (QStringList{root.path(), second.path()}));
    qunsetenv("WHARF_CERTS_D_DIRS");
    QVERIFY(CertsDirectories::roots().contains(u"/etc/docker/certs.d"_s));
}

void TestAuthUnits::certsDirectoriesReportProblems()
{
    QTemporaryDir root;
    const QString dir = root.filePath(u"registry.example"_s);
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(copyFile(m_extra.certificate(u"client"_s), dir + u"/lonely.cert"_s));
    QVERIFY(copyFile(m_extra.key(u"client"_s), dir + u"/orphan.key"_s));
    QVERIFY(writeFile(dir + u"/junk.crt"_s, "not a certificate"));
    const auto material =
        CertsDirectories::load(QUrl(u"https://registry.example"_s), {root.path()});
    QVERIFY(material.isEmpty());
    QCOMPARE(material.problems.size(), 3);
    const QString all = material.problems.join(u'\n');
    QVERIFY(all.contains(u"lonely.cert has no matching key"_s));
    QVERIFY(all.contains(u"orphan.key has no matching client certificate"_s));
    QVERIFY(all.contains(u"junk.crt holds no PEM certificate"_s));
}

void TestAuthUnits::certsDirectoriesDefaultPortNames()
{
    QCOMPARE(CertsDirectories::directoryNames(QUrl(u"https://r.example"_s)),
             QStringList{u"r.example"_s});
    QCOMPARE(CertsDirectories::directoryNames(QUrl(u"https://r.example:443"_s)),
             (QStringList{u"r.example:443"_s, u"r.example"_s}));
    QCOMPARE(CertsDirectories::directoryNames(QUrl(u"https://R.Example:5000"_s)),
             QStringList{u"r.example:5000"_s});
}

void TestAuthUnits::tlsProfilesDiffer()
{
    RegistryConfig plain;
    plain.url = QUrl(u"https://127.0.0.1:9"_s);
    plain.useCertsDirectories = false;
    RegistryConfig insecure = plain;
    insecure.skipTlsVerify = true;
    RegistryConfig withCa = plain;
    withCa.caCertificates = QSslCertificate::fromPath(m_certs.caCertificatePath());
    RegistryConfig withClient = plain;
    withClient.clientCertificate =
        QSslCertificate::fromPath(m_extra.certificate(u"client"_s)).first();

    const auto a = TlsSettings::forRegistry(plain);
    const auto b = TlsSettings::forRegistry(insecure);
    const auto c = TlsSettings::forRegistry(withCa);
    const auto d = TlsSettings::forRegistry(withClient);
    QCOMPARE(TlsSettings::forRegistry(plain).profile, a.profile); // stable
    const QSet<QByteArray> profiles{a.profile, b.profile, c.profile, d.profile};
    QCOMPARE(profiles.size(), 4);
    QCOMPARE(b.configuration.peerVerifyMode(), QSslSocket::VerifyNone);
    QVERIFY(c.configuration.caCertificates().contains(withCa.caCertificates.first()));
    QCOMPARE(d.configuration.localCertificate(), withClient.clientCertificate);
}

QTEST_GUILESS_MAIN(TestAuthUnits)
#include "tst_auth_units.moc"
