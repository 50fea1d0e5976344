#include "DeletePlanDialog.h"

#include "DeletePlanModel.h"
#include "DeleteResultModel.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cleanup/DeleteJob.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/DeletePlanner.h"
#include "cleanup/GcGuidance.h"
#include "main/WharfIcons.h"
#include "model/Format.h"
#include "ui_DeletePlanDialog.h"
#include "widgets/JobListModel.h"
#include "widgets/StatusColors.h"

#include <QEvent>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

QString withAdvice(const Error &error)
{
    const QString advice = JobListModel::adviceFor(error);
    return advice.isEmpty() ? error.message : error.message + u"\n\n"_s + advice;
}

} // namespace

DeletePlanDialog::DeletePlanDialog(SessionManager *sessions, const QString &bookmarkId,
                                   QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::DeletePlanDialog>())
    , m_sessions(sessions)
    , m_bookmarkId(bookmarkId)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Delete — %1").arg(registryName()));
    setWindowIcon(WharfIcons::icon(u"delete"_s));

    m_planModel = new DeletePlanModel(this);
    m_planModel->setPalette(palette());
    m_ui->planView->setModel(m_planModel);
    QHeaderView *planHeader = m_ui->planView->header();
    planHeader->setStretchLastSection(true);
    planHeader->resizeSection(DeletePlanModel::ItemColumn, 320);
    planHeader->resizeSection(DeletePlanModel::DigestColumn, 150);

    m_resultModel = new DeleteResultModel(this);
    m_resultModel->setPalette(palette());
    m_resultProxy = new QSortFilterProxyModel(this);
    m_resultProxy->setSourceModel(m_resultModel);
    m_resultProxy->setSortRole(DeleteResultModel::SortRole);
    m_ui->resultsView->setModel(m_resultProxy);
    // Rows stay in the order items finish until a header is clicked.
    m_ui->resultsView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_ui->resultsView->horizontalHeader()->setStretchLastSection(true);
    m_ui->resultsView->horizontalHeader()->resizeSection(DeleteResultModel::ReferenceColumn, 220);
    m_ui->resultsView->horizontalHeader()->resizeSection(DeleteResultModel::DigestColumn, 150);
    m_ui->resultsView->horizontalHeader()->resizeSection(DeleteResultModel::StatusColumn, 120);
    m_ui->resultsView->verticalHeader()->hide();
    // One line per item; the whole message is in the tooltip.
    m_ui->resultsView->setWordWrap(false);
    m_ui->resultsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);

    m_ui->repositoryNoteLabel->hide();
    m_ui->choiceGroup->hide();
    m_ui->stopPanel->hide();
    m_ui->garbageCollectionButton->hide();
    m_ui->deleteButton->setIcon(WharfIcons::icon(u"delete"_s));
    m_ui->cancelButton->setIcon(WharfIcons::icon(u"cancel"_s));
    m_ui->retryButton->setIcon(WharfIcons::icon(u"refresh"_s));

    connect(m_ui->cancelButton, &QPushButton::clicked, this, &DeletePlanDialog::cancelWork);
    connect(m_ui->deleteButton, &QPushButton::clicked, this, &DeletePlanDialog::confirm);
    connect(m_ui->closeButton, &QPushButton::clicked, this, &DeletePlanDialog::reject);
    connect(m_ui->retryButton, &QPushButton::clicked, this, &DeletePlanDialog::startPlanning);
    connect(m_ui->garbageCollectionButton, &QPushButton::clicked, this,
            [this] { emit garbageCollectionRequested(m_bookmarkId); });
    const std::pair<QRadioButton *, Choice> radios[] = {{m_ui->untagOnlyRadio, Choice::UntagOnly},
                                                        {m_ui->forceRadio, Choice::Force},
                                                        {m_ui->skipRadio, Choice::SkipCollateral}};
    for (const auto &[radio, choice] : radios) {
        connect(radio, &QRadioButton::toggled, this, [this, c = choice](bool checked) {
            if (checked && c != m_choice)
                choose(c);
        });
    }
    // The client is about to be replaced (bookmark edited): nothing may keep using it.
    connect(m_sessions, &SessionManager::clientReset, this, [this](const QString &id) {
        if (id == m_bookmarkId)
            cancelWork();
    });
    updateButtons();
}

