// TagTableModel, TagTableLoadJob and TagFilterProxyModel against a real registry seeded with
// the standard sample images; expected digests, sizes and dates come from SampleImages.

#include "ModelTestEnvironment.h"

#include "SampleImages.h"
#include "TestRegistry.h"

#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "model/Format.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableLoadJob.h"
#include "models/TagTableModel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using wharf::gui::ResolvedImagePtr;
using wharf::gui::TagFilterProxyModel;
using wharf::gui::TagTableLoadJob;
using wharf::gui::TagTableModel;
using wharf::gui::test::ModelTestEnvironment;
namespace t = wharf::test;

namespace {

constexpr int LoadTimeoutMs = 30000;
using Fatal = QAbstractItemModelTester::FailureReportingMode;

// What the model should say about a sample tag, computed from the pushed content.
qint64 expectedUniqueBytes(const QList<const t::SampleImages::Tag *> &tags)
{
    QSet<QString> seen;
    qint64 total = 0;
    for (const t::SampleImages::Tag *tag : tags) {
        for (const t::OciLayout::Image &image : tag->images) {
            QList<t::Descriptor> blobs{image.config};
            blobs << image.layers;
            for (const t::Descriptor &blob : std::as_const(blobs)) {
                if (!seen.contains(blob.digest))
                    total += blob.size;
                seen.insert(blob.digest);
            }
        }
    }
    return total;
}

qint64 expectedSize(const t::SampleImages::Tag &tag)
{
    return tag.images.size() == 1 ? tag.images.constFirst().compressedSize()
                                  : expectedUniqueBytes({&tag});
}

QDateTime expectedCreated(const t::SampleImages::Tag &tag)
{
    QDateTime newest;
    for (const t::OciLayout::Image &image : tag.images) {
        const QJsonObject config = QJsonDocument::fromJson(image.config.bytes).object();
        const QDateTime created =
            QDateTime::fromString(config.value(u"created"_s).toString(), Qt::ISODate);
        if (created.isValid() && (!newest.isValid() || created > newest))
            newest = created;
    }
    return newest;
}

QStringList columnOf(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList values;
    for (int r = 0; r < model.rowCount(); ++r)
        values << model.index(r, column).data(role).toString();
    return values;
}

QStringList tagsOf(const QAbstractItemModel &model)
{
    return columnOf(model, TagTableModel::TagColumn);
}

} // namespace

class TestTagTableModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadsRowsThenResolves();
    void multiArchRows();
    void sortBySize_data();
    void sortBySize();
    void sortByCreatedAndTag();
    void filter();
    void totals_data();
    void totals();
    void failedTagShowsError();
    void tagsForSelection();
    void vulnerabilitySummary();
    void switchingRepositoryCancelsLoad();
    void largeRepositoryBatchesAndCancels();

private:
    // Loads repository into a fresh model and waits for the job to finish.
    bool load(TagTableModel &model, const QString &repository);

    std::unique_ptr<t::TestRegistry> m_registry;
    std::optional<t::SampleImages> m_images;
    std::unique_ptr<ModelTestEnvironment> m_env;
    QString m_bookmark;
};

void TestTagTableModel::initTestCase()
{
    QString error;
    m_registry = std::make_unique<t::TestRegistry>();
    QVERIFY2(m_registry->start(&error), qPrintable(error));
    m_images.emplace();
    QVERIFY2(m_images->buildError().isEmpty(), qPrintable(m_images->buildError()));
    QVERIFY2(m_images->pushTo(*m_registry, &error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_registry, 1, u"broken/repo-"_s, &error),
             qPrintable(error));
    const QString tagDir = m_registry->storageDir() +
                           u"/docker/registry/v2/repositories/broken/repo-0000/_manifests/tags/"
                           u"ghost/current"_s;
    QVERIFY(QDir().mkpath(tagDir));
    QFile link(tagDir + u"/link"_s);
    QVERIFY(link.open(QIODevice::WriteOnly));
    link.write("sha256:" + QByteArray(64, '0'));
    link.close();

    m_env = std::make_unique<ModelTestEnvironment>();
    m_bookmark = m_env->addBookmark(u"local"_s, m_registry->url(), {}, &error);
    QVERIFY2(!m_bookmark.isEmpty(), qPrintable(error));
}

