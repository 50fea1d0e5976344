// wharfctl against registries people actually meet: a real docker-registry with token auth
// (TokenServer), Docker's credentials picked up when none are given (config.json, credential
// helper scripts), TLS with a test CA, and a Docker Hub-like stub with rate-limit headers and
// no catalog. The real binary runs as a separate process; servers run on their own threads.

#include "CommandRunner.h"
#include "HelperScripts.h"
#include "LoopbackServer.h"
#include "TestCertificates.h"
#include "TokenRegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
namespace t = wharf::test;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
    QString all() const { return out + err; }
};

QByteArray basicAuth(const QString &user, const QString &password)
{
    return (user + u':' + password).toUtf8().toBase64();
}

} // namespace

class TestWharfctlAuth : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void tokenRegistryWithPasswordOnStdin();
    void anonymousPullOfPublicRepository();
    void wrongPasswordIsExplained();
    void catalogScopeDecidesRepos();
    void dockerConfigAuthsAreUsed();
    void credentialHelperIsUsed();
    void identityTokenFromDockerConfig();
    void commandLineCredentialsWin();
    void dockerCredentialsCanBeSwitchedOff();
    void bookmarkWithoutPasswordUsesDockerCredentials();
    void bookmarkPasswordFromKeychain();
    void inventoryUsesBookmarkRepositories();
    void tlsErrorsAndTrust();
    void rateLimitPrintedOnce();
    void registryWithoutCatalog();

private:
    Run wharfctl(const QStringList &args, const QByteArray &stdinData = {},
                 const QHash<QString, QString> &environment = {});
    void writeDockerConfig(const QByteArray &json);

    t::TokenRegistry m_env;
    t::TestCertificates m_certs;
    std::unique_ptr<t::TestRegistry> m_tls;
    std::unique_ptr<t::TestRegistry> m_expired;
    t::HelperScripts m_helpers;
    QTemporaryDir m_cache;
    std::unique_ptr<QTemporaryDir> m_config;
    std::unique_ptr<QTemporaryDir> m_docker;
    QTemporaryDir m_emptyCertsD;
    QString m_binary;
};

Run TestWharfctlAuth::wharfctl(const QStringList &args, const QByteArray &stdinData,
                               const QHash<QString, QString> &environment)
{
    t::CommandRunner::Command c;
    c.program = m_binary;
    c.arguments = args;
    c.standardInput = stdinData;
    c.environment.insert(u"WHARF_CACHE_DIR"_s, m_cache.path());
    c.environment.insert(u"WHARF_CONFIG_DIR"_s, m_config->path());
    c.environment.insert(u"DOCKER_CONFIG"_s, m_docker->path());
    c.environment.insert(u"WHARF_CERTS_D_DIRS"_s, m_emptyCertsD.path());
    c.environment.remove(u"DOCKER_AUTH_CONFIG"_s);
    c.environment.remove(u"WHARF_REGISTRY"_s);
    c.environment.remove(u"WHARF_NO_DOCKER_CREDENTIALS"_s);
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        c.environment.insert(it.key(), it.value());
    c.timeoutMs = 120000;
    const auto r = t::CommandRunner::run(c);
    return Run{r.exitCode, QString::fromUtf8(r.standardOutput), QString::fromUtf8(r.standardError)};
}

