#include "ScanQueue.h"

namespace wharf::scan {

ScanQueue::ScanQueue(QObject *parent)
    : QObject(parent)
{}

ScanQueue::~ScanQueue()
{
    cancelAll();
}

void ScanQueue::setMaxParallel(int n)
{
    m_maxParallel = std::max(1, n);
    pump();
}

ScanJob *ScanQueue::enqueue(RegistryClient *client, const QString &repository,
                            const QString &reference)
{
    return enqueue(client, repository, reference, m_defaults);
}

ScanJob *ScanQueue::enqueue(RegistryClient *client, const QString &repository,
                            const QString &reference, const ScanJob::Options &options)
{
    auto *job = new ScanJob(client, repository, reference, options, this);
    connect(job, &ScanJob::resolved, this,
            [this, job](const QString &digest) { onResolved(job, digest); });
    connect(job, &Job::finished, this, [this, job] { onFinished(job); });
    m_pending.append(job);
    emit jobAdded(job);
    pump();
    return job;
}

ScanJob *ScanQueue::activeScanOf(const QString &digest) const
{
    for (const QPointer<ScanJob> &job : m_running) {
        if (job && !job->isFinished() && job->digest() == digest && !job->joinedJob())
            return job;
    }
    return nullptr;
}

QList<ScanJob *> ScanQueue::jobs() const
{
    QList<ScanJob *> all;
    for (const auto *list : {&m_running, &m_joined, &m_pending, &m_finished}) {
        for (const QPointer<ScanJob> &job : *list) {
            if (job)
                all.append(job);
        }
    }
    return all;
}

void ScanQueue::cancelAll()
{
    // Pending first, so that cancelling a running job does not start one of them.
    const QList<QPointer<ScanJob>> pending = m_pending;
    for (const QPointer<ScanJob> &job : pending) {
        if (job)
            job->cancel();
    }
    const QList<ScanJob *> all = jobs();
    for (ScanJob *job : all)
        job->cancel();
}

void ScanQueue::pump()
{
    m_running.removeIf([](const QPointer<ScanJob> &job) { return !job || job->isFinished(); });
    // A job whose joined scan was cancelled scans itself: it needs its slot back.
    for (const QPointer<ScanJob> &waiting : std::as_const(m_joined)) {
        if (waiting && !waiting->isFinished() && !waiting->joinedJob())
            m_running.append(waiting);
    }
    m_joined.removeIf([this](const QPointer<ScanJob> &job) {
        return !job || job->isFinished() || m_running.contains(job);
    });
    while (!m_pending.isEmpty() && m_running.size() < m_maxParallel) {
        QPointer<ScanJob> job = m_pending.takeFirst();
        if (!job || job->isFinished())
            continue;
        m_running.append(job);
        job->start(); // may finish (and re-enter pump) at once
    }
    if (isIdle())
        emit idle();
}

void ScanQueue::onResolved(ScanJob *job, const QString &digest)
{
    // Emitted synchronously from within the job: deciding here is race-free.
    for (const QPointer<ScanJob> &other : m_running) {
        if (other && other != job && !other->isFinished() && !other->joinedJob() &&
            other->digest() == digest) {
            job->joinScanOf(other);
            m_running.removeAll(job);
            m_joined.append(job);
            // Its slot is free: let the next request resolve while this one waits.
            QMetaObject::invokeMethod(this, &ScanQueue::pump, Qt::QueuedConnection);
            return;
        }
    }
}

void ScanQueue::onFinished(ScanJob *job)
{
    m_running.removeAll(job);
    m_pending.removeAll(job);
    m_joined.removeAll(job);
    m_finished.append(job);
    if (job->state() == Job::State::Succeeded)
        emit resultReady(job->result());
    emit scanFinished(job);
    prune();
    QMetaObject::invokeMethod(this, &ScanQueue::pump, Qt::QueuedConnection);
}

void ScanQueue::prune()
{
    m_finished.removeAll(nullptr);
    while (m_finished.size() > m_historyLimit) {
        QPointer<ScanJob> oldest = m_finished.takeFirst();
        if (oldest)
            oldest->deleteLater();
    }
}

} // namespace wharf::scan