DeletePlanDialog::~DeletePlanDialog()
{
    if (m_planner && !m_planner->isFinished()) {
        disconnect(m_planner, nullptr, this, nullptr);
        m_planner->cancel();
    }
    if (m_job && m_job->parent() == this && !m_job->isFinished()) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
}

DeleteJob *DeletePlanDialog::deleteJob() const
{
    return m_job;
}

QString DeletePlanDialog::stopMessage() const
{
    return m_stopMessage;
}

QString DeletePlanDialog::registryName() const
{
    const auto b = m_sessions->bookmarks()->byId(m_bookmarkId);
    if (!b)
        return m_bookmarkId;
    return b->name == b->displayUrl() ? b->name : b->name + u" ("_s + b->displayUrl() + u')';
}

QString DeletePlanDialog::defaultIntro() const
{
    const bool allRepositories =
        !m_selections.isEmpty() &&
        std::all_of(m_selections.cbegin(), m_selections.cend(), [](const DeleteSelection &s) {
            return s.kind == DeleteSelection::Kind::Repository;
        });
    if (allRepositories && m_selections.size() == 1)
        return tr("Delete the whole repository %1 on %2: every tag and every manifest in it.")
            .arg(m_selections.first().repository, registryName());
    QStringList names;
    constexpr int Shown = 6;
    for (qsizetype i = 0; i < m_selections.size() && i < Shown; ++i)
        names << m_selections.at(i).toString();
    QString list = names.join(u", "_s);
    if (m_selections.size() > Shown)
        list += tr(" and %n more", nullptr, int(m_selections.size() - Shown));
    return tr("Delete %1 on %2.").arg(list, registryName());
}

void DeletePlanDialog::setIntro(const QString &text)
{
    m_customIntro = true;
    m_ui->introLabel->setText(text);
}

void DeletePlanDialog::planSelections(const QList<DeleteSelection> &selections)
{
    m_selections = selections;
    m_options = DeleteOptions();
    m_choice = Choice::None;
    m_choiceOffered = false;
    m_collateralOffered = false;
    m_offeredReasons.clear();
    m_inventory.reset();
    if (!m_customIntro)
        m_ui->introLabel->setText(defaultIntro());
    const bool repository =
        std::any_of(selections.cbegin(), selections.cend(), [](const DeleteSelection &s) {
            return s.kind == DeleteSelection::Kind::Repository;
        });
    m_ui->repositoryNoteLabel->setText(repository ? GcGuidance::emptyRepositoryNote() : QString());
    m_ui->repositoryNoteLabel->setVisible(repository);
    startPlanning();
}

void DeletePlanDialog::showPlan(const DeletePlan &plan)
{
    m_selections = plan.selections;
    m_options = plan.options;
    m_choice = plan.options.force            ? Choice::Force
               : plan.options.untagOnly      ? Choice::UntagOnly
               : plan.options.skipCollateral ? Choice::SkipCollateral
                                             : Choice::None;
    if (!m_customIntro)
        m_ui->introLabel->setText(defaultIntro());
    ++m_planCount;
    presentPlan(plan);
}

void DeletePlanDialog::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    updateChoice();
    updateButtons();
    emit stateChanged(state);
}

