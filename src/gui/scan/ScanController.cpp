#include "ScanController.h"

#include "DatabaseImportJob.h"
#include "DatabaseUpdateJob.h"
#include "ScanResultsPanel.h"
#include "SeverityStyle.h"
#include "VulnerabilityDatabaseDialog.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "main/WharfIcons.h"
#include "model/Format.h"
#include "models/TagTableModel.h"
#include "scan/service/ScanJob.h"
#include "scan/service/ScanPaths.h"
#include "scan/service/ScanQueue.h"
#include "scan/service/TrivyEngine.h"
#include "widgets/DetailPanel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::gui {

namespace {

// Finished database jobs kept for the jobs panel's history.
constexpr int KeptDatabaseJobs = 10;

const QString MirrorKey = u"scan/osvMirror"_s;

// Older finished database jobs leave the jobs panel's history.
void pruneDatabaseJobs(QObject *owner)
{
    const QList<Job *> jobs = owner->findChildren<Job *>(QString(), Qt::FindDirectChildrenOnly);
    int kept = 0;
    for (qsizetype i = jobs.size() - 1; i >= 0; --i) {
        Job *job = jobs.at(i);
        if ((qobject_cast<DatabaseImportJob *>(job) || qobject_cast<DatabaseUpdateJob *>(job)) &&
            job->isFinished() && ++kept > KeptDatabaseJobs)
            job->deleteLater();
    }
}

} // namespace

ScanController::ScanController(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_storage(
          new ScanStorage(ScanPaths::defaultResultsPath(), ScanPaths::defaultDatabasePath(), this))
    , m_queue(new ScanQueue(this))
{
    setObjectName(u"scanController"_s);
    // One PATH lookup at startup; installing trivy later needs a restart to show the actions.
    m_trivyPath = TrivyEngine::findTrivy();
    m_trivyAvailable = !m_trivyPath.isEmpty();

    ScanJob::Options options;
    options.databasePath = m_storage->databasePath();
    m_queue->setDefaultOptions(options);
    connect(m_queue, &ScanQueue::jobAdded, m_window, &MainWindow::trackJob);
    connect(m_queue, &ScanQueue::resultReady, this, &ScanController::onResult);
    connect(m_queue, &ScanQueue::scanFinished, this, [this](ScanJob *job) { onScanFinished(job); });

    setupActions();
    setupPanel();
    watchTagModel();
    refreshDatabaseState();
}

ScanController::~ScanController()
{
    // The window's views and models may be gone already: nothing may call back into them.
    disconnect(m_queue, nullptr, this, nullptr);
    disconnect(m_queue, nullptr, m_window, nullptr);
    for (const Tracked &t : std::as_const(m_tracked)) {
        if (t.job) {
            disconnect(t.job, nullptr, this, nullptr);
            t.job->cancel();
        }
    }
    m_queue->cancelAll();
}

void ScanController::setupActions()
{
    m_scanTags = new QAction(WharfIcons::icon(u"scan"_s), tr("&Scan Selected Tags"), this);
    m_scanTags->setObjectName(u"actionScanTags"_s);
    m_scanTags->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));
    m_scanTags->setToolTip(tr("Scan the selected tags for vulnerabilities in their OS packages "
                              "(linux/amd64, else the first platform)"));
    m_scanTagsTrivy = new QAction(tr("Scan Selected Tags with &Trivy"), this);
    m_scanTagsTrivy->setObjectName(u"actionScanTagsTrivy"_s);
    m_scanTagsTrivy->setToolTip(tr("Pull the selected tags to local archives and scan them with "
                                   "the trivy installed on this computer"));
    m_scanTagsTrivy->setVisible(m_trivyAvailable);
    m_scanRepository = new QAction(WharfIcons::icon(u"scan"_s), tr("Scan &Repository"), this);
    m_scanRepository->setObjectName(u"actionScanRepository"_s);
    m_scanRepository->setToolTip(tr("Scan every tag of the repository for vulnerabilities"));
    m_databaseAction = new QAction(tr("Vulnerability &Database…"), this);
    m_databaseAction->setObjectName(u"actionVulnerabilityDatabase"_s);
    m_databaseAction->setToolTip(
        tr("Status of the local OSV vulnerability data; import or download it"));

    m_window->addTagAction(m_scanTags);
    if (m_trivyAvailable)
        m_window->addTagAction(m_scanTagsTrivy);
    m_window->addRepositoryAction(m_scanRepository);

    m_menu = new QMenu(tr("Se&curity"), m_window);
    m_menu->setObjectName(u"menuSecurity"_s);
    m_menu->addAction(m_scanTags);
    m_menu->addAction(m_scanTagsTrivy);
    m_menu->addAction(m_scanRepository);
    m_menu->addSeparator();
    m_menu->addAction(m_databaseAction);
    auto *help = m_window->findChild<QMenu *>(u"menuHelp"_s);
    m_window->menuBar()->insertMenu(help ? help->menuAction() : nullptr, m_menu);
    connect(m_menu, &QMenu::aboutToShow, this, &ScanController::updateActions);

    connect(m_scanTags, &QAction::triggered, this, [this] { scanSelectedTags(Engine::Wharf); });
    connect(m_scanTagsTrivy, &QAction::triggered, this,
            [this] { scanSelectedTags(Engine::Trivy); });
    connect(m_scanRepository, &QAction::triggered, this, [this] {
        scanRepository(m_window->currentTreeBookmarkId(), m_window->currentTreeRepository());
    });
    connect(m_databaseAction, &QAction::triggered, this, [this] { openDatabaseDialog(); });

    // The window keeps its views to itself; their selections decide what the actions do.
    if (auto *table = m_window->findChild<QAbstractItemView *>(u"tagTable"_s))
        connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &ScanController::updateActions);
    if (auto *tree = m_window->findChild<QAbstractItemView *>(u"registryTree"_s))
        connect(tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &ScanController::updateActions);
    updateActions();
}

