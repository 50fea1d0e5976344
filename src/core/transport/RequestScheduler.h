#pragma once

#include "NetworkTask.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>

namespace wharf {

class NetworkPool;
class NetworkWorker;

// Bounds how many requests one registry client has in flight, queues the rest, retries
// idempotent requests on transient failures (429 with Retry-After, 502/503/504, dropped
// connections), and delivers results on its own thread to a context object's callback — never
// after the context is gone or the request was cancelled.
class RequestScheduler : public QObject
{
    Q_OBJECT
public:
    using Decoder = std::function<std::any(HttpResponse &)>;
    using Completion = std::function<void(const HttpResponse &, std::any &decoded)>;

    RequestScheduler(std::shared_ptr<NetworkPool> pool, std::shared_ptr<ContentCache> cache,
                     int maxInFlight, QObject *parent = nullptr);
    ~RequestScheduler() override;

    // decode runs on a worker thread after the exchange; done runs on this thread.
    quint64 submit(HttpRequest request, Decoder decode, QObject *context, Completion done);
    void cancel(quint64 id);
    void cancelAll();
    // Cancels every request whose results would go to context.
    void cancelContext(const QObject *context);

    int maxInFlight() const { return m_maxInFlight; }
    void setMaxInFlight(int n);
    int inFlight() const { return static_cast<int>(m_running.size()); }
    int queued() const { return static_cast<int>(m_queue.size()); }

    // Requests that went over the network (retries included) and answers served by the cache.
    qint64 networkRequests() const { return m_networkRequests; }
    qint64 cacheHits() const { return m_cacheHits; }
    void setMaxRetries(int n) { m_maxRetries = n; }

    ContentCache *cache() const { return m_cache.get(); }

private:
    friend class NetworkWorker;
    void taskFinished(const NetworkTaskPtr &task);
    void pump();
    // The same request as a new task object: a worker may still hold the previous one.
    NetworkTaskPtr freshTask(const NetworkTask &previous) const;
    bool shouldRetry(const NetworkTaskPtr &task, int attempts, int *delayMs) const;

    struct Pending
    {
        NetworkTaskPtr task;
        QPointer<QObject> context;
        Completion done;
        int attempts = 0;
    };

    std::shared_ptr<NetworkPool> m_pool;
    std::shared_ptr<ContentCache> m_cache;
    std::shared_ptr<TaskInbox> m_inbox;
    int m_maxInFlight;
    int m_maxRetries = 3;
    quint64 m_nextId = 1;
    std::deque<quint64> m_queue;
    QHash<quint64, Pending> m_pending; // queued, running or waiting to retry
    QHash<quint64, NetworkWorker *> m_running;
    qint64 m_networkRequests = 0;
    qint64 m_cacheHits = 0;
};

} // namespace wharf
