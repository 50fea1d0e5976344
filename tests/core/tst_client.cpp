// RegistryClient against real registries (docker-registry 2.8, seeded with skopeo) and, for
// failures a real registry does not produce on demand, a scripted fault server.

#include "AsyncTest.h"
#include "FaultServer.h"
#include "SampleImages.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "cache/ContentCache.h"
#include "client/RegistryClient.h"
#include "oci/MediaTypes.h"
#include "transport/NetworkPool.h"

#include <QDir>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace wharf;
using wharf::testing::await;
namespace t = wharf::test;

namespace {

RegistryConfig configFor(const QUrl &url)
{
    RegistryConfig c;
    c.url = url;
    return c;
}

FaultServer::Response json(int status, const QByteArray &body)
{
    FaultServer::Response r;
    r.status = status;
    r.body = body;
    return r;
}

} // namespace

class TestClient : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void catalogFollowsLinkPages();
    void deleteThenTagsNull();
    void deleteDisabled();
    void deleteInReadOnlyMode();
    void corruptCacheEntryIsRefetched();
    void concurrentFetchesOfOneDigestShareARequest();
    void headMatchesGet();
    void digestMismatchRejected();
    void timeout();
    void truncatedBody();
    void oversizedManifest();
    void retriesTransientErrors();
    void notARegistry();
    void malformedTagList();
    void redirectNeverCarriesAuthorizationToAnotherHost();

private:
    std::shared_ptr<NetworkPool> m_pool = std::make_shared<NetworkPool>(4);
    t::TestRegistry m_registry;
    t::SampleImages m_images;
};

void TestClient::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_images.pushTo(m_registry, &error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(m_registry, 230, u"page/r-"_s, &error),
             qPrintable(error));
}

void TestClient::catalogFollowsLinkPages()
{
    RegistryConfig config = configFor(QUrl(m_registry.url()));
    config.catalogPageSize = 100;
    RegistryClient client(config, m_pool, nullptr);
    int pages = 0;
    auto repos = await<QStringList>([&](QObject *ctx, auto done) {
        client.listRepositories(
            ctx, [&pages](const QStringList &) { ++pages; }, done);
    });
    QVERIFY(repos.hasValue());
    QCOMPARE(repos->size(), 230 + m_images.repositories().size());
    QCOMPARE(pages, 3); // 100 + 100 + the rest, through two Link headers
    QVERIFY(std::is_sorted(repos->begin(), repos->end()));
    QVERIFY(repos->contains(u"page/r-0229"_s));
}

void TestClient::deleteThenTagsNull()
{
    QString error;
    QVERIFY2(t::SampleImages::seedManyRepositories(m_registry, 1, u"gone/r-"_s, &error),
             qPrintable(error));
    RegistryClient client(configFor(QUrl(m_registry.url())), m_pool, nullptr);
    const QString repo = u"gone/r-0000"_s;
    auto digest = Digest::parse(t::SampleImages::manyRepositoryDigest());
    QVERIFY(digest.hasValue());

    auto head = await<ManifestHead>(
        [&](QObject *ctx, auto done) { client.headManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY(head.hasValue());
    QCOMPARE(head->digest, *digest);

    auto deleted = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteManifest(repo, *digest, ctx, done); });
    QVERIFY2(deleted.hasValue(), qPrintable(deleted ? QString() : deleted.error().message));
    QCOMPARE(*deleted, DeleteOutcome::Deleted);
    auto again = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteManifest(repo, *digest, ctx, done); });
    QVERIFY(again.hasValue());
    QCOMPARE(*again, DeleteOutcome::AlreadyGone);

    // 2.8 answers {"tags": null} once the last tag is gone: that is an empty list, not an error.
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(repo, ctx, done); });
    QVERIFY2(tags.hasValue(), qPrintable(tags ? QString() : tags.error().message));
    QVERIFY(tags->isEmpty());
    auto missing = await<ManifestResult>(
        [&](QObject *ctx, auto done) { client.fetchManifest(repo, u"latest"_s, ctx, done); });
    QVERIFY(!missing.hasValue());
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
}