void TestWharfctlAuth::writeDockerConfig(const QByteArray &json)
{
    QFile file(m_docker->filePath(u"config.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(file.write(json) == json.size());
}

void TestWharfctlAuth::initTestCase()
{
    m_binary = QStringLiteral(WHARF_BINARY_DIR) + u"/src/cli/wharfctl"_s;
    QVERIFY2(QFileInfo::exists(m_binary), qPrintable(m_binary));
    QString error;
    QVERIFY2(m_env.start(&error), qPrintable(error));
    t::TokenServer &ts = m_env.tokens();
    ts.addUser(u"alice"_s, u"alice-pw"_s);
    ts.allow(u"alice"_s, u"repository"_s, u"team/*"_s, {u"pull"_s});
    ts.addUser(u"bob"_s, u"bob-pw"_s); // everything but the catalog
    ts.allow(u"bob"_s, u"repository"_s, u"*"_s, {u"pull"_s, u"push"_s, u"delete"_s});
    ts.addUser(u"carol"_s, u"carol-pw"_s);
    ts.allow(u"carol"_s, u"registry"_s, u"catalog"_s, {u"*"_s});
    ts.allow(u"carol"_s, u"repository"_s, u"*"_s, {u"pull"_s});
    ts.allow(QString(), u"repository"_s, u"public/*"_s, {u"pull"_s});
    ts.addRefreshToken(u"bob-refresh"_s, u"bob"_s);

    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    t::RegistryOptions tls;
    tls.tlsCertificate = m_certs.serverCertificatePath();
    tls.tlsKey = m_certs.serverKeyPath();
    m_tls = std::make_unique<t::TestRegistry>(tls);
    QVERIFY2(m_tls->start(&error), qPrintable(error));
    tls.tlsCertificate = m_certs.expiredCertificatePath();
    tls.tlsKey = m_certs.expiredKeyPath();
    m_expired = std::make_unique<t::TestRegistry>(tls);
    QVERIFY2(m_expired->start(&error), qPrintable(error));

    QVERIFY(m_helpers.add(
        u"wharftest"_s, t::HelperScripts::answer(m_env.hostPort(), u"bob"_s, u"bob-pw"_s), &error));
}

void TestWharfctlAuth::init()
{
    // Fresh bookmarks and a fresh, empty docker config for every test.
    m_config = std::make_unique<QTemporaryDir>();
    m_docker = std::make_unique<QTemporaryDir>();
    m_env.tokens().resetCounters();
    m_helpers.clearReceived();
}

void TestWharfctlAuth::tokenRegistryWithPasswordOnStdin()
{
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"-u"_s, u"alice"_s, u"--password-stdin"_s,
                            u"tags"_s, u"team/app-0000"_s},
                           "alice-pw\n");
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(r.out, u"latest\n"_s);
    const auto issued = m_env.tokens().issued();
    QVERIFY(!issued.isEmpty());
    QCOMPARE(issued.last().user, u"alice"_s);
    QVERIFY(issued.last().basicAuthorization);

    const Run inspect = wharfctl({u"-r"_s, m_env.url(), u"-u"_s, u"alice"_s, u"--password-stdin"_s,
                                  u"--json"_s, u"inspect"_s, u"team/app-0001:latest"_s},
                                 "alice-pw");
    QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.all()));
    QVERIFY(inspect.out.contains(t::TokenRegistry::digest()));
}

void TestWharfctlAuth::anonymousPullOfPublicRepository()
{
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"tags"_s, u"public/lib-0001"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(r.out, u"latest\n"_s);
    const Run refused = wharfctl({u"-r"_s, m_env.url(), u"tags"_s, u"team/app-0000"_s});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(u"Not permitted"_s) && refused.err.contains(u"Log in"_s),
             qPrintable(refused.err));
}

void TestWharfctlAuth::wrongPasswordIsExplained()
{
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"-u"_s, u"alice"_s, u"--password-stdin"_s,
                            u"tags"_s, u"team/app-0000"_s},
                           "not-her-password\n");
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"rejected the username or password for alice"_s), qPrintable(r.err));
    QVERIFY(!r.all().contains(u"not-her-password"_s));
}

void TestWharfctlAuth::catalogScopeDecidesRepos()
{
    const Run bob = wharfctl(
        {u"-r"_s, m_env.url(), u"-u"_s, u"bob"_s, u"--password-stdin"_s, u"repos"_s}, "bob-pw");
    QCOMPARE(bob.exitCode, 1);
    QVERIFY2(bob.err.contains(u"registry:catalog:*"_s), qPrintable(bob.err));
    QVERIFY(bob.err.contains(u"add the repositories to the bookmark by hand"_s));
    const Run carol = wharfctl(
        {u"-r"_s, m_env.url(), u"-u"_s, u"carol"_s, u"--password-stdin"_s, u"repos"_s}, "carol-pw");
    QVERIFY2(carol.exitCode == 0, qPrintable(carol.all()));
    QCOMPARE(carol.out, u"public/lib-0000\npublic/lib-0001\nteam/app-0000\nteam/app-0001\n"
                        u"team/app-0002\n"_s);
}