bool TestTagTableModel::load(TagTableModel &model, const QString &repository)
{
    model.setRepository(m_bookmark, repository);
    TagTableLoadJob *job = model.currentJob();
    if (!job)
        return false;
    QPointer<TagTableLoadJob> guard(job);
    if (!QTest::qWaitFor([&] { return !guard || guard->isFinished(); }, LoadTimeoutMs))
        return false;
    return guard && guard->state() == wharf::Job::State::Succeeded;
}

void TestTagTableModel::loadsRowsThenResolves()
{
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester modelTester(&model, Fatal::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, Fatal::Fatal);

    QSignalSpy started(&model, &TagTableModel::loadStarted);
    int resolvedWhenRowsAppeared = -1;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&] { resolvedWhenRowsAppeared = model.resolvedCount(); });
    model.setRepository(m_bookmark, u"sample/versions"_s);
    QCOMPARE(started.count(), 1);
    auto *job = qobject_cast<TagTableLoadJob *>(started.at(0).at(0).value<wharf::Job *>());
    QVERIFY(job);
    QCOMPARE(job, model.currentJob());
    QCOMPARE(job->repository(), u"sample/versions"_s);
    QVERIFY(model.isLoading());
    QList<qint64> progress;
    connect(job, &wharf::Job::progressChanged, this,
            [&](qint64 done, qint64) { progress << done; });

    QTRY_COMPARE_WITH_TIMEOUT(job->isFinished(), true, LoadTimeoutMs);
    QCOMPARE(job->state(), wharf::Job::State::Succeeded);
    QCOMPARE(resolvedWhenRowsAppeared, 0); // all rows were there before any was resolved
    QCOMPARE(job->done(), 6);
    QCOMPARE(job->total(), 6);
    QVERIFY(std::is_sorted(progress.cbegin(), progress.cend()));
    QCOMPARE(progress.last(), 6);
    QCOMPARE(tagsOf(model), (QStringList{u"1.2"_s, u"1.9"_s, u"1.10"_s, u"latest"_s,
                                         u"v2.0.0-rc1"_s, u"v2.0.0"_s}));
    QCOMPARE(model.resolvedCount(), 6);
    QVERIFY(!model.isLoading());

    for (int r = 0; r < model.rowCount(); ++r) {
        const QString tagName = model.tagAt(r);
        const t::SampleImages::Tag *expected = m_images->find(u"sample/versions"_s, tagName);
        QVERIFY(expected);
        const QString digest = expected->top.digest;
        auto cell = [&](int column, int role = Qt::DisplayRole) {
            return model.index(r, column).data(role);
        };
        QCOMPARE(cell(0, TagTableModel::TagRole).toString(), tagName);
        QCOMPARE(cell(0, TagTableModel::RowStateRole).value<TagTableModel::RowState>(),
                 TagTableModel::RowState::Resolved);
        QCOMPARE(cell(TagTableModel::DigestColumn).toString(), digest.left(7 + 12));
        QCOMPARE(cell(TagTableModel::DigestColumn, Qt::ToolTipRole).toString(), digest);
        QCOMPARE(cell(TagTableModel::SizeColumn, TagTableModel::DigestRole).toString(), digest);
        QCOMPARE(cell(TagTableModel::PlatformsColumn).toString(), u"linux/amd64"_s);
        const qint64 size = expected->images.at(0).compressedSize();
        QCOMPARE(cell(TagTableModel::SizeColumn, TagTableModel::SortRole).toLongLong(), size);
        QCOMPARE(cell(TagTableModel::SizeColumn).toString(), wharf::Format::bytes(size));
        QCOMPARE(cell(0, TagTableModel::UniqueBytesRole).toLongLong(), size);
        const QDateTime created = expectedCreated(*expected);
        QVERIFY(created.isValid());
        QCOMPARE(cell(TagTableModel::CreatedColumn).toString(), wharf::Format::dateTime(created));
        QCOMPARE(cell(TagTableModel::CreatedColumn, TagTableModel::SortRole).toLongLong(),
                 created.toMSecsSinceEpoch());
        QCOMPARE(cell(TagTableModel::VulnerabilitiesColumn).toString(), QString());
        const auto image = cell(0, TagTableModel::ResolvedImageRole).value<ResolvedImagePtr>();
        QVERIFY(image);
        QCOMPARE(image->digest.toString(), digest);
        QCOMPARE(image->platforms.size(), 1);
        QVERIFY(image->platforms.at(0).configDetails.has_value()); // configs were fetched
        QCOMPARE(image->platforms.at(0).size(), size);
    }
    QCOMPARE(model.headerData(TagTableModel::SizeColumn, Qt::Horizontal).toString(), u"Size"_s);
}