void ScanController::updateActions()
{
    const bool tags = !m_window->shownRepository().isEmpty() && !m_window->selectedTags().isEmpty();
    m_scanTags->setEnabled(tags);
    m_scanTagsTrivy->setEnabled(tags && m_trivyAvailable);
    const QString repository = m_window->currentTreeRepository();
    m_scanRepository->setEnabled(!repository.isEmpty());
    m_scanRepository->setText(repository.isEmpty() ? tr("Scan &Repository")
                                                   : tr("Scan &Repository %1").arg(repository));
}

void ScanController::setupPanel()
{
    m_panel = new ScanResultsPanel;
    m_panel->setObjectName(u"scanResultsPanel"_s);
    m_panel->setTrivyAvailable(m_trivyAvailable);
    // The detail panel already follows the tag table, the tree and its own platform picker;
    // results are per platform digest, so a tab there shows the right one without a second
    // selection logic. Without a detail panel the results get a dock of their own.
    m_detail = m_window->findChild<DetailPanel *>();
    if (m_detail) {
        m_detail->addTab(m_panel, tr("Vulnerabilities"));
        connect(m_detail, &DetailPanel::stateChanged, this, &ScanController::onDetailStateChanged);
        connect(m_detail, &DetailPanel::platformChanged, this, &ScanController::onPlatformShown);
    } else {
        auto *dock = new QDockWidget(tr("Vulnerabilities"), m_window);
        dock->setObjectName(u"vulnerabilitiesDock"_s);
        dock->setWidget(m_panel);
        m_window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    }
    connect(m_panel, &ScanResultsPanel::scanRequested, this,
            [this] { scanShownPlatform(Engine::Wharf); });
    connect(m_panel, &ScanResultsPanel::trivyScanRequested, this,
            [this] { scanShownPlatform(Engine::Trivy); });
    connect(m_panel, &ScanResultsPanel::databaseDialogRequested, this,
            [this] { openDatabaseDialog(); });
    connect(m_panel, &ScanResultsPanel::exported, this,
            [this](const QString &path, const QString &error) {
                m_window->showStatus(error.isEmpty()
                                         ? tr("Exported the scan result to %1").arg(path)
                                         : tr("Could not export to %1: %2").arg(path, error),
                                     error.isEmpty() ? 8000 : 20000);
            });
}

