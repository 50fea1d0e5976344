#include "RetentionPolicyDialog.h"

#include "RetentionDecisionModel.h"
#include "RetentionPolicyListModel.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cleanup/RetentionJob.h"
#include "cleanup/RetentionPolicyStore.h"
#include "main/WharfIcons.h"
#include "model/Format.h"
#include "ui_RetentionPolicyDialog.h"
#include "widgets/JobListModel.h"
#include "widgets/StatusColors.h"

#include <QEvent>
#include <QHeaderView>
#include <QPushButton>
#include <QSortFilterProxyModel>

using namespace Qt::StringLiterals;

namespace wharf::gui {

RetentionPolicyDialog::RetentionPolicyDialog(SessionManager *sessions, RetentionPolicyStore *store,
                                             const QString &bookmarkId, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::RetentionPolicyDialog>())
    , m_sessions(sessions)
    , m_store(store)
    , m_bookmarkId(bookmarkId)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Retention Policies — %1").arg(registryName()));
    m_ui->introLabel->setText(
        tr("Retention policies for %1. Keep rules win over delete rules and work per image: "
           "every tag of a kept image stays, so a policy never removes a kept tag by deleting "
           "a shared digest. Images without a created date are always kept. Dry Run shows "
           "what a policy would do now; nothing is deleted until you apply it and confirm the "
           "plan.")
            .arg(registryName()));

    m_policies = new RetentionPolicyListModel(store, bookmarkId, this);
    m_ui->policyList->setModel(m_policies);
    m_decisions = new RetentionDecisionModel(this);
    m_decisions->setPalette(palette());
    m_decisionProxy = new QSortFilterProxyModel(this);
    m_decisionProxy->setSourceModel(m_decisions);
    m_decisionProxy->setSortRole(RetentionDecisionModel::SortRole);
    m_ui->decisionView->setModel(m_decisionProxy);
    m_ui->decisionView->setSortingEnabled(true);
    // The evaluator's order (per repository, newest first) until a header is clicked.
    m_ui->decisionView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_ui->decisionView->horizontalHeader()->setStretchLastSection(false);
    m_ui->decisionView->horizontalHeader()->setSectionResizeMode(
        RetentionDecisionModel::ReasonColumn, QHeaderView::Stretch);
    m_ui->decisionView->horizontalHeader()->resizeSection(RetentionDecisionModel::TagColumn, 240);
    m_ui->decisionView->horizontalHeader()->resizeSection(RetentionDecisionModel::CreatedColumn,
                                                          150);
    m_ui->decisionView->verticalHeader()->hide();
    m_ui->decisionView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);

    m_ui->addButton->setIcon(WharfIcons::icon(u"add"_s));
    m_ui->removeButton->setIcon(WharfIcons::icon(u"remove"_s));
    m_ui->applyButton->setIcon(WharfIcons::icon(u"delete"_s));
    m_ui->cancelDryRunButton->setIcon(WharfIcons::icon(u"cancel"_s));
    m_ui->dryRunProgress->hide();

    connect(m_ui->policyList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                const QString id = current.data(RetentionPolicyListModel::PolicyIdRole).toString();
                if (id != m_currentId)
                    selectPolicy(id);
            });
    connect(m_policies, &QAbstractItemModel::modelReset, this,
            &RetentionPolicyDialog::reselectCurrent);
    connect(m_ui->addButton, &QPushButton::clicked, this, &RetentionPolicyDialog::newPolicy);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &RetentionPolicyDialog::removePolicy);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &RetentionPolicyDialog::savePolicy);
    connect(m_ui->dryRunButton, &QPushButton::clicked, this, &RetentionPolicyDialog::startDryRun);
    connect(m_ui->cancelDryRunButton, &QPushButton::clicked, this,
            &RetentionPolicyDialog::cancelDryRun);
    connect(m_ui->applyButton, &QPushButton::clicked, this, &RetentionPolicyDialog::apply);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &RetentionPolicyDialog::reject);

    for (QLineEdit *edit :
         {m_ui->nameEdit, m_ui->globEdit, m_ui->keepPatternEdit, m_ui->deletePatternEdit})
        connect(edit, &QLineEdit::textChanged, this, &RetentionPolicyDialog::onFieldsChanged);
    for (QSpinBox *spin : {m_ui->keepLastSpin, m_ui->olderThanSpin})
        connect(spin, &QSpinBox::valueChanged, this, &RetentionPolicyDialog::onFieldsChanged);
    for (QCheckBox *check : {m_ui->keepLastCheck, m_ui->olderThanCheck})
        connect(check, &QCheckBox::toggled, this, &RetentionPolicyDialog::onFieldsChanged);

    if (m_policies->rowCount() > 0)
        selectPolicy(m_policies->policyAt(0).id);
    else
        newPolicy();
}