void TestWharfctlAuth::dockerConfigAuthsAreUsed()
{
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"tags"_s, u"team/app-0002"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(r.out, u"latest\n"_s);
    QCOMPARE(m_env.tokens().issued().last().user, u"bob"_s);

    const Run where = wharfctl({u"-r"_s, m_env.url(), u"credentials"_s});
    QVERIFY2(where.exitCode == 0, qPrintable(where.all()));
    QVERIFY2(where.out.contains(u"credentials: password"_s), qPrintable(where.out));
    QVERIFY(where.out.contains(u"username: bob"_s));
    QVERIFY(where.out.contains(u"source: docker: auths[\"%1\"] in %2"_s.arg(
        m_env.hostPort(), m_docker->filePath(u"config.json"_s))));
    QVERIFY(!where.all().contains(u"bob-pw"_s));

    const Run check = wharfctl({u"-r"_s, m_env.url(), u"credentials"_s, u"--check"_s, u"--json"_s});
    QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
    const QJsonObject json = check.json();
    QCOMPARE(json.value(u"auth"_s).toString(), u"bearer"_s);
    QVERIFY(json.value(u"accepted"_s).toBool());
    QCOMPARE(json.value(u"kind"_s).toString(), u"password"_s);
    QVERIFY(!check.all().contains(u"bob-pw"_s));
}

void TestWharfctlAuth::credentialHelperIsUsed()
{
    writeDockerConfig(R"({"credsStore":"absent-store","credHelpers":{")" +
                      m_env.hostPort().toUtf8() + R"(":"wharftest"}})");
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"credentials"_s, u"--check"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QVERIFY2(r.out.contains(u"source: docker: docker-credential-wharftest (credHelpers"_s),
             qPrintable(r.out));
    QVERIFY(r.out.contains(u"auth: bearer, accepted"_s));
    QCOMPARE(m_helpers.receivedInput(u"wharftest"_s), m_env.hostPort());
    QCOMPARE(m_helpers.receivedArguments(u"wharftest"_s), u"get"_s);
    QVERIFY(!r.all().contains(u"bob-pw"_s));
    // The store it never needed to ask was not consulted, so no warning about it either.
    QVERIFY2(!r.err.contains(u"absent-store"_s), qPrintable(r.err));
}

void TestWharfctlAuth::identityTokenFromDockerConfig()
{
    writeDockerConfig(R"({"auths":{"http://)" + m_env.hostPort().toUtf8() +
                      R"(/":{"identitytoken":"bob-refresh"}}})");
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"tags"_s, u"team/app-0001"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    const auto issued = m_env.tokens().issued();
    QVERIFY(!issued.isEmpty());
    QCOMPARE(issued.last().method, u"POST"_s);
    QCOMPARE(issued.last().user, u"bob"_s);
}

void TestWharfctlAuth::commandLineCredentialsWin()
{
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl(
        {u"-r"_s, m_env.url(), u"-u"_s, u"alice"_s, u"--password-stdin"_s, u"credentials"_s},
        "alice-pw");
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QVERIFY(r.out.contains(u"username: alice"_s));
    QVERIFY(r.out.contains(u"source: command line"_s));
    // A username alone that differs from docker's does not borrow docker's password.
    const Run other = wharfctl({u"-r"_s, m_env.url(), u"-u"_s, u"carol"_s, u"credentials"_s});
    QVERIFY2(other.exitCode == 0, qPrintable(other.all()));
    QVERIFY2(other.out.contains(u"credentials: username-only"_s), qPrintable(other.out));
    QVERIFY(other.out.contains(u"source: none"_s));
}