void DeletePlanDialog::startPlanning()
{
    if (m_state == State::Deleting || m_state == State::Finished)
        return;
    if (m_planner) {
        disconnect(m_planner, nullptr, this, nullptr);
        m_planner->cancel();
        m_planner = nullptr;
    }
    m_ui->pages->setCurrentWidget(m_ui->progressPage);
    m_ui->progressBar->setRange(0, 0);
    m_ui->progressLabel->setText(tr("Connecting to %1…").arg(registryName()));
    m_ui->inventoryNoteLabel->setText(
        m_inventory
            ? tr("Planning again with your choice. The inventory already read is reused; only "
                 "the selected repositories are read again.")
            : tr("Wharf first reads every repository of the registry: a blob only counts as "
                 "reclaimable when no remaining manifest anywhere still uses it. On a large "
                 "registry this can take a while. Nothing is deleted until you confirm the "
                 "plan."));
    setState(State::Planning);

    delete m_clientContext;
    m_clientContext = new QObject(this);
    m_sessions->client(m_bookmarkId, m_clientContext, [this](Expected<RegistryClient *> client) {
        if (m_state != State::Planning)
            return;
        if (!client) {
            showPlanError(client.error());
            return;
        }
        auto *planner = new DeletePlanner(*client, m_selections, m_options, this);
        if (m_inventory)
            planner->setInventory(*m_inventory);
        m_planner = planner;
        connect(planner, &Job::progressChanged, this,
                [this](qint64 done, qint64 total, const QString &text) {
                    if (total > 0) {
                        m_ui->progressBar->setRange(0, int(total));
                        m_ui->progressBar->setValue(int(done));
                    }
                    if (!text.isEmpty())
                        m_ui->progressLabel->setText(text);
                });
        connect(planner, &Job::finished, this, [this, planner] { onPlanned(planner); });
        emit jobStarted(planner);
        planner->start();
    });
}

void DeletePlanDialog::onPlanned(DeletePlanner *planner)
{
    planner->deleteLater();
    if (planner != m_planner)
        return;
    m_planner = nullptr;
    switch (planner->state()) {
    case Job::State::Succeeded:
        if (planner->plan().wholeRegistryInventory)
            m_inventory = planner->inventory();
        ++m_planCount;
        presentPlan(planner->plan());
        return;
    case Job::State::Cancelled:
        showPlanError(Error::make(Error::Kind::Cancelled,
                                  tr("Planning was cancelled. Nothing was deleted.")));
        return;
    default:
        showPlanError(planner->error().value_or(
            Error::make(Error::Kind::Network, tr("Planning the delete failed."))));
        return;
    }
}

void DeletePlanDialog::showPlanError(const Error &error)
{
    m_ui->pages->setCurrentWidget(m_ui->errorPage);
    StatusColors::show(m_ui->errorLabel, withAdvice(error),
                       error.kind == Error::Kind::Cancelled ? StatusColors::Severity::Warning
                                                            : StatusColors::Severity::Error);
    setState(State::PlanFailed);
}

void DeletePlanDialog::presentPlan(const DeletePlan &plan)
{
    m_plan = plan;
    m_planModel->setPlan(plan);
    m_ui->planView->expandAll();
    for (int row = 0; row < m_planModel->rowCount(); ++row)
        m_ui->planView->setFirstColumnSpanned(row, {}, true);
    if (!m_choiceOffered && plan.needsConfirmation()) {
        m_choiceOffered = true;
        m_collateralOffered = !plan.collateralTags().isEmpty();
        m_offeredReasons = plan.confirmationReasons();
    }
    m_ui->pages->setCurrentWidget(m_ui->planPage);
    updateSummary();
    setState(State::PlanReady);
    // setState() is a no-op when a re-plan arrives in the same state.
    updateChoice();
    updateButtons();
}

