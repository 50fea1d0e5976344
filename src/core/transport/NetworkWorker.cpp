#include "NetworkWorker.h"

#include "Http1Client.h"
#include "RequestScheduler.h"
#include "StreamFlow.h"
#include "cache/ContentCache.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == u"https"_s ? 443 : 80) ==
               b.port(b.scheme() == u"https"_s ? 443 : 80);
}

} // namespace

NetworkWorker::NetworkWorker(QObject *parent)
    : QObject(parent)
{}

QNetworkAccessManager *NetworkWorker::manager(const QByteArray &tlsProfile)
{
    // QNetworkAccessManager reuses a connection to a host whatever the request's SSL
    // configuration says: a connection opened while skipping verification (or with another
    // client certificate) must not carry a request that asked for more.
    QNetworkAccessManager *&manager = m_managers[tlsProfile];
    if (!manager) {
        manager = new QNetworkAccessManager(this);
        manager->setAutoDeleteReplies(false);
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        // Transfer timeouts are per request; no cookies, no HTTP cache: content is ours to cache.
        connect(manager, &QNetworkAccessManager::finished, this, &NetworkWorker::onFinished);
    }
    return manager;
}

void NetworkWorker::post(NetworkTaskPtr task)
{
    ++m_active;
    QMetaObject::invokeMethod(
        this, [this, task = std::move(task)]() mutable { run(std::move(task)); },
        Qt::QueuedConnection);
}

void NetworkWorker::postCancel(quint64 taskId)
{
    QMetaObject::invokeMethod(
        this,
        [this, taskId] {
            if (const auto exchange = m_http1Exchanges.constFind(taskId);
                exchange != m_http1Exchanges.constEnd()) {
                m_http1->abort(*exchange); // completion follows with a cancelled response
                return;
            }
            for (auto it = m_running.begin(); it != m_running.end(); ++it) {
                if (it.value().task->id == taskId) {
                    it.key()->abort(); // finished() follows and delivers a cancelled response
                    return;
                }
            }
        },
        Qt::QueuedConnection);
}

void NetworkWorker::run(NetworkTaskPtr task)
{
    if (task->cancelled.load()) {
        task->response.cancelled = true;
        finish(task);
        return;
    }
    const HttpRequest &request = task->request;
    if (task->cache && request.cacheDigest.isValid() && !request.sink) {
        auto entry = task->cache->get(request.cacheDigest);
        if (!entry && task->cacheOnly) {
            task->missedCache = true; // evicted by another process, or corrupt
            finish(task);
            return;
        }
        if (entry) {
            HttpResponse &r = task->response;
            r.status = 200;
            r.fromCache = true;
            r.body = entry->bytes;
            r.url = request.url;
            r.headers.append({"Content-Type", entry->mediaType.toUtf8()});
            r.headers.append({"Docker-Content-Digest", request.cacheDigest.toString().toLatin1()});
            task->response.digestVerified = true;
            finish(task);
            return;
        }
    }
    send(task, request.url, request.maxRedirects);
}

bool NetworkWorker::useOwnHttp1()
{
    static const bool own = qEnvironmentVariable("WHARF_HTTP_BACKEND") != u"qnam"_s;
    return own;
}

HeaderList NetworkWorker::headersFor(const HttpRequest &request, const QUrl &url)
{
    HeaderList out;
    out.reserve(request.headers.size());
    for (const auto &h : request.headers) {
        // Credentials belong to the registry's origin only (object storage must never see them).
        if (h.first.compare("Authorization", Qt::CaseInsensitive) == 0 &&
            !sameOrigin(url, request.url))
            continue;
        out.append(h);
    }
    return out;
}

void NetworkWorker::sendHttp1(const NetworkTaskPtr &task, const QUrl &url, int redirectsLeft)
{
    if (!m_http1)
        m_http1 = new Http1Client(this);
    const HttpRequest &request = task->request;
    Http1Client::Request r;
    r.method = request.method;
    r.url = url;
    r.headers = headersFor(request, url);
    r.body = request.body;
    r.maxBodyBytes = request.maxBodyBytes;
    r.timeoutMs = request.transferTimeoutMs;
    r.sink = request.sink;
    r.flow = request.flow;
    const quint64 exchange =
        m_http1->start(std::move(r), [this, task, redirectsLeft](HttpResponse response) {
            m_http1Exchanges.remove(task->id);
            task->response = std::move(response);
            completed(task, redirectsLeft);
        });
    m_http1Exchanges.insert(task->id, exchange);
}

