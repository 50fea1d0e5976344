#pragma once

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QLabel;
class QSettings;

namespace Ui {
class MainWindow;
}

namespace wharf {
class Job;
}

namespace wharf::gui {

class AppContext;
class JobListModel;
class JobStatusWidget;
class JobsPanel;
class RegistryTreeModel;
class TagFilterProxyModel;
class TagTableModel;

// The window people open every day: the registry tree on the left, the selected repository's
// tags on the right with the detail panel below, jobs in a dock and the status bar.
// Remembers its geometry, layout and last selection.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(AppContext *context, QWidget *parent = nullptr);
    ~MainWindow() override;

    RegistryTreeModel *treeModel() const { return m_tree; }
    TagTableModel *tagModel() const { return m_tags; }
    TagFilterProxyModel *tagProxy() const { return m_proxy; }
    JobListModel *jobs() const { return m_jobs; }
    // Adds a long operation to the jobs dock and the status bar.
    void trackJob(Job *job);
    // Copies the reference(s) of the selection in `from` (the tag table or the tree; the
    // focused one when null): what Ctrl+C does.
    void copyReference(QObject *from = nullptr);
    // Opens the last selection again once the tree has loaded it.
    void restoreSelection();

    // For feature controllers (cleanup, scanning) that plug into the window:
    AppContext *context() const { return m_context; }
    QString shownBookmarkId() const;
    QString shownRepository() const;
    // Tags selected in the tag table (source order), for bulk actions.
    QStringList selectedTags() const;
    // The tree's current node: bookmark id, repository, tag (each may be empty).
    QString currentTreeBookmarkId() const;
    QString currentTreeRepository() const;
    QAction *deleteAction() const;
    // Adds an action to the tag table's context menu (and the tag table's shortcuts).
    void addTagAction(QAction *action);
    // Adds an action to the tree's context menu for repository or bookmark nodes.
    void addRepositoryAction(QAction *action);
    void addRegistryAction(QAction *action);
    void showStatus(const QString &text, int timeoutMs = 8000);

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setupActions();
    void setupTree();
    void setupTags();
    void setupDocks();
    void onTreeCurrentChanged(const QModelIndex &current);
    void onTagCurrentChanged(const QModelIndex &current);
    void showTreeContextMenu(const QPoint &pos);
    void showTagContextMenu(const QPoint &pos);
    void addRegistry();
    void editRegistry();
    void removeRegistry();
    void moveRegistry(int delta);
    void refresh();
    void computeRegistryTotals();
    void selectAllMatching();
    void updateActions();
    void updateTotals();
    void showAbout();
    QString currentBookmarkId() const;
    QString registryHost(const QString &bookmarkId) const;
    QStringList selectedTagReferences() const;
    void saveState();
    void restoreWindowState();

    std::unique_ptr<Ui::MainWindow> m_ui;
    AppContext *m_context;
    std::unique_ptr<QSettings> m_uiSettings;
    RegistryTreeModel *m_tree = nullptr;
    TagTableModel *m_tags = nullptr;
    TagFilterProxyModel *m_proxy = nullptr;
    JobListModel *m_jobs = nullptr;
    JobsPanel *m_jobsPanel = nullptr;
    JobStatusWidget *m_jobStatus = nullptr;
    QLabel *m_keychainWarning = nullptr;
    QString m_shownBookmark;
    QString m_shownRepository;
    QString m_registryTotals; // last "registry totals" text for the shown bookmark
    QList<QAction *> m_tagActions;
    QList<QAction *> m_repositoryActions;
    QList<QAction *> m_registryActions;
};

} // namespace wharf::gui