void TestTagTableModel::multiArchRows()
{
    TagTableModel model(m_env->sessions());
    QAbstractItemModelTester tester(&model, Fatal::Fatal);
    QVERIFY(load(model, u"sample/multi"_s));
    QCOMPARE(model.rowCount(), 1);
    const t::SampleImages::Tag *multi = m_images->find(u"sample/multi"_s, u"2.0"_s);
    const qint64 unique = expectedUniqueBytes({multi});
    QCOMPARE(model.index(0, TagTableModel::PlatformsColumn).data().toString(),
             u"linux/amd64, linux/arm64/v8"_s);
    const QModelIndex size = model.index(0, TagTableModel::SizeColumn);
    QCOMPARE(size.data(TagTableModel::SortRole).toLongLong(), unique);
    QCOMPARE(size.data().toString(), u"%1 (all platforms)"_s.arg(wharf::Format::bytes(unique)));
    const QString tip = size.data(Qt::ToolTipRole).toString();
    for (const auto &image : multi->images) {
        QVERIFY2(tip.contains(image.platform.toString() + u": "_s +
                              wharf::Format::bytes(image.compressedSize())),
                 qPrintable(tip));
    }
    QCOMPARE(
        model.index(0, TagTableModel::CreatedColumn).data(TagTableModel::SortRole).toLongLong(),
        expectedCreated(*multi).toMSecsSinceEpoch());
    const auto image =
        model.index(0, 0).data(TagTableModel::ResolvedImageRole).value<ResolvedImagePtr>();
    QCOMPARE(image->attestations.size(), 2); // kept apart, not listed as platforms

    QVERIFY(load(model, u"sample/nested"_s));
    QCOMPARE(model.index(0, TagTableModel::PlatformsColumn).data().toString(),
             u"linux/amd64, linux/arm64/v8, linux/s390x"_s);
    QCOMPARE(model.index(0, TagTableModel::SizeColumn).data(TagTableModel::SortRole).toLongLong(),
             expectedSize(*m_images->find(u"sample/nested"_s, u"1.0"_s)));
}

void TestTagTableModel::sortBySize_data()
{
    QTest::addColumn<QString>("repository");
    for (const QString &repo : m_images->repositories())
        QTest::newRow(qPrintable(repo)) << repo;
}

void TestTagTableModel::sortBySize()
{
    QFETCH(QString, repository);
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Fatal::Fatal);
    proxy.sort(TagTableModel::SizeColumn, Qt::AscendingOrder); // sorted while rows arrive
    QVERIFY(load(model, repository));
    QTRY_COMPARE(model.resolvedCount(), model.rowCount());

    // Expected: by size, ties in natural tag order (the model's row order).
    const QStringList natural = tagsOf(model);
    QStringList expected = natural;
    auto sizeOf = [&](const QString &tag) {
        return expectedSize(*m_images->find(repository, tag));
    };
    std::stable_sort(expected.begin(), expected.end(),
                     [&](const QString &a, const QString &b) { return sizeOf(a) < sizeOf(b); });
    QCOMPARE(tagsOf(proxy), expected);
    for (int r = 0; r < proxy.rowCount(); ++r) {
        QCOMPARE(
            proxy.index(r, TagTableModel::SizeColumn).data(TagTableModel::SortRole).toLongLong(),
            sizeOf(expected.at(r)));
    }
    proxy.sort(TagTableModel::SizeColumn, Qt::DescendingOrder);
    std::reverse(expected.begin(), expected.end());
    QCOMPARE(tagsOf(proxy), expected);
}