void DeletePlanDialog::updateSummary()
{
    const DeletePlan &p = m_plan;
    QString text;
    if (!p.hasWork()) {
        text = p.skipped.isEmpty() ? tr("Nothing to delete.")
                                   : tr("Nothing to delete: see why each selection is left out.");
    } else {
        QStringList parts;
        parts << tr("%n tag(s) disappear", nullptr, int(p.tags.size()));
        const int collateral = int(p.collateralTags().size());
        if (collateral > 0)
            parts << tr("%n of them not selected", nullptr, collateral);
        parts << tr("%n manifest(s) deleted", nullptr, int(p.manifests.size()));
        if (!p.untags.isEmpty())
            parts << tr("%n tag(s) removed while the image stays", nullptr, int(p.untags.size()));
        if (!p.brokenIndexes.isEmpty())
            parts << tr("%n index(es) left broken", nullptr, int(p.brokenIndexes.size()));
        if (!p.orphanedArtifacts.isEmpty())
            parts << tr("%n artifact(s) orphaned", nullptr, int(p.orphanedArtifacts.size()));
        text = parts.join(u" · "_s) + u'\n' +
               tr("Garbage collection would then free %1 (%2 bytes) in %n blob(s).", nullptr,
                  int(p.reclaimableBlobs.size()))
                   .arg(Format::bytes(p.reclaimableBytes))
                   .arg(p.reclaimableBytes);
    }
    StatusColors::show(m_ui->summaryLabel, text,
                       p.needsConfirmation() ? StatusColors::Severity::Warning
                                             : StatusColors::Severity::Neutral);
    QStringList notes;
    for (const QString &note : p.notes)
        notes << u"• "_s + note;
    m_ui->notesLabel->setText(notes.join(u'\n'));
    m_ui->notesLabel->setVisible(!notes.isEmpty());
}

void DeletePlanDialog::updateChoice()
{
    m_ui->choiceGroup->setVisible(m_choiceOffered);
    if (!m_choiceOffered)
        return;
    const bool idle = m_state == State::PlanReady || m_state == State::PlanFailed;
    m_ui->untagOnlyRadio->setEnabled(idle && m_collateralOffered);
    m_ui->skipRadio->setEnabled(idle && m_collateralOffered);
    m_ui->forceRadio->setEnabled(idle);
    const std::pair<QRadioButton *, Choice> radios[] = {{m_ui->untagOnlyRadio, Choice::UntagOnly},
                                                        {m_ui->forceRadio, Choice::Force},
                                                        {m_ui->skipRadio, Choice::SkipCollateral}};
    for (const auto &[radio, choice] : radios) {
        if (choice == m_choice) {
            const QSignalBlocker block(radio);
            radio->setChecked(true);
        }
    }
    if (m_state == State::Planning) {
        StatusColors::show(m_ui->reasonLabel, tr("Planning again with your choice…"),
                           StatusColors::Severity::Neutral);
    } else if (m_plan.needsConfirmation()) {
        StatusColors::show(m_ui->reasonLabel,
                           tr("Nothing is deleted until you choose: %1.")
                               .arg(m_plan.confirmationReasons().join(u"; "_s)),
                           StatusColors::Severity::Warning);
    } else {
        QString chosen;
        switch (m_choice) {
        case Choice::UntagOnly:
            chosen = tr("untag only");
            break;
        case Choice::Force:
            chosen = tr("delete anyway");
            break;
        case Choice::SkipCollateral:
            chosen = tr("skip");
            break;
        case Choice::None:
            break;
        }
        StatusColors::show(m_ui->reasonLabel,
                           tr("The plan shown is planned with your choice (%1); it is exactly "
                              "what Delete runs. First reason: %2.")
                               .arg(chosen, m_offeredReasons.value(0)),
                           StatusColors::Severity::Neutral);
    }
}