void ScanController::watchTagModel()
{
    TagTableModel *tags = m_window->tagModel();
    connect(tags, &QAbstractItemModel::modelReset, this,
            &ScanController::loadSummariesForRepository);
    connect(tags, &TagTableModel::loadFinished, this, &ScanController::loadSummariesForRows);
}

QString ScanController::registryOf(const QString &bookmarkId) const
{
    const auto bookmark = m_window->context()->bookmarks()->byId(bookmarkId);
    return bookmark ? bookmark->toConfig().hostPort() : QString();
}

QString ScanController::digestOf(const Job *job)
{
    if (const auto *scanJob = qobject_cast<const ScanJob *>(job))
        return scanJob->digest();
    if (const auto *trivy = qobject_cast<const TrivyEngine *>(job))
        return trivy->digest();
    return {};
}

// --- scanning ---------------------------------------------------------------------------

void ScanController::withClient(const QString &bookmarkId,
                                const std::function<void(RegistryClient *)> &use)
{
    m_window->context()->sessions()->client(
        bookmarkId, this, [this, use](Expected<RegistryClient *> client) {
            if (!client) {
                m_window->showStatus(client.error().message, 20000);
                return;
            }
            use(*client);
        });
}

void ScanController::scanSelectedTags(Engine engine)
{
    scanTags(m_window->shownBookmarkId(), m_window->shownRepository(), m_window->selectedTags(),
             engine);
}

void ScanController::scanTags(const QString &bookmarkId, const QString &repository,
                              const QStringList &tags, Engine engine)
{
    if (bookmarkId.isEmpty() || repository.isEmpty() || tags.isEmpty()) {
        m_window->showStatus(tr("Select the tags to scan in the tag table first."));
        return;
    }
    if (engine == Engine::Wharf && explainMissingDatabase())
        return;
    withClient(bookmarkId, [this, bookmarkId, repository, tags, engine](RegistryClient *client) {
        for (const QString &tag : tags)
            enqueue(client, bookmarkId, repository, tag, engine);
        m_window->showStatus(tr("Scans queued for %1: %2").arg(repository).arg(tags.size()));
    });
}

void ScanController::scanRepository(const QString &bookmarkId, const QString &repository)
{
    if (bookmarkId.isEmpty() || repository.isEmpty()) {
        m_window->showStatus(tr("Select a repository in the registry tree first."));
        return;
    }
    if (explainMissingDatabase())
        return;
    withClient(bookmarkId, [this, bookmarkId, repository](RegistryClient *client) {
        QPointer<RegistryClient> guard(client);
        client->listTags(
            repository, this, [this, guard, bookmarkId, repository](Expected<QStringList> tags) {
                if (!tags) {
                    m_window->showStatus(
                        tr("Cannot list the tags of %1: %2").arg(repository, tags.error().message),
                        20000);
                    return;
                }
                if (!guard)
                    return;
                for (const QString &tag : *tags)
                    enqueue(guard, bookmarkId, repository, tag, Engine::Wharf);
                m_window->showStatus(
                    tr("Scans queued for %1: %2").arg(repository).arg(tags->size()));
            });
    });
}

void ScanController::scanShownPlatform(Engine engine)
{
    if (m_shown.digest.isEmpty()) {
        m_window->showStatus(tr("Select a tag or platform to scan first."));
        return;
    }
    if (engine == Engine::Wharf && explainMissingDatabase())
        return;
    const Shown shown = m_shown;
    withClient(shown.bookmarkId, [this, shown, engine](RegistryClient *client) {
        // By digest: exactly the platform shown, even if the tag has moved since.
        enqueue(client, shown.bookmarkId, shown.repository, shown.digest, engine);
    });
}

void ScanController::enqueue(RegistryClient *client, const QString &bookmarkId,
                             const QString &repository, const QString &reference, Engine engine)
{
    if (engine == Engine::Wharf) {
        ScanJob *job = m_queue->enqueue(client, repository, reference); // jobAdded: jobs panel
        track(job, engine, bookmarkId, repository, reference);
        return;
    }
    TrivyEngine::Options options;
    options.trivyPath = m_trivyPath; // the one the action was offered for
    auto *job = new TrivyEngine(client, repository, reference, options, this);
    m_window->trackJob(job);
    connect(job, &Job::finished, this, [this, job] { onScanFinished(job); });
    track(job, engine, bookmarkId, repository, reference);
    m_trivyPending << job;
    startNextTrivy();
}