void TestTagTableModel::sortByCreatedAndTag()
{
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Fatal::Fatal);
    QVERIFY(load(model, u"sample/versions"_s));

    // The dates were made in semver order, which is not the natural tag order ("latest").
    QStringList expected = tagsOf(model);
    auto createdOf = [&](const QString &tag) {
        return expectedCreated(*m_images->find(u"sample/versions"_s, tag));
    };
    std::stable_sort(expected.begin(), expected.end(), [&](const QString &a, const QString &b) {
        return createdOf(a) < createdOf(b);
    });
    QCOMPARE(expected, (QStringList{u"1.2"_s, u"1.9"_s, u"1.10"_s, u"v2.0.0-rc1"_s, u"latest"_s,
                                    u"v2.0.0"_s}));
    proxy.sort(TagTableModel::CreatedColumn, Qt::AscendingOrder);
    QCOMPARE(tagsOf(proxy), expected);
    proxy.sort(TagTableModel::CreatedColumn, Qt::DescendingOrder);
    std::reverse(expected.begin(), expected.end());
    QCOMPARE(tagsOf(proxy), expected);

    proxy.sort(TagTableModel::TagColumn, Qt::AscendingOrder);
    QCOMPARE(tagsOf(proxy), tagsOf(model));
    proxy.sort(TagTableModel::TagColumn, Qt::DescendingOrder);
    QStringList reversed = tagsOf(model);
    std::reverse(reversed.begin(), reversed.end());
    QCOMPARE(tagsOf(proxy), reversed);

    // Digest order is the digests' text order.
    proxy.sort(TagTableModel::DigestColumn, Qt::AscendingOrder);
    const QStringList digests = columnOf(proxy, 0, TagTableModel::DigestRole);
    QVERIFY(std::is_sorted(digests.cbegin(), digests.cend()));
}

void TestTagTableModel::filter()
{
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Fatal::Fatal);
    QVERIFY(load(model, u"sample/versions"_s));
    QCOMPARE(proxy.rowCount(), 6);

    proxy.setFilterText(u"1."_s);
    QCOMPARE(tagsOf(proxy), (QStringList{u"1.2"_s, u"1.9"_s, u"1.10"_s}));
    proxy.setFilterText(u"LATEST"_s);
    QCOMPARE(tagsOf(proxy), QStringList{u"latest"_s});
    proxy.setFilterText(u"re:^v2"_s);
    QVERIFY(proxy.isRegexFilter());
    QCOMPARE(tagsOf(proxy), (QStringList{u"v2.0.0-rc1"_s, u"v2.0.0"_s}));
    proxy.setFilterText(u"/rc\\d$/"_s);
    QCOMPARE(tagsOf(proxy), QStringList{u"v2.0.0-rc1"_s});
    proxy.setFilterText(u"/^1\\.\\d$"_s);
    QCOMPARE(tagsOf(proxy), (QStringList{u"1.2"_s, u"1.9"_s}));

    // Digest prefixes, with or without the algorithm: latest and v2.0.0 are one image.
    const QString digest = m_images->find(u"sample/versions"_s, u"v2.0.0"_s)->top.digest;
    proxy.setFilterText(digest.mid(7, 10));
    QCOMPARE(tagsOf(proxy), (QStringList{u"latest"_s, u"v2.0.0"_s}));
    proxy.setFilterText(digest.left(16).toUpper().replace(u"SHA256"_s, u"sha256"_s));
    QCOMPARE(tagsOf(proxy), (QStringList{u"latest"_s, u"v2.0.0"_s}));
    proxy.setFilterText(u"sha256:zz"_s);
    QCOMPARE(proxy.rowCount(), 0);

    // A broken pattern filters nothing and says why.
    QSignalSpy errors(&proxy, &TagFilterProxyModel::filterErrorChanged);
    proxy.setFilterText(u"re:("_s);
    QCOMPARE(proxy.rowCount(), 6);
    QVERIFY(!proxy.filterError().isEmpty());
    QCOMPARE(errors.count(), 1);
    proxy.setFilterText(QString());
    QVERIFY(proxy.filterError().isEmpty());
    QCOMPARE(proxy.rowCount(), 6);

    // Filter and sort together.
    proxy.sort(TagTableModel::CreatedColumn, Qt::DescendingOrder);
    proxy.setFilterText(u"v2"_s);
    QCOMPARE(tagsOf(proxy), (QStringList{u"v2.0.0"_s, u"v2.0.0-rc1"_s}));
}

