#include "RegistryClient.h"

#include "TagOrder.h"
#include "cache/ContentCache.h"
#include "oci/JsonFields.h"
#include "oci/MediaTypes.h"
#include "reference/ImageReference.h"
#include "transport/AuthChallenge.h"
#include "transport/Authenticator.h"
#include "transport/LinkHeader.h"
#include "transport/NetworkPool.h"
#include "transport/RequestScheduler.h"
#include "transport/ResponseError.h"

#include <QRegularExpression>
#include <QSslConfiguration>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr int MaxPages = 100000;
constexpr qint64 MaxListBodyBytes = 32LL * 1024 * 1024;

QString pullScope(const QString &repository)
{
    return u"repository:"_s + repository + u":pull"_s;
}

struct Page
{
    QStringList items;
    QUrl next;
};

// Decodes {"<key>": [strings] | null} and the Link header of one page.
Expected<Page> decodePage(const HttpResponse &r, const QString &key, const QString &what)
{
    auto object = parseJsonObject(r.body, what, MaxListBodyBytes);
    if (!object)
        return object.error();
    JsonFields f(*object, QString());
    Page page;
    page.items = f.stringList(key); // null and absent both mean "none"
    if (!f.ok())
        return f.error(what);
    page.next = LinkHeader::nextPage(r.header("Link"), r.url);
    return page;
}

QString describeReference(const QString &repository, const QString &reference)
{
    return Digest::looksLikeDigest(reference) ? repository + u'@' + reference
                                              : repository + u':' + reference;
}

// 405 on a DELETE: deletes switched off, or the registry is in read-only maintenance mode.
Error deleteRefused(const HttpResponse &r, Error e, const QString &host)
{
    e.kind = Error::Kind::DeleteDisabled;
    const bool readOnly = !QString::fromLatin1(r.header("Content-Type")).contains(u"json"_s) &&
                          r.header("Allow").contains("GET");
    if (readOnly && e.code.isEmpty())
        e.message = u"%1 is in read-only mode (storage.maintenance.readonly), so nothing can be "
                    u"deleted now. Switch read-only mode off and try again."_s.arg(host);
    else
        e.message = u"Deletes are disabled on this registry (%1): set "
                    u"REGISTRY_STORAGE_DELETE_ENABLED=true (storage.delete.enabled) and restart "
                    u"it."_s.arg(host);
    return e;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == u"https"_s ? 443 : 80) ==
               b.port(b.scheme() == u"https"_s ? 443 : 80);
}

} // namespace

