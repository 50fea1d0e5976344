#include "NetworkPool.h"

#include "NetworkWorker.h"

#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

NetworkPool::NetworkPool(int threads)
{
    threads = std::clamp(threads, 1, 64);
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(u"wharf-net-%1"_s.arg(i));
        auto *worker = new NetworkWorker;
        worker->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads << thread;
        m_workers << worker;
    }
}

NetworkPool::~NetworkPool()
{
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

int NetworkPool::threadsFor(int maxInFlight)
{
    // Six connections per manager; a little slack keeps every connection busy.
    return std::clamp((maxInFlight + 5) / 6, 1, 16);
}

NetworkWorker *NetworkPool::start(NetworkTaskPtr task)
{
    // Least busy first, round-robin among equals so connections warm up evenly.
    QMutexLocker lock(&m_mutex);
    NetworkWorker *best = nullptr;
    const int n = static_cast<int>(m_workers.size());
    for (int i = 0; i < n; ++i) {
        NetworkWorker *w = m_workers.at((m_next + i) % n);
        if (!best || w->activeTasks() < best->activeTasks())
            best = w;
    }
    m_next = (m_next + 1) % n;
    best->post(std::move(task));
    return best;
}

} // namespace wharf