void ScanController::startNextTrivy()
{
    // One trivy at a time: it is heavy, and its own cache does not like concurrent runs.
    if (m_trivyRunning && !m_trivyRunning->isFinished())
        return;
    m_trivyRunning = nullptr;
    while (!m_trivyPending.isEmpty()) {
        QPointer<Job> next = m_trivyPending.takeFirst();
        if (next && !next->isFinished()) {
            m_trivyRunning = next;
            next->start();
            return;
        }
    }
}

void ScanController::track(Job *job, Engine engine, const QString &bookmarkId,
                           const QString &repository, const QString &reference)
{
    m_tracked << Tracked{job, engine, bookmarkId, repository, reference};
    if (auto *scanJob = qobject_cast<ScanJob *>(job)) {
        connect(scanJob, &ScanJob::resolved, this, [this, job] {
            // The digest is known now: it may or may not be the platform shown.
            if (!m_panel)
                return;
            const Job *shownJob = m_panel->scanningJob();
            const Job *active = activeJobForShown();
            if (shownJob == job && active != job)
                refreshShown();
            else if (!shownJob && active == job)
                m_panel->showScanning(job, m_shown.label);
        });
    }
    if (m_panel && relatesToShown(m_tracked.last()) && !m_panel->scanningJob())
        m_panel->showScanning(job, m_shown.label);
}

QList<Job *> ScanController::activeScans() const
{
    QList<Job *> jobs;
    for (const Tracked &t : m_tracked) {
        if (t.job && !t.job->isFinished())
            jobs << t.job;
    }
    return jobs;
}

bool ScanController::relatesToShown(const Tracked &tracked) const
{
    if (m_shown.digest.isEmpty() || !tracked.job)
        return false;
    const QString digest = digestOf(tracked.job);
    if (!digest.isEmpty())
        return digest == m_shown.digest;
    return tracked.bookmarkId == m_shown.bookmarkId && tracked.repository == m_shown.repository &&
           (tracked.reference == m_shown.digest || tracked.reference == m_shown.reference);
}

Job *ScanController::activeJobForShown() const
{
    for (const Tracked &t : m_tracked) {
        if (t.job && !t.job->isFinished() && relatesToShown(t))
            return t.job;
    }
    return nullptr;
}

void ScanController::onScanFinished(Job *job)
{
    Tracked tracked;
    for (qsizetype i = 0; i < m_tracked.size(); ++i) {
        if (m_tracked.at(i).job == job) {
            tracked = m_tracked.takeAt(i);
            break;
        }
    }
    m_tracked.removeIf([](const Tracked &t) { return !t.job; });
    const bool wasShown = relatesToShown(tracked) || (m_panel && m_panel->scanningJob() == job);
    const QString digest = digestOf(job);
    if (job->state() == Job::State::Failed) {
        const QString message = job->error() ? job->error()->message : tr("unknown error");
        if (!digest.isEmpty())
            m_failures.insert(digest, message);
        m_window->showStatus(tr("%1 failed: %2").arg(job->title(), message), 20000);
        if (job->error() && job->error()->kind == Error::Kind::InvalidInput)
            refreshDatabaseState(); // perhaps the database went away
    }
    if (tracked.engine == Engine::Trivy) {
        auto *trivy = qobject_cast<TrivyEngine *>(job);
        if (trivy && job->state() == Job::State::Succeeded)
            onResult(trivy->result());
        startNextTrivy();
    }
    // Succeeded: onResult has shown it already. Otherwise show what the store has again, or
    // the failure.
    if (!wasShown || job->state() == Job::State::Succeeded || !m_panel)
        return;
    if (Job *other = activeJobForShown()) {
        m_panel->showScanning(other, m_shown.label); // another request for the same image
        return;
    }
    // Failed before its digest was known: it was about the reference shown.
    if (job->state() == Job::State::Failed && digest.isEmpty() && job->error())
        m_failures.insert(m_shown.digest, job->error()->message);
    refreshShown();
}

