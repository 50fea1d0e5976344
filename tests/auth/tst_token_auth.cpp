// Bearer token auth end to end: RegistryClient against a real docker-registry 2.8 started with
// `auth: token`, whose realm is TokenServer (JWTs signed with a key openssl made for this run,
// trusted through the registry's rootcertbundle). What the registry accepts or refuses is its
// own verdict; the token server only records what Wharf asked for.

#include "AsyncTest.h"
#include "LoopbackServer.h"
#include "TokenRegistry.h"

#include "client/RegistryClient.h"
#include "credentials/DockerConfigLookup.h"
#include "transport/Authenticator.h"
#include "transport/NetworkPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
namespace t = wharf::test;
using wharf::testing::await;
using wharf::testing::waitFor;

namespace {

const QString Private = u"team/app-0000"_s;
const QString Public = u"public/lib-0000"_s;

Credentials login(const QString &user, const QString &password)
{
    Credentials c;
    c.username = user;
    c.secret = password;
    return c;
}

QString pull(const QString &repository)
{
    return u"repository:"_s + repository + u":pull"_s;
}

QString messageOf(const Error &e)
{
    return e.message + u" [" + Error::kindName(e.kind) + u"]";
}

} // namespace

class TestTokenAuth : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void anonymousPullWithAnonymousToken();
    void anonymousIsNotPermittedOnPrivateRepositories();
    void pullOnlyUserCanReadButNotDelete();
    void deleteCapableUserDeletes();
    void serverGrantingLessThanAskedIsNotPermitted();
    void catalogNeedsCatalogScope();
    void wrongPasswordIsRejectedByTheTokenService();
    void anonymousRefusedByTheTokenService();
    void tokensAreCachedPerScopeSet();
    void expiredTokenIsRenewedTransparently();
    void tokenIsRenewedBeforeItExpires();
    void specialCharactersInAccountAreEncoded();
    void identityTokenUsesOAuthRefreshFlow();
    void oauthFallsBackToGetWhenPostIsRefused();
    void revokedIdentityTokenIsExplained();
    void dockerConfigIdentityTokenEndToEnd();
    void insufficientScopeAsksForTheUnion();
    void registryRefusingTheTokensIsExplained();
    void tokenResponseVariants();

private:
    RegistryConfig configFor(const Credentials &credentials = {}) const;

    t::TokenRegistry m_env;
    std::shared_ptr<NetworkPool> m_pool = std::make_shared<NetworkPool>(2);
};

RegistryConfig TestTokenAuth::configFor(const Credentials &credentials) const
{
    RegistryConfig c;
    c.url = QUrl(m_env.url());
    c.credentials = credentials;
    c.useCache = false;
    c.useCertsDirectories = false;
    return c;
}

void TestTokenAuth::initTestCase()
{
    QString error;
    QVERIFY2(m_env.start(&error), qPrintable(error));
    t::TokenServer &ts = m_env.tokens();
    ts.addUser(u"alice"_s, u"alice-pw"_s); // pull only
    ts.allow(u"alice"_s, u"repository"_s, u"team/*"_s, {u"pull"_s});
    ts.addUser(u"bob"_s, u"bob-pw"_s); // pull, push, delete
    ts.allow(u"bob"_s, u"repository"_s, u"*"_s, {u"pull"_s, u"push"_s, u"delete"_s});
    ts.addUser(u"carol"_s, u"carol-pw"_s); // catalog and pull
    ts.allow(u"carol"_s, u"registry"_s, u"catalog"_s, {u"*"_s});
    ts.allow(u"carol"_s, u"repository"_s, u"*"_s, {u"pull"_s});
    ts.addUser(u"e+mail@x.test"_s, u"p+ss w&rd=="_s);
    ts.allow(u"e+mail@x.test"_s, u"repository"_s, u"*"_s, {u"pull"_s});
    ts.allow(QString(), u"repository"_s, u"public/*"_s, {u"pull"_s}); // anonymous
    ts.addRefreshToken(u"refresh+bob/1=="_s, u"bob"_s);
}

