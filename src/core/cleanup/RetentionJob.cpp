#include "RetentionJob.h"

#include "DeletePlanner.h"
#include "client/RegistryClient.h"

using namespace Qt::StringLiterals;

namespace wharf {

RetentionJob::RetentionJob(RegistryClient *client, RetentionPolicy policy, QObject *parent)
    : Job(tr("Retention dry run on %1").arg(client->config().hostPort()), parent)
    , m_client(client)
    , m_policy(std::move(policy))
{}

void RetentionJob::run()
{
    if (auto e = m_policy.validate()) {
        fail(*e);
        return;
    }
    if (!m_now.isValid())
        m_now = QDateTime::currentDateTimeUtc();
    m_plan.registry = m_client->config().url.toString(QUrl::StripTrailingSlash);
    m_plan.createdAt = m_now;
    setProgress(0, 2, tr("Reading %1 with created dates").arg(m_policy.repositoryGlob));
    InventoryJob::Options options;
    options.repositoryGlob = m_policy.repositoryGlob;
    options.fetchConfigs = true;
    auto *job = new InventoryJob(m_client, options, this);
    m_child = job;
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total, const QString &) {
        if (total > 0)
            setProgress(0, 2, tr("Inventory: %1 of %2 tags").arg(done).arg(total));
    });
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (isFinished())
            return;
        if (job->state() != State::Succeeded) {
            fail(job->error().value_or(Error::make(Error::Kind::Network, tr("failed"))));
            return;
        }
        evaluate(job->inventory());
    });
    job->start();
}

void RetentionJob::abort()
{
    if (m_child)
        m_child->cancel();
    m_client->cancelFor(this);
}

void RetentionJob::evaluate(const Inventory &inventory)
{
    m_evaluation = RetentionEvaluator::evaluate(m_policy, inventory, m_now);
    const QList<DeleteSelection> selections = m_evaluation.selections();
    if (selections.isEmpty()) {
        setProgress(2, 2, tr("Nothing to delete"));
        succeed();
        return;
    }
    setProgress(1, 2, tr("Planning the delete of %1 tags").arg(selections.size()));
    auto *planner = new DeletePlanner(m_client, selections, DeleteOptions(), this);
    if (m_wholeInventory)
        planner->setInventory(*m_wholeInventory);
    m_child = planner;
    connect(planner, &Job::progressChanged, this,
            [this](qint64, qint64, const QString &text) { setProgress(1, 2, text); });
    connect(planner, &Job::finished, this, [this, planner] {
        planner->deleteLater();
        if (isFinished())
            return;
        if (planner->state() != State::Succeeded) {
            fail(planner->error().value_or(Error::make(Error::Kind::Network, tr("failed"))));
            return;
        }
        m_plan = planner->plan();
        setProgress(2, 2, tr("Plan ready"));
        succeed();
    });
    planner->start();
}

} // namespace wharf