void NetworkWorker::send(const NetworkTaskPtr &task, const QUrl &url, int redirectsLeft)
{
    if (url.scheme() == u"http"_s && useOwnHttp1()) {
        sendHttp1(task, url, redirectsLeft);
        return;
    }
    const HttpRequest &request = task->request;
    // Qt's transfer timeout would fire while a StreamFlow holds the transfer; such streams get
    // their own inactivity timer that pauses with them.
    const bool flowControlled = request.sink && request.flow;
    QNetworkRequest qreq(url);
    for (const auto &h : headersFor(request, url))
        qreq.setRawHeader(h.first, h.second);
    qreq.setTransferTimeout(flowControlled ? 0 : request.transferTimeoutMs);
    qreq.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                      QNetworkRequest::ManualRedirectPolicy);
    // Qt's HTTP/2 ignores the reply's read buffer limit (it keeps granting the server flow
    // control window): a flow-controlled stream uses HTTP/1.1, where the limit holds.
    qreq.setAttribute(QNetworkRequest::Http2AllowedAttribute,
                      request.allowHttp2 && !flowControlled);
    if (request.ssl)
        qreq.setSslConfiguration(*request.ssl);

    QNetworkReply *reply = nullptr;
    const QByteArray &method = request.method;
    QNetworkAccessManager *nam =
        manager(request.ignoreSslErrors ? request.tlsProfile + "-insecure" : request.tlsProfile);
    if (method == "GET")
        reply = nam->get(qreq);
    else if (method == "HEAD")
        reply = nam->head(qreq);
    else if (method == "DELETE")
        reply = nam->deleteResource(qreq);
    else if (method == "PUT")
        reply = nam->put(qreq, request.body);
    else if (method == "POST")
        reply = nam->post(qreq, request.body);
    else
        reply = nam->sendCustomRequest(qreq, method, request.body);

    if (request.ignoreSslErrors)
        reply->ignoreSslErrors();
    else
        connect(
            reply, &QNetworkReply::sslErrors, this, [task, reply](const QList<QSslError> &errors) {
                task->response.sslErrors = errors;
                task->response.peerCertificates = reply->sslConfiguration().peerCertificateChain();
            });

    QTimer *streamTimer = nullptr;
    if (flowControlled) {
        reply->setReadBufferSize(StreamFlow::ReadBufferBytes);
        streamTimer = new QTimer(reply);
        streamTimer->setSingleShot(true);
        streamTimer->setInterval(request.transferTimeoutMs);
        // An abort we did not ask for reads as a timeout in onFinished().
        connect(streamTimer, &QTimer::timeout, reply, &QNetworkReply::abort);
        streamTimer->start();
        request.flow->setResumeHandler(reply, [this, reply] { readStreamed(reply); });
    }
    m_running.insert(reply, {task, redirectsLeft, streamTimer});

    const qint64 maxBody = request.maxBodyBytes;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply, maxBody] {
        auto it = m_running.find(reply);
        if (it == m_running.end())
            return;
        NetworkTask &t = *it.value().task;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (t.cancelled.load()) {
            reply->abort();
            return;
        }
        // Stream successful bodies to a sink; error bodies are always collected (bounded).
        if (t.request.sink && status >= 200 && status < 300) {
            readStreamed(reply);
            return;
        }
        t.response.body += reply->readAll();
        if (t.response.body.size() > maxBody) {
            t.response.tooLarge = true;
            t.response.body.truncate(maxBody);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply, maxBody] {
        auto it = m_running.find(reply);
        if (it == m_running.end())
            return;
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool streaming = it.value().task->request.sink && status >= 200 && status < 300;
        if (!streaming && length.isValid() && length.toLongLong() > maxBody &&
            it.value().task->request.method != "HEAD") {
            it.value().task->response.tooLarge = true;
            reply->abort();
        }
    });
}

void NetworkWorker::readStreamed(QNetworkReply *reply)
{
    const auto it = m_running.constFind(reply);
    if (it == m_running.constEnd())
        return;
    NetworkTask &t = *it.value().task;
    QTimer *timer = it.value().streamTimer;
    const StreamFlow *flow = t.request.flow.get();
    if (flow && flow->isPaused())
        return; // the bytes wait in the reply's bounded buffer; the resume handler reads them
    if (timer)
        timer->start();
    const QByteArray chunk = reply->readAll();
    if (!chunk.isEmpty() && !t.request.sink(chunk)) {
        t.response.cancelled = true;
        reply->abort();
        return;
    }
    if (timer && flow && flow->isPaused())
        timer->stop(); // a paused stream is not a stalled one
}

