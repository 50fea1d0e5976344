// The cleanup GUI end to end: the main window against real registries (docker-registry 2.8.2),
// images pushed by skopeo (CleanupSeeder), the dialogs driven through their named widgets, and
// the registry's state checked afterwards with skopeo — an independent client.

#include "CleanupSeeder.h"
#include "GuiTest.h"
#include "RegistryLog.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "AsyncTest.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cleanup/CleanupController.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/DeletePlanDialog.h"
#include "cleanup/DeletePlanModel.h"
#include "cleanup/DeleteResultModel.h"
#include "cleanup/GarbageCollectionDialog.h"
#include "cleanup/GcEstimateJob.h"
#include "cleanup/RetentionDecisionModel.h"
#include "cleanup/RetentionPolicyDialog.h"
#include "cleanup/RetentionPolicyListModel.h"
#include "cleanup/RetentionPolicyStore.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableModel.h"
#include "widgets/JobListModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;
using wharf::testing::child;

namespace {

constexpr int PlanTimeoutMs = 90000;

template<class T>
T *activeModal()
{
    return qobject_cast<T *>(QApplication::activeModalWidget());
}

QSet<QString> tagsOf(const t::TestRegistry &registry, const QString &repository,
                     QString *error = nullptr)
{
    QStringList tags;
    QString e;
    if (!t::Skopeo::listTags(registry.dockerReference(repository), registry.skopeoOptions(), &tags,
                             &e)) {
        if (error)
            *error = e;
        return {};
    }
    return QSet<QString>(tags.cbegin(), tags.cend());
}

QSet<QString> set(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QDateTime day(int year, int month, int dayOfMonth)
{
    return QDateTime(QDate(year, month, dayOfMonth), QTime(12, 0), Qt::UTC);
}

t::RegistryOptions loggingRegistry(bool deleteEnabled)
{
    t::RegistryOptions o;
    o.deleteEnabled = deleteEnabled;
    o.logLevel = u"info"_s;
    return o;
}

} // namespace

class TestCleanupGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void deleteNeedsATagSelection();
    void cancelPlanningThenPlanAgain();
    void sharedDigestUntagOnly();
    void sharedDigestDeleteAnyway();
    void deleteWholeRepository();
    void deletesDisabledStopAtTheFirstAnswer();
    void closingTheDialogKeepsDeleting();
    void retentionDryRunAndApply();
    void garbageCollectionShowsTheEstimate();

private:
    QString addBookmark(const QString &name, const t::TestRegistry &registry);
    void showRepository(const QString &bookmarkId, const QString &repository, int tags);
    void selectTags(const QStringList &tags);
    DeletePlanDialog *deleteSelection(const QStringList &tags);
    void watchModels(DeletePlanDialog *dialog);
    static void closeDialog(QDialog *dialog);

    QTemporaryDir m_config;
    QTemporaryDir m_cache;
    t::TestRegistry m_registry{loggingRegistry(true)};
    t::TestRegistry m_noDelete{loggingRegistry(false)};
    std::unique_ptr<t::CleanupSeeder> m_seeder;
    std::unique_ptr<AppContext> m_context;
    std::unique_ptr<MainWindow> m_window;
    CleanupController *m_controller = nullptr;
    QString m_bookmarkId;
    QString m_noDeleteBookmarkId;
};