void ScanController::onResult(const ScanResult &result)
{
    if (result.digest.isEmpty())
        return;
    m_failures.remove(result.digest);
    const QString digest = result.digest;
    m_storage->save(result, this, [this, digest](const QString &error) {
        if (!error.isEmpty())
            m_window->showStatus(tr("Could not store the scan result: %1").arg(error), 20000);
        emit resultStored(digest, error);
    });
    applySummary(digest, Summary{result.counts, result.databaseUpdatedAt, result.engine});
    if (m_panel && digest == m_shown.digest && !activeJobForShown()) {
        delete m_shownRequest; // a store lookup still on its way is older than this
        m_shownRequest = nullptr;
        m_panel->showResult(result, isStale(result.databaseUpdatedAt, result.engine),
                            staleReason(result.databaseUpdatedAt));
    }
}

// --- the Vulnerabilities tab ----------------------------------------------------------------

void ScanController::onDetailStateChanged()
{
    if (!m_detail || m_detail->state() == DetailPanel::State::Loaded)
        return; // platformChanged follows
    m_shown = Shown();
    refreshShown();
}

void ScanController::onPlatformShown(const QString &digest)
{
    if (!m_detail || !m_detail->image())
        return;
    const ResolvedImage &image = *m_detail->image();
    const int index = m_detail->currentPlatform();
    Shown shown;
    shown.bookmarkId = m_detail->bookmarkId();
    shown.repository = m_detail->repository();
    shown.reference = m_detail->reference();
    shown.digest = digest;
    if (index >= 0 && index < image.platforms.size())
        shown.platform = image.platforms.at(index).platform.toString();
    const bool byDigest = shown.reference.startsWith(u"sha256:"_s);
    shown.label = shown.repository + (byDigest ? u'@' : u':') + shown.reference;
    if (!shown.platform.isEmpty())
        shown.label += u" ("_s + shown.platform + u')';
    m_shown = shown;
    refreshShown();
}

void ScanController::refreshShown()
{
    delete m_shownRequest;
    m_shownRequest = nullptr;
    if (!m_panel)
        return;
    if (m_shown.digest.isEmpty()) {
        m_panel->setScanAvailable(false);
        m_panel->showNoImage();
        return;
    }
    m_panel->setScanAvailable(true);
    m_panel->showLoading(m_shown.label);
    m_shownRequest = new QObject(this);
    const QString digest = m_shown.digest;
    m_storage->load(digest, m_shownRequest, [this, digest](std::optional<ScanResult> stored) {
        if (digest == m_shown.digest)
            showStored(stored);
    });
}

void ScanController::showStored(const std::optional<ScanResult> &stored)
{
    if (!m_panel)
        return;
    if (stored)
        m_panel->showResult(*stored, isStale(stored->databaseUpdatedAt, stored->engine),
                            staleReason(stored->databaseUpdatedAt));
    if (Job *active = activeJobForShown()) {
        m_panel->showScanning(active, m_shown.label);
        return;
    }
    if (stored)
        return;
    // Without a database every scan fails the same way: say how to get one instead.
    const QString problem = databaseProblem();
    if (!problem.isEmpty()) {
        m_panel->showNoDatabase(problem);
        return;
    }
    if (m_failures.contains(m_shown.digest)) {
        m_panel->showFailed(m_failures.value(m_shown.digest));
        return;
    }
    m_panel->showNotScanned(m_shown.label);
}

QString ScanController::databaseProblem() const
{
    if (!m_database)
        return {}; // not known yet: let the scan find out
    const ScanStorage::DatabaseState &db = *m_database;
    const QString how = tr("Use Security ▸ Vulnerability Database… to import an OSV all.zip "
                           "(offline) or to download the data from a mirror, then scan again.");
    if (!db.exists)
        return tr("There is no vulnerability database yet (%1). %2").arg(db.path, how);
    if (!db.status.ok)
        return tr("The vulnerability database %1 cannot be read: %2. %3")
            .arg(db.path, db.status.error, how);
    if (db.status.totalRecords == 0)
        return tr("The vulnerability database %1 is empty. %2").arg(db.path, how);
    return {};
}

bool ScanController::explainMissingDatabase()
{
    const QString problem = databaseProblem();
    if (problem.isEmpty())
        return false;
    if (m_panel && !m_shown.digest.isEmpty()) {
        m_panel->showNoDatabase(problem);
        focusPanel();
    }
    m_window->showStatus(problem, 20000);
    return true;
}