void TestClient::deleteDisabled()
{
    t::RegistryOptions options;
    options.deleteEnabled = false;
    t::TestRegistry registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(registry, 1, u"keep/r-"_s, &error),
             qPrintable(error));
    RegistryClient client(configFor(QUrl(registry.url())), m_pool, nullptr);
    auto digest = Digest::parse(t::SampleImages::manyRepositoryDigest());
    auto result = await<DeleteOutcome>([&](QObject *ctx, auto done) {
        client.deleteManifest(u"keep/r-0000"_s, *digest, ctx, done);
    });
    QVERIFY(!result.hasValue());
    QCOMPARE(result.error().kind, Error::Kind::DeleteDisabled);
    QCOMPARE(result.error().httpStatus, 405);
    QCOMPARE(result.error().code, u"UNSUPPORTED"_s);
    QVERIFY2(result.error().message.contains(u"REGISTRY_STORAGE_DELETE_ENABLED=true"_s),
             qPrintable(result.error().message));
    QVERIFY(result.error().message.contains(u"storage.delete.enabled"_s));
    QVERIFY(registry.isRunning());
}

void TestClient::deleteInReadOnlyMode()
{
    t::TestRegistry seeded;
    QString error;
    QVERIFY2(seeded.start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(seeded, 1, u"ro/r-"_s, &error),
             qPrintable(error));
    seeded.stop();
    t::RegistryOptions options;
    options.readOnly = true;
    options.storageDir = seeded.storageDir();
    t::TestRegistry registry(options);
    QVERIFY2(registry.start(&error), qPrintable(error));
    RegistryClient client(configFor(QUrl(registry.url())), m_pool, nullptr);
    auto digest = Digest::parse(t::SampleImages::manyRepositoryDigest());
    auto result = await<DeleteOutcome>([&](QObject *ctx, auto done) {
        client.deleteManifest(u"ro/r-0000"_s, *digest, ctx, done);
    });
    QVERIFY(!result.hasValue());
    QCOMPARE(result.error().kind, Error::Kind::DeleteDisabled);
    QVERIFY2(result.error().message.contains(u"read-only"_s) ||
                 result.error().message.contains(u"REGISTRY_STORAGE_DELETE_ENABLED"_s),
             qPrintable(result.error().message));
}

