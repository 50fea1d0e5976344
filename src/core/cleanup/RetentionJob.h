#pragma once

#include "DeletePlan.h"
#include "RetentionEvaluator.h"
#include "jobs/InventoryJob.h"
#include "jobs/Job.h"

#include <QPointer>

#include <optional>

namespace wharf {

class DeletePlanner;
class RegistryClient;

// A retention policy's dry run: inventories the matching repositories with their configs
// (created dates), evaluates the policy, and plans the delete of what it does not keep with
// DeletePlanner. Applying is running a DeleteJob on plan(); nothing is deleted here.
class RetentionJob : public Job
{
    Q_OBJECT
public:
    RetentionJob(RegistryClient *client, RetentionPolicy policy, QObject *parent = nullptr);

    // The clock, for tests; default: the time run() starts.
    void setNow(const QDateTime &now) { m_now = now; }
    // An inventory of the whole registry for the delete planner to reuse.
    void setInventory(const Inventory &inventory) { m_wholeInventory = inventory; }

    const RetentionEvaluation &evaluation() const { return m_evaluation; }
    const DeletePlan &plan() const { return m_plan; }

protected:
    void run() override;
    void abort() override;

private:
    void evaluate(const Inventory &inventory);

    RegistryClient *m_client;
    RetentionPolicy m_policy;
    QDateTime m_now;
    std::optional<Inventory> m_wholeInventory;
    QPointer<Job> m_child;
    RetentionEvaluation m_evaluation;
    DeletePlan m_plan;
};

} // namespace wharf