RetentionPolicyDialog::~RetentionPolicyDialog()
{
    if (m_job && !m_job->isFinished()) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
}

QString RetentionPolicyDialog::registryName() const
{
    const auto b = m_sessions->bookmarks()->byId(m_bookmarkId);
    return b ? b->name : m_bookmarkId;
}

RetentionPolicy RetentionPolicyDialog::enteredPolicy() const
{
    RetentionPolicy p;
    p.id = m_currentId;
    p.bookmarkId = m_bookmarkId;
    p.name = m_ui->nameEdit->text().trimmed();
    p.repositoryGlob = m_ui->globEdit->text().trimmed();
    p.keepLast = m_ui->keepLastCheck->isChecked() ? m_ui->keepLastSpin->value() : -1;
    p.keepPattern = m_ui->keepPatternEdit->text();
    p.olderThanDays = m_ui->olderThanCheck->isChecked() ? m_ui->olderThanSpin->value() : -1;
    p.deletePattern = m_ui->deletePatternEdit->text();
    return p;
}

std::optional<Error> RetentionPolicyDialog::validationError() const
{
    return enteredPolicy().validate();
}

bool RetentionPolicyDialog::sameRules(const RetentionPolicy &a, const RetentionPolicy &b)
{
    return a.repositoryGlob == b.repositoryGlob && a.keepLast == b.keepLast &&
           a.keepPattern == b.keepPattern && a.olderThanDays == b.olderThanDays &&
           a.deletePattern == b.deletePattern;
}

void RetentionPolicyDialog::loadPolicy(const RetentionPolicy &policy)
{
    m_loading = true;
    m_currentId = policy.id;
    m_ui->nameEdit->setText(policy.name);
    m_ui->globEdit->setText(policy.repositoryGlob);
    m_ui->keepLastCheck->setChecked(policy.keepLast >= 0);
    if (policy.keepLast >= 0)
        m_ui->keepLastSpin->setValue(policy.keepLast);
    m_ui->keepPatternEdit->setText(policy.keepPattern);
    m_ui->olderThanCheck->setChecked(policy.olderThanDays >= 0);
    if (policy.olderThanDays >= 0)
        m_ui->olderThanSpin->setValue(policy.olderThanDays);
    m_ui->deletePatternEdit->setText(policy.deletePattern);
    m_loading = false;
    onFieldsChanged();
}

void RetentionPolicyDialog::selectPolicy(const QString &id)
{
    const auto policy = m_store->byId(id);
    if (!policy || policy->bookmarkId != m_bookmarkId)
        return;
    loadPolicy(*policy);
    reselectCurrent();
}

void RetentionPolicyDialog::reselectCurrent()
{
    const int row = m_policies->rowOf(m_currentId);
    QItemSelectionModel *selection = m_ui->policyList->selectionModel();
    if (row < 0) {
        selection->clear();
        return;
    }
    const QModelIndex index = m_policies->index(row);
    if (selection->currentIndex() != index)
        selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
}

void RetentionPolicyDialog::newPolicy()
{
    RetentionPolicy fresh;
    fresh.bookmarkId = m_bookmarkId;
    fresh.keepLast = 10;
    loadPolicy(fresh);
    m_ui->policyList->selectionModel()->clear();
    m_ui->nameEdit->setFocus();
}

bool RetentionPolicyDialog::savePolicy()
{
    const RetentionPolicy policy = enteredPolicy();
    if (auto e = policy.validate()) {
        StatusColors::show(m_ui->validationLabel, e->message, StatusColors::Severity::Error);
        return false;
    }
    const Expected<RetentionPolicy> saved =
        m_currentId.isEmpty() ? m_store->add(policy) : m_store->update(policy);
    if (!saved) {
        StatusColors::show(m_ui->validationLabel, saved.error().message,
                           StatusColors::Severity::Error);
        return false;
    }
    m_currentId = saved->id;
    reselectCurrent();
    onFieldsChanged();
    return true;
}

