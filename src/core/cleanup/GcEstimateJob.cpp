#include "GcEstimateJob.h"

#include "ReachableBlobs.h"
#include "client/RegistryClient.h"

#include <QMap>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString keyOf(const QString &repository, const Digest &digest)
{
    return repository + u'@' + digest.toString();
}

ReachableBlobs aliveFrom(const GcEstimateJob::Facts &facts)
{
    QSet<QString> gone;
    for (const DeleteJournalEntry &entry : facts.entries) {
        const QString key = keyOf(entry.repository, entry.digest);
        if (!facts.existingManifests.contains(key))
            gone.insert(key);
    }
    ReachableBlobs alive;
    alive.addInventory(facts.inventory, gone);
    for (const DeleteJournalEntry &entry : facts.entries) {
        for (const ManifestNode &child : entry.children) {
            if (facts.existingManifests.contains(keyOf(entry.repository, child.digest)))
                alive.addNode(child);
        }
    }
    return alive;
}

} // namespace

GcEstimateJob::GcEstimateJob(RegistryClient *client, Options options, QObject *parent)
    : Job(tr("Garbage collection estimate for %1").arg(client->config().hostPort()), parent)
    , m_client(client)
    , m_options(std::move(options))
{
    m_facts.registry = client->config().url.toString(QUrl::StripTrailingSlash);
}

void GcEstimateJob::setInventory(const Inventory &inventory)
{
    m_givenInventory = inventory;
}

QList<std::pair<QString, Digest>> GcEstimateJob::blobsToVerify(const Facts &facts)
{
    const ReachableBlobs alive = aliveFrom(facts);
    QList<std::pair<QString, Digest>> out;
    QSet<QString> seen;
    for (const DeleteJournalEntry &entry : facts.entries) {
        for (const BlobRef &blob : entry.blobs) {
            if (alive.contains(blob.digest) || seen.contains(blob.digest.toString()))
                continue;
            seen.insert(blob.digest.toString());
            out.append({entry.repository, blob.digest});
        }
    }
    return out;
}

GcEstimate GcEstimateJob::compute(const Facts &facts)
{
    GcEstimate estimate;
    estimate.registry = facts.registry;
    estimate.journalEntries = static_cast<int>(facts.entries.size());
    const ReachableBlobs alive = aliveFrom(facts);

    // Garbage collection removes every unreferenced blob at once: one of them missing means a
    // collection ran after that delete, and it took everything deleted before as well.
    for (const DeleteJournalEntry &entry : facts.entries) {
        for (const BlobRef &blob : entry.blobs) {
            if (!alive.contains(blob.digest) &&
                facts.missingBlobs.contains(blob.digest.toString()) &&
                (!estimate.collectedUpTo.isValid() || entry.time > estimate.collectedUpTo))
                estimate.collectedUpTo = entry.time;
        }
    }

    QMap<QString, qint64> reclaimable;
    QSet<QString> referenced;
    QSet<QString> collected;
    for (const DeleteJournalEntry &entry : facts.entries) {
        QList<BlobRef> candidates{BlobRef{entry.digest, entry.size}};
        candidates << entry.blobs;
        const bool coveredByCollection =
            estimate.collectedUpTo.isValid() && entry.time <= estimate.collectedUpTo;
        for (const BlobRef &blob : std::as_const(candidates)) {
            const QString digest = blob.digest.toString();
            if (alive.contains(blob.digest))
                referenced.insert(digest);
            else if (coveredByCollection || facts.missingBlobs.contains(digest))
                collected.insert(digest);
            else
                reclaimable.insert(digest, blob.size);
        }
    }
    for (auto it = reclaimable.cbegin(); it != reclaimable.cend(); ++it) {
        if (collected.contains(it.key()))
            continue;
        estimate.blobs << BlobRef{*Digest::parse(it.key()), it.value()};
        estimate.reclaimableBytes += it.value();
    }
    estimate.stillReferenced = static_cast<int>(referenced.size());
    estimate.alreadyCollected = static_cast<int>(collected.size());

    if (facts.entries.isEmpty())
        estimate.notes << tr("Wharf has no record of deletes on this registry. Blobs left by "
                             "other tools are not known to it: run garbage collection with "
                             "--dry-run to see everything it would remove.");
    else
        estimate.notes << tr("Counted: blobs of the %1 manifests Wharf deleted that no manifest "
                             "remaining in any repository references. Blobs orphaned by other "
                             "tools are not included.")
                              .arg(facts.entries.size());
    if (estimate.collectedUpTo.isValid())
        estimate.notes << tr("A garbage collection already ran after the deletes up to %1.")
                              .arg(estimate.collectedUpTo.toString(Qt::ISODate));
    if (!facts.wholeRegistryInventory)
        estimate.notes << tr("Only the repositories Wharf deleted from could be inventoried (no "
                             "catalog): blobs that other repositories share may be counted.");
    if (!facts.inventory.errors.isEmpty())
        estimate.notes << tr("%1 repositories or tags could not be read; blobs only they "
                             "reference may be counted.")
                              .arg(facts.inventory.errors.size());
    return estimate;
}