void TestCleanupGui::initTestCase()
{
    qputenv("WHARF_CONFIG_DIR", m_config.path().toUtf8());
    qputenv("WHARF_CACHE_DIR", m_cache.path().toUtf8());
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_noDelete.start(&error), qPrintable(error));
    m_seeder = std::make_unique<t::CleanupSeeder>(m_registry);

    m_context = std::make_unique<AppContext>(new MemoryCredentialStore);
    m_bookmarkId = addBookmark(u"Cleanup registry"_s, m_registry);
    m_noDeleteBookmarkId = addBookmark(u"No deletes"_s, m_noDelete);
    m_window = std::make_unique<MainWindow>(m_context.get());
    new QAbstractItemModelTester(m_window->treeModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    new QAbstractItemModelTester(m_window->tagProxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_controller = m_window->findChild<CleanupController *>();
    QVERIFY(m_controller);
    // The actions are where people look for them.
    QMenu *menu = child<QMenu>(m_window.get(), "menuCleanup");
    QVERIFY(menu->actions().contains(m_window->deleteAction()));
    QVERIFY(menu->actions().contains(m_controller->deleteRepositoryAction()));
    QVERIFY(menu->actions().contains(m_controller->retentionAction()));
    QVERIFY(menu->actions().contains(m_controller->garbageCollectionAction()));
}

void TestCleanupGui::cleanupTestCase()
{
    m_window.reset();
    m_context.reset();
}

QString TestCleanupGui::addBookmark(const QString &name, const t::TestRegistry &registry)
{
    Bookmark b;
    b.name = name;
    b.url = QUrl(registry.url());
    const auto added = m_context->bookmarks()->add(b);
    if (!added)
        qFatal("cannot add bookmark: %s", qPrintable(added.error().message));
    return added->id;
}

void TestCleanupGui::showRepository(const QString &bookmarkId, const QString &repository, int tags)
{
    RegistryTreeModel *tree = m_window->treeModel();
    // The repository was pushed after the catalog was read: read it again, as F5 does.
    const QModelIndex bookmark = tree->indexFor(bookmarkId);
    if (bookmark.isValid() && tree->loadState(bookmark) == RegistryTreeModel::LoadState::Loaded)
        tree->refresh(bookmark);
    QSignalSpy revealed(tree, &RegistryTreeModel::pathRevealed);
    tree->revealPath(bookmarkId, repository);
    QTRY_VERIFY_WITH_TIMEOUT(!revealed.isEmpty() && revealed.last().at(1).toBool(), 30000);
    QTRY_COMPARE(m_window->tagModel()->repository(), repository);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->tagModel()->resolvedCount(), tags, 30000);
    QCOMPARE(m_window->currentTreeRepository(), repository);
}