void ScanController::focusPanel()
{
    if (!m_panel)
        return;
    for (QWidget *w = m_panel->parentWidget(); w; w = w->parentWidget()) {
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            tabs->setCurrentWidget(m_panel);
            return;
        }
        if (auto *dock = qobject_cast<QDockWidget *>(w)) {
            dock->show();
            dock->raise();
            return;
        }
    }
}

bool ScanController::isStale(const QDateTime &databaseUpdatedAt, const QString &engine) const
{
    // Trivy brings its own database; only Wharf's results are matched against this one.
    if (engine == u"trivy"_s || !m_database || !m_database->exists || !m_database->status.ok)
        return false;
    return ScanResultStore::isStale(databaseUpdatedAt, m_database->status);
}

QString ScanController::staleReason(const QDateTime &databaseUpdatedAt) const
{
    if (!m_database)
        return {};
    return tr("the vulnerability database was updated on %1, after the data this scan used (%2), "
              "so newer vulnerabilities or fixes may be missing.")
        .arg(Format::dateTime(m_database->status.lastChange), Format::dateTime(databaseUpdatedAt));
}

// --- the tag table's column -----------------------------------------------------------------

void ScanController::loadSummariesForRepository()
{
    delete m_repositoryRequest;
    m_repositoryRequest = nullptr;
    const TagTableModel *tags = m_window->tagModel();
    if (tags->repository().isEmpty())
        return;
    const QString registry = registryOf(tags->bookmarkId());
    if (registry.isEmpty())
        return;
    m_repositoryRequest = new QObject(this);
    m_storage->summariesFor(
        registry, tags->repository(), m_repositoryRequest,
        [this](const QList<ScanResultStore::Summary> &summaries) {
            for (const ScanResultStore::Summary &s : summaries)
                applySummary(s.digest, Summary{s.counts, s.databaseUpdatedAt, s.engine});
        });
}

void ScanController::loadSummariesForRows()
{
    // The same image may have been scanned under another repository or registry name: look
    // every digest of the loaded rows up once.
    const TagTableModel *tags = m_window->tagModel();
    QStringList digests;
    for (int row = 0; row < tags->rowCount(); ++row) {
        const ResolvedImagePtr image = tags->imageAt(row);
        if (!image)
            continue;
        for (const ImagePlatform &p : image->platforms) {
            const QString digest = p.digest.toString();
            if (!m_summaries.contains(digest))
                digests << digest;
        }
    }
    if (digests.isEmpty())
        return;
    m_storage->summaries(digests, this, [this](const ScanStorage::Summaries &summaries) {
        for (auto it = summaries.cbegin(); it != summaries.cend(); ++it)
            applySummary(it.key(), Summary{it->counts, it->databaseUpdatedAt, it->engine});
    });
}

void ScanController::applySummary(const QString &digest, const Summary &summary)
{
    m_summaries.insert(digest, summary);
    QString text = SeverityStyle::shortCounts(summary.counts);
    if (isStale(summary.databaseUpdatedAt, summary.engine))
        text = tr("%1 (stale)").arg(text);
    m_window->tagModel()->setVulnerabilitySummary(digest, text,
                                                  SeverityStyle::sortKey(summary.counts));
    emit summaryApplied(digest);
}

void ScanController::reapplySummaries()
{
    const QHash<QString, Summary> all = m_summaries;
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        applySummary(it.key(), it.value());
}

// --- the vulnerability database -------------------------------------------------------------

void ScanController::refreshDatabaseState()
{
    m_storage->databaseState(this, [this](const ScanStorage::DatabaseState &state) {
        m_database = state;
        reapplySummaries();
        if (m_panel && !m_shown.digest.isEmpty()) {
            const auto panelState = m_panel->state();
            if (m_panel->hasResult() && panelState == ScanResultsPanel::State::Loaded) {
                const ScanResult &r = m_panel->result();
                m_panel->setStale(isStale(r.databaseUpdatedAt, r.engine),
                                  staleReason(r.databaseUpdatedAt));
            } else if (panelState == ScanResultsPanel::State::NoDatabase ||
                       panelState == ScanResultsPanel::State::NotScanned ||
                       panelState == ScanResultsPanel::State::Failed) {
                showStored(std::nullopt); // the database may have appeared or gone
            }
        }
        emit databaseStateChanged();
    });
}