void TestTagTableModel::totals_data()
{
    QTest::addColumn<QString>("repository");
    for (const QString &repo : m_images->repositories())
        QTest::newRow(qPrintable(repo)) << repo;
}

void TestTagTableModel::totals()
{
    QFETCH(QString, repository);
    TagTableModel model(m_env->sessions());
    QSignalSpy totals(&model, &TagTableModel::totalsChanged);
    QVERIFY(load(model, repository));
    QVERIFY(totals.count() >= 2); // cleared, then rows, then resolved batches

    QList<const t::SampleImages::Tag *> tags;
    for (const QString &tag : m_images->tagNames(repository))
        tags << m_images->find(repository, tag);
    QCOMPARE(model.tagCount(), tags.size());
    QCOMPARE(model.uniqueBytes(), expectedUniqueBytes(tags));
    // SampleImages' own total also counts attestation blobs, which Wharf never downloads (it
    // lists attestations without resolving them); elsewhere the two agree.
    bool hasAttestations = false;
    for (const auto *tag : std::as_const(tags))
        hasAttestations = hasAttestations || !tag->attestations.isEmpty();
    if (hasAttestations)
        QVERIFY(model.uniqueBytes() < m_images->uniqueBlobBytes(repository));
    else
        QCOMPARE(model.uniqueBytes(), m_images->uniqueBlobBytes(repository));
}

void TestTagTableModel::failedTagShowsError()
{
    TagTableModel model(m_env->sessions());
    QAbstractItemModelTester tester(&model, Fatal::Fatal);
    QVERIFY(load(model, u"broken/repo-0000"_s)); // one bad tag does not fail the load
    QCOMPARE(tagsOf(model), (QStringList{u"ghost"_s, u"latest"_s}));
    TagTableLoadJob *job = model.currentJob();
    QCOMPARE(job->failedCount(), 1);
    QCOMPARE(job->resolvedCount(), 1);
    QVERIFY(job->statusText().contains(u"could not be read"_s));
    QCOMPARE(model.failedCount(), 1);

    const QModelIndex ghost = model.index(0, TagTableModel::PlatformsColumn);
    QCOMPARE(ghost.data(TagTableModel::RowStateRole).value<TagTableModel::RowState>(),
             TagTableModel::RowState::Failed);
    const QString error = ghost.data(TagTableModel::ErrorRole).toString();
    QVERIFY(!error.isEmpty());
    QVERIFY(ghost.data().toString().contains(error));
    QVERIFY(
        model.index(0, TagTableModel::TagColumn).data(Qt::ToolTipRole).toString().contains(error));
    QCOMPARE(model.index(0, TagTableModel::SizeColumn).data(TagTableModel::SortRole).toLongLong(),
             -1);
    QCOMPARE(model.index(1, 0).data(TagTableModel::RowStateRole).value<TagTableModel::RowState>(),
             TagTableModel::RowState::Resolved);
}

