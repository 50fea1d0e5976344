#pragma once

#include "Expected.h"
#include "RegistryConfig.h"
#include "RegistryTypes.h"
#include "tls/TlsSettings.h"
#include "transport/HttpMessage.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <any>
#include <functional>
#include <memory>

namespace wharf {

class Authenticator;
class ContentCache;
class NetworkPool;
class RequestScheduler;
class StreamFlow;

// Talks to one registry's HTTP API (distribution spec v2). Every call is asynchronous: the
// result arrives on this object's thread through a callback tied to a context object, and never
// arrives once that context is destroyed or cancelFor(context) was called. Parsing and hashing
// happen on network worker threads.
//
// The first call pings /v2/ to learn the auth scheme, so a burst of requests does not collect a
// burst of 401s. Everything fetched by digest is verified and served from the content cache when
// it is there.
class RegistryClient : public QObject
{
    Q_OBJECT
public:
    template<class T>
    using Callback = std::function<void(Expected<T>)>;

    RegistryClient(RegistryConfig config, std::shared_ptr<NetworkPool> pool,
                   std::shared_ptr<ContentCache> cache, QObject *parent = nullptr);
    // Convenience: a client with its own worker pool sized for config.maxInFlight and the
    // default cache directory (or none when config.useCache is false).
    explicit RegistryClient(RegistryConfig config, QObject *parent = nullptr);
    ~RegistryClient() override;

    const RegistryConfig &config() const { return m_config; }
    void setCredentials(const Credentials &credentials);
    // "registry-url/repository": the key for per-repository cached state.
    QString repositoryKey(const QString &repository) const;

    void ping(QObject *context, Callback<PingResult> done);
    // Every repository in the catalog, following Link pagination. page() sees each page as it
    // arrives (for incremental display); done() gets the full, sorted list.
    void listRepositories(QObject *context, std::function<void(const QStringList &)> page,
                          Callback<QStringList> done);
    // Every tag, following Link pagination if the registry paginates; natural/semver order.
    void listTags(const QString &repository, QObject *context, Callback<QStringList> done);
    // GET by tag or digest with the full Accept list; the body is verified against the digest.
    void fetchManifest(const QString &repository, const QString &reference, QObject *context,
                       Callback<ManifestResult> done);
    // HEAD: the digest a tag points to now, without the body.
    void headManifest(const QString &repository, const QString &reference, QObject *context,
                      Callback<ManifestHead> done);
    void fetchConfig(const QString &repository, const Digest &digest, QObject *context,
                     Callback<ConfigResult> done);
    void deleteManifest(const QString &repository, const Digest &digest, QObject *context,
                        Callback<DeleteOutcome> done);
    // DELETE by tag: removes just that tag on registries implementing OCI tag deletion. Those
    // that delete by digest only (distribution 2.8: 400 DIGEST_INVALID) give Kind::Unsupported.
    void deleteTag(const QString &repository, const QString &tag, QObject *context,
                   Callback<DeleteOutcome> done);
    // HEAD of a blob: its size, or Kind::NotFound when this repository does not hold it (also
    // after garbage collection removed it).
    void headBlob(const QString &repository, const Digest &digest, QObject *context,
                  Callback<qint64> done);
    // Uploads a small blob (POST, then PUT ?digest= when the registry does not take it in one
    // request) unless the repository holds it already.
    void uploadBlob(const QString &repository, const QByteArray &bytes, QObject *context,
                    Callback<Digest> done);
    // OCI 1.1 referrers of a manifest. Registries without the API (distribution 2.8 answers
    // 404) give Kind::Unsupported: fall back to the sha256-<hex> tag scheme.
    void listReferrers(const QString &repository, const Digest &digest, QObject *context,
                       Callback<QList<Descriptor>> done);
    // PUT a manifest under a tag or digest; returns the digest the registry stored it under.
    void putManifest(const QString &repository, const QString &reference, const QByteArray &body,
                     const QString &mediaType, QObject *context, Callback<Digest> done);
    // Streams a blob to sink on a worker thread (sink returns false to stop). done() runs here.
    // With a flow, the consumer can pause and resume the transfer without blocking the worker
    // (see transport/StreamFlow.h); the scanner streams layers this way.
    void streamBlob(const QString &repository, const Digest &digest,
                    std::function<bool(const QByteArray &)> sink, QObject *context,
                    Callback<Done> done, std::shared_ptr<StreamFlow> flow = {});

