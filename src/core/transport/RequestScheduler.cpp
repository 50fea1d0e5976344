#include "RequestScheduler.h"

#include "NetworkPool.h"
#include "NetworkWorker.h"
#include "cache/ContentCache.h"

#include <QTimer>

#include <algorithm>

namespace wharf {

RequestScheduler::RequestScheduler(std::shared_ptr<NetworkPool> pool,
                                   std::shared_ptr<ContentCache> cache, int maxInFlight,
                                   QObject *parent)
    : QObject(parent)
    , m_pool(std::move(pool))
    , m_cache(std::move(cache))
    , m_inbox(std::make_shared<TaskInbox>())
    , m_maxInFlight(std::max(1, maxInFlight))
{
    m_inbox->scheduler = this;
}

RequestScheduler::~RequestScheduler()
{
    {
        QMutexLocker lock(&m_inbox->mutex);
        m_inbox->scheduler = nullptr;
    }
    cancelAll();
}

void RequestScheduler::setMaxInFlight(int n)
{
    m_maxInFlight = std::max(1, n);
    pump();
}

quint64 RequestScheduler::submit(HttpRequest request, Decoder decode, QObject *context,
                                 Completion done)
{
    auto task = std::make_shared<NetworkTask>();
    task->id = m_nextId++;
    task->request = std::move(request);
    task->decode = std::move(decode);
    task->cache = m_cache.get();
    task->inbox = m_inbox;
    const quint64 id = task->id;
    // Content the cache holds never touches the network: it skips the queue and takes no
    // request slot, so HEADs and fetches of what is missing are not held up behind it.
    const bool cached = m_cache && task->request.cacheDigest.isValid() && !task->request.sink &&
                        m_cache->isKnown(task->request.cacheDigest);
    m_pending.insert(id, Pending{task, context, std::move(done)});
    if (cached) {
        task->cacheOnly = true;
        ++m_pending[id].attempts;
        m_pool->start(task);
        return id;
    }
    m_queue.push_back(id);
    pump();
    return id;
}

NetworkTaskPtr RequestScheduler::freshTask(const NetworkTask &previous) const
{
    auto task = std::make_shared<NetworkTask>();
    task->id = previous.id;
    task->request = previous.request;
    task->decode = previous.decode;
    task->cache = previous.cache;
    task->inbox = m_inbox;
    return task;
}

void RequestScheduler::pump()
{
    while (!m_queue.empty() && inFlight() < m_maxInFlight) {
        const quint64 id = m_queue.front();
        m_queue.pop_front();
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            continue; // cancelled while queued
        Pending &p = it.value();
        // A fresh task object per attempt: the previous one may still be referenced by a worker.
        if (p.attempts > 0)
            p.task = freshTask(*p.task);
        ++p.attempts;
        m_running.insert(id, m_pool->start(p.task));
    }
}

void RequestScheduler::cancel(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    it->task->cancelled = true;
    // A cache-lane task has no exchange to abort: the flag is all it checks.
    if (NetworkWorker *worker = m_running.value(id))
        worker->postCancel(id);
    m_running.remove(id);
    m_pending.erase(it);
    pump();
}

void RequestScheduler::cancelAll()
{
    const QList<quint64> ids = m_pending.keys();
    m_queue.clear();
    for (quint64 id : ids)
        cancel(id);
}

void RequestScheduler::cancelContext(const QObject *context)
{
    QList<quint64> ids;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->context == context || it->context.isNull())
            ids << it.key();
    }
    for (quint64 id : std::as_const(ids))
        cancel(id);
}

bool RequestScheduler::shouldRetry(const NetworkTaskPtr &task, int attempts, int *delayMs) const
{
    const HttpRequest &req = task->request;
    const HttpResponse &r = task->response;
    const bool idempotent = req.method == "GET" || req.method == "HEAD";
    if (!idempotent || attempts > m_maxRetries || r.cancelled || r.tooLarge || req.sink)
        return false;
    const int backoff = 200 * (1 << (attempts - 1)); // 200, 400, 800 ms
    if (r.status == 429) {
        bool ok = false;
        const int seconds = r.header("Retry-After").trimmed().toInt(&ok);
        if (ok && seconds > 30)
            return false; // the caller reports it; waiting minutes silently helps nobody
        *delayMs = ok ? seconds * 1000 : backoff * 2;
        return true;
    }
    if (r.status == 502 || r.status == 503 || r.status == 504) {
        *delayMs = backoff;
        return true;
    }
    // A keep-alive connection the server closed under us: one quick retry on a fresh one.
    if (r.status == 0 && (r.networkError == QNetworkReply::RemoteHostClosedError ||
                          r.networkError == QNetworkReply::TemporaryNetworkFailureError)) {
        *delayMs = attempts == 1 ? 0 : backoff;
        return true;
    }
    return false;
}

void RequestScheduler::taskFinished(const NetworkTaskPtr &task)
{
    auto it = m_pending.find(task->id);
    if (it == m_pending.end() || it->task != task)
        return; // cancelled, or an answer to an attempt we gave up on
    m_running.remove(task->id);
    if (task->missedCache) {
        // The cache no longer has it: fetch it like any other request, in the queue.
        it->task = freshTask(*task);
        it->attempts = 0; // the lane was not a network attempt
        m_queue.push_front(task->id);
        pump();
        return;
    }
    if (task->response.fromCache)
        ++m_cacheHits;
    else
        ++m_networkRequests;

    int delayMs = 0;
    if (shouldRetry(task, it->attempts, &delayMs)) {
        const quint64 id = task->id;
        QTimer::singleShot(delayMs, this, [this, id] {
            if (m_pending.contains(id)) {
                m_queue.push_front(id);
                pump();
            }
        });
        pump();
        return;
    }

    Pending p = std::move(it.value());
    m_pending.erase(it);
    pump();
    if (p.context && p.done)
        p.done(task->response, task->decoded);
}

} // namespace wharf