bool RetentionPolicyDialog::removePolicy()
{
    if (m_currentId.isEmpty())
        return false;
    const bool removed = m_store->remove(m_currentId);
    if (removed) {
        if (m_policies->rowCount() > 0)
            selectPolicy(m_policies->policyAt(0).id);
        else
            newPolicy();
    }
    return removed;
}

void RetentionPolicyDialog::onFieldsChanged()
{
    if (m_loading)
        return;
    m_ui->keepLastSpin->setEnabled(m_ui->keepLastCheck->isChecked());
    m_ui->olderThanSpin->setEnabled(m_ui->olderThanCheck->isChecked());
    const RetentionPolicy policy = enteredPolicy();
    const auto error = policy.validate();
    StatusColors::show(m_ui->validationLabel, error ? error->message : QString(),
                       StatusColors::Severity::Error);
    m_ui->describeLabel->setText(error ? QString() : tr("Rule: %1").arg(policy.describe()));

    QString saved;
    if (m_currentId.isEmpty()) {
        saved = tr("New policy, not saved yet.");
    } else if (const auto stored = m_store->byId(m_currentId)) {
        saved = sameRules(*stored, policy) && stored->name == policy.name ? tr("Saved.")
                                                                          : tr("Unsaved changes.");
    }
    m_ui->savedLabel->setText(saved);
    updateButtons();
}

void RetentionPolicyDialog::updateButtons()
{
    const bool valid = !enteredPolicy().validate().has_value();
    const bool running = m_dryRunState == DryRunState::Running;
    m_ui->saveButton->setEnabled(valid);
    m_ui->removeButton->setEnabled(!m_currentId.isEmpty());
    m_ui->dryRunButton->setEnabled(valid && !running);
    m_ui->cancelDryRunButton->setVisible(running);
    m_ui->dryRunProgress->setVisible(running);
    m_ui->applyButton->setEnabled(canApply());
    m_ui->applyButton->setToolTip(
        m_dryRunState == DryRunState::Done && !sameRules(m_dryRunPolicy, enteredPolicy())
            ? tr("The policy changed since the dry run: run it again first.")
            : QString());
}

void RetentionPolicyDialog::startDryRun()
{
    const RetentionPolicy policy = enteredPolicy();
    if (auto e = policy.validate()) {
        StatusColors::show(m_ui->validationLabel, e->message, StatusColors::Severity::Error);
        return;
    }
    if (m_job && !m_job->isFinished()) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
    m_dryRunState = DryRunState::Running;
    m_applied = false;
    m_plan = DeletePlan();
    m_decisions->clear();
    m_ui->dryRunProgress->setRange(0, 0);
    StatusColors::show(m_ui->dryRunStatusLabel,
                       tr("Reading the repositories matching %1 with their created dates…")
                           .arg(policy.repositoryGlob),
                       StatusColors::Severity::Neutral);
    updateButtons();

    delete m_clientContext;
    m_clientContext = new QObject(this);
    m_sessions->client(
        m_bookmarkId, m_clientContext, [this, policy](Expected<RegistryClient *> client) {
            if (m_dryRunState != DryRunState::Running)
                return;
            if (!client) {
                m_dryRunState = DryRunState::Failed;
                StatusColors::show(m_ui->dryRunStatusLabel, client.error().message,
                                   StatusColors::Severity::Error);
                updateButtons();
                return;
            }
            auto *job = new RetentionJob(*client, policy, this);
            if (m_now.isValid())
                job->setNow(m_now);
            m_job = job;
            m_dryRunPolicy = policy;
            connect(job, &Job::progressChanged, this, [this](qint64, qint64, const QString &text) {
                if (!text.isEmpty())
                    m_ui->dryRunStatusLabel->setText(text);
            });
            connect(job, &Job::finished, this, [this, job] { onDryRunFinished(job); });
            emit jobStarted(job);
            job->start();
        });
}

