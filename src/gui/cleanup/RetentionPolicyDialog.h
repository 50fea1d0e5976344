#pragma once

#include "Error.h"
#include "cleanup/DeletePlan.h"
#include "cleanup/RetentionJob.h"
#include "cleanup/RetentionPolicy.h"

#include <QDateTime>
#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

class QSortFilterProxyModel;

namespace Ui {
class RetentionPolicyDialog;
}

namespace wharf {
class Job;
class RetentionPolicyStore;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

class RetentionDecisionModel;
class RetentionPolicyListModel;

// The retention policies of one bookmark: list, add, edit, remove (saved in the
// RetentionPolicyStore, next to the bookmarks). The editor validates as the person types
// (RetentionPolicy::validate()). "Dry run" runs a RetentionJob on the policy as entered and shows
// every tag with the decision and its reason; nothing is deleted. "Apply" hands the dry run's
// plan to the delete confirmation (applyRequested), and is only offered while the policy on
// screen is the one the dry run evaluated.
class RetentionPolicyDialog : public QDialog
{
    Q_OBJECT
public:
    enum class DryRunState { None, Running, Done, Failed };
    Q_ENUM(DryRunState)

    RetentionPolicyDialog(SessionManager *sessions, RetentionPolicyStore *store,
                          const QString &bookmarkId, QWidget *parent = nullptr);
    ~RetentionPolicyDialog() override;

    QString bookmarkId() const { return m_bookmarkId; }
    RetentionPolicyListModel *policyModel() const { return m_policies; }
    RetentionDecisionModel *decisionModel() const { return m_decisions; }
    QSortFilterProxyModel *decisionProxy() const { return m_decisionProxy; }

    // The policy the editor describes (with the id of the policy being edited, or none).
    RetentionPolicy enteredPolicy() const;
    std::optional<Error> validationError() const;
    QString currentPolicyId() const { return m_currentId; }
    void selectPolicy(const QString &id);
    void newPolicy();
    // Validates and saves the policy on screen; false (with the reason shown) when invalid.
    bool savePolicy();
    bool removePolicy();

    // The clock the dry run uses (tests); default: now.
    void setNow(const QDateTime &now) { m_now = now; }
    void startDryRun();
    void cancelDryRun();
    DryRunState dryRunState() const { return m_dryRunState; }
    const DeletePlan &dryRunPlan() const { return m_plan; }
    bool canApply() const;
    // What Apply does: asks for the delete confirmation of the dry run's plan.
    bool apply();

public slots:
    void reject() override;

signals:
    void jobStarted(wharf::Job *job);
    void applyRequested(const wharf::DeletePlan &plan, const QString &intro);

protected:
    void changeEvent(QEvent *event) override;

private:
    void loadPolicy(const RetentionPolicy &policy);
    void onFieldsChanged();
    void onDryRunFinished(RetentionJob *job);
    void updateButtons();
    void reselectCurrent();
    QString registryName() const;
    static bool sameRules(const RetentionPolicy &a, const RetentionPolicy &b);

    std::unique_ptr<Ui::RetentionPolicyDialog> m_ui;
    SessionManager *m_sessions;
    RetentionPolicyStore *m_store;
    QString m_bookmarkId;
    QString m_currentId; // empty: a new policy not saved yet
    RetentionPolicyListModel *m_policies;
    RetentionDecisionModel *m_decisions;
    QSortFilterProxyModel *m_decisionProxy;
    bool m_loading = false;
    QDateTime m_now;
    DryRunState m_dryRunState = DryRunState::None;
    QPointer<RetentionJob> m_job;
    QObject *m_clientContext = nullptr;
    RetentionPolicy m_dryRunPolicy;
    DeletePlan m_plan;
    bool m_applied = false;
};

} // namespace wharf::gui
