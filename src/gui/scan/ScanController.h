#pragma once

#include "ScanResultsPanel.h"
#include "ScanStorage.h"
#include "scan/service/ScanResult.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <optional>

class QAction;
class QMenu;

namespace wharf {
class Job;
class RegistryClient;
namespace scan {
class ScanJob;
class ScanQueue;
} // namespace scan
} // namespace wharf

namespace wharf::gui {

class DatabaseImportJob;
class DatabaseUpdateJob;
class DetailPanel;
class MainWindow;
class VulnerabilityDatabaseDialog;

// Plugs vulnerability scanning into the main window (issue 5):
// - actions: "Scan Selected Tags" (tag table menu, Security menu, Ctrl+Shift+S), the same with
//   Trivy when `trivy` is on PATH, "Scan Repository" (tree menu on repositories: every tag),
//   "Vulnerability Database…";
// - one app-wide ScanQueue (two scans at once, the same digest never twice at once); every
//   scan is a job in the jobs panel with progress and Cancel; results go to the results store;
// - a "Vulnerabilities" tab in the detail panel (ScanResultsPanel) following the platform the
//   panel shows: earlier results come from the store by platform digest, marked stale when the
//   database was updated after them;
// - the tag table's Vulnerabilities column, filled from the store when a repository loads and
//   updated when a scan finishes.
//
// Paths are those of wharfctl (ScanPaths: $WHARF_DATA_DIR or the user data directory). SQLite
// is only touched off the GUI thread: ScanStorage for reads and saves, the scan workers, and the
// import/update jobs.
class ScanController : public QObject
{
    Q_OBJECT
public:
    enum class Engine { Wharf, Trivy };
    Q_ENUM(Engine)

    explicit ScanController(MainWindow *window);
    ~ScanController() override;

    scan::ScanQueue *queue() const { return m_queue; }
    ScanStorage *storage() const { return m_storage; }
    ScanResultsPanel *panel() const { return m_panel; }
    QAction *scanTagsAction() const { return m_scanTags; }
    QAction *scanTagsWithTrivyAction() const { return m_scanTagsTrivy; }
    QAction *scanRepositoryAction() const { return m_scanRepository; }
    QAction *databaseAction() const { return m_databaseAction; }
    QMenu *menu() const { return m_menu; }
    bool isTrivyAvailable() const { return m_trivyAvailable; }

    // What the actions do. Each returns at once; the scans show up as jobs.
    void scanSelectedTags(Engine engine = Engine::Wharf);
    void scanTags(const QString &bookmarkId, const QString &repository, const QStringList &tags,
                  Engine engine = Engine::Wharf);
    void scanRepository(const QString &bookmarkId, const QString &repository);
    // The platform the detail panel shows, by its digest.
    void scanShownPlatform(Engine engine = Engine::Wharf);
    // Scans started by this controller that have not finished.
    QList<Job *> activeScans() const;

    // The vulnerability database: last known state (empty until the first answer).
    const std::optional<ScanStorage::DatabaseState> &databaseState() const { return m_database; }
    void refreshDatabaseState();
    Job *databaseJob() const { return m_databaseJob; }
    // Start a background import / download (one database job at a time; null while one runs).
    DatabaseImportJob *importDatabase(const QStringList &zipPaths);
    DatabaseUpdateJob *updateDatabase(const QUrl &mirror, const QStringList &ecosystems);
    // The OSV mirror: remembered in the UI settings; else $WHARF_OSV_MIRROR; else the bucket.
    QUrl mirror() const;
    void setMirror(const QUrl &mirror);
    // Ecosystems an update fetches by default: those in the database, else Debian, Ubuntu and
    // Alpine.
    QStringList defaultEcosystems() const;
    VulnerabilityDatabaseDialog *openDatabaseDialog();
    // Why scanning cannot work with the current database, or empty when it can.
    QString databaseProblem() const;

    // The platform digest the Vulnerabilities tab follows.
    QString shownDigest() const { return m_shown.digest; }

signals:
    void databaseStateChanged();
    void databaseJobStarted(wharf::Job *job);
    // A result was written to the store (error empty) or could not be (error set).
    void resultStored(const QString &digest, const QString &error);
    // The tag table's Vulnerabilities column got the counts of this digest.
    void summaryApplied(const QString &digest);

private:
    struct Shown
    {
        QString bookmarkId;
        QString repository;
        QString reference;
        QString digest;
        QString platform;
        QString label;
    };
    struct Tracked
    {
        QPointer<Job> job;
        Engine engine = Engine::Wharf;
        QString bookmarkId;
        QString repository;
        QString reference;
    };
    struct Summary
    {
        scan::SeverityCounts counts;
        QDateTime databaseUpdatedAt;
        QString engine;
    };

    void setupActions();
    void setupPanel();
    void watchTagModel();
    void updateActions();
    void withClient(const QString &bookmarkId,
                    const std::function<void(RegistryClient *client)> &use);
    void enqueue(RegistryClient *client, const QString &bookmarkId, const QString &repository,
                 const QString &reference, Engine engine);
    void track(Job *job, Engine engine, const QString &bookmarkId, const QString &repository,
               const QString &reference);
    void startNextTrivy();
    void onScanFinished(Job *job);
    void onResult(const scan::ScanResult &result);
    void onDetailStateChanged();
    void onPlatformShown(const QString &digest);
    void refreshShown();
    void showStored(const std::optional<scan::ScanResult> &stored);
    Job *activeJobForShown() const;
    bool relatesToShown(const Tracked &tracked) const;
    bool explainMissingDatabase();
    void focusPanel();
    void loadSummariesForRepository();
    void loadSummariesForRows();
    void applySummary(const QString &digest, const Summary &summary);
    void reapplySummaries();
    bool isStale(const QDateTime &databaseUpdatedAt, const QString &engine) const;
    QString staleReason(const QDateTime &databaseUpdatedAt) const;
    QString registryOf(const QString &bookmarkId) const;
    static QString digestOf(const Job *job);

    MainWindow *m_window;
    QPointer<DetailPanel> m_detail;
    ScanStorage *m_storage;
    scan::ScanQueue *m_queue;
    QPointer<ScanResultsPanel> m_panel; // lives in the detail panel, which may go first
    QAction *m_scanTags = nullptr;
    QAction *m_scanTagsTrivy = nullptr;
    QAction *m_scanRepository = nullptr;
    QAction *m_databaseAction = nullptr;
    QMenu *m_menu = nullptr;
    QString m_trivyPath; // found on PATH at startup; empty: no Trivy
    bool m_trivyAvailable = false;

    QList<Tracked> m_tracked;
    QList<QPointer<Job>> m_trivyPending;
    QPointer<Job> m_trivyRunning;
    QHash<QString, QString> m_failures;  // platform digest -> why its last scan failed
    QHash<QString, Summary> m_summaries; // digest -> counts shown in the tag table
    std::optional<ScanStorage::DatabaseState> m_database;
    QPointer<Job> m_databaseJob;
    QPointer<VulnerabilityDatabaseDialog> m_dialog;

    Shown m_shown;
    QObject *m_shownRequest = nullptr; // context of the store lookup for m_shown
    QObject *m_repositoryRequest = nullptr;
};

} // namespace wharf::gui