void TestCleanupGui::selectTags(const QStringList &tags)
{
    auto *table = child<QTableView>(m_window.get(), "tagTable");
    table->clearSelection();
    for (const QString &tag : tags) {
        const int row = m_window->tagModel()->rowOfTag(tag);
        QVERIFY2(row >= 0, qPrintable(tag));
        const QModelIndex index =
            m_window->tagProxy()->mapFromSource(m_window->tagModel()->index(row, 0));
        table->selectionModel()->select(index,
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QCOMPARE(set(m_window->selectedTags()), set(tags));
}

void TestCleanupGui::watchModels(DeletePlanDialog *dialog)
{
    new QAbstractItemModelTester(dialog->planModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
    new QAbstractItemModelTester(dialog->resultModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
    new QAbstractItemModelTester(dialog->resultProxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
}

// Selects the tags in the tag table and presses Delete: the confirmation dialog opens.
DeletePlanDialog *TestCleanupGui::deleteSelection(const QStringList &tags)
{
    selectTags(tags);
    if (!m_window->deleteAction()->isEnabled()) {
        qWarning("the Delete action is disabled");
        return nullptr;
    }
    m_window->deleteAction()->trigger();
    auto *dialog = activeModal<DeletePlanDialog>();
    if (dialog)
        watchModels(dialog);
    return dialog;
}

void TestCleanupGui::closeDialog(QDialog *dialog)
{
    QPointer<QDialog> guard(dialog);
    dialog->close();
    QTRY_VERIFY(guard.isNull()); // deleted on close
}

void TestCleanupGui::deleteNeedsATagSelection()
{
    QString error;
    QVERIFY2(!m_seeder->pushImage(u"plain/app"_s, {u"1"_s}, u"plain"_s, {}, &error).isEmpty(),
             qPrintable(error));
    CHECKED(showRepository(m_bookmarkId, u"plain/app"_s, 1));
    child<QTableView>(m_window.get(), "tagTable")->clearSelection();
    QVERIFY(!m_window->deleteAction()->isEnabled());
    QVERIFY(!m_controller->deleteSelectedTags());
    QVERIFY(!QApplication::activeModalWidget());
    selectTags({u"1"_s});
    QVERIFY(m_window->deleteAction()->isEnabled());
}

void TestCleanupGui::cancelPlanningThenPlanAgain()
{
    CHECKED(showRepository(m_bookmarkId, u"plain/app"_s, 1));
    DeletePlanDialog *dialog = deleteSelection({u"1"_s});
    QVERIFY(dialog);
    QCOMPARE(dialog->state(), DeletePlanDialog::State::Planning);
    auto *cancel = child<QPushButton>(dialog, "cancelButton");
    QVERIFY(cancel->isVisible());
    QVERIFY(!child<QLabel>(dialog, "inventoryNoteLabel")->text().isEmpty());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE(dialog->state(), DeletePlanDialog::State::PlanFailed);
    QVERIFY(child<QLabel>(dialog, "errorLabel")->text().contains(u"cancelled"_s));
    QVERIFY(!cancel->isVisible());
    QVERIFY(!child<QPushButton>(dialog, "deleteButton")->isEnabled());

    QTest::mouseClick(child<QPushButton>(dialog, "retryButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);
    QCOMPARE(dialog->planModel()->references(DeletePlanModel::Section::Tags),
             QStringList{u"plain/app:1"_s});
    QVERIFY(dialog->canDelete());
    closeDialog(dialog); // without deleting
    QCOMPARE(tagsOf(m_registry, u"plain/app"_s), QSet<QString>{u"1"_s});
}

void TestCleanupGui::sharedDigestUntagOnly()
{
    QString error;
    const QString digest =
        m_seeder->pushImage(u"shared/app"_s, {u"a"_s, u"b"_s}, u"shared-untag"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    CHECKED(showRepository(m_bookmarkId, u"shared/app"_s, 2));

    DeletePlanDialog *dialog = deleteSelection({u"a"_s});
    QVERIFY(dialog);
    QCOMPARE(dialog->bookmarkId(), m_bookmarkId);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);

    // The other tag is listed as collateral, highlighted, and nothing may run yet.
    DeletePlanModel *plan = dialog->planModel();
    QCOMPARE(plan->references(DeletePlanModel::Section::Tags),
             QStringList({u"shared/app:a"_s, u"shared/app:b"_s}));
    QCOMPARE(plan->collateralReferences(), QStringList{u"shared/app:b"_s});
    const QModelIndex collateral = plan->index(1, DeletePlanModel::DetailColumn,
                                               plan->sectionIndex(DeletePlanModel::Section::Tags));
    QCOMPARE(collateral.data().toString(), u"also removed: shares digest with a"_s);
    QVERIFY(collateral.data(Qt::BackgroundRole).isValid());
    QVERIFY(dialog->choiceOffered());
    QVERIFY(child<QGroupBox>(dialog, "choiceGroup")->isVisible());
    auto *deleteButton = child<QPushButton>(dialog, "deleteButton");
    QVERIFY(!deleteButton->isEnabled());
    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QVERIFY(!dialog->confirm());
    QCOMPARE(dialog->state(), DeletePlanDialog::State::PlanReady);
    QVERIFY(!dialog->deleteJob());
    QCOMPARE(tagsOf(m_registry, u"shared/app"_s), QSet<QString>({u"a"_s, u"b"_s}));

    // Untag only: planned again, and the new plan is what is shown.
    QTest::mouseClick(child<QRadioButton>(dialog, "untagOnlyRadio"), Qt::LeftButton);
    QCOMPARE(dialog->choice(), DeletePlanDialog::Choice::UntagOnly);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->planCount(), 2, PlanTimeoutMs);
    QTRY_COMPARE(dialog->state(), DeletePlanDialog::State::PlanReady);
    QVERIFY(dialog->plan().options.untagOnly);
    QVERIFY(dialog->plan().manifests.isEmpty());
    QCOMPARE(plan->references(DeletePlanModel::Section::Untags), QStringList{u"shared/app:a"_s});
    QVERIFY(plan->collateralReferences().isEmpty());
    QVERIFY(deleteButton->isEnabled());

    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::Finished, 60000);
    DeleteResultModel *results = dialog->resultModel();
    QCOMPARE(results->rowCount(), 1);
    QCOMPARE(results->resultAt(0).status, DeleteResult::Status::Deleted);
    QCOMPARE(results->resultAt(0).action, DeleteResult::Action::Untag);
    QCOMPARE(child<QTableView>(dialog, "resultsView")->model()->rowCount(), 1);
    QVERIFY(!child<QWidget>(dialog, "stopPanel")->isVisible());

    // Exactly the other tag remains, on the digest it had.
    QCOMPARE(tagsOf(m_registry, u"shared/app"_s), QSet<QString>{u"b"_s});
    QByteArray raw;
    QVERIFY2(t::Skopeo::inspectRaw(m_registry.dockerReference(u"shared/app:b"_s),
                                   m_registry.skopeoOptions(), &raw, &error),
             qPrintable(error));
    QCOMPARE(Digest::sha256Of(raw).toString(), digest);
    // The tag table was reloaded.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->tagModel()->tagCount(), 1, 30000);
    QCOMPARE(m_window->tagModel()->rowOfTag(u"a"_s), -1);
    closeDialog(dialog);
}

void TestCleanupGui::sharedDigestDeleteAnyway()
{
    QString error;
    QVERIFY2(
        !m_seeder->pushImage(u"shared/force"_s, {u"a"_s, u"b"_s}, u"shared-force"_s, {}, &error)
             .isEmpty(),
        qPrintable(error));
    QVERIFY2(!m_seeder->pushImage(u"shared/force"_s, {u"keep"_s}, u"shared-keep"_s, {}, &error)
                  .isEmpty(),
             qPrintable(error));
    CHECKED(showRepository(m_bookmarkId, u"shared/force"_s, 3));

    DeletePlanDialog *dialog = deleteSelection({u"a"_s});
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);
    QCOMPARE(dialog->planModel()->collateralReferences(), QStringList{u"shared/force:b"_s});
    QVERIFY(!dialog->canDelete());

    QTest::mouseClick(child<QRadioButton>(dialog, "forceRadio"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->planCount(), 2, PlanTimeoutMs);
    QTRY_COMPARE(dialog->state(), DeletePlanDialog::State::PlanReady);
    QVERIFY(dialog->plan().options.force);
    // Still highlighted: the person sees what goes with the digest before confirming.
    QCOMPARE(dialog->planModel()->collateralReferences(), QStringList{u"shared/force:b"_s});
    QCOMPARE(dialog->plan().manifests.size(), 1);
    QVERIFY(dialog->canDelete());

    QTest::mouseClick(child<QPushButton>(dialog, "deleteButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::Finished, 60000);
    QCOMPARE(dialog->resultModel()->count(DeleteResult::Status::Deleted), 1);
    QCOMPARE(dialog->resultModel()->rowCount(), 1);
    QCOMPARE(tagsOf(m_registry, u"shared/force"_s), QSet<QString>{u"keep"_s});
    QVERIFY(child<QPushButton>(dialog, "garbageCollectionButton")->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->tagModel()->tagCount(), 1, 30000);
    closeDialog(dialog);
}

void TestCleanupGui::deleteWholeRepository()
{
    QString error;
    const QMap<QString, QString> digests =
        m_seeder->pushVariants(u"whole/app"_s, {u"1.0"_s, u"2.0"_s}, &error);
    QVERIFY2(digests.size() == 2, qPrintable(error));
    CHECKED(showRepository(m_bookmarkId, u"whole/app"_s, 2));

    QAction *action = m_controller->deleteRepositoryAction();
    QVERIFY(action->isEnabled());
    QVERIFY(action->text().contains(u"whole/app"_s));
    action->trigger();
    auto *dialog = activeModal<DeletePlanDialog>();
    QVERIFY(dialog);
    watchModels(dialog);
    auto *note = child<QLabel>(dialog, "repositoryNoteLabel");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(u"stays in the catalog"_s), qPrintable(note->text()));
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);
    QVERIFY(!dialog->choiceOffered());
    QCOMPARE(sorted(dialog->planModel()->references(DeletePlanModel::Section::Tags)),
             QStringList({u"whole/app:1.0"_s, u"whole/app:2.0"_s}));
    QCOMPARE(dialog->planModel()->entryCount(DeletePlanModel::Section::Manifests), 2);
    QVERIFY(dialog->plan().notes.join(u' ').contains(u"stays in the catalog"_s));

    QTest::mouseClick(child<QPushButton>(dialog, "deleteButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::Finished, 60000);
    QCOMPARE(dialog->resultModel()->count(DeleteResult::Status::Deleted), 2);
    for (const QString &digest : digests) {
        QByteArray raw;
        QVERIFY(!t::Skopeo::inspectRaw(m_registry.dockerReference(u"whole/app@"_s + digest),
                                       m_registry.skopeoOptions(), &raw, &error));
    }
    // 2.8 keeps the repository (and answers its tag list) with no tags left.
    QString listError;
    QCOMPARE(tagsOf(m_registry, u"whole/app"_s, &listError), QSet<QString>());
    QVERIFY2(listError.isEmpty(), qPrintable(listError));
    closeDialog(dialog);
}

void TestCleanupGui::deletesDisabledStopAtTheFirstAnswer()
{
    t::CleanupSeeder seeder(m_noDelete);
    QString error;
    const QStringList tags{u"t0"_s, u"t1"_s, u"t2"_s, u"t3"_s};
    QCOMPARE(seeder.pushVariants(u"off/app"_s, tags, &error).size(), 4);
    CHECKED(showRepository(m_noDeleteBookmarkId, u"off/app"_s, 4));

    // "Select All Matching the Filter", then Delete.
    child<QAction>(m_window.get(), "actionSelectMatching")->trigger();
    QCOMPARE(set(m_window->selectedTags()), set(tags));
    m_window->deleteAction()->trigger();
    auto *dialog = activeModal<DeletePlanDialog>();
    QVERIFY(dialog);
    watchModels(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);
    QCOMPARE(dialog->plan().manifests.size(), 4);
    QCOMPARE(t::deleteRequestsLogged(m_noDelete), 0);

    QTest::mouseClick(child<QPushButton>(dialog, "deleteButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::Finished, 60000);

    // The first item carries the registry's refusal and how to enable deletes; the rest were
    // never sent.
    DeleteResultModel *results = dialog->resultModel();
    QCOMPARE(results->rowCount(), 4);
    QCOMPARE(results->resultAt(0).status, DeleteResult::Status::Refused);
    QVERIFY2(results->resultAt(0).message.contains(u"REGISTRY_STORAGE_DELETE_ENABLED=true"_s),
             qPrintable(results->resultAt(0).message));
    for (int row = 1; row < 4; ++row) {
        QCOMPARE(results->resultAt(row).status, DeleteResult::Status::Skipped);
        QVERIFY(results->resultAt(row).message.contains(u"Not sent"_s));
    }
    QCOMPARE(results->count(DeleteResult::Status::Skipped), 3);
    // The explanation, prominently above the results.
    QVERIFY(child<QWidget>(dialog, "stopPanel")->isVisible());
    const QString stop = child<QLabel>(dialog, "stopLabel")->text();
    QVERIFY2(stop.contains(u"REGISTRY_STORAGE_DELETE_ENABLED=true"_s), qPrintable(stop));
    QVERIFY2(stop.contains(u"sent nothing else"_s), qPrintable(stop));
    QCOMPARE(stop, dialog->stopMessage());
    QVERIFY(!child<QPushButton>(dialog, "garbageCollectionButton")->isVisible());

    QCOMPARE(t::deleteRequestsLogged(m_noDelete), 1);
    QCOMPARE(tagsOf(m_noDelete, u"off/app"_s), set(tags));
    closeDialog(dialog);
}

void TestCleanupGui::closingTheDialogKeepsDeleting()
{
    QString error;
    QStringList tags;
    for (int i = 0; i < 30; ++i)
        tags << u"b%1"_s.arg(i, 2, 10, QChar(u'0'));
    QCOMPARE(m_seeder->pushVariants(u"bulk/app"_s, tags, &error).size(), tags.size());
    CHECKED(showRepository(m_bookmarkId, u"bulk/app"_s, int(tags.size())));
    child<QAction>(m_window.get(), "actionSelectMatching")->trigger();
    m_window->deleteAction()->trigger();
    auto *dialog = activeModal<DeletePlanDialog>();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), DeletePlanDialog::State::PlanReady, PlanTimeoutMs);
    QCOMPARE(dialog->plan().manifests.size(), tags.size());

    QSignalSpy finished(m_controller, &CleanupController::deleteFinished);
    QTest::mouseClick(child<QPushButton>(dialog, "deleteButton"), Qt::LeftButton);
    QTRY_VERIFY(dialog->deleteJob());
    const QPointer<DeleteJob> job = dialog->deleteJob();
    QVERIFY(m_window->jobs()->rowOf(job) >= 0); // in the jobs panel
    closeDialog(dialog);

    // The job belongs to the controller: it finishes and the views follow.
    QTRY_VERIFY_WITH_TIMEOUT(job && job->isFinished(), 60000);
    QCOMPARE(job->state(), Job::State::Succeeded);
    QCOMPARE(job->countWith(DeleteResult::Status::Deleted), int(tags.size()));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(tagsOf(m_registry, u"bulk/app"_s), QSet<QString>());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->tagModel()->tagCount(), 0, 30000);
}

void TestCleanupGui::retentionDryRunAndApply()
{
    struct Image
    {
        QString repository;
        QStringList tags;
        QDateTime created;
    };
    const QList<Image> images{
        {u"ret/app"_s, {u"v1.0.0"_s}, day(2024, 1, 1)},
        {u"ret/app"_s, {u"v1.1.0"_s}, day(2024, 2, 1)},
        {u"ret/app"_s, {u"v1.2.0"_s, u"latest"_s}, day(2024, 3, 1)},
        {u"ret/app"_s, {u"dev-1"_s}, day(2024, 3, 5)},
        {u"ret/app"_s, {u"dev-2"_s}, day(2024, 3, 10)},
        {u"ret/app"_s, {u"old"_s}, day(2023, 6, 1)},
        {u"ret/app"_s, {u"nodate"_s}, QDateTime()},
        {u"ret/other"_s, {u"x1"_s}, day(2020, 1, 1)},
        {u"ret/other"_s, {u"x2"_s}, day(2020, 2, 1)},
        {u"ret/other"_s, {u"x3"_s}, day(2020, 3, 1)},
        {u"notret/app"_s, {u"ancient"_s}, day(2019, 1, 1)},
    };
    QString error;
    for (const Image &image : images) {
        QVERIFY2(!m_seeder
                      ->pushImage(image.repository, image.tags,
                                  u"ret-"_s + image.repository + image.tags.first(), image.created,
                                  &error)
                      .isEmpty(),
                 qPrintable(error));
    }

    RetentionPolicyDialog *dialog = m_controller->openRetentionPolicies(m_bookmarkId);
    QVERIFY(dialog);
    QCOMPARE(activeModal<RetentionPolicyDialog>(), dialog);
    new QAbstractItemModelTester(dialog->policyModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
    new QAbstractItemModelTester(dialog->decisionModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
    new QAbstractItemModelTester(dialog->decisionProxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, dialog);
    QCOMPARE(dialog->policyModel()->rowCount(), 0);

    // Fill in the policy; an invalid pattern is reported in place and blocks save and dry run.
    child<QLineEdit>(dialog, "nameEdit")->setText(u"Release retention"_s);
    auto *glob = child<QLineEdit>(dialog, "globEdit");
    glob->clear();
    QTest::keyClicks(glob, u"ret/*"_s);
    child<QCheckBox>(dialog, "keepLastCheck")->setChecked(true);
    child<QSpinBox>(dialog, "keepLastSpin")->setValue(2);
    auto *keep = child<QLineEdit>(dialog, "keepPatternEdit");
    QTest::keyClicks(keep, u"(^v"_s);
    auto *validation = child<QLabel>(dialog, "validationLabel");
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(u"not a valid regular expression"_s),
             qPrintable(validation->text()));
    QVERIFY(!child<QPushButton>(dialog, "saveButton")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "dryRunButton")->isEnabled());
    keep->setText(uR"(^v\d+\.\d+\.\d+$)"_s);
    QVERIFY(!validation->isVisible());
    QVERIFY(child<QPushButton>(dialog, "saveButton")->isEnabled());

    // Saved next to the bookmarks: a fresh store on the same file reads it back.
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QCOMPARE(dialog->policyModel()->rowCount(), 1);
    QVERIFY(!dialog->currentPolicyId().isEmpty());
    RetentionPolicyStore reread(m_context->bookmarks()->settingsPath());
    const QList<RetentionPolicy> stored = reread.forBookmark(m_bookmarkId);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().repositoryGlob, u"ret/*"_s);
    QCOMPARE(stored.first().keepLast, 2);
    QCOMPARE(stored.first().keepPattern, uR"(^v\d+\.\d+\.\d+$)"_s);
    QCOMPARE(stored.first().olderThanDays, -1);

    // Dry run: the table equals the hand-computed list; nothing was deleted.
    QVERIFY(!child<QPushButton>(dialog, "applyButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>(dialog, "dryRunButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->dryRunState(), RetentionPolicyDialog::DryRunState::Done,
                              PlanTimeoutMs);
    // ret/app newest first: dev-2, dev-1, v1.2.0=latest, v1.1.0, v1.0.0, old; nodate has no
    // date. The two newest and every v*.*.* image stay: "old" goes. ret/other: x3 and x2 stay,
    // x1 goes. notret/app does not match the pattern.
    const QMap<QString, bool> expected{
        {u"ret/app:dev-2"_s, true},  {u"ret/app:dev-1"_s, true},  {u"ret/app:v1.2.0"_s, true},
        {u"ret/app:latest"_s, true}, {u"ret/app:v1.1.0"_s, true}, {u"ret/app:v1.0.0"_s, true},
        {u"ret/app:old"_s, false},   {u"ret/app:nodate"_s, true}, {u"ret/other:x3"_s, true},
        {u"ret/other:x2"_s, true},   {u"ret/other:x1"_s, false},
    };
    QMap<QString, bool> shown;
    RetentionDecisionModel *decisions = dialog->decisionModel();
    for (int row = 0; row < decisions->rowCount(); ++row) {
        const QModelIndex index = decisions->index(row, 0);
        shown.insert(index.data(RetentionDecisionModel::ReferenceRole).toString(),
                     index.data(RetentionDecisionModel::KeepRole).toBool());
        const QString decision =
            index.siblingAtColumn(RetentionDecisionModel::DecisionColumn).data().toString();
        QCOMPARE(decision,
                 index.data(RetentionDecisionModel::KeepRole).toBool() ? u"Keep"_s : u"Delete"_s);
    }
    QCOMPARE(decisions->rowCount(), int(expected.size()));
    QCOMPARE(shown, expected);
    const int oldRow = int(
        decisions
            ->match(decisions->index(0, 0), RetentionDecisionModel::ReferenceRole, u"ret/app:old"_s)
            .value(0)
            .row());
    QVERIFY(decisions->index(oldRow, RetentionDecisionModel::ReasonColumn)
                .data()
                .toString()
                .contains(u"not among the newest 2"_s));
    QVERIFY(decisions->index(oldRow, RetentionDecisionModel::CreatedColumn)
                .data()
                .toString()
                .startsWith(u"2023-06-01"_s));
    QCOMPARE(sorted(dialog->dryRunPlan().collateralTags()), QStringList());
    QCOMPARE(tagsOf(m_registry, u"ret/app"_s).size(), 8);
    QCOMPARE(tagsOf(m_registry, u"ret/other"_s).size(), 3);

    // Changing the rules makes the dry run stale: no apply until it runs again.
    auto *applyButton = child<QPushButton>(dialog, "applyButton");
    QVERIFY(applyButton->isEnabled());
    child<QSpinBox>(dialog, "keepLastSpin")->setValue(3);
    QVERIFY(!applyButton->isEnabled());
    child<QSpinBox>(dialog, "keepLastSpin")->setValue(2);
    QVERIFY(applyButton->isEnabled());

    // Apply: the delete confirmation shows the dry run's plan; confirm it.
    QTest::mouseClick(applyButton, Qt::LeftButton);
    auto *confirm = activeModal<DeletePlanDialog>();
    QVERIFY(confirm);
    watchModels(confirm);
    QCOMPARE(confirm->state(), DeletePlanDialog::State::PlanReady);
    QCOMPARE(sorted(confirm->planModel()->references(DeletePlanModel::Section::Tags)),
             QStringList({u"ret/app:old"_s, u"ret/other:x1"_s}));
    QVERIFY(!applyButton->isEnabled()); // one apply per dry run
    QTest::mouseClick(child<QPushButton>(confirm, "deleteButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(confirm->state(), DeletePlanDialog::State::Finished, 60000);
    QCOMPARE(confirm->resultModel()->count(DeleteResult::Status::Deleted), 2);
    closeDialog(confirm);

    QCOMPARE(tagsOf(m_registry, u"ret/app"_s),
             QSet<QString>({u"v1.0.0"_s, u"v1.1.0"_s, u"v1.2.0"_s, u"latest"_s, u"dev-1"_s,
                            u"dev-2"_s, u"nodate"_s}));
    QCOMPARE(tagsOf(m_registry, u"ret/other"_s), QSet<QString>({u"x2"_s, u"x3"_s}));
    QCOMPARE(tagsOf(m_registry, u"notret/app"_s), QSet<QString>{u"ancient"_s});
    closeDialog(dialog);
}

void TestCleanupGui::garbageCollectionShowsTheEstimate()
{
    // Earlier cases deleted manifests through the dialogs: the journal knows them.
    const QString journal = DeleteJournal::defaultPathFor(m_registry.url());
    QVERIFY(DeleteJournal(journal).entries().size() >= 4);

    GarbageCollectionDialog *dialog = m_controller->openGarbageCollection(m_bookmarkId);
    QVERIFY(dialog);
    QCOMPARE(activeModal<GarbageCollectionDialog>(), dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), GarbageCollectionDialog::State::Done, PlanTimeoutMs);
    QCOMPARE(dialog->journalPath(), journal);

    // The same estimate, computed independently.
    auto client = testing::await<RegistryClient *>(
        [&](QObject *ctx, auto done) { m_context->sessions()->client(m_bookmarkId, ctx, done); });
    QVERIFY(client.hasValue());
    GcEstimateJob::Options options;
    options.journalPath = journal;
    options.pruneCollected = false;
    GcEstimateJob job(*client, options);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), PlanTimeoutMs);
    QCOMPARE(job.state(), Job::State::Succeeded);
    const GcEstimate &expected = job.estimate();
    QVERIFY(expected.reclaimableBytes > 0);
    QCOMPARE(dialog->estimate().reclaimableBytes, expected.reclaimableBytes);
    QCOMPARE(dialog->estimate().blobs.size(), expected.blobs.size());
    QSet<QString> shownBlobs;
    QSet<QString> expectedBlobs;
    for (const BlobRef &b : dialog->estimate().blobs)
        shownBlobs << b.digest.toString();
    for (const BlobRef &b : expected.blobs)
        expectedBlobs << b.digest.toString();
    QCOMPARE(shownBlobs, expectedBlobs);
    const QString estimate = child<QLabel>(dialog, "estimateLabel")->text();
    QVERIFY2(estimate.contains(QString::number(expected.reclaimableBytes) + u" bytes"_s),
             qPrintable(estimate));
    QVERIFY2(estimate.contains(u"%1 blob"_s.arg(expected.blobs.size())), qPrintable(estimate));

    // The exact commands, dry run first, with the container name filled in.
    auto *docker = child<QLineEdit>(dialog, "dockerCommandEdit");
    auto *registry = child<QLineEdit>(dialog, "registryCommandEdit");
    auto *debian = child<QLineEdit>(dialog, "debianCommandEdit");
    QCOMPARE(docker->text(), u"docker exec <container> bin/registry garbage-collect --dry-run "
                             u"/etc/docker/registry/config.yml"_s);
    QCOMPARE(registry->text(), u"registry garbage-collect --dry-run <config.yml>"_s);
    QCOMPARE(debian->text(),
             u"docker-registry garbage-collect --dry-run /etc/docker/registry/config.yml"_s);
    auto *container = child<QLineEdit>(dialog, "containerEdit");
    container->clear();
    QTest::keyClicks(container, u"my-registry"_s);
    QCOMPARE(docker->text(), u"docker exec my-registry bin/registry garbage-collect --dry-run "
                             u"/etc/docker/registry/config.yml"_s);
    QTest::mouseClick(child<QCheckBox>(dialog, "dryRunCheck"), Qt::LeftButton);
    QVERIFY(!dialog->dryRun());
    QCOMPARE(docker->text(), u"docker exec my-registry bin/registry garbage-collect "
                             u"/etc/docker/registry/config.yml"_s);
    QCOMPARE(registry->text(), u"registry garbage-collect <config.yml>"_s);
    QCOMPARE(debian->text(), u"docker-registry garbage-collect /etc/docker/registry/config.yml"_s);
    QTest::mouseClick(child<QPushButton>(dialog, "copyDockerButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), docker->text());
    QTest::mouseClick(child<QPushButton>(dialog, "copyDebianButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), debian->text());

    // What to know before running it.
    QVERIFY(child<QLabel>(dialog, "whileItRunsLabel")->text().contains(u"read-only"_s));
    QVERIFY(child<QLabel>(dialog, "deleteUntaggedLabel")->text().contains(u"--delete-untagged"_s));
    QVERIFY(
        child<QLabel>(dialog, "emptyRepositoryLabel")->text().contains(u"stays in the catalog"_s));
    closeDialog(dialog);
}

QTEST_MAIN(TestCleanupGui)
#include "tst_CleanupGui.moc"