void TestTokenAuth::init()
{
    t::TokenServer &ts = m_env.tokens();
    ts.resetCounters();
    ts.setAnonymousAllowed(true);
    ts.setOAuthPostSupported(true);
    ts.setLifetimeSeconds(300);
    ts.setIssueExpired(0);
    ts.setIssuedAtOffsetSeconds(0);
    ts.setStingy(false);
    ts.setCorruptSignatures(false);
}

void TestTokenAuth::anonymousPullWithAnonymousToken()
{
    RegistryClient client(configFor(), m_pool, nullptr);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY2(ping, qPrintable(ping ? QString() : messageOf(ping.error())));
    QCOMPARE(ping->authScheme, u"bearer"_s);
    QVERIFY(!ping->authenticated);

    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Public, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    QCOMPARE(*tags, QStringList{u"latest"_s});
    auto manifest = await<ManifestResult>(
        [&](QObject *ctx, auto done) { client.fetchManifest(Public, u"latest"_s, ctx, done); });
    QVERIFY2(manifest, qPrintable(manifest ? QString() : messageOf(manifest.error())));
    QCOMPARE(manifest->digest.toString(), t::TokenRegistry::digest());

    const auto issued = m_env.tokens().issued();
    QCOMPARE(issued.size(), 2); // the ping's scope-less token, then one for the repository
    for (const auto &i : issued) {
        QVERIFY(i.user.isEmpty());
        QVERIFY(!i.basicAuthorization);
        QVERIFY(i.account.isEmpty());
    }
    QCOMPARE(issued.at(0).scopes, QStringList());
    QCOMPARE(issued.at(1).scopes, QStringList{pull(Public)});
    QCOMPARE(issued.at(1).granted, QStringList{pull(Public)});
}

void TestTokenAuth::anonymousIsNotPermittedOnPrivateRepositories()
{
    RegistryClient client(configFor(), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(!tags);
    QCOMPARE(tags.error().kind, Error::Kind::Forbidden);
    QVERIFY2(tags.error().message.contains(u"Not permitted"_s), qPrintable(tags.error().message));
    QVERIFY(tags.error().message.contains(u"anonymous"_s));
    QVERIFY(tags.error().message.contains(u"Log in"_s));
}

void TestTokenAuth::pullOnlyUserCanReadButNotDelete()
{
    RegistryClient client(configFor(login(u"alice"_s, u"alice-pw"_s)), m_pool, nullptr);
    const QString repo = u"team/app-0001"_s;
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(repo, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    QCOMPARE(*tags, QStringList{u"latest"_s});
    auto head = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY2(head, qPrintable(head ? QString() : messageOf(head.error())));
    QCOMPARE(head->digest.toString(), t::TokenRegistry::digest());

    auto deleted = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteManifest(repo, head->digest, ctx, done); });
    QVERIFY(!deleted);
    QCOMPARE(deleted.error().kind, Error::Kind::Forbidden);
    QVERIFY2(deleted.error().message.startsWith(u"Not permitted"_s),
             qPrintable(deleted.error().message));
    QVERIFY(deleted.error().message.contains(u"repository:team/app-0001:delete"_s));
    QVERIFY(deleted.error().message.contains(u"Your account lacks that permission"_s));
    QCOMPARE(deleted.error().message.count(u"Not permitted"_s), 1);

    // Still there.
    auto again = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY(again);
    // Basic credentials and the account went to the token service, never to the registry.
    for (const auto &i : m_env.tokens().issued()) {
        QVERIFY(i.basicAuthorization);
        QCOMPARE(i.account, u"alice"_s);
        QCOMPARE(i.user, u"alice"_s);
    }
}