void TestWharfctlAuth::dockerCredentialsCanBeSwitchedOff()
{
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl({u"-r"_s, m_env.url(), u"tags"_s, u"team/app-0000"_s}, {},
                           {{u"WHARF_NO_DOCKER_CREDENTIALS"_s, u"1"_s}});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"anonymous"_s), qPrintable(r.err));
}

void TestWharfctlAuth::bookmarkWithoutPasswordUsesDockerCredentials()
{
    const Run add = wharfctl({u"bookmark"_s, u"add"_s, u"tok"_s, m_env.url(), u"--no-verify"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.all()));
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl({u"-r"_s, u"tok"_s, u"tags"_s, u"team/app-0000"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    const Run where = wharfctl({u"-r"_s, u"tok"_s, u"--json"_s, u"credentials"_s});
    QVERIFY2(where.exitCode == 0, qPrintable(where.all()));
    QVERIFY(where.json().value(u"source"_s).toString().startsWith(u"docker: auths"_s));
    QCOMPARE(where.json().value(u"username"_s).toString(), u"bob"_s);
}

void TestWharfctlAuth::bookmarkPasswordFromKeychain()
{
    // The same bookmark flow as for Basic registries; the keychain beats docker's config.
    const Run add = wharfctl({u"bookmark"_s, u"add"_s, u"tokpw"_s, m_env.url(), u"-u"_s, u"alice"_s,
                              u"--password-stdin"_s},
                             "alice-pw\n");
    QVERIFY2(add.exitCode == 0, qPrintable(add.all()));
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl({u"-r"_s, u"tokpw"_s, u"tags"_s, u"team/app-0001"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(m_env.tokens().issued().last().user, u"alice"_s);
    const Run where = wharfctl({u"-r"_s, u"tokpw"_s, u"credentials"_s});
    QVERIFY2(where.out.contains(u"source: keychain (bookmark tokpw)"_s), qPrintable(where.all()));
    QVERIFY(!where.all().contains(u"alice-pw"_s));
}

void TestWharfctlAuth::inventoryUsesBookmarkRepositories()
{
    // bob may read every repository but not the catalog: the bookmark's list replaces it.
    const Run add = wharfctl({u"bookmark"_s, u"add"_s, u"nocat"_s, m_env.url(), u"--no-verify"_s,
                              u"--repositories"_s, u"team/app-0000,public/lib-0001"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.all()));
    writeDockerConfig(R"({"auths":{")" + m_env.hostPort().toUtf8() + R"(":{"auth":")" +
                      basicAuth(u"bob"_s, u"bob-pw"_s) + R"("}}})");
    const Run r = wharfctl({u"-r"_s, u"nocat"_s, u"--json"_s, u"inventory"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QStringList names;
    for (const QJsonValue &repo : r.json().value(u"repositories"_s).toArray())
        names << repo.toObject().value(u"name"_s).toString();
    QCOMPARE(names, (QStringList{u"public/lib-0001"_s, u"team/app-0000"_s}));
    QCOMPARE(m_env.tokens().tokenRequests({u"registry:catalog:*"_s}), 0);

    const Run narrowed =
        wharfctl({u"-r"_s, u"nocat"_s, u"--json"_s, u"inventory"_s, u"--repo"_s, u"team/*"_s});
    QVERIFY2(narrowed.exitCode == 0, qPrintable(narrowed.all()));
    QCOMPARE(narrowed.json().value(u"repositories"_s).toArray().size(), 1);
}

void TestWharfctlAuth::tlsErrorsAndTrust()
{
    const Run untrusted = wharfctl({u"-r"_s, m_tls->url(), u"repos"_s});
    QCOMPARE(untrusted.exitCode, 1);
    QVERIFY2(untrusted.err.contains(u"unknown certificate authority"_s), qPrintable(untrusted.err));
    // Without a scheme wharfctl means https, like docker.
    const Run bare = wharfctl({u"-r"_s, m_tls->hostPort(), u"repos"_s});
    QCOMPARE(bare.exitCode, 1);
    QVERIFY2(bare.err.contains(u"unknown certificate authority"_s), qPrintable(bare.err));

    const Run withCa =
        wharfctl({u"-r"_s, m_tls->url(), u"--ca-cert"_s, m_certs.caCertificatePath(), u"repos"_s});
    QVERIFY2(withCa.exitCode == 0, qPrintable(withCa.all()));
    const Run insecure = wharfctl({u"-r"_s, m_tls->url(), u"--insecure"_s, u"repos"_s});
    QVERIFY2(insecure.exitCode == 0, qPrintable(insecure.all()));
    // docker's layout: <root>/<host:port>/ca.crt.
    QTemporaryDir root;
    QVERIFY(QDir().mkpath(root.filePath(m_tls->hostPort())));
    QVERIFY(
        QFile::copy(m_certs.caCertificatePath(), root.filePath(m_tls->hostPort() + u"/ca.crt"_s)));
    const Run docker = wharfctl({u"-r"_s, m_tls->hostPort(), u"repos"_s}, {},
                                {{u"WHARF_CERTS_D_DIRS"_s, root.path()}});
    QVERIFY2(docker.exitCode == 0, qPrintable(docker.all()));

    const Run expired = wharfctl(
        {u"-r"_s, m_expired->url(), u"--ca-cert"_s, m_certs.caCertificatePath(), u"repos"_s});
    QCOMPARE(expired.exitCode, 1);
    QVERIFY2(expired.err.contains(u"the certificate has expired"_s), qPrintable(expired.err));

    const Run badFile =
        wharfctl({u"-r"_s, m_tls->url(), u"--ca-cert"_s, u"/nonexistent.pem"_s, u"repos"_s});
    QCOMPARE(badFile.exitCode, 2);
    QVERIFY(badFile.err.contains(u"--ca-cert"_s));
}

void TestWharfctlAuth::rateLimitPrintedOnce()
{
    std::atomic<int> remaining{77};
    t::LoopbackServer hub([&](const t::LoopbackServer::Request &r) {
        t::LoopbackServer::Response response;
        if (r.path().endsWith("/tags/list"))
            response = t::LoopbackServer::Response::json(
                200, R"({"name":"library/alpine","tags":["3.19","3.20"]})");
        else if (r.path().contains("/manifests/"))
            response = t::LoopbackServer::Response::json(
                404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})");
        response.headers.emplaceBack("ratelimit-limit", "100;w=21600");
        response.headers.emplaceBack("ratelimit-remaining",
                                     QByteArray::number(--remaining) + ";w=21600");
        return response;
    });
    QString error;
    QVERIFY2(hub.start(&error), qPrintable(error));
    const Run r = wharfctl({u"-r"_s, hub.url().toString(), u"tags"_s, u"library/alpine"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(r.out, u"3.19\n3.20\n"_s);
    QCOMPARE(r.err.count(u"rate limit"_s), 1);
    QVERIFY2(r.err.contains(u"rate limit: 76 of 100 requests left (per 6 h)"_s), qPrintable(r.err));

    const Run json =
        wharfctl({u"-r"_s, hub.url().toString(), u"--json"_s, u"tags"_s, u"library/alpine"_s});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.json().value(u"tags"_s).toArray().size(), 2); // stdout stays pure JSON
    QCOMPARE(json.err.count(u"rate limit"_s), 1);
}

void TestWharfctlAuth::registryWithoutCatalog()
{
    t::LoopbackServer ghcr([](const t::LoopbackServer::Request &r) {
        if (r.path() == "/v2/_catalog")
            return t::LoopbackServer::Response::json(
                404, R"({"errors":[{"code":"NOT_FOUND","message":"catalog not supported"}]})");
        return t::LoopbackServer::Response::json(200, "{}");
    });
    QString error;
    QVERIFY2(ghcr.start(&error), qPrintable(error));
    const Run r = wharfctl({u"-r"_s, ghcr.url().toString(), u"repos"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"This registry may not offer a catalog"_s), qPrintable(r.err));
    QVERIFY(r.err.contains(u"add the repositories to the bookmark by hand"_s));
}

QTEST_GUILESS_MAIN(TestWharfctlAuth)
#include "tst_wharfctl_auth.moc"