void TestTagTableModel::tagsForSelection()
{
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QVERIFY(load(model, u"sample/versions"_s));
    proxy.sort(TagTableModel::TagColumn, Qt::DescendingOrder); // v2.0.0, v2.0.0-rc1, latest…
    QModelIndexList selection;
    for (int column = 0; column < TagTableModel::ColumnCount; ++column) {
        selection << proxy.index(0, column) << proxy.index(2, column);
    }
    // Once each, in tag order, whatever the view's order.
    QCOMPARE(proxy.tagsForRows(selection), (QStringList{u"latest"_s, u"v2.0.0"_s}));
    QCOMPARE(model.tagsForRows({model.index(2, 0), model.index(0, 3), model.index(2, 1)}),
             (QStringList{u"1.2"_s, u"1.10"_s}));
    QCOMPARE(model.rowOfTag(u"1.10"_s), 2);
    QCOMPARE(model.rowOfTag(u"nope"_s), -1);
}

void TestTagTableModel::vulnerabilitySummary()
{
    TagTableModel model(m_env->sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, Fatal::Fatal);
    QVERIFY(load(model, u"sample/versions"_s));
    const QString digest = m_images->find(u"sample/versions"_s, u"v2.0.0"_s)->top.digest;
    const QString rcDigest = m_images->find(u"sample/versions"_s, u"1.9"_s)->top.digest;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setVulnerabilitySummary(digest, u"3 critical"_s, 300);
    model.setVulnerabilitySummary(rcDigest, u"1 low"_s, 1);
    QTRY_VERIFY(changed.count() > 0); // batched like every other update
    QCOMPARE(columnOf(model, TagTableModel::VulnerabilitiesColumn),
             (QStringList{QString(), u"1 low"_s, QString(), u"3 critical"_s, QString(),
                          u"3 critical"_s}));
    proxy.sort(TagTableModel::VulnerabilitiesColumn, Qt::DescendingOrder);
    QCOMPARE(tagsOf(proxy).mid(0, 3), (QStringList{u"v2.0.0"_s, u"latest"_s, u"1.9"_s}));
    model.clearVulnerabilitySummaries();
    QCOMPARE(model.index(3, TagTableModel::VulnerabilitiesColumn).data().toString(), QString());
}

void TestTagTableModel::switchingRepositoryCancelsLoad()
{
    TagTableModel model(m_env->sessions());
    QAbstractItemModelTester tester(&model, Fatal::Fatal);
    QSignalSpy started(&model, &TagTableModel::loadStarted);
    model.setRepository(m_bookmark, u"sample/versions"_s);
    QPointer<wharf::Job> first = started.at(0).at(0).value<wharf::Job *>();
    model.setRepository(m_bookmark, u"sample/app"_s);
    QCOMPARE(started.count(), 2);
    QVERIFY(first);
    QCOMPARE(first->state(), wharf::Job::State::Cancelled);
    QTRY_VERIFY(!first); // superseded jobs are deleted
    QTRY_COMPARE_WITH_TIMEOUT(model.isLoading(), false, LoadTimeoutMs);
    QCOMPARE(tagsOf(model), (QStringList{u"1.0"_s, u"latest"_s}));
    QCOMPARE(model.resolvedCount(), 2);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.uniqueBytes(), 0);
    QVERIFY(!model.currentJob());

    // A repository that does not exist: no rows, and the reason.
    QSignalSpy failed(&model, &TagTableModel::loadFailed);
    model.setRepository(m_bookmark, u"no/such"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, LoadTimeoutMs);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.loadError());
    QVERIFY(model.loadError()->message.contains(u"no/such"_s));
}

