#pragma once

#include "jobs/Job.h"
#include "model/ImageInfo.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QStringList>

namespace wharf {
class RegistryClient;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

// Loads one repository for the tag table: lists its tags (reported at once through
// tagsListed), then resolves every tag with its configs, a bounded window of tags at a time in
// list order, so the first rows fill in first and cancelling leaves little to throw away.
// Progress is tags resolved / tags listed. Cancel stops every outstanding request
// (RegistryClient::cancelFor). Tags whose last digest is in the content cache are re-validated
// with a HEAD instead of downloaded again. A tag that cannot be resolved does not fail the job:
// it is reported through tagFailed and counted in the status text.
class TagTableLoadJob : public Job
{
    Q_OBJECT
public:
    TagTableLoadJob(SessionManager *sessions, const QString &bookmarkId, const QString &repository,
                    QObject *parent = nullptr);

    QString bookmarkId() const { return m_bookmarkId; }
    QString repository() const { return m_repository; }
    // Tags resolved at the same time; default: twice the client's request limit, enough to
    // keep it busy (each tag waits on a few round trips in sequence).
    void setWindow(int tags) { m_window = tags; }
    int window() const { return m_window; }
    int resolvedCount() const { return m_resolved; }
    int failedCount() const { return m_failed; }
    RegistryClient *client() const;

signals:
    // In TagOrder; index i of later signals refers to tags[i].
    void tagsListed(const QStringList &tags);
    void tagResolved(int index, const wharf::ResolvedImage &image);
    void tagFailed(int index, const wharf::Error &error);

protected:
    void run() override;
    void abort() override;

private:
    void listTags();
    void startResolving(const QStringList &hints);
    void pump();
    void tagDone();
    void reportProgress(bool force);

    QPointer<SessionManager> m_sessions;
    QPointer<RegistryClient> m_client;
    QString m_bookmarkId;
    QString m_repository;
    QStringList m_tags;
    QStringList m_hints;
    int m_window = 0;
    int m_next = 0;
    int m_inFlight = 0;
    int m_resolved = 0;
    int m_failed = 0;
    bool m_pumping = false;
    QElapsedTimer m_sinceProgress;
};

} // namespace wharf::gui