void TestClient::corruptCacheEntryIsRefetched()
{
    QTemporaryDir dir;
    const t::SampleImages::Tag *tag = m_images.find(u"sample/app"_s, u"1.0"_s);
    QVERIFY(tag);
    {
        auto cache = std::make_shared<ContentCache>(dir.path());
        RegistryClient client(configFor(QUrl(m_registry.url())), m_pool, cache);
        auto first = await<ManifestResult>([&](QObject *ctx, auto done) {
            client.fetchManifest(tag->repository, tag->top.digest, ctx, done);
        });
        QVERIFY(first.hasValue());
        QVERIFY(!first->fromCache);
    }
    // Flip bytes in the stored copy, behind the cache's back.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(QDir(dir.path()).filePath(u"content.sqlite"_s).toUtf8().constData(), &db),
             SQLITE_OK);
    QCOMPARE(sqlite3_exec(db,
                          "UPDATE blobs SET data = CAST(replace(CAST(data AS TEXT), "
                          "'schemaVersion', 'schemaVersiOn') AS BLOB)",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    const int corrupted = sqlite3_changes(db);
    sqlite3_close(db);
    QCOMPARE(corrupted, 1);
    auto cache = std::make_shared<ContentCache>(dir.path());
    RegistryClient client(configFor(QUrl(m_registry.url())), m_pool, cache);
    auto second = await<ManifestResult>([&](QObject *ctx, auto done) {
        client.fetchManifest(tag->repository, tag->top.digest, ctx, done);
    });
    QVERIFY2(second.hasValue(), qPrintable(second ? QString() : second.error().message));
    QVERIFY(!second->fromCache); // the corrupt copy was not trusted
    QCOMPARE(second->raw, tag->top.bytes);
    auto third = await<ManifestResult>([&](QObject *ctx, auto done) {
        client.fetchManifest(tag->repository, tag->top.digest, ctx, done);
    });
    QVERIFY(third.hasValue());
    QVERIFY(third->fromCache);
}

void TestClient::concurrentFetchesOfOneDigestShareARequest()
{
    RegistryClient client(configFor(QUrl(m_registry.url())), m_pool, nullptr);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(ping.hasValue());
    const qint64 before = client.networkRequests();
    const t::SampleImages::Tag *tag = m_images.find(u"sample/multi"_s, u"2.0"_s);
    int answers = 0;
    QObject ctx;
    for (int i = 0; i < 5; ++i)
        client.fetchManifest(tag->repository, tag->top.digest, &ctx,
                             [&answers](Expected<ManifestResult> r) {
                                 QVERIFY(r.hasValue());
                                 ++answers;
                             });
    QTRY_COMPARE(answers, 5);
    QCOMPARE(client.networkRequests() - before, 1);
}

void TestClient::headMatchesGet()
{
    RegistryClient client(configFor(QUrl(m_registry.url())), m_pool, nullptr);
    for (const t::SampleImages::Tag &tag : m_images.tags()) {
        auto head = await<ManifestHead>([&](QObject *ctx, auto done) {
            client.headManifest(tag.repository, tag.tag, ctx, done);
        });
        QVERIFY2(head.hasValue(), qPrintable(tag.reference()));
        QCOMPARE(head->digest.toString(), tag.top.digest);
        QCOMPARE(head->mediaType, tag.top.mediaType);
        QCOMPARE(head->size, tag.top.size);
    }
    auto missing = await<ManifestHead>([&](QObject *ctx, auto done) {
        client.headManifest(u"sample/app"_s, u"nope"_s, ctx, done);
    });
    QVERIFY(!missing.hasValue());
    QCOMPARE(missing.error().kind, Error::Kind::NotFound); // a HEAD error has no body to explain it
}

void TestClient::digestMismatchRejected()
{
    const QByteArray manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";
    const QString claimed = u"sha256:"_s + QString(64, u'a');
    FaultServer server([&](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        FaultServer::Response response = json(200, manifest);
        response.headers.emplaceBack("Content-Type", "application/vnd.oci.image.index.v1+json");
        response.headers.emplaceBack("Docker-Content-Digest", claimed.toLatin1());
        return response;
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto byDigest = await<ManifestResult>(
        [&](QObject *ctx, auto done) { client.fetchManifest(u"app"_s, claimed, ctx, done); });
    QVERIFY(!byDigest.hasValue());
    QCOMPARE(byDigest.error().kind, Error::Kind::DigestMismatch);
    auto byTag = await<ManifestResult>(
        [&](QObject *ctx, auto done) { client.fetchManifest(u"app"_s, u"1.0"_s, ctx, done); });
    QVERIFY(!byTag.hasValue());
    QCOMPARE(byTag.error().kind, Error::Kind::DigestMismatch);
    QVERIFY(byTag.error().message.contains(claimed));
}

void TestClient::timeout()
{
    FaultServer server([](const FaultServer::Request &) {
        FaultServer::Response r;
        r.behaviour = FaultServer::Response::Behaviour::Hang;
        return r;
    });
    RegistryConfig config = configFor(server.url());
    config.transferTimeoutMs = 500;
    RegistryClient client(config, m_pool, nullptr);
    QElapsedTimer timer;
    timer.start();
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping.hasValue());
    QCOMPARE(ping.error().kind, Error::Kind::Timeout);
    QVERIFY(ping.error().message.contains(u"did not answer in time"_s));
    QVERIFY(timer.elapsed() < 10000);
}

void TestClient::truncatedBody()
{
    FaultServer server([](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        FaultServer::Response response = json(200, R"({"name":"app","tags":["1","2")");
        response.behaviour = FaultServer::Response::Behaviour::TruncateBody;
        response.declaredLength = 4000;
        return response;
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(u"app"_s, ctx, done); });
    QVERIFY(!tags.hasValue());
    QVERIFY2(tags.error().kind == Error::Kind::Network ||
                 tags.error().kind == Error::Kind::Protocol,
             qPrintable(tags.error().message));
}

void TestClient::oversizedManifest()
{
    FaultServer server([](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        QByteArray big = R"({"schemaVersion":2,"manifests":[],"annotations":{"pad":")";
        big += QByteArray(5 * 1024 * 1024, 'x') + R"("}})";
        return json(200, big);
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto m = await<ManifestResult>(
        [&](QObject *ctx, auto done) { client.fetchManifest(u"app"_s, u"big"_s, ctx, done); });
    QVERIFY(!m.hasValue());
    QCOMPARE(m.error().kind, Error::Kind::TooLarge);
}

void TestClient::retriesTransientErrors()
{
    int tagCalls = 0;
    FaultServer server([&](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        ++tagCalls;
        if (tagCalls == 1)
            return json(503, "<html>maintenance</html>");
        if (tagCalls == 2) {
            FaultServer::Response slow =
                json(429, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})");
            slow.headers.emplaceBack("Retry-After", "1");
            return slow;
        }
        return json(200, R"({"name":"app","tags":["b","a"]})");
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto tags =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(u"app"_s, ctx, done); });
    QVERIFY2(tags.hasValue(), qPrintable(tags ? QString() : tags.error().message));
    QCOMPARE(*tags, QStringList({u"a"_s, u"b"_s}));
    QCOMPARE(tagCalls, 3);

    // A server that keeps failing: the error surfaces after the bounded retries.
    int failures = 0;
    FaultServer broken([&](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        ++failures;
        return json(502, "bad gateway");
    });
    RegistryClient brokenClient(configFor(broken.url()), m_pool, nullptr);
    auto failed = await<QStringList>(
        [&](QObject *ctx, auto done) { brokenClient.listTags(u"app"_s, ctx, done); });
    QVERIFY(!failed.hasValue());
    QCOMPARE(failed.error().kind, Error::Kind::ServerError);
    QCOMPARE(failures, 4); // first try + 3 retries
}