void DeletePlanDialog::updateButtons()
{
    const bool working = m_state == State::Planning || m_state == State::Deleting;
    m_ui->cancelButton->setVisible(working);
    m_ui->cancelButton->setText(m_state == State::Deleting ? tr("&Stop Deleting")
                                                           : tr("&Cancel Planning"));
    const bool planShown = m_state == State::PlanReady || m_state == State::Planning;
    m_ui->deleteButton->setVisible(planShown || m_state == State::PlanFailed);
    m_ui->deleteButton->setEnabled(canDelete());
    const int items = int(m_plan.manifests.size() + m_plan.untags.size());
    m_ui->deleteButton->setText(items > 0 ? tr("&Delete %n Item(s)", nullptr, items)
                                          : tr("&Delete"));
    m_ui->deleteButton->setToolTip(m_plan.needsConfirmation()
                                       ? tr("Choose what to do about the tags you did not select "
                                            "first.")
                                       : QString());
    // Closing stops a job that lives in the dialog; one with a longer-lived parent goes on.
    m_ui->closeButton->setText(
        m_state == State::Deleting && m_jobParent ? tr("C&lose (deleting goes on)") : tr("C&lose"));
    m_ui->garbageCollectionButton->setVisible(
        m_state == State::Finished && m_resultModel->count(DeleteResult::Status::Deleted) > 0);
}

bool DeletePlanDialog::canDelete() const
{
    return m_state == State::PlanReady && m_plan.hasWork() && !m_plan.needsConfirmation();
}

void DeletePlanDialog::choose(Choice choice)
{
    if (choice == Choice::None || !m_choiceOffered ||
        (m_state != State::PlanReady && m_state != State::PlanFailed))
        return;
    if (!m_collateralOffered && choice != Choice::Force)
        return;
    m_choice = choice;
    m_options = DeleteOptions();
    m_options.untagOnly = choice == Choice::UntagOnly;
    m_options.force = choice == Choice::Force;
    m_options.skipCollateral = choice == Choice::SkipCollateral;
    updateChoice();
    startPlanning();
}

bool DeletePlanDialog::confirm()
{
    if (!canDelete())
        return false;
    m_ui->pages->setCurrentWidget(m_ui->resultsPage);
    m_ui->resultsSummaryLabel->setText(tr("Connecting to %1…").arg(registryName()));
    m_ui->deleteProgressBar->setRange(0, 0);
    showStop({}, false);
    m_ui->gcNoteLabel->clear();
    setState(State::Deleting);
    delete m_clientContext;
    m_clientContext = new QObject(this);
    m_sessions->client(m_bookmarkId, m_clientContext, [this](Expected<RegistryClient *> client) {
        if (m_state != State::Deleting || m_job)
            return;
        if (!client) {
            showStop(withAdvice(client.error()), true);
            m_ui->resultsSummaryLabel->setText(tr("Nothing was deleted."));
            setState(State::Finished);
            return;
        }
        startDelete(*client);
    });
    return true;
}

void DeletePlanDialog::startDelete(RegistryClient *client)
{
    DeleteJob::Options options;
    options.journalPath = DeleteJournal::defaultPathFor(m_plan.registry);
    auto *job = new DeleteJob(client, m_plan, options, m_jobParent ? m_jobParent : this);
    m_job = job;
    m_resultModel->setJob(job);
    connect(job, &Job::progressChanged, this, &DeletePlanDialog::onDeleteProgress);
    connect(job, &DeleteJob::itemFinished, this, &DeletePlanDialog::onDeleteProgress);
    connect(job, &Job::finished, this, &DeletePlanDialog::onDeleteFinished);
    emit jobStarted(job);
    emit deleteStarted(job);
    job->start();
}

void DeletePlanDialog::onDeleteProgress()
{
    if (!m_job)
        return;
    const int total = int(m_job->plan().manifests.size() + m_job->plan().untags.size());
    const int done = int(m_job->done());
    m_ui->deleteProgressBar->setRange(0, std::max(1, total));
    m_ui->deleteProgressBar->setValue(m_job->isFinished() ? std::max(1, total) : done);
    QStringList parts;
    const std::pair<DeleteResult::Status, QString> counts[] = {
        {DeleteResult::Status::Deleted, tr("%1 deleted")},
        {DeleteResult::Status::AlreadyGone, tr("%1 already gone")},
        {DeleteResult::Status::Refused, tr("%1 refused")},
        {DeleteResult::Status::Failed, tr("%1 failed")},
        {DeleteResult::Status::Skipped, tr("%1 not sent")}};
    for (const auto &[status, text] : counts) {
        const int n = m_resultModel->count(status);
        if (n > 0)
            parts << text.arg(n);
    }
    const QString progress = m_job->isFinished()
                                 ? tr("Finished.")
                                 : tr("Deleting: %1 of %2 items done.").arg(done).arg(total);
    m_ui->resultsSummaryLabel->setText(parts.isEmpty() ? progress
                                                       : progress + u' ' + parts.join(u", "_s));
}