RegistryClient::RegistryClient(RegistryConfig config, std::shared_ptr<NetworkPool> pool,
                               std::shared_ptr<ContentCache> cache, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_pool(std::move(pool))
    , m_cache(m_config.useCache ? std::move(cache) : nullptr)
{
    m_scheduler = new RequestScheduler(m_pool, m_cache, m_config.maxInFlight, this);
    m_auth = new Authenticator(
        m_scheduler, [this](const QUrl &url) { return makeRequestForUrl(url); }, this);
    m_auth->setCredentials(m_config.credentials);
    m_tls = TlsSettings::forRegistry(m_config);
    for (const QString &warning : std::as_const(m_tls.warnings)) {
        // After the constructor, so whoever connects to the signal hears it.
        QMetaObject::invokeMethod(
            this, [this, warning] { emit registryWarning(warning); }, Qt::QueuedConnection);
    }
}

RegistryClient::RegistryClient(RegistryConfig config, QObject *parent)
    : RegistryClient(
          config, std::make_shared<NetworkPool>(NetworkPool::threadsFor(config.maxInFlight)),
          config.useCache ? std::make_shared<ContentCache>(ContentCache::defaultDirectory())
                          : nullptr,
          parent)
{}

RegistryClient::~RegistryClient()
{
    m_scheduler->cancelAll();
    if (m_cache)
        m_cache->flushTagHints();
}

void RegistryClient::setCredentials(const Credentials &credentials)
{
    m_config.credentials = credentials;
    m_auth->setCredentials(credentials);
    m_auth->setScheme(Authenticator::Scheme::Unknown);
    m_pingState = PingState::NotStarted;
}

QString RegistryClient::repositoryKey(const QString &repository) const
{
    return m_config.url.toString(QUrl::RemovePath | QUrl::StripTrailingSlash) + u'/' + repository;
}

qint64 RegistryClient::networkRequests() const
{
    return m_scheduler->networkRequests();
}

qint64 RegistryClient::cacheHits() const
{
    return m_scheduler->cacheHits();
}

void RegistryClient::cancelFor(const QObject *context)
{
    m_scheduler->cancelContext(context);
    m_readyWaiters.removeIf([context](const ReadyWaiter &w) { return w.context == context; });
    // Shared fetches nobody waits for any more are cancelled too.
    for (auto it = m_inflight.begin(); it != m_inflight.end();) {
        it->waiters.removeIf([context](const InflightWaiter &w) { return w.context == context; });
        if (!it->waiters.isEmpty()) {
            ++it;
            continue;
        }
        if (QObject *token = it->token) {
            m_scheduler->cancelContext(token);
            token->deleteLater();
        }
        it = m_inflight.erase(it);
    }
}

HttpRequest RegistryClient::makeRequestForUrl(const QUrl &url) const
{
    HttpRequest request;
    request.url = url;
    request.transferTimeoutMs = m_config.transferTimeoutMs;
    request.ignoreSslErrors = m_config.skipTlsVerify;
    if (url.scheme() == u"https"_s) {
        request.ssl = m_tls.configuration;
        request.tlsProfile = m_tls.profile;
    }
    request.setHeader("User-Agent", "wharf/" WHARF_VERSION);
    return request;
}

HttpRequest RegistryClient::makeRequest(const QByteArray &method, const QString &path) const
{
    QUrl url = m_config.url;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(QString());
    HttpRequest request = makeRequestForUrl(url);
    request.method = method;
    return request;
}

void RegistryClient::noteWarnings(const HttpResponse &response)
{
    // Warning: 299 - "text"
    static const QRegularExpression re(uR"re(299\s+\S+\s+"((?:[^"\\]|\\.)*)")re"_s);
    const QString warning = QString::fromUtf8(response.header("Warning"));
    auto it = re.globalMatch(warning);
    while (it.hasNext()) {
        const QString text = it.next().captured(1);
        if (!m_warningsSeen.contains(text)) {
            m_warningsSeen.insert(text);
            emit registryWarning(text);
        }
    }
    // Docker Hub: "ratelimit-limit: 100;w=21600", "ratelimit-remaining: 76;w=21600".
    const QByteArray remainingHeader = response.header("RateLimit-Remaining");
    if (!remainingHeader.isEmpty()) {
        auto number = [](const QByteArray &value, int *window) {
            const QList<QByteArray> parts = value.split(';');
            bool ok = false;
            const qint64 n = parts.value(0).trimmed().toLongLong(&ok);
            for (const QByteArray &part : parts.mid(1)) {
                const QByteArray p = part.trimmed();
                if (window && p.startsWith("w="))
                    *window = p.mid(2).toInt();
            }
            return ok ? n : qint64(-1);
        };
        int window = 0;
        const qint64 remaining = number(remainingHeader, &window);
        const qint64 limit = number(response.header("RateLimit-Limit"), &window);
        if (remaining >= 0 && (remaining != m_rateRemaining || limit != m_rateLimit)) {
            m_rateRemaining = remaining;
            m_rateLimit = limit;
            emit rateLimitChanged(limit, remaining, window);
        }
    }
}

void RegistryClient::whenReady(QObject *context, std::function<void(Expected<Done>)> then)
{
    if (m_pingState == PingState::Done) {
        then(Done{});
        return;
    }
    m_readyWaiters.append({context, std::move(then)});
    if (m_pingState == PingState::NotStarted)
        startPing();
}

void RegistryClient::startPing()
{
    m_pingState = PingState::Running;
    HttpRequest request = makeRequest("GET", u"/v2/"_s);
    request.maxBodyBytes = 1024 * 1024;
    // Qt 6.4's HTTP/2 stalls until the timeout when the server ends the connection with a TLS
    // alert after the handshake (a registry that wants a client certificate); over HTTP/1.1 the
    // first request fails at once and says why. Later requests use HTTP/2.
    request.allowHttp2 = false;
    auto x = std::make_shared<Exchange>();
    x->request = std::move(request);
    x->what = u"the registry API (/v2/)"_s;
    x->context = this;
    x->done = [this](const HttpResponse &r, std::any &, const Error *error) {
        if (error) {
            Error e = *error;
            if (r.status == 404 ||
                (r.status > 0 && r.status != 401 && r.status != 403 && r.status < 500))
                e.message = u"%1 does not look like a container registry: GET /v2/ "
                            u"answered HTTP %2. Check the address (it should point at the "
                            u"registry's API, not a web page)."_s.arg(m_config.hostPort())
                                .arg(r.status);
            m_pingResult = e;
            m_pingState = PingState::NotStarted; // try again next time
        } else {
            PingResult result;
            switch (m_auth->scheme()) {
            case Authenticator::Scheme::Basic:
                result.authScheme = u"basic"_s;
                break;
            case Authenticator::Scheme::Bearer:
                result.authScheme = u"bearer"_s;
                break;
            default:
                result.authScheme = u"none"_s;
                m_auth->setScheme(Authenticator::Scheme::None);
            }
            result.authenticated =
                result.authScheme != u"none"_s && !m_config.credentials.isEmpty();
            m_pingResult = result;
            m_pingState = PingState::Done;
        }
        const QList<ReadyWaiter> waiters = std::exchange(m_readyWaiters, {});
        for (const ReadyWaiter &w : waiters) {
            if (!w.context)
                continue;
            if (m_pingResult)
                w.then(Done{});
            else
                w.then(m_pingResult.error());
        }
    };
    sendNow(std::move(x), 0);
}

void RegistryClient::ping(QObject *context, Callback<PingResult> done)
{
    if (m_pingState == PingState::Done)
        m_pingState = PingState::NotStarted; // an explicit ping asks the registry again
    whenReady(context, [this, done](Expected<Done> ready) {
        if (!ready)
            done(ready.error());
        else
            done(m_pingResult);
    });
}

void RegistryClient::send(HttpRequest request, const QString &scope, const QString &what,
                          Decoder decode, QObject *context, RawDone done, int attempt)
{
    // One shared record per exchange: the lambdas below capture a pointer, not copies of the
    // request, its decoder and its continuation (this path runs for every request).
    auto x = std::make_shared<Exchange>();
    x->request = std::move(request);
    x->scope = scope;
    x->what = what;
    x->decode = std::move(decode);
    x->done = std::move(done);
    x->context = context;
    if (m_pingState == PingState::Done) {
        sendNow(std::move(x), attempt);
        return;
    }
    whenReady(context, [this, x, attempt](Expected<Done> ready) mutable {
        if (!x->context)
            return;
        if (!ready) {
            fail(*x, HttpResponse(), ready.error());
            return;
        }
        sendNow(std::move(x), attempt);
    });
}

void RegistryClient::fail(const Exchange &x, const HttpResponse &response, const Error &error)
{
    std::any nothing;
    x.done(response, nothing, &error);
}

void RegistryClient::sendNow(ExchangePtr x, int attempt)
{
    if (auto header = m_auth->cachedHeader(x->scope)) {
        submit(std::move(x), *header, attempt);
        return;
    }
    QObject *context = x->context;
    m_auth->authorize(x->scope, context, [this, x, attempt](Expected<QByteArray> header) {
        if (!x->context)
            return;
        if (!header) {
            fail(*x, HttpResponse(), header.error());
            return;
        }
        submit(x, *header, attempt);
    });
}

void RegistryClient::submit(ExchangePtr x, const QByteArray &authorization, int attempt)
{
    HttpRequest toSend = x->request;
    if (!authorization.isEmpty())
        toSend.setHeader("Authorization", authorization);
    auto decodeSuccess = [x](HttpResponse &r) -> std::any {
        return r.isSuccess() && x->decode ? x->decode(r) : std::any();
    };
    m_scheduler->submit(
        std::move(toSend), std::move(decodeSuccess), x->context,
        [this, x, attempt](const HttpResponse &r, std::any &decoded) {
            noteWarnings(r);
            if (r.status == 401 && attempt == 0) {
                m_auth->challenged(r.header("WWW-Authenticate"), x->scope, x->context,
                                   [this, x, r](Expected<Done> retry) {
                                       if (!x->context)
                                           return;
                                       if (retry)
                                           sendNow(x, 1);
                                       else
                                           fail(*x, r, retry.error());
                                   });
                return;
            }
            if (!r.isSuccess()) {
                Error e = ResponseError::from(r, x->what);
                if ((r.status == 401 || r.status == 403) && attempt > 0) {
                    bool invalidToken = false;
                    if (r.status == 401) {
                        const auto challenges = AuthChallenge::parse(r.header("WWW-Authenticate"));
                        for (const AuthChallenge &c : challenges)
                            invalidToken |= c.isBearer() && c.error() == u"invalid_token"_s;
                    }
                    if (m_auth->scheme() == Authenticator::Scheme::Bearer && invalidToken) {
                        e.kind = Error::Kind::Unauthorized;
                        e.message = u"%1 does not accept the tokens its token service issues "
                                    u"(invalid_token) for %2: the token service and the "
                                    u"registry disagree about the signing certificate, issuer, "
                                    u"service name or time."_s.arg(m_config.hostPort(), x->what);
                    } else if (m_auth->scheme() == Authenticator::Scheme::Bearer &&
                               !x->scope.isEmpty()) {
                        e.kind = Error::Kind::Forbidden;
                        e.message =
                            m_auth->credentials().isEmpty()
                                ? u"Not permitted: the registry's token service did not grant "
                                  u"anonymous access “%1” for %2. Log in with an account that "
                                  u"has that permission."_s.arg(x->scope, x->what)
                                : u"Not permitted: the registry's token service did not grant "
                                  u"“%1” for %2. Your account lacks that permission."_s.arg(
                                      x->scope, x->what);
                    } else {
                        e.kind = Error::Kind::Unauthorized;
                        e.message =
                            u"%1 rejected the username or password."_s.arg(m_config.hostPort());
                    }
                }
                x->done(r, decoded, &e);
                return;
            }
            x->done(r, decoded, nullptr);
        });
}

void RegistryClient::coalesce(const QString &key, QObject *context,
                              std::function<void(const std::any &)> deliver,
                              std::function<void(QObject *, std::function<void(std::any)>)> start)
{
    Inflight &inflight = m_inflight[key];
    inflight.waiters.append({context, std::move(deliver)});
    if (inflight.waiters.size() > 1)
        return;
    auto *token = new QObject(this);
    inflight.token = token;
    start(token, [this, key, token](std::any result) {
        token->deleteLater();
        const Inflight done = m_inflight.take(key);
        for (const InflightWaiter &w : done.waiters) {
            if (w.context)
                w.deliver(result);
        }
    });
}

void RegistryClient::listRepositories(QObject *context,
                                      std::function<void(const QStringList &)> page,
                                      Callback<QStringList> done)
{
    HttpRequest first = makeRequest("GET", u"/v2/_catalog"_s);
    QUrlQuery query;
    query.addQueryItem(u"n"_s, QString::number(std::clamp(m_config.catalogPageSize, 1, 1000)));
    QUrl url = first.url;
    url.setQuery(query);
    fetchCatalogPage(url, {}, context, std::move(page), std::move(done), 0);
}

void RegistryClient::fetchCatalogPage(const QUrl &url, QStringList collected, QObject *context,
                                      std::function<void(const QStringList &)> page,
                                      Callback<QStringList> done, int pages)
{
    HttpRequest request = makeRequestForUrl(url);
    request.maxBodyBytes = MaxListBodyBytes;
    const QString what = u"the repository catalog"_s;
    auto decode = [what](HttpResponse &r) -> std::any {
        return decodePage(r, u"repositories"_s, what);
    };
    QPointer<QObject> guard(context);
    send(request, u"registry:catalog:*"_s, what, decode, context,
         [=, this](const HttpResponse &r, std::any &decoded, const Error *error) mutable {
             if (error) {
                 Error e = *error;
                 if (r.status == 401 || r.status == 403 || r.status == 404)
                     e.message +=
                         u" This registry may not offer a catalog (Docker Hub, GHCR and "
                         u"GitLab do not): add the repositories to the bookmark by hand."_s;
                 done(e);
                 return;
             }
             auto result = std::any_cast<Expected<Page>>(decoded);
             if (!result) {
                 done(result.error());
                 return;
             }
             if (page)
                 page(result->items);
             collected += result->items;
             if (result->next.isValid() && !result->next.isEmpty() && pages + 1 < MaxPages &&
                 !result->items.isEmpty()) {
                 fetchCatalogPage(result->next, std::move(collected), guard, std::move(page),
                                  std::move(done), pages + 1);
                 return;
             }
             std::sort(collected.begin(), collected.end());
             collected.erase(std::unique(collected.begin(), collected.end()), collected.end());
             done(collected);
         });
}

void RegistryClient::listTags(const QString &repository, QObject *context,
                              Callback<QStringList> done)
{
    QString why;
    if (!ImageReference::isValidRepository(repository, &why)) {
        done(Error::make(Error::Kind::InvalidInput, u"“%1”: %2"_s.arg(repository, why)));
        return;
    }
    const HttpRequest first = makeRequest("GET", u"/v2/"_s + repository + u"/tags/list"_s);
    fetchTagPage(first.url, repository, {}, context, std::move(done), 0);
}

void RegistryClient::fetchTagPage(const QUrl &url, const QString &repository, QStringList collected,
                                  QObject *context, Callback<QStringList> done, int pages)
{
    HttpRequest request = makeRequestForUrl(url);
    request.maxBodyBytes = MaxListBodyBytes;
    const QString what = u"the tag list of %1"_s.arg(repository);
    auto decode = [what](HttpResponse &r) -> std::any { return decodePage(r, u"tags"_s, what); };
    QPointer<QObject> guard(context);
    send(request, pullScope(repository), what, decode, context,
         [=, this](const HttpResponse &, std::any &decoded, const Error *error) mutable {
             if (error) {
                 Error e = *error;
                 if (e.kind == Error::Kind::NotFound)
                     e.message = u"The repository %1 does not exist on %2."_s.arg(
                         repository, m_config.hostPort());
                 done(e);
                 return;
             }
             auto result = std::any_cast<Expected<Page>>(decoded);
             if (!result) {
                 done(result.error());
                 return;
             }
             collected += result->items;
             if (result->next.isValid() && !result->next.isEmpty() && pages + 1 < MaxPages &&
                 !result->items.isEmpty()) {
                 fetchTagPage(result->next, repository, std::move(collected), guard,
                              std::move(done), pages + 1);
                 return;
             }
             TagOrder::sort(collected);
             collected.erase(std::unique(collected.begin(), collected.end()), collected.end());
             done(collected);
         });
}

void RegistryClient::fetchManifest(const QString &repository, const QString &reference,
                                   QObject *context, Callback<ManifestResult> done)
{
    Digest expected;
    if (Digest::looksLikeDigest(reference)) {
        auto parsed = Digest::parse(reference);
        if (!parsed) {
            done(parsed.error());
            return;
        }
        expected = *parsed;
    } else if (!ImageReference::isValidTag(reference)) {
        done(Error::make(Error::Kind::InvalidInput, u"“%1” is not a valid tag"_s.arg(reference)));
        return;
    }
    HttpRequest request = makeRequest("GET", u"/v2/"_s + repository + u"/manifests/"_s + reference);
    request.setHeader("Accept", MediaTypes::manifestAcceptHeader());
    request.maxBodyBytes = Manifest::MaxBytes;
    request.cacheDigest = expected;
    const QString what = u"the manifest of %1"_s.arg(describeReference(repository, reference));
    ContentCache *cache = m_cache.get();
    const QString repoKey = repositoryKey(repository);
    auto decode = [=](HttpResponse &r) -> std::any {
        ManifestResult result;
        result.raw = r.body;
        result.fromCache = r.fromCache;
        if (expected.isValid()) {
            if (!r.digestVerified && !expected.matches(r.body)) {
                Error e = Error::make(Error::Kind::DigestMismatch,
                                      u"The registry sent a manifest for %1 whose content does "
                                      u"not match that digest (got %2). It was not used."_s.arg(
                                          what, Digest::sha256Of(r.body).toString()));
                return Expected<ManifestResult>(e);
            }
            result.digest = expected;
        } else {
            result.digest = Digest::sha256Of(r.body);
            const QString header = QString::fromLatin1(r.header("Docker-Content-Digest")).trimmed();
            if (header.startsWith(u"sha256:"_s) && header != result.digest.toString()) {
                return Expected<ManifestResult>(Error::make(
                    Error::Kind::DigestMismatch,
                    u"The registry says %1 is %2, but the manifest it sent hashes to %3. It was "
                    u"not used."_s.arg(what, header, result.digest.toString())));
            }
        }
        auto manifest = Manifest::parse(r.body, QString::fromUtf8(r.header("Content-Type")));
        if (!manifest) {
            Error e = manifest.error();
            e.message = what + u": "_s + e.message;
            return Expected<ManifestResult>(e);
        }
        result.mediaType = manifest->mediaType();
        result.manifest = std::move(*manifest);
        if (cache && !r.fromCache) {
            cache->put(result.digest, r.body, result.mediaType);
            if (!expected.isValid())
                cache->setTagHint(repoKey, reference, result.digest.toString());
        }
        return Expected<ManifestResult>(std::move(result));
    };
    auto run = [=, this](QObject *token, std::function<void(std::any)> finished) {
        send(request, pullScope(repository), what, decode, token,
             [finished](const HttpResponse &, std::any &decoded, const Error *error) {
                 finished(error ? Expected<ManifestResult>(*error)
                                : std::any_cast<Expected<ManifestResult>>(decoded));
             });
    };
    auto deliver = [done](const std::any &result) {
        done(std::any_cast<Expected<ManifestResult>>(result));
    };
    if (!expected.isValid()) {
        // Tags move: never share an answer between two asks for a tag.
        send(request, pullScope(repository), what, decode, context,
             [deliver](const HttpResponse &, std::any &decoded, const Error *error) {
                 deliver(error ? std::any(Expected<ManifestResult>(*error)) : decoded);
             });
        return;
    }
    coalesce(u"manifest|"_s + repository + u'|' + reference, context, deliver, run);
}

void RegistryClient::headManifest(const QString &repository, const QString &reference,
                                  QObject *context, Callback<ManifestHead> done)
{
    HttpRequest request =
        makeRequest("HEAD", u"/v2/"_s + repository + u"/manifests/"_s + reference);
    request.setHeader("Accept", MediaTypes::manifestAcceptHeader());
    const QString what = u"the manifest of %1"_s.arg(describeReference(repository, reference));
    auto decode = [what](HttpResponse &r) -> std::any {
        const QString header = QString::fromLatin1(r.header("Docker-Content-Digest")).trimmed();
        auto digest = Digest::parse(header);
        if (!digest)
            return Expected<ManifestHead>(Error::make(
                Error::Kind::Protocol,
                u"The registry did not report a valid Docker-Content-Digest for %1"_s.arg(what)));
        ManifestHead head;
        head.digest = *digest;
        head.mediaType = QString::fromUtf8(r.header("Content-Type")).section(u';', 0, 0).trimmed();
        head.size = r.header("Content-Length").toLongLong();
        return Expected<ManifestHead>(head);
    };
    send(request, pullScope(repository), what, decode, context,
         [done](const HttpResponse &, std::any &decoded, const Error *error) {
             if (error)
                 done(*error);
             else
                 done(std::any_cast<Expected<ManifestHead>>(decoded));
         });
}

void RegistryClient::fetchConfig(const QString &repository, const Digest &digest, QObject *context,
                                 Callback<ConfigResult> done)
{
    HttpRequest request =
        makeRequest("GET", u"/v2/"_s + repository + u"/blobs/"_s + digest.toString());
    request.maxBodyBytes = ImageConfig::MaxBytes;
    request.cacheDigest = digest;
    const QString what = u"the image config %1 of %2"_s.arg(digest.shortForm(), repository);
    auto decode = [digest, what](HttpResponse &r) -> std::any {
        if (!r.digestVerified)
            return Expected<ConfigResult>(Error::make(
                Error::Kind::DigestMismatch,
                u"The registry sent %1 with content that does not match its digest (got %2)"_s.arg(
                    what, Digest::sha256Of(r.body).toString())));
        auto config = ImageConfig::parse(r.body);
        if (!config)
            return Expected<ConfigResult>(config.error());
        return Expected<ConfigResult>(ConfigResult{digest, std::move(*config), r.body});
    };
    coalesce(
        u"config|"_s + repository + u'|' + digest.toString(), context,
        [done](const std::any &result) { done(std::any_cast<Expected<ConfigResult>>(result)); },
        [=, this](QObject *token, std::function<void(std::any)> finished) {
            send(request, pullScope(repository), what, decode, token,
                 [finished](const HttpResponse &, std::any &decoded, const Error *error) {
                     finished(error ? Expected<ConfigResult>(*error)
                                    : std::any_cast<Expected<ConfigResult>>(decoded));
                 });
        });
}

void RegistryClient::deleteManifest(const QString &repository, const Digest &digest,
                                    QObject *context, Callback<DeleteOutcome> done)
{
    HttpRequest request =
        makeRequest("DELETE", u"/v2/"_s + repository + u"/manifests/"_s + digest.toString());
    request.maxBodyBytes = 1024 * 1024;
    const QString what = u"%1@%2"_s.arg(repository, digest.toString());
    const QString host = m_config.hostPort();
    send(request, u"repository:"_s + repository + u":delete"_s, what, {}, context,
         [done, host, what](const HttpResponse &r, std::any &, const Error *error) {
             if (!error) {
                 done(DeleteOutcome::Deleted);
                 return;
             }
             if (r.status == 404) {
                 done(DeleteOutcome::AlreadyGone);
                 return;
             }
             Error e = *error;
             if (r.status == 405) {
                 e.kind = Error::Kind::DeleteDisabled;
                 const bool readOnly =
                     !QString::fromLatin1(r.header("Content-Type")).contains(u"json"_s) &&
                     r.header("Allow").contains("GET");
                 if (readOnly && e.code.isEmpty())
                     e.message = u"%1 is in read-only mode (storage.maintenance.readonly), so "
                                 u"nothing can be deleted now. Switch read-only mode off and try "
                                 u"again."_s.arg(host);
                 else
                     e.message = u"Deletes are disabled on this registry (%1): set "
                                 u"REGISTRY_STORAGE_DELETE_ENABLED=true (storage.delete.enabled) "
                                 u"and restart it."_s.arg(host);
             } else if (e.kind == Error::Kind::Forbidden && e.httpStatus == 401) {
                 // A fresh token without the delete action: send() explained it already.
             } else if (r.status == 401 || r.status == 403) {
                 e.kind = r.status == 401 ? Error::Kind::Unauthorized : Error::Kind::Forbidden;
                 e.message = u"Not permitted to delete %1: %2"_s.arg(what, e.message);
             } else if (r.status == 400 && e.code == u"DIGEST_INVALID"_s) {
                 e.message = u"The registry refused to delete %1: it deletes by digest only "
                             u"(%2)."_s.arg(what, e.message);
             }
             done(e);
         });
}

void RegistryClient::deleteTag(const QString &repository, const QString &tag, QObject *context,
                               Callback<DeleteOutcome> done)
{
    if (!ImageReference::isValidTag(tag)) {
        done(Error::make(Error::Kind::InvalidInput, u"“%1” is not a valid tag"_s.arg(tag)));
        return;
    }
    HttpRequest request = makeRequest("DELETE", u"/v2/"_s + repository + u"/manifests/"_s + tag);
    request.maxBodyBytes = 1024 * 1024;
    const QString what = u"the tag %1:%2"_s.arg(repository, tag);
    const QString host = m_config.hostPort();
    send(request, u"repository:"_s + repository + u":delete"_s, what, {}, context,
         [done, host, what](const HttpResponse &r, std::any &, const Error *error) {
             if (!error) {
                 done(DeleteOutcome::Deleted);
                 return;
             }
             Error e = *error;
             if (r.status == 404) {
                 done(DeleteOutcome::AlreadyGone);
                 return;
             }
             if (r.status == 405) {
                 done(deleteRefused(r, e, host));
                 return;
             }
             if (r.status == 400 || r.status == 501) {
                 e.kind = Error::Kind::Unsupported;
                 e.message = u"%1 cannot delete a single tag (it deletes manifests by digest "
                             u"only)."_s.arg(host);
             } else if (r.status == 401 || r.status == 403) {
                 e.kind = r.status == 401 ? Error::Kind::Unauthorized : Error::Kind::Forbidden;
                 e.message = u"Not permitted to delete %1: %2"_s.arg(what, e.message);
             }
             done(e);
         });
}

void RegistryClient::headBlob(const QString &repository, const Digest &digest, QObject *context,
                              Callback<qint64> done)
{
    HttpRequest request =
        makeRequest("HEAD", u"/v2/"_s + repository + u"/blobs/"_s + digest.toString());
    const QString what = u"the blob %1 of %2"_s.arg(digest.shortForm(), repository);
    send(request, pullScope(repository), what, {}, context,
         [done](const HttpResponse &r, std::any &, const Error *error) {
             if (error)
                 done(*error);
             else
                 done(r.header("Content-Length").toLongLong());
         });
}

void RegistryClient::uploadBlob(const QString &repository, const QByteArray &bytes,
                                QObject *context, Callback<Digest> done)
{
    const Digest digest = Digest::sha256Of(bytes);
    const QString scope = u"repository:"_s + repository + u":pull,push"_s;
    const QString what = u"an upload of %1 to %2"_s.arg(digest.shortForm(), repository);
    const QUrl base = m_config.url;
    QPointer<QObject> guard(context);
    // PUT <location>?digest= with the bytes: the second step of a monolithic upload.
    auto finishUpload = [=, this](const QUrl &location) {
        QUrl url = location;
        QString query = url.query(QUrl::FullyEncoded);
        query += (query.isEmpty() ? QString() : u"&"_s) + u"digest="_s +
                 QString::fromLatin1(QUrl::toPercentEncoding(digest.toString()));
        url.setQuery(query, QUrl::TolerantMode);
        HttpRequest put = makeRequestForUrl(url);
        put.method = "PUT";
        put.setHeader("Content-Type", "application/octet-stream");
        put.body = bytes;
        put.maxBodyBytes = 1024 * 1024;
        send(put, scope, what, {}, guard,
             [done, digest](const HttpResponse &, std::any &, const Error *error) {
                 if (error)
                     done(*error);
                 else
                     done(digest);
             });
    };
    auto startUpload = [=, this] {
        HttpRequest post = makeRequest("POST", u"/v2/"_s + repository + u"/blobs/uploads/"_s);
        QUrlQuery query;
        query.addQueryItem(u"digest"_s, digest.toString());
        post.url.setQuery(query);
        post.setHeader("Content-Type", "application/octet-stream");
        post.body = bytes;
        post.maxBodyBytes = 1024 * 1024;
        send(post, scope, what, {}, guard,
             [=](const HttpResponse &r, std::any &, const Error *error) {
                 if (error) {
                     Error e = *error;
                     if (r.status == 401 || r.status == 403)
                         e.message =
                             u"Not permitted to push to %1: %2"_s.arg(repository, e.message);
                     done(e);
                     return;
                 }
                 if (r.status == 201) { // took the bytes in one request
                     done(digest);
                     return;
                 }
                 const QUrl location = r.url.resolved(QUrl::fromEncoded(r.header("Location")));
                 // The upload URL gets our credentials: it must be the registry itself.
                 if (r.header("Location").isEmpty() || !sameOrigin(location, base)) {
                     done(Error::make(Error::Kind::Protocol,
                                      u"The registry answered %1 without an upload location on "
                                      u"its own address."_s.arg(what)));
                     return;
                 }
                 finishUpload(location);
             });
    };
    headBlob(repository, digest, context, [done, digest, startUpload](Expected<qint64> size) {
        if (size) {
            done(digest);
            return;
        }
        if (size.error().kind != Error::Kind::NotFound) {
            done(size.error());
            return;
        }
        startUpload();
    });
}

void RegistryClient::listReferrers(const QString &repository, const Digest &digest,
                                   QObject *context, Callback<QList<Descriptor>> done)
{
    HttpRequest request =
        makeRequest("GET", u"/v2/"_s + repository + u"/referrers/"_s + digest.toString());
    request.setHeader("Accept", "application/vnd.oci.image.index.v1+json");
    request.maxBodyBytes = Manifest::MaxBytes;
    const QString what = u"the referrers of %1@%2"_s.arg(repository, digest.shortForm());
    const QString host = m_config.hostPort();
    auto decode = [](HttpResponse &r) -> std::any {
        return Manifest::parse(r.body, QString::fromUtf8(r.header("Content-Type")));
    };
    send(request, pullScope(repository), what, decode, context,
         [done, host, what](const HttpResponse &r, std::any &decoded, const Error *error) {
             if (error) {
                 Error e = *error;
                 if (r.status == 404) {
                     e.kind = Error::Kind::Unsupported;
                     e.message = u"%1 has no OCI referrers API"_s.arg(host);
                 }
                 done(e);
                 return;
             }
             auto index = std::any_cast<Expected<Manifest>>(decoded);
             if (!index) {
                 Error e = index.error();
                 e.message = what + u": "_s + e.message;
                 done(e);
                 return;
             }
             done(index->manifests());
         });
}

void RegistryClient::putManifest(const QString &repository, const QString &reference,
                                 const QByteArray &body, const QString &mediaType, QObject *context,
                                 Callback<Digest> done)
{
    HttpRequest request = makeRequest("PUT", u"/v2/"_s + repository + u"/manifests/"_s + reference);
    request.setHeader("Content-Type", mediaType.toUtf8());
    request.body = body;
    request.maxBodyBytes = 1024 * 1024;
    const QString what = u"the manifest %1"_s.arg(describeReference(repository, reference));
    send(request, u"repository:"_s + repository + u":pull,push"_s, what, {}, context,
         [done, body](const HttpResponse &r, std::any &, const Error *error) {
             if (error) {
                 done(*error);
                 return;
             }
             auto digest = Digest::parse(QString::fromLatin1(r.header("Docker-Content-Digest")));
             done(digest ? *digest : Digest::sha256Of(body));
         });
}

void RegistryClient::streamBlob(const QString &repository, const Digest &digest,
                                std::function<bool(const QByteArray &)> sink, QObject *context,
                                Callback<Done> done, std::shared_ptr<StreamFlow> flow)
{
    HttpRequest request =
        makeRequest("GET", u"/v2/"_s + repository + u"/blobs/"_s + digest.toString());
    request.sink = std::move(sink);
    request.flow = std::move(flow);
    request.transferTimeoutMs = std::max(m_config.transferTimeoutMs, 60000);
    const QString what = u"the blob %1 of %2"_s.arg(digest.shortForm(), repository);
    send(request, pullScope(repository), what, {}, context,
         [done](const HttpResponse &r, std::any &, const Error *error) {
             if (error) {
                 done(*error);
                 return;
             }
             if (r.cancelled) {
                 done(Error::make(Error::Kind::Cancelled, u"Cancelled"_s));
                 return;
             }
             done(Done{});
         });
}

} // namespace wharf
