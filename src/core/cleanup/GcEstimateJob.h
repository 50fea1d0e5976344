#pragma once

#include "DeleteJournal.h"
#include "jobs/InventoryJob.h"
#include "jobs/Job.h"

#include <QPointer>
#include <QSet>

#include <optional>

namespace wharf {

class RegistryClient;

// What a garbage collection would free now, from the deletes Wharf recorded.
struct GcEstimate
{
    QString registry;
    qint64 reclaimableBytes = 0;
    QList<BlobRef> blobs;     // would be freed, by digest
    int journalEntries = 0;   // deletes considered
    int stillReferenced = 0;  // blobs of deleted manifests that remaining manifests use
    int alreadyCollected = 0; // blobs a garbage collection removed already
    QDateTime collectedUpTo;  // a collection ran after the deletes up to this time
    QStringList notes;
};

// Estimates what `registry garbage-collect` would free: blobs of manifests Wharf deleted (the
// DeleteJournal) that no manifest remaining in any repository references (a fresh inventory of
// the whole registry). Untagged children of deleted indexes are checked with HEAD — they keep
// their blobs while they exist — and candidate blobs too: a 404 shows a collection already ran,
// and the journal entries it covered are dropped.
class GcEstimateJob : public Job
{
    Q_OBJECT
public:
    struct Options
    {
        QString journalPath;
        bool pruneCollected = true; // drop journal entries a collection has dealt with
    };

    // What compute() decides from.
    struct Facts
    {
        QString registry;
        QList<DeleteJournalEntry> entries;
        Inventory inventory;
        bool wholeRegistryInventory = true;
        // "repo@digest" of journal manifests (deleted ones and children of deleted indexes)
        // that a HEAD found in the registry: re-pushed, or left untagged. The others are gone,
        // whatever the inventory says (it may have read them from the content cache).
        QSet<QString> existingManifests;
        QSet<QString> missingBlobs; // digests a blob HEAD answered 404 for
    };

    GcEstimateJob(RegistryClient *client, Options options, QObject *parent = nullptr);

    // Reuse an inventory of the whole registry instead of walking it again.
    void setInventory(const Inventory &inventory);

    const GcEstimate &estimate() const { return m_estimate; }
    const Inventory &inventory() const { return m_facts.inventory; }

    static GcEstimate compute(const Facts &facts);
    // Blobs (not manifests) compute() would count: what to check with a HEAD.
    static QList<std::pair<QString, Digest>> blobsToVerify(const Facts &facts);

protected:
    void run() override;
    void abort() override;

private:
    void readInventory(bool wholeRegistry);
    void checkManifests();
    void checkBlobs();
    void finishEstimate();
    QStringList journalRepositories() const;

    RegistryClient *m_client;
    Options m_options;
    Facts m_facts;
    std::optional<Inventory> m_givenInventory;
    QPointer<InventoryJob> m_inventoryJob;
    GcEstimate m_estimate;
    int m_pending = 0;
};

} // namespace wharf