QStringList GcEstimateJob::journalRepositories() const
{
    QStringList out;
    for (const DeleteJournalEntry &e : m_facts.entries)
        out << e.repository;
    out.sort();
    out.removeDuplicates();
    return out;
}

void GcEstimateJob::run()
{
    QString error;
    int skipped = 0;
    m_facts.entries = DeleteJournal(m_options.journalPath).entries(&error, &skipped);
    if (!error.isEmpty()) {
        fail(Error::make(Error::Kind::Io, error));
        return;
    }
    if (m_facts.entries.isEmpty()) {
        finishEstimate();
        return;
    }
    if (m_givenInventory) {
        m_facts.inventory = *m_givenInventory;
        checkManifests();
        return;
    }
    readInventory(true);
}

void GcEstimateJob::abort()
{
    if (m_inventoryJob)
        m_inventoryJob->cancel();
    m_client->cancelFor(this);
}

void GcEstimateJob::readInventory(bool wholeRegistry)
{
    setProgress(0, 3, tr("Inventory of the registry"));
    InventoryJob::Options options;
    if (!wholeRegistry)
        options.repositories = journalRepositories();
    auto *job = new InventoryJob(m_client, options, this);
    m_inventoryJob = job;
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total, const QString &) {
        if (total > 0)
            setProgress(0, 3, tr("Inventory: %1 of %2 tags").arg(done).arg(total));
    });
    connect(job, &Job::finished, this, [this, job, wholeRegistry] {
        job->deleteLater();
        if (isFinished())
            return;
        if (job->state() != State::Succeeded) {
            if (wholeRegistry) {
                m_facts.wholeRegistryInventory = false;
                readInventory(false);
                return;
            }
            fail(job->error().value_or(Error::make(Error::Kind::Network, tr("failed"))));
            return;
        }
        m_facts.inventory = job->inventory();
        checkManifests();
    });
    job->start();
}

void GcEstimateJob::checkManifests()
{
    setProgress(1, 3, tr("Checking which deleted manifests are still there"));
    m_pending = 1;
    QSet<QString> asked;
    auto ask = [this, &asked](const QString &repository, const Digest &digest) {
        const QString key = keyOf(repository, digest);
        if (asked.contains(key))
            return;
        asked.insert(key);
        ++m_pending;
        m_client->headManifest(repository, digest.toString(), this,
                               [this, key](Expected<ManifestHead> head) {
                                   if (isFinished())
                                       return;
                                   // Unsure counts as present: better to under-promise.
                                   if (head || head.error().kind != Error::Kind::NotFound)
                                       m_facts.existingManifests.insert(key);
                                   if (--m_pending == 0)
                                       checkBlobs();
                               });
    };
    for (const DeleteJournalEntry &e : std::as_const(m_facts.entries)) {
        ask(e.repository, e.digest);
        for (const ManifestNode &child : e.children)
            ask(e.repository, child.digest);
    }
    if (--m_pending == 0)
        checkBlobs();
}

void GcEstimateJob::checkBlobs()
{
    const auto toVerify = blobsToVerify(m_facts);
    setProgress(2, 3, tr("Checking %1 blobs").arg(toVerify.size()));
    m_pending = 1;
    for (const auto &[repository, digest] : toVerify) {
        ++m_pending;
        const QString key = digest.toString();
        m_client->headBlob(repository, digest, this, [this, key](Expected<qint64> size) {
            if (isFinished())
                return;
            if (!size && size.error().kind == Error::Kind::NotFound)
                m_facts.missingBlobs.insert(key);
            if (--m_pending == 0)
                finishEstimate();
        });
    }
    if (--m_pending == 0)
        finishEstimate();
}

void GcEstimateJob::finishEstimate()
{
    m_estimate = compute(m_facts);
    if (m_options.pruneCollected && m_estimate.collectedUpTo.isValid()) {
        QString error;
        if (!DeleteJournal(m_options.journalPath).removeUpTo(m_estimate.collectedUpTo, &error))
            m_estimate.notes << tr("The journal could not be trimmed: %1").arg(error);
    }
    setProgress(3, 3, tr("Estimate ready"));
    succeed();
}

} // namespace wharf