DatabaseImportJob *ScanController::importDatabase(const QStringList &zipPaths)
{
    if (m_databaseJob && !m_databaseJob->isFinished()) {
        m_window->showStatus(tr("The vulnerability database is being updated already."));
        return nullptr;
    }
    QList<DatabaseImportJob::Import> imports;
    for (const QString &zip : zipPaths)
        imports << DatabaseImportJob::Import{zip, QString()};
    auto *job = new DatabaseImportJob(m_storage->databasePath(), imports, this);
    m_databaseJob = job;
    m_window->trackJob(job);
    connect(job, &Job::finished, this, [this, job] {
        if (job->state() == Job::State::Succeeded)
            m_failures.clear(); // failures for want of data are worth another try
        refreshDatabaseState();
        if (job->state() == Job::State::Succeeded)
            m_window->showStatus(tr("Vulnerability database: %1").arg(job->statusText()));
        else if (job->error())
            m_window->showStatus(job->error()->message, 20000);
    });
    emit databaseJobStarted(job);
    job->start();
    pruneDatabaseJobs(this);
    return job;
}

DatabaseUpdateJob *ScanController::updateDatabase(const QUrl &mirror, const QStringList &ecosystems)
{
    if (m_databaseJob && !m_databaseJob->isFinished()) {
        m_window->showStatus(tr("The vulnerability database is being updated already."));
        return nullptr;
    }
    setMirror(mirror);
    auto *job = new DatabaseUpdateJob(m_storage->databasePath(), mirror, ecosystems,
                                      ScanPaths::downloadDirectory(), this);
    m_databaseJob = job;
    m_window->trackJob(job);
    connect(job, &Job::finished, this, [this, job] {
        if (job->state() == Job::State::Succeeded)
            m_failures.clear();
        refreshDatabaseState();
        if (job->state() == Job::State::Succeeded)
            m_window->showStatus(tr("The vulnerability database was updated from %1.")
                                     .arg(job->mirror().toString()));
        else if (job->error())
            m_window->showStatus(job->error()->message, 20000);
    });
    emit databaseJobStarted(job);
    job->start();
    pruneDatabaseJobs(this);
    return job;
}

QUrl ScanController::mirror() const
{
    QSettings settings(m_window->context()->uiSettingsPath(), QSettings::IniFormat);
    const QUrl stored(settings.value(MirrorKey).toString(), QUrl::StrictMode);
    if (stored.isValid() && !stored.isEmpty())
        return stored;
    const QString env = qEnvironmentVariable("WHARF_OSV_MIRROR");
    if (!env.isEmpty())
        return QUrl(env, QUrl::StrictMode);
    return OsvDownloader::defaultMirror();
}

void ScanController::setMirror(const QUrl &mirror)
{
    QSettings settings(m_window->context()->uiSettingsPath(), QSettings::IniFormat);
    if (mirror == OsvDownloader::defaultMirror())
        settings.remove(MirrorKey);
    else
        settings.setValue(MirrorKey, mirror.toString());
}

QStringList ScanController::defaultEcosystems() const
{
    QStringList ecosystems;
    if (m_database) {
        for (const auto &e : m_database->status.ecosystems) {
            // "Ubuntu:22.04:LTS" comes from the "Ubuntu" export.
            const QString bulk = e.ecosystem.section(u':', 0, 0);
            if (!bulk.isEmpty() && !ecosystems.contains(bulk))
                ecosystems << bulk;
        }
    }
    if (ecosystems.isEmpty())
        ecosystems = {u"Debian"_s, u"Ubuntu"_s, u"Alpine"_s};
    return ecosystems;
}

VulnerabilityDatabaseDialog *ScanController::openDatabaseDialog()
{
    if (m_dialog) {
        m_dialog->show();
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    auto *dialog = new VulnerabilityDatabaseDialog(this, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    dialog->show();
    refreshDatabaseState();
    return dialog;
}

} // namespace wharf::gui
