#pragma once

#include "NetworkTask.h"

#include <QList>
#include <QMutex>

class QThread;

namespace wharf {

class NetworkWorker;

// A set of network worker threads, each with its own QNetworkAccessManager. One manager opens at
// most six HTTP/1.1 connections per host, which caps throughput on a remote registry; spreading
// requests over several managers recovers it (docs/performance.md has the measurements).
class NetworkPool
{
public:
    explicit NetworkPool(int threads);
    ~NetworkPool();
    NetworkPool(const NetworkPool &) = delete;
    NetworkPool &operator=(const NetworkPool &) = delete;

    int threadCount() const { return static_cast<int>(m_workers.size()); }
    // Hands the task to the least busy worker; returns that worker so it can be cancelled there.
    NetworkWorker *start(NetworkTaskPtr task);

    // Threads needed so that maxInFlight requests fit in the managers' connection limits.
    static int threadsFor(int maxInFlight);

private:
    QList<QThread *> m_threads;
    QList<NetworkWorker *> m_workers;
    QMutex m_mutex;
    int m_next = 0;
};

} // namespace wharf
