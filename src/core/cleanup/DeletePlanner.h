#pragma once

#include "DeletePlan.h"
#include "client/RegistryTypes.h"
#include "jobs/InventoryJob.h"
#include "jobs/Job.h"

#include <QHash>
#include <QPointer>

#include <optional>

namespace wharf {

class RegistryClient;

// Works out a DeletePlan in the background, right before anything is deleted:
//  1. HEADs every selected tag and digest (full Accept list) for the digest it has now;
//  2. inventories the whole registry (or re-reads just the selected repositories when an
//     inventory is given) — other repositories matter, because a blob one of them references
//     is not freed;
//  3. reads every manifest that would go (children included) and asks the OCI referrers API,
//     falling back to cosign-style sha256-<hex>.sig/.att/.sbom tags where there is none;
//  4. decides with compute(), a pure function the tests drive with hand-made inventories.
class DeletePlanner : public Job
{
    Q_OBJECT
public:
    // Everything compute() decides from.
    struct Facts
    {
        QString registry;
        QList<DeleteSelection> selections;
        DeleteOptions options;
        // HEAD answers for Tag and Digest selections, keyed by DeleteSelection::toString().
        // A missing key means the registry answered 404: already gone.
        QHash<QString, ManifestHead> heads;
        Inventory inventory; // tag -> image for every repository that was read
        bool wholeRegistryInventory = true;
        QHash<QString, ManifestNode> nodes;          // "repo@digest" -> manifest
        QHash<QString, QList<Descriptor>> referrers; // "repo@digest" -> referrers API answer
        QDateTime now;
    };

    DeletePlanner(RegistryClient *client, QList<DeleteSelection> selections, DeleteOptions options,
                  QObject *parent = nullptr);

    // Reuses an inventory of the whole registry (an earlier InventoryJob's or plan's): only the
    // repositories the selection touches are read again.
    void setInventory(const Inventory &inventory);

    const DeletePlan &plan() const { return m_plan; }
    // What the plan was computed from, to pass to the next planner.
    const Inventory &inventory() const { return m_facts.inventory; }

    static DeletePlan compute(const Facts &facts);

protected:
    void run() override;
    void abort() override;

private:
    void readHeads();
    void readInventory(bool wholeRegistry);
    void inventoryRead(InventoryJob *job, bool wholeRegistry);
    void readManifests();
    void readReferrers();
    void finishPlan();
    QStringList affectedRepositories() const;

    RegistryClient *m_client;
    Facts m_facts;
    std::optional<Inventory> m_givenInventory;
    QPointer<InventoryJob> m_inventoryJob;
    DeletePlan m_plan;
    int m_pending = 0;
};

} // namespace wharf