void NetworkWorker::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    auto it = m_running.find(reply);
    if (it == m_running.end())
        return;
    const Running running = it.value();
    m_running.erase(it);
    const NetworkTaskPtr &task = running.task;
    if (task->request.flow)
        task->request.flow->clearResumeHandler();
    if (running.streamTimer)
        running.streamTimer->stop();
    HttpResponse &r = task->response;

    r.url = reply->url();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status > 0) {
        r.status = status;
        r.http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
        r.headers = reply->rawHeaderPairs();
        if (!r.tooLarge && !r.cancelled) {
            const QByteArray rest = reply->readAll();
            if (task->request.sink && r.isSuccess()) {
                if (!rest.isEmpty() && !task->request.sink(rest))
                    r.cancelled = true;
            } else {
                r.body += rest;
            }
        }
    }
    const QNetworkReply::NetworkError error = reply->error();
    if (task->cancelled.load()) {
        r.cancelled = true;
    } else if ((error == QNetworkReply::OperationCanceledError ||
                error == QNetworkReply::TimeoutError) &&
               !r.tooLarge && !r.cancelled) {
        // An abort we did not ask for is Qt's transfer timeout.
        r.timedOut = true;
    }
    // Errors Qt reports for HTTP statuses (ContentNotFound, ...) are not transport failures.
    const bool transportError =
        error != QNetworkReply::NoError && error < 100 && !r.cancelled && !r.tooLarge;
    if (transportError || r.timedOut) {
        r.status = 0;
        r.networkError = error;
        r.networkErrorString = reply->errorString();
    } else if (r.status == 0 && !r.cancelled && !r.tooLarge) {
        r.networkError = error;
        r.networkErrorString = reply->errorString();
    }
    completed(task, running.redirectsLeft);
}

void NetworkWorker::completed(const NetworkTaskPtr &task, int redirectsLeft)
{
    HttpResponse &r = task->response;
    if (task->cancelled.load())
        r.cancelled = true;
    if (isRedirect(r.status) && redirectsLeft > 0 && !r.cancelled) {
        const QByteArray location = r.header("Location");
        const QUrl target = r.url.resolved(QUrl::fromEncoded(location));
        if (!location.isEmpty() && target.isValid() &&
            (target.scheme() == u"https"_s || target.scheme() == u"http"_s)) {
            // A redirect from https to http would expose the transfer; refuse it.
            if (r.url.scheme() == u"https"_s && target.scheme() == u"http"_s) {
                r.status = 0;
                r.networkError = QNetworkReply::InsecureRedirectError;
                r.networkErrorString =
                    u"the registry redirected to an insecure http:// address (%1)"_s.arg(
                        target.host());
            } else {
                if (r.status == 303)
                    task->request.method = "GET";
                r = HttpResponse();
                send(task, target, redirectsLeft - 1);
                return;
            }
        }
    }
    // A body we refused or a transfer we stopped is not an answer to decode.
    if (r.tooLarge || r.cancelled || r.timedOut)
        r.status = 0;
    r.body.squeeze(); // bodies outlive the exchange (results, cache): no spare capacity
    if (r.isSuccess() && task->request.cacheDigest.isValid() && !task->request.sink &&
        task->request.method == "GET") {
        r.digestVerified = task->request.cacheDigest.matches(r.body);
        if (r.digestVerified && task->cache) {
            const QString mediaType =
                QString::fromUtf8(r.header("Content-Type")).section(u';', 0, 0).trimmed();
            task->cache->put(task->request.cacheDigest, r.body, mediaType);
        }
    }
    finish(task);
}

void NetworkWorker::finish(const NetworkTaskPtr &task)
{
    if (task->decode && !task->response.cancelled && !task->missedCache)
        task->decoded = task->decode(task->response);
    --m_active;
    QMutexLocker lock(&task->inbox->mutex);
    if (RequestScheduler *scheduler = task->inbox->scheduler)
        QMetaObject::invokeMethod(
            scheduler, [scheduler, task] { scheduler->taskFinished(task); }, Qt::QueuedConnection);
}

} // namespace wharf
