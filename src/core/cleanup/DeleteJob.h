#pragma once

#include "DeletePlan.h"
#include "DeleteResult.h"
#include "jobs/Job.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace wharf {

class RegistryClient;

// Carries out a DeletePlan in the background: untags first, then manifests (indexes before
// their children), one result per item. The first item goes alone; once one succeeded, up to
// Options::parallel run at once.
//
// Stops sending at the first answer that would repeat for every item — deletes disabled or
// read-only (405), the registry unreachable or failing — and reports the rest as skipped, so a
// failure midway leaves an exact record. Running a fresh plan of the same selection afterwards
// finishes the work: what is gone shows as already gone, nothing else is touched.
//
// A plan that would remove tags nobody named (needsConfirmation()) is refused as a whole.
class DeleteJob : public Job
{
    Q_OBJECT
public:
    struct Options
    {
        QString journalPath; // DeleteJournal file; empty = keep no record
        int parallel = 4;
        // HEAD the named tags again just before deleting their digest, and refuse the item if
        // one of them moved since the plan was made.
        bool verifyTags = true;
    };

    DeleteJob(RegistryClient *client, DeletePlan plan, Options options, QObject *parent = nullptr);

    const DeletePlan &plan() const { return m_plan; }
    const QList<DeleteResult> &results() const { return m_results; }
    int countWith(DeleteResult::Status status) const;
    QStringList journalErrors() const { return m_journalErrors; }

    // The placeholder pushed to a tag to remove just that tag: an OCI image manifest over the
    // 2-byte empty config, made unique by a nonce so it never shares a digest with anything.
    static QByteArray placeholderManifest(const QString &reference, const QString &nonce);

signals:
    void itemFinished(int index);

protected:
    void run() override;
    void abort() override;

private:
    enum class ItemState { Waiting, Running, Done };
    // How many waiting items launchMore() looks at past one that has to wait.
    static constexpr qsizetype MaxLookahead = 256;

    void scheduleLaunch();
    void launchMore();
    void startManifest(int item, int manifest);
    void sendManifestDelete(int item, int manifest);
    void startUntag(int item, int untag);
    void untagWithTagDelete(int item, int untag);
    void untagWithPlaceholder(int item, int untag);
    void pushPlaceholder(int item, int untag);
    void finishItem(int item, DeleteResult::Status status, const QString &message);
    void handleError(int item, const Error &error);
    void complete();
    void journal(int manifest, bool alreadyGone, QString *message);

    RegistryClient *m_client;
    DeletePlan m_plan;
    Options m_options;
    QList<DeleteResult> m_results;
    QList<ItemState> m_states;
    QList<int> m_actionItems;         // indexes into m_results, in execution order
    QHash<int, int> m_manifestOfItem; // item -> index into plan.manifests
    QHash<int, int> m_untagOfItem;    // item -> index into plan.untags
    qsizetype m_next = 0;
    int m_inFlight = 0;
    int m_window = 1;
    int m_finishedActions = 0;
    bool m_launchQueued = false;
    std::optional<Error> m_stopError;
    QSet<QString> m_deniedRepositories;
    QHash<QString, int> m_runningIn; // repository -> items in flight there
    QSet<QString> m_untagRunningIn;  // repositories an untag has to itself right now
    std::optional<bool> m_tagDeleteWorks;
    QSet<QString> m_deleteProbed; // repositories where deleting is known to be allowed
    QStringList m_journalErrors;
};

} // namespace wharf
