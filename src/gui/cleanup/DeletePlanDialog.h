#pragma once

#include "Error.h"
#include "cleanup/DeleteJob.h"
#include "cleanup/DeletePlan.h"
#include "cleanup/DeletePlanner.h"
#include "jobs/InventoryJob.h"

#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

class QSortFilterProxyModel;

namespace Ui {
class DeletePlanDialog;
}

namespace wharf {
class Job;
class RegistryClient;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

class DeletePlanModel;
class DeleteResultModel;

// The one way the app deletes anything: plan, show the whole plan, let the person decide, run.
//
//  1. Planning runs a DeletePlanner as a job (progress and Cancel here and in the jobs panel).
//     It inventories the whole registry, because a blob is only reclaimable when no other
//     repository uses it: the dialog says so while it waits.
//  2. The plan is shown in full (DeletePlanModel): tags that disappear with collateral ones
//     highlighted, digests deleted, indexes left broken, orphaned artifacts, reclaimable bytes.
//     When the plan needs confirmation (it removes tags nobody selected or breaks an index),
//     Delete stays disabled until a choice is made — untag only, delete anyway or skip — and
//     the selection is planned again with that option; the new plan is what is shown.
//  3. Delete runs exactly the plan on screen as a DeleteJob (recorded in the delete journal),
//     with one row per item as it finishes (DeleteResultModel). When the registry stops the
//     batch (deletes disabled, read-only, unreachable), the explanation is shown in place.
//
// The DeleteJob lives on after the dialog closes when setJobParent() gave it a longer-lived
// parent; the jobs panel keeps showing it.
class DeletePlanDialog : public QDialog
{
    Q_OBJECT
public:
    enum class State { Idle, Planning, PlanFailed, PlanReady, Deleting, Finished };
    Q_ENUM(State)
    enum class Choice { None, UntagOnly, Force, SkipCollateral };
    Q_ENUM(Choice)

    DeletePlanDialog(SessionManager *sessions, const QString &bookmarkId,
                     QWidget *parent = nullptr);
    ~DeletePlanDialog() override;

    // Plans a delete of these selections.
    void planSelections(const QList<DeleteSelection> &selections);
    // Shows a plan made elsewhere (a retention dry run) as it is; a choice plans its
    // selections again.
    void showPlan(const DeletePlan &plan);
    // Replaces the first line of the dialog (what is being deleted).
    void setIntro(const QString &text);
    void setJobParent(QObject *parent) { m_jobParent = parent; }

    QString bookmarkId() const { return m_bookmarkId; }
    State state() const { return m_state; }
    Choice choice() const { return m_choice; }
    // Whether the choice between untag only / anyway / skip is on offer.
    bool choiceOffered() const { return m_choiceOffered; }
    const DeletePlan &plan() const { return m_plan; }
    DeletePlanModel *planModel() const { return m_planModel; }
    DeleteResultModel *resultModel() const { return m_resultModel; }
    QSortFilterProxyModel *resultProxy() const { return m_resultProxy; }
    DeleteJob *deleteJob() const;
    // What the banner above the results says when the job stopped or failed; else empty.
    QString stopMessage() const;
    // Plans run so far (the first one and every re-plan after a choice).
    int planCount() const { return m_planCount; }

    // What the radio buttons do.
    void choose(Choice choice);
    bool canDelete() const;
    // What the Delete button does: runs the plan on screen. False when it may not run.
    bool confirm();

public slots:
    void reject() override;

signals:
    void stateChanged(wharf::gui::DeletePlanDialog::State state);
    // Every job this dialog starts (planning and deleting), for the jobs panel.
    void jobStarted(wharf::Job *job);
    void deleteStarted(wharf::DeleteJob *job);
    void garbageCollectionRequested(const QString &bookmarkId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setState(State state);
    void startPlanning();
    void onPlanned(DeletePlanner *planner);
    void showPlanError(const Error &error);
    void presentPlan(const DeletePlan &plan);
    void updateSummary();
    void updateChoice();
    void updateButtons();
    void startDelete(RegistryClient *client);
    void onDeleteProgress();
    void onDeleteFinished();
    void showStop(const QString &text, bool error);
    void cancelWork();
    QString defaultIntro() const;
    QString registryName() const;

    std::unique_ptr<Ui::DeletePlanDialog> m_ui;
    SessionManager *m_sessions;
    QString m_bookmarkId;
    QObject *m_jobParent = nullptr;
    State m_state = State::Idle;
    Choice m_choice = Choice::None;
    bool m_choiceOffered = false;
    bool m_collateralOffered = false; // untag only / skip make sense
    QStringList m_offeredReasons;
    QList<DeleteSelection> m_selections;
    DeleteOptions m_options;
    std::optional<Inventory> m_inventory; // reused by re-plans
    DeletePlan m_plan;
    int m_planCount = 0;
    QPointer<DeletePlanner> m_planner;
    QPointer<DeleteJob> m_job;
    QObject *m_clientContext = nullptr; // replaced per request so stale answers never arrive
    DeletePlanModel *m_planModel;
    DeleteResultModel *m_resultModel;
    QSortFilterProxyModel *m_resultProxy;
    QString m_stopMessage;
    bool m_customIntro = false;
};

} // namespace wharf::gui
