// wharf-gui-bench: the tag table on one repository of 10,000 tags, as the desktop app shows it.
//
//   wharf-gui-bench [--tags 10000] [--platforms 2] [--max-in-flight 32] [--seeder PATH]
//
// Seeds a registry storage directly (tools/wharf-seed-storage), starts docker-registry on it,
// then shows a QTableView over TagFilterProxyModel/TagTableModel (offscreen unless
// QT_QPA_PLATFORM says otherwise) and prints JSON: seconds until every tag row is present and
// until every tag is resolved, the longest the GUI event loop went without running while
// loading, filter latency over ~20 keystroke-like changes (median/max, unsorted and sorted by
// size), sort times, the tree's time to list the tags, and peak RSS.

#include "ModelTestEnvironment.h"

#include "TestRegistry.h"

#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "models/RegistryTreeModel.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableLoadJob.h"
#include "models/TagTableModel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace wharf::gui;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "wharf-gui-bench: %s\n", qPrintable(message));
    return 1;
}

// CPU seconds this process (not the registry or the seeder) has used so far.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

// Runs the event loop until done() or the timeout; false on timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    // Sleeps in the event loop (no busy polling: the GUI thread's CPU time is measured too)
    // and looks again at least every 10 ms.
    QTimer wake;
    wake.start(10);
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