void DeletePlanDialog::onDeleteFinished()
{
    DeleteJob *job = m_job;
    if (!job)
        return;
    onDeleteProgress();
    const int notSent = m_resultModel->count(DeleteResult::Status::Skipped);
    switch (job->state()) {
    case Job::State::Succeeded:
        showStop({}, false);
        break;
    case Job::State::Cancelled:
        showStop(tr("Stopped. %n item(s) were not sent; plan the same selection again to finish "
                    "the job — what is gone already shows as already gone.",
                    nullptr, notSent),
                 false);
        break;
    default: {
        const Error error =
            job->error().value_or(Error::make(Error::Kind::HttpError, tr("The delete failed.")));
        QString text;
        if (error.kind == Error::Kind::DeleteDisabled) {
            text = tr("The registry refused to delete, so Wharf sent nothing else (%n item(s) "
                      "not sent).",
                      nullptr, notSent) +
                   u"\n\n"_s + error.message;
        } else {
            text = withAdvice(error);
        }
        showStop(text, true);
        break;
    }
    }
    QStringList notes;
    if (m_resultModel->count(DeleteResult::Status::Deleted) > 0)
        notes << tr("Deleting frees no space by itself: see Garbage Collection for what the "
                    "registry's garbage collector would now free.")
              << GcGuidance::whileItRuns();
    for (const QString &e : job->journalErrors())
        notes << tr("Not recorded in the delete journal: %1").arg(e);
    StatusColors::show(m_ui->gcNoteLabel, notes.join(u"\n\n"_s),
                       job->journalErrors().isEmpty() ? StatusColors::Severity::Neutral
                                                      : StatusColors::Severity::Warning);
    setState(State::Finished);
    updateButtons();
}

void DeletePlanDialog::showStop(const QString &text, bool error)
{
    m_stopMessage = text;
    m_ui->stopPanel->setVisible(!text.isEmpty());
    if (text.isEmpty())
        return;
    StatusColors::show(m_ui->stopLabel, text,
                       error ? StatusColors::Severity::Error : StatusColors::Severity::Warning);
    const QIcon icon = WharfIcons::icon(error ? u"error"_s : u"warning"_s);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    m_ui->stopIconLabel->setPixmap(icon.pixmap(QSize(size, size), devicePixelRatioF()));
}

void DeletePlanDialog::cancelWork()
{
    if (m_state == State::Planning) {
        if (m_planner) {
            m_planner->cancel(); // finishes: onPlanned() shows it
        } else {
            delete m_clientContext;
            m_clientContext = nullptr;
            showPlanError(Error::make(Error::Kind::Cancelled,
                                      tr("Planning was cancelled. Nothing was deleted.")));
        }
    } else if (m_state == State::Deleting) {
        if (m_job) {
            m_job->cancel();
        } else {
            delete m_clientContext;
            m_clientContext = nullptr;
            m_ui->resultsSummaryLabel->setText(tr("Nothing was deleted."));
            setState(State::Finished);
        }
    }
}

void DeletePlanDialog::reject()
{
    if (m_state == State::Planning)
        cancelWork();
    if (m_job && !m_job->isFinished() && m_job->parent() == this)
        m_job->cancel();
    QDialog::reject();
}

void DeletePlanDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_planModel->setPalette(palette());
        m_resultModel->setPalette(palette());
    }
    QDialog::changeEvent(event);
}

} // namespace wharf::gui