void TestTokenAuth::deleteCapableUserDeletes()
{
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    const QString repo = u"team/app-0002"_s;
    auto head = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY2(head, qPrintable(head ? QString() : messageOf(head.error())));
    auto deleted = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteManifest(repo, head->digest, ctx, done); });
    QVERIFY2(deleted, qPrintable(deleted ? QString() : messageOf(deleted.error())));
    QCOMPARE(*deleted, DeleteOutcome::Deleted);
    auto gone = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY(!gone);
    QCOMPARE(gone.error().kind, Error::Kind::NotFound);
    QCOMPARE(m_env.tokens().tokenRequests({u"repository:team/app-0002:delete"_s}), 1);
}

void TestTokenAuth::serverGrantingLessThanAskedIsNotPermitted()
{
    m_env.tokens().setStingy(true); // bob's delete right is silently dropped
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    auto digest = Digest::parse(t::TokenRegistry::digest());
    auto deleted = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteManifest(Private, *digest, ctx, done); });
    QVERIFY(!deleted);
    QCOMPARE(deleted.error().kind, Error::Kind::Forbidden);
    QVERIFY2(deleted.error().message.contains(u"did not grant “repository:team/app-0000:delete”"_s),
             qPrintable(deleted.error().message));
    // It asked twice (the token, then a fresh one after the registry's insufficient_scope).
    QCOMPARE(m_env.tokens().tokenRequests({u"repository:team/app-0000:delete"_s}), 2);
    for (const auto &i : m_env.tokens().issued())
        QVERIFY(!i.granted.join(u' ').contains(u"delete"_s));
}

void TestTokenAuth::catalogNeedsCatalogScope()
{
    RegistryClient carol(configFor(login(u"carol"_s, u"carol-pw"_s)), m_pool, nullptr);
    auto repos =
        await<QStringList>([&](QObject *ctx, auto done) { carol.listRepositories(ctx, {}, done); });
    QVERIFY2(repos, qPrintable(repos ? QString() : messageOf(repos.error())));
    QCOMPARE(*repos, (QStringList{u"public/lib-0000"_s, u"public/lib-0001"_s, u"team/app-0000"_s,
                                  u"team/app-0001"_s, u"team/app-0002"_s}));
    QCOMPARE(m_env.tokens().tokenRequests({u"registry:catalog:*"_s}), 1);

    RegistryClient alice(configFor(login(u"alice"_s, u"alice-pw"_s)), m_pool, nullptr);
    auto refused =
        await<QStringList>([&](QObject *ctx, auto done) { alice.listRepositories(ctx, {}, done); });
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::Forbidden);
    QVERIFY2(refused.error().message.contains(u"registry:catalog:*"_s),
             qPrintable(refused.error().message));
    QVERIFY(refused.error().message.contains(u"add the repositories to the bookmark by hand"_s));
}