    void cancelFor(const QObject *context);

    qint64 networkRequests() const;
    qint64 cacheHits() const;
    RequestScheduler *scheduler() const { return m_scheduler; }
    ContentCache *cache() const { return m_cache.get(); }
    Authenticator *authenticator() const { return m_auth; }

signals:
    // A registry's Warning: 299 header or a rate-limit notice, once per distinct text.
    void registryWarning(const QString &text);
    // Docker Hub's pull quota (ratelimit-limit / ratelimit-remaining headers, "100;w=21600"),
    // whenever the numbers change. windowSeconds is the quota period, 0 when not given.
    void rateLimitChanged(qint64 limit, qint64 remaining, int windowSeconds);

private:
    using Decoder = std::function<std::any(HttpResponse &)>;
    using RawDone = std::function<void(const HttpResponse &, std::any &, const Error *)>;

    HttpRequest makeRequest(const QByteArray &method, const QString &path) const;
    HttpRequest makeRequestForUrl(const QUrl &url) const;
    void whenReady(QObject *context, std::function<void(Expected<Done>)> then);
    void startPing();
    // Sends with authorization, answers 401 challenges (at most twice), then calls done with
    // the response, the worker's decoded value, and an error when the exchange failed.
    void send(HttpRequest request, const QString &scope, const QString &what, Decoder decode,
              QObject *context, RawDone done, int attempt = 0);
    struct Exchange
    {
        HttpRequest request;
        QString scope;
        QString what;
        Decoder decode;
        RawDone done;
        QPointer<QObject> context;
    };
    using ExchangePtr = std::shared_ptr<Exchange>;
    void sendNow(ExchangePtr exchange, int attempt);
    void submit(ExchangePtr exchange, const QByteArray &authorization, int attempt);
    void fail(const Exchange &exchange, const HttpResponse &response, const Error &error);
    void noteWarnings(const HttpResponse &response);
    void fetchTagPage(const QUrl &url, const QString &repository, QStringList collected,
                      QObject *context, Callback<QStringList> done, int pages);
    // Runs start() once per key while a request for it is in flight; every caller gets the
    // answer. Used for content fetched by digest, which is the same for everyone.
    // start() gets a token to use as the request's context: cancelFor() of the last waiter
    // cancels the shared request through it.
    void coalesce(const QString &key, QObject *context,
                  std::function<void(const std::any &)> deliver,
                  std::function<void(QObject *token, std::function<void(std::any)>)> start);
    void fetchCatalogPage(const QUrl &url, QStringList collected, QObject *context,
                          std::function<void(const QStringList &)> page, Callback<QStringList> done,
                          int pages);

    RegistryConfig m_config;
    std::shared_ptr<NetworkPool> m_pool;
    std::shared_ptr<ContentCache> m_cache;
    RequestScheduler *m_scheduler = nullptr;
    Authenticator *m_auth = nullptr;

    enum class PingState { NotStarted, Running, Done };
    PingState m_pingState = PingState::NotStarted;
    Expected<PingResult> m_pingResult = Error();
    struct ReadyWaiter
    {
        QPointer<QObject> context;
        std::function<void(Expected<Done>)> then;
    };
    QList<ReadyWaiter> m_readyWaiters;
    QSet<QString> m_warningsSeen;
    qint64 m_rateLimit = -1;
    qint64 m_rateRemaining = -1;
    TlsSettings::Result m_tls; // worked out once: CA files and certs.d are read at construction
    struct InflightWaiter
    {
        QPointer<QObject> context;
        std::function<void(const std::any &)> deliver;
    };
    struct Inflight
    {
        QList<InflightWaiter> waiters;
        QPointer<QObject> token;
    };
    QHash<QString, Inflight> m_inflight;
};

} // namespace wharf
