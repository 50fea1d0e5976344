#include "ScanStorage.h"

#include <QFileInfo>
#include <QPointer>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::gui {

// Touched only on the storage thread.
struct ScanStorage::Worker
{
    QString resultsPath;
    QString databasePath;
    std::unique_ptr<ScanResultStore> store;
    std::unique_ptr<VulnerabilityDatabase> database;
    QString storeError;

    // Reading never creates the store: browsing leaves no files behind; the first save does.
    ScanResultStore *results(bool create = false)
    {
        if (store && store->isOpen())
            return store.get();
        if (!create && !QFileInfo(resultsPath).isFile())
            return nullptr;
        store = std::make_unique<ScanResultStore>();
        if (!store->open(resultsPath)) {
            storeError = store->lastError();
            qWarning("scan results store %s: %s", qPrintable(resultsPath), qPrintable(storeError));
            store.reset();
            return nullptr;
        }
        return store.get();
    }

    DatabaseState databaseState()
    {
        DatabaseState state;
        state.path = databasePath;
        state.exists = QFileInfo(databasePath).isFile();
        if (!state.exists) {
            database.reset(); // it may come back through an import: reopen then
            state.status.error = u"no database file"_s;
            return state;
        }
        if (!database || !database->isOpen()) {
            database = std::make_unique<VulnerabilityDatabase>();
            if (!database->open(databasePath)) {
                state.status.error = database->lastError();
                database.reset();
                return state;
            }
        }
        state.status = database->status();
        return state;
    }

    void shutdown()
    {
        store.reset();
        database.reset();
    }
};

ScanStorage::ScanStorage(const QString &resultsPath, const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_resultsPath(resultsPath)
    , m_databasePath(databasePath)
    , m_threadObject(new QObject)
    , m_worker(std::make_shared<Worker>())
{
    m_worker->resultsPath = resultsPath;
    m_worker->databasePath = databasePath;
    m_thread.setObjectName(u"wharf-scan-storage"_s);
    m_threadObject->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_threadObject, &QObject::deleteLater);
    m_thread.start(QThread::LowPriority);
}

ScanStorage::~ScanStorage()
{
    // Close the connections on the thread that opened them, after the work queued before.
    std::shared_ptr<Worker> worker = m_worker;
    QMetaObject::invokeMethod(
        m_threadObject,
        [worker] {
            worker->shutdown();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
    // Answers still queued for this object are dropped with it.
}

template<class R>
void ScanStorage::post(std::function<R(Worker &)> work, QObject *context,
                       std::function<void(R)> done)
{
    auto guard = std::make_shared<QPointer<QObject>>(context);
    const bool wantsAnswer = bool(done);
    auto answer = std::make_shared<std::function<void(R)>>(std::move(done));
    std::shared_ptr<Worker> worker = m_worker;
    QMetaObject::invokeMethod(
        m_threadObject,
        [this, worker, work = std::move(work), guard, answer, wantsAnswer] {
            R result = work(*worker);
            if (!wantsAnswer)
                return;
            // Back on this object's thread: the guard is only read there.
            QMetaObject::invokeMethod(
                this,
                [guard, answer, result = std::move(result)]() mutable {
                    if (*guard)
                        (*answer)(std::move(result));
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void ScanStorage::load(const QString &digest, QObject *context,
                       std::function<void(std::optional<ScanResult>)> done)
{
    post<std::optional<ScanResult>>(
        [digest](Worker &w) -> std::optional<ScanResult> {
            ScanResultStore *store = w.results();
            return store ? store->load(digest) : std::nullopt;
        },
        context, std::move(done));
}

void ScanStorage::summaries(const QStringList &digests, QObject *context,
                            std::function<void(Summaries)> done)
{
    post<Summaries>(
        [digests](Worker &w) -> Summaries {
            ScanResultStore *store = w.results();
            return store ? store->summaries(digests) : Summaries();
        },
        context, std::move(done));
}

void ScanStorage::summariesFor(const QString &registry, const QString &repository, QObject *context,
                               std::function<void(QList<ScanResultStore::Summary>)> done)
{
    post<QList<ScanResultStore::Summary>>(
        [registry, repository](Worker &w) -> QList<ScanResultStore::Summary> {
            ScanResultStore *store = w.results();
            return store ? store->summariesFor(registry, repository)
                         : QList<ScanResultStore::Summary>();
        },
        context, std::move(done));
}

void ScanStorage::save(const ScanResult &result, QObject *context,
                       std::function<void(QString)> done)
{
    post<QString>(
        [result](Worker &w) -> QString {
            ScanResultStore *store = w.results(true);
            if (!store)
                return w.storeError;
            return store->save(result) ? QString() : store->lastError();
        },
        context ? context : this, std::move(done));
}

void ScanStorage::databaseState(QObject *context, std::function<void(DatabaseState)> done)
{
    post<DatabaseState>([](Worker &w) { return w.databaseState(); }, context, std::move(done));
}

} // namespace wharf::gui