void TestTokenAuth::wrongPasswordIsRejectedByTheTokenService()
{
    RegistryClient client(configFor(login(u"alice"_s, u"wrong"_s)), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(!tags);
    QCOMPARE(tags.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(tags.error().message.contains(u"rejected the username or password for alice"_s),
             qPrintable(tags.error().message));
    QVERIFY(!tags.error().message.contains(u"wrong"_s));
    QCOMPARE(m_env.tokens().rejectedRequests(), 1);
}

void TestTokenAuth::anonymousRefusedByTheTokenService()
{
    m_env.tokens().setAnonymousAllowed(false);
    RegistryClient client(configFor(), m_pool, nullptr);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping);
    QCOMPARE(ping.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(ping.error().message.contains(u"requires a username and password"_s),
             qPrintable(ping.error().message));
}

void TestTokenAuth::tokensAreCachedPerScopeSet()
{
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    int finished = 0;
    int failures = 0;
    QObject context;
    for (int i = 0; i < 20; ++i) {
        client.listTags(Private, &context, [&](Expected<QStringList> r) {
            ++finished;
            failures += r ? 0 : 1;
        });
        client.headManifest(Private, u"latest"_s, &context, [&](Expected<ManifestHead> r) {
            ++finished;
            failures += r ? 0 : 1;
        });
    }
    QVERIFY(waitFor([&] { return finished == 40; }));
    QCOMPARE(failures, 0);
    auto other = await<QStringList>(
        [&](QObject *ctx, auto done) { client.listTags(u"team/app-0001"_s, ctx, done); });
    QVERIFY(other);
    auto again =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(again);
    // One for the ping, one per repository scope: 42 registry requests, 3 token requests.
    QCOMPARE(m_env.tokens().tokenRequests(), 3);
    QCOMPARE(m_env.tokens().tokenRequests({pull(Private)}), 1);
    QCOMPARE(m_env.tokens().tokenRequests({pull(u"team/app-0001"_s)}), 1);
    QCOMPARE(client.authenticator()->tokenRequests(), 3);
}

void TestTokenAuth::expiredTokenIsRenewedTransparently()
{
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(ping);
    // The next token is already expired by the registry's clock, though expires_in says 300 s:
    // the registry answers invalid_token and the client gets a new one, once.
    m_env.tokens().setIssueExpired(1);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    QCOMPARE(m_env.tokens().tokenRequests({pull(Private)}), 2);
    auto again =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(again);
    QCOMPARE(m_env.tokens().tokenRequests({pull(Private)}), 2);
}

void TestTokenAuth::tokenIsRenewedBeforeItExpires()
{
    // issued_at 55 s ago with a 60 s lifetime: the client keeps the token about a second.
    m_env.tokens().setLifetimeSeconds(60);
    m_env.tokens().setIssuedAtOffsetSeconds(-55);
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    auto first =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(first);
    QCOMPARE(m_env.tokens().tokenRequests({pull(Private)}), 1);
    QTest::qWait(1500);
    auto second =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(second);
    QCOMPARE(m_env.tokens().tokenRequests({pull(Private)}), 2);
}

void TestTokenAuth::specialCharactersInAccountAreEncoded()
{
    RegistryClient client(configFor(login(u"e+mail@x.test"_s, u"p+ss w&rd=="_s)), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    const auto issued = m_env.tokens().issued();
    QVERIFY(!issued.isEmpty());
    QCOMPARE(issued.last().account, u"e+mail@x.test"_s); // a raw '+' would arrive as a space
    QCOMPARE(issued.last().user, u"e+mail@x.test"_s);
}

void TestTokenAuth::identityTokenUsesOAuthRefreshFlow()
{
    Credentials c;
    c.identityToken = u"refresh+bob/1=="_s;
    RegistryClient client(configFor(c), m_pool, nullptr);
    auto digest = Digest::parse(t::TokenRegistry::digest());
    // Delete is bob's right: only the refresh token says who this is.
    auto deleted = await<DeleteOutcome>([&](QObject *ctx, auto done) {
        client.deleteManifest(u"team/app-0001"_s, *digest, ctx, done);
    });
    QVERIFY2(deleted, qPrintable(deleted ? QString() : messageOf(deleted.error())));
    QCOMPARE(*deleted, DeleteOutcome::Deleted);
    const auto issued = m_env.tokens().issued();
    QVERIFY(!issued.isEmpty());
    for (const auto &i : issued) {
        QCOMPARE(i.method, u"POST"_s);
        QCOMPARE(i.user, u"bob"_s);
        QVERIFY(!i.basicAuthorization);
    }
}

void TestTokenAuth::oauthFallsBackToGetWhenPostIsRefused()
{
    m_env.tokens().setOAuthPostSupported(false);
    Credentials c;
    c.identityToken = u"refresh+bob/1=="_s;
    RegistryClient client(configFor(c), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Public, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    const auto issued = m_env.tokens().issued();
    QVERIFY(!issued.isEmpty());
    for (const auto &i : issued)
        QCOMPARE(i.method, u"GET"_s); // after a 405 on each POST
    QCOMPARE(client.authenticator()->tokenRequests(), 2 * int(issued.size()));
}

void TestTokenAuth::revokedIdentityTokenIsExplained()
{
    Credentials c;
    c.identityToken = u"revoked-token"_s;
    RegistryClient client(configFor(c), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(!tags);
    QCOMPARE(tags.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(tags.error().message.contains(u"rejected the stored identity token"_s),
             qPrintable(tags.error().message));
    QVERIFY(!tags.error().message.contains(u"revoked-token"_s));
}

void TestTokenAuth::dockerConfigIdentityTokenEndToEnd()
{
    // What `docker login` leaves for an OAuth registry: an identity token under the host's key.
    DockerConfigLookup::Options options;
    options.config = *DockerConfig::parse(
        (u"{\"auths\":{\"%1\":{\"identitytoken\":\"refresh+bob/1==\"}}}"_s.arg(m_env.hostPort()))
            .toUtf8(),
        u"config.json"_s);
    std::optional<DockerConfigLookup::Result> found;
    QObject context;
    DockerConfigLookup::find(
        m_env.url(), &context, [&found](const DockerConfigLookup::Result &r) { found = r; },
        options);
    QTRY_VERIFY(found.has_value());
    QVERIFY(found->found);
    RegistryClient client(configFor(found->credentials), m_pool, nullptr);
    auto head = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(Private, u"latest"_s, ctx, done); });
    QVERIFY2(head, qPrintable(head ? QString() : messageOf(head.error())));
    QVERIFY(!m_env.tokens().issued().isEmpty());
    QCOMPARE(m_env.tokens().issued().last().method, u"POST"_s);
    QCOMPARE(m_env.tokens().issued().last().user, u"bob"_s);
}

void TestTokenAuth::insufficientScopeAsksForTheUnion()
{
    // A scripted registry whose challenge names more scopes than the request needed (as for a
    // cross-repository blob mount): the token request must carry every one of them, one scope
    // parameter each, and the retry must carry the new token.
    const QString realm = m_env.tokens().realm();
    int served = 0;
    t::LoopbackServer registry([&](const t::LoopbackServer::Request &r) {
        const QByteArray auth = r.header("authorization");
        t::LoopbackServer::Response response;
        if (r.path() == "/v2/" && auth.startsWith("Bearer ")) {
            response.status = 200;
            return response;
        }
        if (r.path().endsWith("/tags/list") && auth.startsWith("Bearer ")) {
            // The first token (scope = the request's) is not enough; the second is.
            if (++served == 1) {
                response.status = 401;
                response.headers.emplaceBack(
                    "WWW-Authenticate",
                    (u"Bearer "
                     u"realm=\"%1\",service=\"wharf-test-registry\",scope=\"repository:a/b:pull "
                     u"repository:c/d:pull\",error=\"insufficient_scope\""_s.arg(realm))
                        .toUtf8());
                return response;
            }
            return t::LoopbackServer::Response::json(200, R"({"name":"a/b","tags":["x"]})");
        }
        response.status = 401;
        response.headers.emplaceBack(
            "WWW-Authenticate",
            (u"Bearer realm=\"%1\",service=\"wharf-test-registry\""_s.arg(realm)).toUtf8());
        return response;
    });
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    RegistryConfig config = configFor(login(u"bob"_s, u"bob-pw"_s));
    config.url = registry.url();
    RegistryClient client(config, m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(u"a/b"_s, ctx, done); });
    QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    QCOMPARE(*tags, QStringList{u"x"_s});
    const auto issued = m_env.tokens().issued();
    QCOMPARE(issued.size(), 3);
    QCOMPARE(issued.at(1).scopes, QStringList{u"repository:a/b:pull"_s});
    QCOMPARE(issued.at(2).scopes,
             (QStringList{u"repository:a/b:pull"_s, u"repository:c/d:pull"_s}));
}

void TestTokenAuth::registryRefusingTheTokensIsExplained()
{
    // The registry checks every signature against its rootcertbundle: a token service and a
    // registry that disagree must not look like a permission problem.
    m_env.tokens().setCorruptSignatures(true);
    RegistryClient client(configFor(login(u"bob"_s, u"bob-pw"_s)), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(Private, ctx, done); });
    QVERIFY(!tags);
    QCOMPARE(tags.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(
        tags.error().message.contains(u"does not accept the tokens its token service issues"_s),
        qPrintable(tags.error().message));
}

void TestTokenAuth::tokenResponseVariants()
{
    // Token services answer differently: "token" only (no expires_in), or "access_token" with a
    // refresh_token that replaces the credentials for the next token (OAuth2 POST from then on).
    std::atomic<bool> revoked = false;
    t::LoopbackServer realm([&](const t::LoopbackServer::Request &r) {
        if (r.method == "POST") {
            const bool refreshed = !revoked && r.body.contains("grant_type=refresh_token") &&
                                   r.body.contains("refresh_token=rotated%2Btoken");
            return t::LoopbackServer::Response::json(
                refreshed ? 200 : 400, refreshed
                                           ? R"({"access_token":"via-refresh","expires_in":120})"
                                           : R"({"error":"invalid_grant"})");
        }
        if (!r.target.contains("scope="))
            return t::LoopbackServer::Response::json(200, R"({"token":"plain-token"})");
        if (r.target.contains("scope=repository%3Aa%3Apull"))
            return t::LoopbackServer::Response::json(
                200, R"({"access_token":"with-refresh","token":"ignored",
                         "refresh_token":"rotated+token","expires_in":120})");
        return t::LoopbackServer::Response::json(200, R"({"token":"password-token"})");
    });
    QString error;
    QVERIFY2(realm.start(&error), qPrintable(error));
    const QByteArray challenge =
        (u"Bearer realm=\"%1/token\",service=\"svc\""_s.arg(realm.url().toString())).toUtf8();
    t::LoopbackServer registry([&](const t::LoopbackServer::Request &r) {
        const QByteArray auth = r.header("authorization");
        const QByteArray path = r.path();
        const bool ok = (path == "/v2/" && auth == "Bearer plain-token") ||
                        (path == "/v2/a/tags/list" && auth == "Bearer with-refresh") ||
                        (path == "/v2/b/tags/list" && auth == "Bearer via-refresh") ||
                        (path == "/v2/c/tags/list" && auth == "Bearer password-token");
        if (ok)
            return t::LoopbackServer::Response::json(200, R"({"name":"x","tags":["t"]})");
        t::LoopbackServer::Response response;
        response.status = 401;
        response.headers.emplaceBack("WWW-Authenticate", challenge);
        return response;
    });
    QVERIFY2(registry.start(&error), qPrintable(error));
    RegistryConfig config = configFor(login(u"user"_s, u"pw"_s));
    config.url = registry.url();
    RegistryClient client(config, m_pool, nullptr);
    for (const QString &repo : {u"a"_s, u"b"_s}) {
        auto tags =
            await<QStringList>([&](QObject *ctx, auto done) { client.listTags(repo, ctx, done); });
        QVERIFY2(tags, qPrintable(tags ? QString() : messageOf(tags.error())));
    }
    const auto seen = realm.requests();
    QCOMPARE(seen.size(), 3);
    QCOMPARE(seen.at(0).method, QByteArray("GET"));
    QVERIFY(seen.at(0).header("authorization").startsWith("Basic "));
    QCOMPARE(seen.at(1).method, QByteArray("GET"));
    QCOMPARE(seen.at(2).method, QByteArray("POST")); // the refresh token took over
    QVERIFY(!seen.at(2).headers.contains("authorization"));
    QVERIFY(seen.at(2).body.contains("scope=repository%3Ab%3Apull"));
    QVERIFY(seen.at(2).body.contains("service=svc"));

    // When the refresh token stops working, the password still does.
    revoked = true;
    realm.clearRequests();
    auto c =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(u"c"_s, ctx, done); });
    QVERIFY2(c, qPrintable(c ? QString() : messageOf(c.error())));
    const auto retried = realm.requests();
    QCOMPARE(retried.size(), 2);
    QCOMPARE(retried.at(0).method, QByteArray("POST"));
    QCOMPARE(retried.at(1).method, QByteArray("GET"));
    QVERIFY(retried.at(1).header("authorization").startsWith("Basic "));
}

QTEST_GUILESS_MAIN(TestTokenAuth)
#include "tst_token_auth.moc"
