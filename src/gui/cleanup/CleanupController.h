#pragma once

#include "cleanup/DeleteJob.h"
#include "cleanup/DeletePlan.h"

#include <QObject>
#include <QPointer>

class QAction;
class QItemSelectionModel;
class QMenu;

namespace wharf {
class Job;
class RetentionPolicyStore;
} // namespace wharf

namespace wharf::gui {

class DeletePlanDialog;
class GarbageCollectionDialog;
class MainWindow;
class RetentionPolicyDialog;

// Plugs safe cleanup into the main window (issue 4): handles the Delete action for the tags
// selected in the tag table, adds "Delete Repository…" to the tree's repository menu,
// "Retention Policies…" and "Garbage Collection…" to a Cleanup menu and the registry menu,
// and opens the dialogs for them. Every job the dialogs start appears in the jobs panel;
// delete jobs belong to the controller, so they finish (and the views refresh) even when
// their dialog was closed.
class CleanupController : public QObject
{
    Q_OBJECT
public:
    explicit CleanupController(MainWindow *window);
    ~CleanupController() override;

    QAction *deleteRepositoryAction() const { return m_deleteRepository; }
    QAction *retentionAction() const { return m_retention; }
    QAction *garbageCollectionAction() const { return m_garbageCollection; }
    QMenu *menu() const { return m_menu; }
    RetentionPolicyStore *policies() const { return m_policies; }

    // What the actions do; each returns the dialog it opened (window-modal, deleted on close),
    // or null with the reason in the status bar.
    DeletePlanDialog *deleteSelectedTags();
    DeletePlanDialog *deleteRepository(const QString &bookmarkId, const QString &repository);
    DeletePlanDialog *openDeleteDialog(const QString &bookmarkId,
                                       const QList<DeleteSelection> &selections,
                                       QWidget *parent = nullptr);
    DeletePlanDialog *openPlan(const QString &bookmarkId, const DeletePlan &plan,
                               const QString &intro, QWidget *parent = nullptr);
    RetentionPolicyDialog *openRetentionPolicies(const QString &bookmarkId);
    GarbageCollectionDialog *openGarbageCollection(const QString &bookmarkId,
                                                   QWidget *parent = nullptr);

signals:
    // A delete job finished and the views were asked to reload what it touched.
    void deleteFinished(wharf::DeleteJob *job);

private:
    DeletePlanDialog *newDeleteDialog(const QString &bookmarkId, QWidget *parent);
    void onDeleteStarted(const QString &bookmarkId, DeleteJob *job);
    void refreshAfterDelete(const QString &bookmarkId, const DeleteJob *job);
    void updateActions();
    void forgetRemovedBookmarks();
    void pruneFinishedJobs();
    QString targetBookmarkId() const;

    MainWindow *m_window;
    RetentionPolicyStore *m_policies;
    QAction *m_deleteRepository;
    QAction *m_retention;
    QAction *m_garbageCollection;
    QMenu *m_menu;
    QPointer<QItemSelectionModel> m_tagSelection; // the tag table's
    QList<QPointer<DeleteJob>> m_deleteJobs;      // kept for the jobs panel's history
};

} // namespace wharf::gui