void TestClient::notARegistry()
{
    FaultServer server([](const FaultServer::Request &) {
        FaultServer::Response r;
        r.status = 404;
        r.body = "<html>Welcome to my web page</html>";
        r.headers.emplaceBack("Content-Type", "text/html");
        return r;
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto ping = await<PingResult>([&](QObject *ctx, auto done) { client.ping(ctx, done); });
    QVERIFY(!ping.hasValue());
    QVERIFY2(ping.error().message.contains(u"does not look like a container registry"_s),
             qPrintable(ping.error().message));
}

void TestClient::malformedTagList()
{
    FaultServer server([](const FaultServer::Request &r) {
        if (r.target == "/v2/")
            return json(200, "{}");
        if (r.target.contains("wrongtype"))
            return json(200, R"({"name":"x","tags":"latest"})");
        return json(200, R"({"name":"x","tags":[)");
    });
    RegistryClient client(configFor(server.url()), m_pool, nullptr);
    auto broken =
        await<QStringList>([&](QObject *ctx, auto done) { client.listTags(u"app"_s, ctx, done); });
    QVERIFY(!broken.hasValue());
    QCOMPARE(broken.error().kind, Error::Kind::Protocol);
    QVERIFY2(broken.error().message.contains(u"not valid JSON"_s),
             qPrintable(broken.error().message));
    auto wrongType = await<QStringList>(
        [&](QObject *ctx, auto done) { client.listTags(u"wrongtype"_s, ctx, done); });
    QVERIFY(!wrongType.hasValue());
    QVERIFY(wrongType.error().message.contains(u"tags is not an array"_s));
}

void TestClient::redirectNeverCarriesAuthorizationToAnotherHost()
{
    const QByteArray config = R"({"architecture":"amd64","os":"linux"})";
    const Digest digest = Digest::sha256Of(config);
    FaultServer storage([&](const FaultServer::Request &) { return json(200, config); });
    FaultServer registry([&](const FaultServer::Request &r) {
        if (!r.headers.contains("authorization")) {
            FaultServer::Response challenge =
                json(401, R"({"errors":[{"code":"UNAUTHORIZED","message":"auth"}]})");
            challenge.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="test")");
            return challenge;
        }
        if (r.target == "/v2/")
            return json(200, "{}");
        FaultServer::Response redirect;
        redirect.status = 307;
        // "localhost" vs "127.0.0.1" and another port: a different origin.
        if (r.target.contains("same-origin"))
            redirect.headers.emplaceBack("Location",
                                         "/v2/elsewhere/blobs/" + digest.toString().toLatin1());
        else
            redirect.headers.emplaceBack("Location",
                                         storage.url(u"localhost"_s).toEncoded() + "/blob?sig=1");
        return redirect;
    });
    RegistryConfig c = configFor(registry.url());
    c.credentials.username = u"user"_s;
    c.credentials.secret = u"pw"_s;
    RegistryClient client(c, m_pool, nullptr);
    auto result = await<ConfigResult>(
        [&](QObject *ctx, auto done) { client.fetchConfig(u"app"_s, digest, ctx, done); });
    QVERIFY2(result.hasValue(), qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->config.platform.architecture, u"amd64"_s);
    QCOMPARE(storage.requests().size(), 1);
    QVERIFY(!storage.requests().first().headers.contains("authorization"));
    QVERIFY(registry.requests().last().headers.value("authorization").startsWith("Basic "));

    // A redirect within the registry's own origin keeps the credentials (else it would 401).
    auto same = await<ConfigResult>(
        [&](QObject *ctx, auto done) { client.fetchConfig(u"same-origin"_s, digest, ctx, done); });
    // same-origin → /v2/elsewhere/… (credentials kept) → storage on another origin (dropped).
    QVERIFY2(same.hasValue(), qPrintable(same ? QString() : same.error().message));
    QCOMPARE(same->config.platform.architecture, u"amd64"_s);
    const FaultServer::Request &followed = registry.requests().last();
    QVERIFY(followed.target.startsWith("/v2/elsewhere/"));
    QVERIFY(followed.headers.value("authorization").startsWith("Basic "));
    QCOMPARE(storage.requests().size(), 2);
    QVERIFY(!storage.requests().last().headers.contains("authorization"));
}

QTEST_GUILESS_MAIN(TestClient)
#include "tst_client.moc"