void TestTagTableModel::largeRepositoryBatchesAndCancels()
{
    // 400 tags × 2 platforms written straight into a second registry's storage.
    const QString seeder = QStringLiteral(WHARF_BINARY_DIR) + u"/tools/wharf-seed-storage"_s;
    if (!QFile::exists(seeder))
        QSKIP("tools/wharf-seed-storage is not built (it exists on Linux only)");
    QTemporaryDir storage;
    QVERIFY(storage.isValid());
    QProcess seed;
    seed.start(seeder, {u"--root"_s, storage.path(), u"--repos"_s, u"1"_s, u"--tags"_s, u"400"_s,
                        u"--platforms"_s, u"2"_s, u"--prefix"_s, u"big/app"_s});
    QVERIFY(seed.waitForFinished(120000));
    QVERIFY2(seed.exitCode() == 0, seed.readAllStandardError().constData());
    t::RegistryOptions options;
    options.storageDir = storage.path();
    t::TestRegistry big(options);
    QString error;
    QVERIFY2(big.start(&error), qPrintable(error));

    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"big"_s, big.url());
    QVERIFY(!id.isEmpty());
    TagTableModel model(env.sessions());
    TagFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(TagTableModel::SizeColumn, Qt::DescendingOrder);
    QAbstractItemModelTester tester(&proxy, Fatal::Fatal);
    int dataChanges = 0;
    int changedRows = 0;
    connect(&model, &QAbstractItemModel::dataChanged, this,
            [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                ++dataChanges;
                changedRows += bottomRight.row() - topLeft.row() + 1;
            });
    int progressSignals = 0;
    connect(&model, &TagTableModel::loadStarted, this, [&](wharf::Job *job) {
        connect(job, &wharf::Job::progressChanged, this, [&] { ++progressSignals; });
    });
    model.setRepository(id, u"big/app-000"_s);
    TagTableLoadJob *job = model.currentJob();
    QTRY_COMPARE_WITH_TIMEOUT(job->isFinished(), true, 120000);
    QCOMPARE(job->state(), wharf::Job::State::Succeeded);
    QCOMPARE(model.rowCount(), 400);
    QCOMPARE(model.resolvedCount(), 400);
    QCOMPARE(proxy.rowCount(), 400);
    // Every row was announced, in far fewer signals than rows.
    QVERIFY(changedRows >= 400);
    QVERIFY2(dataChanges < 400 / 4, qPrintable(QString::number(dataChanges)));
    QVERIFY2(progressSignals < 400 / 4, qPrintable(QString::number(progressSignals)));
    qInfo("400 tags: %d dataChanged signals, %d progress signals, %.2f s", dataChanges,
          progressSignals, job->elapsedSeconds());
    for (int r = 0; r < model.rowCount(); ++r) {
        QCOMPARE(model.index(r, TagTableModel::PlatformsColumn).data().toString(),
                 u"linux/amd64, linux/arm64"_s);
    }

    // Cancel part-way through a reload: the remaining tags are never asked for.
    wharf::RegistryClient *client = env.sessions()->existingClient(id);
    model.reload();
    job = model.currentJob();
    QTRY_VERIFY_WITH_TIMEOUT(model.resolvedCount() >= 40, LoadTimeoutMs);
    job->cancel();
    QCOMPARE(job->state(), wharf::Job::State::Cancelled);
    const qint64 requestsAtCancel = client->networkRequests();
    const int resolvedAtCancel = model.resolvedCount();
    QVERIFY(resolvedAtCancel < 400);
    // One more request through the same queue: anything still queued goes first.
    bool pinged = false;
    QObject context;
    client->ping(&context, [&](wharf::Expected<wharf::PingResult>) { pinged = true; });
    QTRY_VERIFY_WITH_TIMEOUT(pinged, LoadTimeoutMs);
    // The client shares fetches by digest between callers and keeps those running under its
    // own name, so manifests and configs of the tags in the window at cancel time may still
    // complete (up to 2 per platform per tag); no tag beyond the window is started. A full
    // load costs 5 requests per tag, so the remaining tags alone would be hundreds.
    const qint64 after = client->networkRequests() - requestsAtCancel - 1;
    QVERIFY2(after <= qint64(job->window()) * 2 * 2, qPrintable(QString::number(after)));
    QCOMPARE(model.resolvedCount(), resolvedAtCancel);
    QCOMPARE(model.index(399, 0).data(TagTableModel::RowStateRole).value<TagTableModel::RowState>(),
             TagTableModel::RowState::NotLoaded);
}

QTEST_MAIN(TestTagTableModel)
#include "tst_TagTableModel.moc"