// One keystroke: the proxy refilters, the view relayouts and repaints what is visible.
double timeFilter(TagFilterProxyModel &proxy, QTableView &view, const QString &text)
{
    QElapsedTimer timer;
    timer.start();
    proxy.setFilterText(text);
    const qint64 a = timer.nsecsElapsed();
    QCoreApplication::processEvents();
    const qint64 b = timer.nsecsElapsed();
    view.viewport()->repaint();
    const qint64 c = timer.nsecsElapsed();
    if (qEnvironmentVariableIsSet("WHARF_BENCH_DEBUG"))
        std::fprintf(stderr, "%-16s proxy %7.2f events %7.2f paint %7.2f ms\n", qPrintable(text),
                     a / 1e6, (b - a) / 1e6, (c - b) / 1e6);
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

QJsonObject filterRun(TagFilterProxyModel &proxy, QTableView &view, const QStringList &typing)
{
    QList<double> times;
    QJsonArray steps;
    for (const QString &text : typing) {
        const double ms = timeFilter(proxy, view, text);
        times << ms;
        steps.append(QJsonObject{
            {u"text"_s, text}, {u"rows"_s, proxy.rowCount()}, {u"ms"_s, qRound(ms * 100) / 100.0}});
    }
    return QJsonObject{
        {u"keystrokes"_s, static_cast<int>(times.size())},
        {u"medianMs"_s, qRound(median(times) * 100) / 100.0},
        {u"maxMs"_s, qRound(*std::max_element(times.cbegin(), times.cend()) * 100) / 100.0},
        {u"steps"_s, steps}};
}

double timeSort(QTableView &view, int column, Qt::SortOrder order)
{
    QElapsedTimer timer;
    timer.start();
    view.sortByColumn(column, order);
    QCoreApplication::processEvents();
    view.viewport()->repaint();
    return qRound(static_cast<double>(timer.nsecsElapsed()) / 1e4) / 100.0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wharf-gui-bench"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Times the tag table on a large repository."_s);
    parser.addHelpOption();
    const QCommandLineOption tagsOption(u"tags"_s, u"Tags in the repository."_s, u"n"_s,
                                        u"10000"_s);
    const QCommandLineOption platformsOption(u"platforms"_s, u"Platforms per tag."_s, u"n"_s,
                                             u"2"_s);
    const QCommandLineOption inFlightOption(u"max-in-flight"_s, u"Requests in flight."_s, u"n"_s,
                                            u"32"_s);
    const QCommandLineOption seederOption(u"seeder"_s, u"Path of wharf-seed-storage."_s, u"path"_s,
                                          QStringLiteral(WHARF_BINARY_DIR) +
                                              u"/tools/wharf-seed-storage"_s);
    parser.addOptions({tagsOption, platformsOption, inFlightOption, seederOption});
    parser.process(app);
    const int tagCount = parser.value(tagsOption).toInt();
    const int platforms = parser.value(platformsOption).toInt();
    const int maxInFlight = parser.value(inFlightOption).toInt();
    if (tagCount < 1 || platforms < 1 || maxInFlight < 1)
        return fail(u"--tags, --platforms and --max-in-flight must be positive"_s);

    // 1. Storage with one repository of tagCount tags, in memory when there is a tmpfs: the
    //    disk's speed is not what this measures, and deleting 100,000 files takes minutes.
    const QString shm = u"/dev/shm"_s;
    QTemporaryDir storage(QFileInfo(shm).isWritable()
                              ? shm + u"/wharf-gui-bench-XXXXXX"_s
                              : QDir::tempPath() + u"/wharf-gui-bench-XXXXXX"_s);
    if (!storage.isValid())
        return fail(u"cannot create a temporary directory"_s);
    QElapsedTimer phase;
    phase.start();
    QProcess seed;
    seed.start(parser.value(seederOption),
               {u"--root"_s, storage.path(), u"--repos"_s, u"1"_s, u"--tags"_s,
                QString::number(tagCount), u"--platforms"_s, QString::number(platforms),
                u"--prefix"_s, u"bench/app"_s});
    if (!seed.waitForFinished(600000) || seed.exitCode() != 0)
        return fail(u"seeding failed: "_s + QString::fromUtf8(seed.readAllStandardError()) +
                    seed.errorString());
    const double seedSeconds = phase.nsecsElapsed() / 1e9;
    const QString repository = u"bench/app-000"_s;

    // 2. A registry on it.
    wharf::test::RegistryOptions options;
    options.storageDir = storage.path();
    options.logLevel = u"error"_s;
    wharf::test::TestRegistry registry(options);
    QString error;
    if (!registry.start(&error))
        return fail(error);

    // 3. What the app has: sessions, a tag table in a view, sorted by tag.
    test::ModelTestEnvironment env(maxInFlight);
    const QString bookmark = env.addBookmark(u"bench"_s, registry.url(), {}, &error);
    if (bookmark.isEmpty())
        return fail(error);
    TagTableModel model(env.sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(TagTableModel::TagColumn, Qt::AscendingOrder);
    view.setSelectionBehavior(QAbstractItemView::SelectRows);
    view.setSelectionMode(QAbstractItemView::ExtendedSelection);
    view.verticalHeader()->setDefaultSectionSize(22);
    view.resize(1400, 900);
    view.show();

    int dataChanged = 0;
    QObject::connect(&model, &QAbstractItemModel::dataChanged, &model, [&] { ++dataChanged; });
    int progressSignals = 0;
    QObject::connect(&model, &TagTableModel::loadStarted, &model, [&](wharf::Job *job) {
        QObject::connect(job, &wharf::Job::progressChanged, job, [&] { ++progressSignals; });
    });
    // How long the GUI thread goes without running its event loop while loading.
    QElapsedTimer tickClock;
    qint64 lastTick = 0;
    qint64 maxStallMs = 0;
    QTimer ticker;
    ticker.setInterval(5);
    double maxStallAt = 0;
    int resolvedAtMaxStall = 0;
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = tickClock.elapsed();
        if (now - lastTick > maxStallMs) {
            maxStallMs = now - lastTick;
            maxStallAt = now / 1000.0;
            resolvedAtMaxStall = model.resolvedCount();
        }
        lastTick = now;
    });

    QElapsedTimer load;
    double rowsSeconds = -1;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, &model, [&] {
        if (model.rowCount() == tagCount && rowsSeconds < 0)
            rowsSeconds = load.nsecsElapsed() / 1e9;
    });
    tickClock.start();
    ticker.start();
    const double cpuAtStart = cpuSeconds();
    load.start();
    model.setRepository(bookmark, repository);
    QPointer<TagTableLoadJob> job = model.currentJob();
    if (!waitFor([&] { return !job || job->isFinished(); }, 1800000))
        return fail(u"loading did not finish in 30 minutes"_s);
    const double resolvedSeconds = load.nsecsElapsed() / 1e9;
    const double loadCpuSeconds = cpuSeconds() - cpuAtStart;
    ticker.stop();
    std::fprintf(stderr, "rows after %.2f s, resolved after %.2f s\n", rowsSeconds,
                 resolvedSeconds);
    if (!job || job->state() != wharf::Job::State::Succeeded)
        return fail(u"loading failed: "_s +
                    (job && job->error() ? job->error()->message : QString()));
    // Let the last batch reach the view.
    waitFor([] { return false; }, 100);
    const qint64 requests = env.sessions()->existingClient(bookmark)->networkRequests();
    if (model.resolvedCount() != tagCount || proxy.rowCount() != tagCount)
        return fail(
            u"expected %1 resolved rows, have %2"_s.arg(tagCount).arg(model.resolvedCount()));

    // 4. Filtering: typing a tag, deleting, a regex, a digest prefix.
    const QString digest = model.digestAt(tagCount / 2).mid(7);
    const QStringList typing{
        u"1"_s,
        u"1."_s,
        u"1.9"_s,
        u"1.99"_s,
        u"1.999"_s,
        u"1.99"_s,
        u"1.9"_s,
        u"1."_s,
        u"1"_s,
        QString(),
        u"re:"_s,
        u"re:^1\\.5"_s,
        u"re:^1\\.5\\d"_s,
        u"re:^1\\.5\\d0\\."_s,
        QString(),
        digest.left(1),
        digest.left(2),
        digest.left(4),
        digest.left(8),
        QString(),
    };
    phase.restart();
    const QJsonObject unsortedFilter = filterRun(proxy, view, typing);
    std::fprintf(stderr, "filter run %.2f s\n", phase.nsecsElapsed() / 1e9);
    timeFilter(proxy, view, QString());
    const double sortBySizeMs = timeSort(view, TagTableModel::SizeColumn, Qt::DescendingOrder);
    const QJsonObject sortedFilter = filterRun(proxy, view, typing);
    const double sortByCreatedMs = timeSort(view, TagTableModel::CreatedColumn, Qt::AscendingOrder);
    const double sortByTagMs = timeSort(view, TagTableModel::TagColumn, Qt::AscendingOrder);

    std::fprintf(stderr, "filter and sort runs done after %.2f s\n", phase.nsecsElapsed() / 1e9);

    // 5. The tree: expanding the repository lists every tag (without resolving them).
    RegistryTreeModel tree(env.sessions());
    QTreeView treeView;
    treeView.setModel(&tree);
    treeView.resize(500, 900);
    treeView.show();
    bool revealed = false;
    QObject::connect(&tree, &RegistryTreeModel::pathRevealed, &tree,
                     [&](const QModelIndex &, bool) { revealed = true; });
    tree.revealPath(bookmark, repository);
    if (!waitFor([&] { return revealed; }, 60000))
        return fail(u"the tree did not reveal the repository"_s);
    const QModelIndex repoIndex = tree.indexFor(bookmark, repository);
    QElapsedTimer treeTimer;
    treeTimer.start();
    treeView.expand(repoIndex.parent());
    treeView.expand(repoIndex);
    tree.fetchMore(repoIndex); // what expanding asks for (a no-op if the view already did)
    if (!waitFor([&] { return tree.loadState(repoIndex) == RegistryTreeModel::LoadState::Loaded; },
                 120000))
        return fail(u"the tree did not list the tags"_s);
    QCoreApplication::processEvents();
    treeView.viewport()->repaint();
    const double treeSeconds = treeTimer.nsecsElapsed() / 1e9;
    const int treeRows = tree.rowCount(repoIndex);

    const QJsonObject result{
        {u"tags"_s, tagCount},
        {u"platformsPerTag"_s, platforms},
        {u"maxInFlight"_s, maxInFlight},
        {u"seedSeconds"_s, qRound(seedSeconds * 100) / 100.0},
        {u"secondsUntilAllRowsPresent"_s, qRound(rowsSeconds * 1000) / 1000.0},
        {u"secondsUntilAllResolved"_s, qRound(resolvedSeconds * 100) / 100.0},
        {u"networkRequests"_s, requests},
        {u"requestsPerSecond"_s, qRound(requests / resolvedSeconds)},
        {u"dataChangedSignals"_s, dataChanged},
        {u"jobProgressSignals"_s, progressSignals},
        {u"maxEventLoopStallMsWhileLoading"_s, maxStallMs},
        {u"maxStallAtSeconds"_s, qRound(maxStallAt * 100) / 100.0},
        {u"resolvedTagsAtMaxStall"_s, resolvedAtMaxStall},
        {u"clientCpuSecondsWhileLoading"_s, qRound(loadCpuSeconds * 100) / 100.0},
        {u"filterUnsorted"_s, unsortedFilter},
        {u"filterSortedBySize"_s, sortedFilter},
        {u"sortMs"_s, QJsonObject{{u"sizeDescending"_s, sortBySizeMs},
                                  {u"createdAscending"_s, sortByCreatedMs},
                                  {u"tagAscending"_s, sortByTagMs}}},
        {u"treeSecondsToListTags"_s, qRound(treeSeconds * 1000) / 1000.0},
        {u"treeTagRows"_s, treeRows},
        {u"peakRssMiB"_s, qRound(peakRssMiB() * 10) / 10.0},
    };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    std::fflush(stdout);
    return 0;
}
