#include "CleanupController.h"

#include "DeletePlanDialog.h"
#include "GarbageCollectionDialog.h"
#include "RetentionPolicyDialog.h"
#include "bookmarks/BookmarkStore.h"
#include "cleanup/DeleteJob.h"
#include "cleanup/RetentionPolicyStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "main/WharfIcons.h"
#include "models/RegistryTreeModel.h"
#include "models/TagTableModel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMenuBar>
#include <QSet>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

// Finished delete jobs kept for the jobs panel's history.
constexpr int KeptDeleteJobs = 20;

} // namespace

CleanupController::CleanupController(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_policies(new RetentionPolicyStore(window->context()->bookmarks()->settingsPath(), this))
{
    setObjectName(u"cleanupController"_s);

    m_deleteRepository =
        new QAction(WharfIcons::icon(u"delete"_s), tr("Delete &Repository…"), this);
    m_deleteRepository->setObjectName(u"actionDeleteRepository"_s);
    m_deleteRepository->setToolTip(
        tr("Delete every tag and manifest of the repository (planned and confirmed first)"));
    m_retention = new QAction(tr("Re&tention Policies…"), this);
    m_retention->setObjectName(u"actionRetentionPolicies"_s);
    m_retention->setToolTip(tr("Keep the newest tags, delete old ones: with a dry run first"));
    m_garbageCollection = new QAction(tr("&Garbage Collection…"), this);
    m_garbageCollection->setObjectName(u"actionGarbageCollection"_s);
    m_garbageCollection->setToolTip(
        tr("What the registry's garbage collector would free, and how to run it"));

    window->addRepositoryAction(m_deleteRepository);
    window->addRegistryAction(m_retention);
    window->addRegistryAction(m_garbageCollection);

    m_menu = new QMenu(tr("&Cleanup"), window);
    m_menu->setObjectName(u"menuCleanup"_s);
    m_menu->addAction(window->deleteAction());
    m_menu->addAction(m_deleteRepository);
    m_menu->addSeparator();
    m_menu->addAction(m_retention);
    m_menu->addAction(m_garbageCollection);
    auto *help = window->findChild<QMenu *>(u"menuHelp"_s);
    window->menuBar()->insertMenu(help ? help->menuAction() : nullptr, m_menu);
    connect(m_menu, &QMenu::aboutToShow, this, &CleanupController::updateActions);

    connect(window->deleteAction(), &QAction::triggered, this, [this] { deleteSelectedTags(); });
    connect(m_deleteRepository, &QAction::triggered, this, [this] {
        deleteRepository(m_window->currentTreeBookmarkId(), m_window->currentTreeRepository());
    });
    connect(m_retention, &QAction::triggered, this,
            [this] { openRetentionPolicies(targetBookmarkId()); });
    connect(m_garbageCollection, &QAction::triggered, this,
            [this] { openGarbageCollection(targetBookmarkId()); });

    // The window keeps its views to itself; their selections decide what the actions do.
    if (auto *table = window->findChild<QAbstractItemView *>(u"tagTable"_s)) {
        m_tagSelection = table->selectionModel();
        connect(m_tagSelection, &QItemSelectionModel::selectionChanged, this,
                &CleanupController::updateActions);
    }
    if (auto *tree = window->findChild<QAbstractItemView *>(u"registryTree"_s)) {
        connect(tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &CleanupController::updateActions);
    }
    connect(window->tagModel(), &QAbstractItemModel::modelReset, this,
            &CleanupController::updateActions);
    connect(window->tagModel(), &QAbstractItemModel::rowsRemoved, this,
            &CleanupController::updateActions);
    connect(window->context()->bookmarks(), &BookmarkStore::changed, this,
            &CleanupController::forgetRemovedBookmarks);
    connect(window->context()->bookmarks(), &BookmarkStore::changed, this,
            &CleanupController::updateActions);
    updateActions();
}

CleanupController::~CleanupController() = default;

QString CleanupController::targetBookmarkId() const
{
    QString id = m_window->currentTreeBookmarkId();
    if (id.isEmpty())
        id = m_window->shownBookmarkId();
    const QList<Bookmark> &all = m_window->context()->bookmarks()->bookmarks();
    if (id.isEmpty() && all.size() == 1)
        id = all.first().id;
    return id;
}

void CleanupController::updateActions()
{
    // hasSelection() rather than selectedTags(): this runs on every change of a selection
    // that can span 10,000 rows.
    const bool tagsSelected =
        !m_window->shownRepository().isEmpty() && m_tagSelection && m_tagSelection->hasSelection();
    m_window->deleteAction()->setEnabled(tagsSelected);
    const QString repository = m_window->currentTreeRepository();
    m_deleteRepository->setEnabled(!repository.isEmpty());
    m_deleteRepository->setText(repository.isEmpty()
                                    ? tr("Delete &Repository…")
                                    : tr("Delete &Repository %1…").arg(repository));
    const bool registry = !targetBookmarkId().isEmpty();
    m_retention->setEnabled(registry);
    m_garbageCollection->setEnabled(registry);
}

void CleanupController::forgetRemovedBookmarks()
{
    QSet<QString> live;
    for (const Bookmark &b : m_window->context()->bookmarks()->bookmarks())
        live.insert(b.id);
    QSet<QString> gone;
    for (const RetentionPolicy &p : m_policies->policies()) {
        if (!live.contains(p.bookmarkId))
            gone.insert(p.bookmarkId);
    }
    for (const QString &id : std::as_const(gone))
        m_policies->removeForBookmark(id);
}

DeletePlanDialog *CleanupController::deleteSelectedTags()
{
    const QString bookmarkId = m_window->shownBookmarkId();
    const QString repository = m_window->shownRepository();
    const QStringList tags = m_window->selectedTags();
    if (bookmarkId.isEmpty() || repository.isEmpty() || tags.isEmpty()) {
        m_window->showStatus(tr("Select the tags to delete in the tag table first."));
        return nullptr;
    }
    QList<DeleteSelection> selections;
    for (const QString &tag : tags)
        selections << DeleteSelection::forTag(repository, tag);
    return openDeleteDialog(bookmarkId, selections);
}

DeletePlanDialog *CleanupController::deleteRepository(const QString &bookmarkId,
                                                      const QString &repository)
{
    if (bookmarkId.isEmpty() || repository.isEmpty()) {
        m_window->showStatus(tr("Select a repository in the registry tree first."));
        return nullptr;
    }
    return openDeleteDialog(bookmarkId, {DeleteSelection::forRepository(repository)});
}

DeletePlanDialog *CleanupController::newDeleteDialog(const QString &bookmarkId, QWidget *parent)
{
    auto *dialog = new DeletePlanDialog(m_window->context()->sessions(), bookmarkId,
                                        parent ? parent : m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setJobParent(this);
    connect(dialog, &DeletePlanDialog::jobStarted, m_window, &MainWindow::trackJob);
    connect(dialog, &DeletePlanDialog::deleteStarted, this,
            [this, bookmarkId](DeleteJob *job) { onDeleteStarted(bookmarkId, job); });
    connect(dialog, &DeletePlanDialog::garbageCollectionRequested, this,
            [this, dialog](const QString &id) { openGarbageCollection(id, dialog); });
    return dialog;
}

DeletePlanDialog *CleanupController::openDeleteDialog(const QString &bookmarkId,
                                                      const QList<DeleteSelection> &selections,
                                                      QWidget *parent)
{
    DeletePlanDialog *dialog = newDeleteDialog(bookmarkId, parent);
    dialog->open();
    dialog->planSelections(selections);
    return dialog;
}

DeletePlanDialog *CleanupController::openPlan(const QString &bookmarkId, const DeletePlan &plan,
                                              const QString &intro, QWidget *parent)
{
    DeletePlanDialog *dialog = newDeleteDialog(bookmarkId, parent);
    if (!intro.isEmpty())
        dialog->setIntro(intro);
    dialog->open();
    dialog->showPlan(plan);
    return dialog;
}

RetentionPolicyDialog *CleanupController::openRetentionPolicies(const QString &bookmarkId)
{
    if (bookmarkId.isEmpty() || !m_window->context()->bookmarks()->byId(bookmarkId)) {
        m_window->showStatus(tr("Select a registry first."));
        return nullptr;
    }
    auto *dialog = new RetentionPolicyDialog(m_window->context()->sessions(), m_policies,
                                             bookmarkId, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RetentionPolicyDialog::jobStarted, m_window, &MainWindow::trackJob);
    connect(dialog, &RetentionPolicyDialog::applyRequested, this,
            [this, dialog, bookmarkId](const DeletePlan &plan, const QString &intro) {
                openPlan(bookmarkId, plan, intro, dialog);
            });
    dialog->open();
    return dialog;
}

GarbageCollectionDialog *CleanupController::openGarbageCollection(const QString &bookmarkId,
                                                                  QWidget *parent)
{
    if (bookmarkId.isEmpty() || !m_window->context()->bookmarks()->byId(bookmarkId)) {
        m_window->showStatus(tr("Select a registry first."));
        return nullptr;
    }
    auto *dialog = new GarbageCollectionDialog(m_window->context()->sessions(), bookmarkId,
                                               parent ? parent : m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GarbageCollectionDialog::jobStarted, m_window, &MainWindow::trackJob);
    dialog->open();
    dialog->startEstimate();
    return dialog;
}

void CleanupController::onDeleteStarted(const QString &bookmarkId, DeleteJob *job)
{
    m_deleteJobs << job;
    connect(job, &Job::finished, this, [this, bookmarkId, job] {
        refreshAfterDelete(bookmarkId, job);
        emit deleteFinished(job);
        pruneFinishedJobs();
    });
}

void CleanupController::refreshAfterDelete(const QString &bookmarkId, const DeleteJob *job)
{
    QSet<QString> touched;
    int deleted = 0;
    for (const DeleteResult &r : job->results()) {
        if (r.status == DeleteResult::Status::Deleted)
            ++deleted;
        if (r.status == DeleteResult::Status::Deleted ||
            r.status == DeleteResult::Status::AlreadyGone)
            touched.insert(r.repository);
    }
    RegistryTreeModel *tree = m_window->treeModel();
    for (const QString &repository : std::as_const(touched)) {
        const QModelIndex index = tree->indexFor(bookmarkId, repository);
        if (index.isValid() && tree->nodeType(index) == RegistryTreeModel::NodeType::Repository &&
            index.data(RegistryTreeModel::RepositoryRole).toString() == repository)
            tree->refresh(index);
    }
    if (m_window->shownBookmarkId() == bookmarkId && touched.contains(m_window->shownRepository()))
        m_window->tagModel()->reload();
    if (deleted > 0)
        m_window->showStatus(tr("Deleted %n item(s); nothing is freed until garbage collection "
                                "runs (Cleanup ▸ Garbage Collection…).",
                                nullptr, deleted),
                             15000);
    updateActions();
}

void CleanupController::pruneFinishedJobs()
{
    m_deleteJobs.removeIf([](const QPointer<DeleteJob> &job) { return job.isNull(); });
    qsizetype finished =
        std::count_if(m_deleteJobs.cbegin(), m_deleteJobs.cend(),
                      [](const QPointer<DeleteJob> &j) { return j->isFinished(); });
    for (qsizetype i = 0; i < m_deleteJobs.size() && finished > KeptDeleteJobs; ++i) {
        if (m_deleteJobs.at(i)->isFinished()) {
            m_deleteJobs.at(i)->deleteLater();
            --finished;
        }
    }
}

} // namespace wharf::gui