void RetentionPolicyDialog::cancelDryRun()
{
    if (m_dryRunState != DryRunState::Running)
        return;
    if (m_job && !m_job->isFinished()) {
        m_job->cancel(); // onDryRunFinished() says so
        return;
    }
    delete m_clientContext;
    m_clientContext = nullptr;
    m_dryRunState = DryRunState::Failed;
    StatusColors::show(m_ui->dryRunStatusLabel, tr("Dry run cancelled."),
                       StatusColors::Severity::Warning);
    updateButtons();
}

void RetentionPolicyDialog::onDryRunFinished(RetentionJob *job)
{
    job->deleteLater();
    if (job != m_job)
        return;
    if (job->state() == Job::State::Cancelled) {
        m_dryRunState = DryRunState::Failed;
        StatusColors::show(m_ui->dryRunStatusLabel, tr("Dry run cancelled."),
                           StatusColors::Severity::Warning);
        updateButtons();
        return;
    }
    if (job->state() != Job::State::Succeeded) {
        m_dryRunState = DryRunState::Failed;
        const Error error =
            job->error().value_or(Error::make(Error::Kind::Network, tr("The dry run failed.")));
        const QString advice = JobListModel::adviceFor(error);
        StatusColors::show(m_ui->dryRunStatusLabel,
                           advice.isEmpty() ? error.message : error.message + u' ' + advice,
                           StatusColors::Severity::Error);
        updateButtons();
        return;
    }
    m_dryRunState = DryRunState::Done;
    const RetentionEvaluation &evaluation = job->evaluation();
    m_decisions->setEvaluation(evaluation);
    m_plan = job->plan();

    QStringList lines;
    const int toDelete = int(evaluation.tagsToDelete().size());
    const int toKeep = int(evaluation.tagsToKeep().size() + evaluation.unreadableTags.size());
    if (evaluation.repositories.isEmpty()) {
        lines << tr("No repository matches %1.").arg(m_dryRunPolicy.repositoryGlob);
    } else {
        lines << tr("%1 to delete and %2 to keep in %n repositories. Nothing was deleted.", nullptr,
                    int(evaluation.repositories.size()))
                     .arg(tr("%n tag(s)", nullptr, toDelete), tr("%n tag(s)", nullptr, toKeep));
    }
    if (m_plan.hasWork())
        lines << tr("Applying would let garbage collection free %1 (%2 bytes) in %n blob(s).",
                    nullptr, int(m_plan.reclaimableBlobs.size()))
                     .arg(Format::bytes(m_plan.reclaimableBytes))
                     .arg(m_plan.reclaimableBytes);
    if (!evaluation.undatedTags.isEmpty())
        lines << tr("Kept because they have no created date: %1")
                     .arg(evaluation.undatedTags.join(u", "_s));
    if (!evaluation.unreadableTags.isEmpty())
        lines << tr("Kept because they could not be read: %1")
                     .arg(evaluation.unreadableTags.join(u", "_s));
    if (m_plan.needsConfirmation())
        lines << tr("The plan needs your decision before anything can be deleted: %1.")
                     .arg(m_plan.confirmationReasons().join(u"; "_s));
    StatusColors::show(m_ui->dryRunStatusLabel, lines.join(u'\n'),
                       m_plan.needsConfirmation() ? StatusColors::Severity::Warning
                                                  : StatusColors::Severity::Neutral);
    updateButtons();
}

bool RetentionPolicyDialog::canApply() const
{
    return m_dryRunState == DryRunState::Done && !m_applied && m_plan.hasWork() &&
           sameRules(m_dryRunPolicy, enteredPolicy());
}

bool RetentionPolicyDialog::apply()
{
    if (!canApply())
        return false;
    m_applied = true; // a second apply needs a fresh dry run
    updateButtons();
    const int tags = int(m_decisions->referencesToDelete().size());
    emit applyRequested(
        m_plan, tr("Apply the retention policy “%1” on %2: delete %n tag(s).", nullptr, tags)
                    .arg(m_dryRunPolicy.describe(), registryName()));
    return true;
}

void RetentionPolicyDialog::reject()
{
    cancelDryRun();
    QDialog::reject();
}

void RetentionPolicyDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_decisions->setPalette(palette());
    QDialog::changeEvent(event);
}

} // namespace wharf::gui
