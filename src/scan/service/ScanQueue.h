#pragma once

#include "ScanJob.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace wharf::scan {

// A bounded background queue of image scans: at most maxParallel() scans run at once (default
// 2), the rest wait in order. The same platform digest is never scanned twice at once: a
// request that resolves to a digest already being scanned joins that scan (ScanJob::joinScanOf)
// and frees its slot. Each request is a ScanJob announced through jobAdded(), so the app's jobs
// panel shows it with progress and Cancel.
//
// The queue owns its jobs (children) and deletes finished ones beyond historyLimit(), oldest
// first. lives on the clients' thread.
class ScanQueue : public QObject
{
    Q_OBJECT
public:
    explicit ScanQueue(QObject *parent = nullptr);
    ~ScanQueue() override;

    void setMaxParallel(int n);
    int maxParallel() const { return m_maxParallel; }
    void setHistoryLimit(int n) { m_historyLimit = n; }
    int historyLimit() const { return m_historyLimit; }
    // Used by enqueue() without options.
    void setDefaultOptions(const ScanJob::Options &options) { m_defaults = options; }
    const ScanJob::Options &defaultOptions() const { return m_defaults; }

    ScanJob *enqueue(RegistryClient *client, const QString &repository, const QString &reference);
    ScanJob *enqueue(RegistryClient *client, const QString &repository, const QString &reference,
                     const ScanJob::Options &options);

    int pendingCount() const { return int(m_pending.size()); }
    int runningCount() const { return int(m_running.size()); }
    bool isIdle() const { return m_pending.isEmpty() && m_running.isEmpty() && m_joined.isEmpty(); }
    // The running scan of digest (not a job waiting on it), if any.
    ScanJob *activeScanOf(const QString &digest) const;
    QList<ScanJob *> jobs() const;
    void cancelAll();

signals:
    void jobAdded(wharf::Job *job);
    // Every end: succeeded, failed or cancelled.
    void scanFinished(wharf::scan::ScanJob *job);
    void resultReady(const wharf::scan::ScanResult &result);
    void idle();

private:
    void pump();
    void onResolved(ScanJob *job, const QString &digest);
    void onFinished(ScanJob *job);
    void prune();

    int m_maxParallel = 2;
    int m_historyLimit = 100;
    ScanJob::Options m_defaults;
    QList<QPointer<ScanJob>> m_pending;
    QList<QPointer<ScanJob>> m_running; // started, resolving or scanning
    QList<QPointer<ScanJob>> m_joined;  // waiting on another job's scan (no slot)
    QList<QPointer<ScanJob>> m_finished;
};

} // namespace wharf::scan
