// RegistryTreeModel against a real registry (docker-registry 2.8.2) seeded with the standard
// sample images, plus a scripted stub for a registry that refuses its catalog.

#include "ModelTestEnvironment.h"
#include "StubRegistryServer.h"

#include "SampleImages.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "models/RegistryTreeModel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using wharf::gui::RegistryTreeModel;
using wharf::gui::test::ModelTestEnvironment;
using wharf::gui::test::StubRegistryServer;
namespace t = wharf::test;

using NodeType = RegistryTreeModel::NodeType;
using LoadState = RegistryTreeModel::LoadState;

namespace {

constexpr int LoadTimeoutMs = 30000;

NodeType typeOf(const QModelIndex &index)
{
    return index.data(RegistryTreeModel::NodeTypeRole).value<NodeType>();
}

// Display names of the loaded subtree, two spaces of indent per level.
QStringList dump(const QAbstractItemModel &model, const QModelIndex &parent, int depth = 0)
{
    QStringList lines;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        lines << QString(depth * 2, u' ') + child.data().toString();
        lines << dump(model, child, depth + 1);
    }
    return lines;
}

// Namespaces and repositories only (not what is loaded below a repository).
QStringList repositoryTree(const QAbstractItemModel &model, const QModelIndex &parent,
                           int depth = 0)
{
    QStringList lines;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        const auto type = child.data(RegistryTreeModel::NodeTypeRole).value<NodeType>();
        if (type != NodeType::Namespace && type != NodeType::Repository)
            continue;
        lines << QString(depth * 2, u' ') + child.data().toString();
        if (type == NodeType::Namespace)
            lines << repositoryTree(model, child, depth + 1);
    }
    return lines;
}

QModelIndex childNamed(const QAbstractItemModel &model, const QModelIndex &parent,
                       const QString &name)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        if (child.data().toString() == name)
            return child;
    }
    return {};
}

QStringList childNames(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QStringList names;
    for (int r = 0; r < model.rowCount(parent); ++r)
        names << model.index(r, 0, parent).data().toString();
    return names;
}

// True when no container anywhere is still loading (nor waiting to start).
bool settled(const RegistryTreeModel &model, const QModelIndex &parent = {})
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        if (model.loadState(child) == LoadState::Loading || typeOf(child) == NodeType::Loading)
            return false;
        if (!settled(model, child))
            return false;
    }
    return true;
}

// Every container in the tree has been loaded (or has failed).
bool fullyLoaded(const RegistryTreeModel &model, const QModelIndex &parent = {})
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        const LoadState state = model.loadState(child);
        if (state == LoadState::Unloaded || state == LoadState::Loading)
            return false;
        if (!fullyLoaded(model, child))
            return false;
    }
    return true;
}

QModelIndex findType(const QAbstractItemModel &model, const QModelIndex &parent, NodeType type)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex child = model.index(r, 0, parent);
        if (typeOf(child) == type)
            return child;
    }
    return {};
}

} // namespace

class TestRegistryTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void lazyLoadingAndStructure();
    void revealPathLoadsOnlyWhatIsNeeded();
    void attestationToggle();
    void errorNodeAndRetry();
    void catalogPagesAppearIncrementally();
    void catalogRefused_data();
    void catalogRefused();
    void manualRepositories();
    void bookmarkChanges();
    void refreshReloadsSubtree();
    void fullWalkUnderTester();

private:
    std::unique_ptr<t::TestRegistry> m_registry;
    std::optional<t::SampleImages> m_images;
    QString m_ghostError;
};

void TestRegistryTreeModel::initTestCase()
{
    QString error;
    m_registry = std::make_unique<t::TestRegistry>();
    QVERIFY2(m_registry->start(&error), qPrintable(error));
    m_images.emplace();
    QVERIFY2(m_images->buildError().isEmpty(), qPrintable(m_images->buildError()));
    QVERIFY2(m_images->pushTo(*m_registry, &error), qPrintable(error));
    // Single-component repositories, a two-level namespace and a repository with a broken tag.
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_registry, 2, u"solo-"_s, &error),
             qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_registry, 1, u"team/deep/svc-"_s, &error),
             qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_registry, 1, u"broken/repo-"_s, &error),
             qPrintable(error));
    // A tag whose link names a manifest the registry does not have: listed, but 404 on GET.
    const QString tagDir = m_registry->storageDir() +
                           u"/docker/registry/v2/repositories/broken/repo-0000/_manifests/tags/"
                           u"ghost/current"_s;
    QVERIFY(QDir().mkpath(tagDir));
    QFile link(tagDir + u"/link"_s);
    QVERIFY(link.open(QIODevice::WriteOnly));
    link.write("sha256:" + QByteArray(64, '0'));
    link.close();
}

void TestRegistryTreeModel::init()
{
    // A test that stopped the registry may have failed before starting it again.
    if (!m_registry->isRunning()) {
        QString error;
        QVERIFY2(m_registry->restart(&error), qPrintable(error));
    }
}

void TestRegistryTreeModel::lazyLoadingAndStructure()
{
    ModelTestEnvironment env;
    QString error;
    const QString id = env.addBookmark(u"local"_s, m_registry->url(), {}, &error);
    QVERIFY2(!id.isEmpty(), qPrintable(error));
    RegistryTreeModel model(env.sessions());

    struct Insert
    {
        QString parent;
        NodeType type;
    };
    QList<Insert> inserts;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &parent, int first, int last) {
                for (int r = first; r <= last; ++r) {
                    const NodeType type = typeOf(model.index(r, 0, parent));
                    inserts << Insert{parent.data().toString(), type};
                    // Expanding again while the request runs must not send another.
                    if (type == NodeType::Loading)
                        model.fetchMore(parent);
                }
            });

    // Before anything is expanded: a bookmark row that promises children, and no request.
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex bookmark = model.index(0, 0);
    QCOMPARE(typeOf(bookmark), NodeType::Bookmark);
    QCOMPARE(bookmark.data().toString(), u"local"_s);
    QCOMPARE(bookmark.data(RegistryTreeModel::BookmarkIdRole).toString(), id);
    QVERIFY(model.hasChildren(bookmark));
    QCOMPARE(model.rowCount(bookmark), 0);
    QVERIFY(model.canFetchMore(bookmark));
    QCOMPARE(model.loadState(bookmark), LoadState::Unloaded);
    QVERIFY(!env.sessions()->existingClient(id)); // not even a client, so no request

    // Expanding three times asks once.
    model.fetchMore(bookmark);
    QVERIFY(!model.canFetchMore(bookmark));
    QCOMPARE(model.loadState(bookmark), LoadState::Loading);
    model.fetchMore(bookmark);
    model.fetchMore(bookmark);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(bookmark), LoadState::Loaded, LoadTimeoutMs);
    QVERIFY(!inserts.isEmpty());
    QCOMPARE(inserts.first().parent, u"local"_s);
    QCOMPARE(inserts.first().type, NodeType::Loading); // the loading row came first
    QVERIFY(findType(model, bookmark, NodeType::Loading) == QModelIndex()); // and went
    wharf::RegistryClient *client = env.sessions()->existingClient(id);
    QVERIFY(client);
    QCOMPARE(client->networkRequests(), 2); // GET /v2/ and one catalog page

    const QStringList expected{
        u"broken/"_s,
        u"  broken/repo-0000"_s,
        u"sample/"_s,
        u"  sample/app"_s,
        u"  sample/artifact"_s,
        u"  sample/compression"_s,
        u"  sample/docker"_s,
        u"  sample/multi"_s,
        u"  sample/nested"_s,
        u"  sample/versions"_s,
        u"team/"_s,
        u"  team/deep/"_s,
        u"    team/deep/svc-0000"_s,
        u"solo-0000"_s,
        u"solo-0001"_s,
    };
    QCOMPARE(dump(model, bookmark), expected);
    const QModelIndex sample = childNamed(model, bookmark, u"sample/"_s);
    QCOMPARE(typeOf(sample), NodeType::Namespace);
    QCOMPARE(sample.data(RegistryTreeModel::NamespaceRole).toString(), u"sample/"_s);
    // Repositories are known, none is loaded.
    for (const QString &repo : m_images->repositories()) {
        const QModelIndex index = model.indexFor(id, repo);
        QCOMPARE(typeOf(index), NodeType::Repository);
        QCOMPARE(index.data(RegistryTreeModel::RepositoryRole).toString(), repo);
        QCOMPARE(model.loadState(index), LoadState::Unloaded);
        QVERIFY(model.hasChildren(index));
        QCOMPARE(model.rowCount(index), 0);
    }

    // Tags: one tags/list, natural order, no tag resolved just because the repository opened.
    const QModelIndex versions = model.indexFor(id, u"sample/versions"_s);
    model.fetchMore(versions);
    model.fetchMore(versions);
    model.fetchMore(versions);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(versions), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(client->networkRequests(), 3);
    QCOMPARE(childNames(model, versions), (QStringList{u"1.2"_s, u"1.9"_s, u"1.10"_s, u"latest"_s,
                                                       u"v2.0.0-rc1"_s, u"v2.0.0"_s}));
    for (int r = 0; r < model.rowCount(versions); ++r) {
        const QModelIndex tag = model.index(r, 0, versions);
        QCOMPARE(typeOf(tag), NodeType::Tag);
        QCOMPARE(model.loadState(tag), LoadState::Unloaded);
        QCOMPARE(tag.data(RegistryTreeModel::SizeRole).toLongLong(), -1);
        QCOMPARE(tag.data(RegistryTreeModel::RepositoryRole).toString(), u"sample/versions"_s);
    }

    // Platforms of sample/multi:2.0: the index and its two image manifests, nothing more.
    const QModelIndex multi = model.indexFor(id, u"sample/multi"_s);
    model.fetchMore(multi);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(multi), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(client->networkRequests(), 4);
    const QModelIndex tag = childNamed(model, multi, u"2.0"_s);
    QVERIFY(tag.isValid());
    model.fetchMore(tag);
    model.fetchMore(tag);
    model.fetchMore(tag);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(tag), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(client->networkRequests(), 7);

    const t::SampleImages::Tag *expectedTag = m_images->find(u"sample/multi"_s, u"2.0"_s);
    QVERIFY(expectedTag);
    QCOMPARE(tag.data(RegistryTreeModel::DigestRole).toString(), expectedTag->top.digest);
    QCOMPARE(model.rowCount(tag), 2);
    QSet<QString> digests;
    qint64 unique = 0;
    for (const auto &image : expectedTag->images) {
        digests.insert(image.config.digest);
        unique += image.config.size;
        for (const auto &layer : image.layers) {
            if (!digests.contains(layer.digest))
                unique += layer.size;
            digests.insert(layer.digest);
        }
    }
    QCOMPARE(tag.data(RegistryTreeModel::SizeRole).toLongLong(), unique);
    const QStringList platforms{u"linux/amd64"_s, u"linux/arm64/v8"_s};
    for (int r = 0; r < 2; ++r) {
        const QModelIndex platform = model.index(r, 0, tag);
        const auto &image = expectedTag->images.at(r);
        QCOMPARE(typeOf(platform), NodeType::Platform);
        QCOMPARE(platform.data().toString(), platforms.at(r));
        QCOMPARE(platform.data(RegistryTreeModel::PlatformRole).toString(), platforms.at(r));
        QCOMPARE(platform.data(RegistryTreeModel::DigestRole).toString(), image.manifest.digest);
        QCOMPARE(platform.data(RegistryTreeModel::SizeRole).toLongLong(), image.compressedSize());
        QCOMPARE(platform.data(RegistryTreeModel::TagRole).toString(), u"2.0"_s);
        QVERIFY(!model.hasChildren(platform));
        QVERIFY(!model.canFetchMore(platform));
        // The size column shows the same number.
        QVERIFY(
            !platform.siblingAtColumn(RegistryTreeModel::SizeColumn).data().toString().isEmpty());
    }

    // Now let the model tester walk (and so fetch) everything.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
    QVERIFY(settled(model));
    // The broken tag shows an error row under it, the good one its platform.
    const QModelIndex broken = model.indexFor(id, u"broken/repo-0000"_s);
    QCOMPARE(childNames(model, broken), (QStringList{u"ghost"_s, u"latest"_s}));
    const QModelIndex ghost = model.index(0, 0, broken);
    QCOMPARE(model.loadState(ghost), LoadState::Failed);
    QCOMPARE(model.rowCount(ghost), 1);
    const QModelIndex errorRow = model.index(0, 0, ghost);
    QCOMPARE(typeOf(errorRow), NodeType::Error);
    QVERIFY(errorRow.data(RegistryTreeModel::CanRetryRole).toBool());
    QVERIFY(!errorRow.data(RegistryTreeModel::ErrorRole).toString().isEmpty());
    QCOMPARE(errorRow.data().toString(), errorRow.data(RegistryTreeModel::ErrorRole).toString());
    QCOMPARE(ghost.data(RegistryTreeModel::ErrorRole).toString(),
             errorRow.data(RegistryTreeModel::ErrorRole).toString());
    QCOMPARE(typeOf(model.index(0, 0, model.index(1, 0, broken))), NodeType::Platform);
}

void TestRegistryTreeModel::revealPathLoadsOnlyWhatIsNeeded()
{
    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"local"_s, m_registry->url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QSignalSpy revealed(&model, &RegistryTreeModel::pathRevealed);

    const t::SampleImages::Tag *multi = m_images->find(u"sample/multi"_s, u"2.0"_s);
    const QString arm64 = multi->images.at(1).manifest.digest;
    model.revealPath(id, u"sample/multi"_s, u"2.0"_s, arm64);
    QTRY_COMPARE_WITH_TIMEOUT(revealed.count(), 1, LoadTimeoutMs);
    const QModelIndex platform = revealed.at(0).at(0).value<QModelIndex>();
    QVERIFY(revealed.at(0).at(1).toBool());
    QCOMPARE(typeOf(platform), NodeType::Platform);
    QCOMPARE(platform.data(RegistryTreeModel::DigestRole).toString(), arm64);
    QCOMPARE(platform.data(RegistryTreeModel::PlatformRole).toString(), u"linux/arm64/v8"_s);
    QCOMPARE(model.indexFor(id, u"sample/multi"_s, u"2.0"_s, arm64), platform);
    // ping, catalog, tags of sample/multi, the index and its two manifests: nothing else.
    QCOMPARE(env.sessions()->existingClient(id)->networkRequests(), 6);
    QCOMPARE(model.loadState(model.indexFor(id, u"sample/app"_s)), LoadState::Unloaded);

    // Not there: the deepest node that exists, and complete = false.
    QCOMPARE(model.indexFor(id, u"sample/multi"_s, u"nope"_s),
             model.indexFor(id, u"sample/multi"_s));
    model.revealPath(id, u"sample/multi"_s, u"nope"_s);
    QTRY_COMPARE(revealed.count(), 2);
    QCOMPARE(revealed.at(1).at(0).value<QModelIndex>(), model.indexFor(id, u"sample/multi"_s));
    QVERIFY(!revealed.at(1).at(1).toBool());
    model.revealPath(id, u"no/such"_s);
    QTRY_COMPARE(revealed.count(), 3);
    QCOMPARE(revealed.at(2).at(0).value<QModelIndex>(), model.index(0, 0));
    QVERIFY(!revealed.at(2).at(1).toBool());
    model.revealPath(u"not-a-bookmark"_s, u"sample/app"_s);
    QTRY_COMPARE(revealed.count(), 4);
    QVERIFY(!revealed.at(3).at(0).value<QModelIndex>().isValid());

    // Revealing a repository that needs loading from scratch, through a nested namespace.
    model.revealPath(id, u"team/deep/svc-0000"_s, u"latest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(revealed.count(), 5, LoadTimeoutMs);
    const QModelIndex latest = revealed.at(4).at(0).value<QModelIndex>();
    QVERIFY(revealed.at(4).at(1).toBool());
    QCOMPARE(typeOf(latest), NodeType::Tag);
    QCOMPARE(latest.data(RegistryTreeModel::TagRole).toString(), u"latest"_s);
    QCOMPARE(latest.parent().parent().data().toString(), u"team/deep/"_s);

    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
}

void TestRegistryTreeModel::attestationToggle()
{
    const t::SampleImages::Tag *multi = m_images->find(u"sample/multi"_s, u"2.0"_s);
    QCOMPARE(multi->images.size(), 2);
    QCOMPARE(multi->attestations.size(), 2);

    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"local"_s, m_registry->url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy revealed(&model, &RegistryTreeModel::pathRevealed);
    model.revealPath(id, u"sample/multi"_s, u"2.0"_s);
    QTRY_COMPARE_WITH_TIMEOUT(revealed.count(), 1, LoadTimeoutMs);
    const QPersistentModelIndex tag = revealed.at(0).at(0).value<QModelIndex>();
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(tag), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(model.rowCount(tag), 2);
    QCOMPARE(typeOf(model.index(0, 0, tag)), NodeType::Platform);
    QCOMPARE(typeOf(model.index(1, 0, tag)), NodeType::Platform);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setShowAttestations(true);
    QVERIFY(model.showAttestations());
    QCOMPARE(model.rowCount(tag), 4);
    QCOMPARE(inserted.count(), 1); // only sample/multi:2.0 has attestations
    QCOMPARE(inserted.at(0).at(0).value<QModelIndex>(), QModelIndex(tag));
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(inserted.at(0).at(2).toInt(), 3);
    for (int r = 0; r < 2; ++r) {
        const QModelIndex attestation = model.index(2 + r, 0, tag);
        QCOMPARE(typeOf(attestation), NodeType::Attestation);
        QCOMPARE(attestation.data(RegistryTreeModel::DigestRole).toString(),
                 multi->attestations.at(r).manifest.digest);
        // Each attestation names the platform it describes.
        QCOMPARE(attestation.data(RegistryTreeModel::PlatformRole).toString(),
                 model.index(r, 0, tag).data(RegistryTreeModel::PlatformRole).toString());
    }

    model.setShowAttestations(false);
    QCOMPARE(model.rowCount(tag), 2);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 2);
    QCOMPARE(removed.at(0).at(2).toInt(), 3);
    QCOMPARE(typeOf(model.index(1, 0, tag)), NodeType::Platform);

    // Tags resolved while attestations are shown come with them.
    RegistryTreeModel second(env.sessions());
    second.setShowAttestations(true);
    QSignalSpy secondRevealed(&second, &RegistryTreeModel::pathRevealed);
    second.revealPath(id, u"sample/multi"_s, u"2.0"_s, multi->attestations.at(1).manifest.digest);
    QTRY_COMPARE_WITH_TIMEOUT(secondRevealed.count(), 1, LoadTimeoutMs);
    const QModelIndex attestation = secondRevealed.at(0).at(0).value<QModelIndex>();
    QVERIFY(secondRevealed.at(0).at(1).toBool());
    QCOMPARE(typeOf(attestation), NodeType::Attestation);
    QCOMPARE(second.rowCount(attestation.parent()), 4);
}

void TestRegistryTreeModel::errorNodeAndRetry()
{
    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"local"_s, m_registry->url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QModelIndex bookmark = model.index(0, 0);

    m_registry->stop();
    QVERIFY(!m_registry->isRunning());
    model.fetchMore(bookmark); // the tester may have done so already; either way one load
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(bookmark), LoadState::Failed, LoadTimeoutMs);
    QCOMPARE(model.rowCount(bookmark), 1);
    const QModelIndex errorRow = model.index(0, 0, bookmark);
    QCOMPARE(typeOf(errorRow), NodeType::Error);
    const QString message = errorRow.data(RegistryTreeModel::ErrorRole).toString();
    QVERIFY2(message.contains(u"connection refused"_s, Qt::CaseInsensitive), qPrintable(message));
    QCOMPARE(errorRow.data().toString(), message);
    QVERIFY(errorRow.data(RegistryTreeModel::CanRetryRole).toBool());
    QVERIFY(bookmark.data(RegistryTreeModel::CanRetryRole).toBool());
    QVERIFY(errorRow.data(Qt::ToolTipRole).toString().contains(message));
    QVERIFY(!model.canFetchMore(bookmark)); // failed: retry, not fetchMore, reloads it

    QString error;
    QVERIFY2(m_registry->restart(&error), qPrintable(error));
    model.retry(errorRow);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(bookmark), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(childNames(model, bookmark),
             (QStringList{u"broken/"_s, u"sample/"_s, u"team/"_s, u"solo-0000"_s, u"solo-0001"_s}));
    QVERIFY(!findType(model, bookmark, NodeType::Error).isValid());

    // A failure deeper down: the tag of a repository, retried through the tag itself.
    const QModelIndex app = model.indexFor(id, u"sample/app"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(app), LoadState::Loaded, LoadTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(settled(model), LoadTimeoutMs);
    model.refresh(model.indexFor(id, u"sample/app"_s, u"1.0"_s)); // tester reloads it at once
    m_registry->stop();
    const QPersistentModelIndex tag = model.indexFor(id, u"sample/app"_s, u"1.0"_s);
    QCOMPARE(typeOf(tag), NodeType::Tag);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(tag), LoadState::Failed, LoadTimeoutMs);
    QCOMPARE(typeOf(model.index(0, 0, tag)), NodeType::Error);
    QVERIFY(model.index(0, 0, tag)
                .data(RegistryTreeModel::ErrorRole)
                .toString()
                .contains(u"connection refused"_s, Qt::CaseInsensitive));
    QVERIFY2(m_registry->restart(&error), qPrintable(error));
    model.retry(tag);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(tag), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(model.rowCount(tag), 1);
    QCOMPARE(model.index(0, 0, tag).data().toString(), u"linux/amd64"_s);
    QCOMPARE(model.index(0, 0, tag).data(RegistryTreeModel::SizeRole).toLongLong(),
             m_images->find(u"sample/app"_s, u"1.0"_s)->images.at(0).compressedSize());
}

void TestRegistryTreeModel::catalogPagesAppearIncrementally()
{
    // Page one answers at once, page two only when the test says so.
    StubRegistryServer stub([](const QByteArray &path) {
        using Reply = StubRegistryServer::Reply;
        if (path == "/v2/")
            return Reply::json(200, "{}");
        if (path.startsWith("/v2/_catalog?last=b")) {
            Reply reply = Reply::json(200, R"({"repositories":["c","d/two"]})");
            reply.hold = true;
            return reply;
        }
        if (path.startsWith("/v2/_catalog")) {
            Reply reply = Reply::json(200, R"({"repositories":["a/one","b"]})");
            reply.headers.append(std::pair<QByteArray, QByteArray>(
                "Link", R"(</v2/_catalog?last=b&n=1000>; rel="next")"));
            return reply;
        }
        return Reply::json(404, "{}");
    });
    QVERIFY(stub.listen());
    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"paged"_s, stub.url().toString());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QModelIndex bookmark = model.index(0, 0);
    model.fetchMore(bookmark);

    // The first page is shown while the second is still on its way, Loading row last.
    QTRY_COMPARE_WITH_TIMEOUT(stub.heldCount(), 1, LoadTimeoutMs);
    QTRY_COMPARE(model.rowCount(bookmark), 3);
    QCOMPARE(model.loadState(bookmark), LoadState::Loading);
    QCOMPARE(childNames(model, bookmark).mid(0, 2), (QStringList{u"a/"_s, u"b"_s}));
    QCOMPARE(typeOf(model.index(2, 0, bookmark)), NodeType::Loading);
    const QPersistentModelIndex b = model.index(1, 0, bookmark);

    stub.releaseHeld();
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(bookmark), LoadState::Loaded, LoadTimeoutMs);
    // Merged in order: the new namespace between the old one and the repositories.
    QCOMPARE(repositoryTree(model, bookmark),
             (QStringList{u"a/"_s, u"  a/one"_s, u"d/"_s, u"  d/two"_s, u"b"_s, u"c"_s}));
    QVERIFY(b.isValid()); // rows of the first page were kept, not rebuilt
    QCOMPARE(b.data().toString(), u"b"_s);
    QCOMPARE(stub.count("/v2/_catalog"), 2);
}

void TestRegistryTreeModel::catalogRefused_data()
{
    QTest::addColumn<int>("pingStatus");
    QTest::addColumn<int>("catalogStatus");
    QTest::addColumn<bool>("expectMessage");
    QTest::newRow("catalog 404") << 200 << 404 << true;
    QTest::newRow("catalog 403") << 200 << 403 << true;
    QTest::newRow("not a registry") << 404 << 404 << false;
}

void TestRegistryTreeModel::catalogRefused()
{
    QFETCH(int, pingStatus);
    QFETCH(int, catalogStatus);
    QFETCH(bool, expectMessage);
    StubRegistryServer stub([&](const QByteArray &path) {
        using Reply = StubRegistryServer::Reply;
        if (path == "/v2/" || path == "/v2")
            return Reply::json(pingStatus, "{}");
        if (path.startsWith("/v2/_catalog"))
            return Reply::json(
                catalogStatus,
                R"({"errors":[{"code":"UNSUPPORTED","message":"catalog disabled"}]})");
        return Reply::json(404, "{}");
    });
    QVERIFY(stub.listen());

    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"hub"_s, stub.url().toString());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QModelIndex bookmark = model.index(0, 0);
    model.fetchMore(bookmark);
    QTRY_VERIFY_WITH_TIMEOUT(model.loadState(bookmark) == LoadState::Loaded ||
                                 model.loadState(bookmark) == LoadState::Failed,
                             LoadTimeoutMs);
    QCOMPARE(model.rowCount(bookmark), 1);
    const QModelIndex row = model.index(0, 0, bookmark);
    if (expectMessage) {
        QCOMPARE(typeOf(row), NodeType::Message);
        QCOMPARE(model.loadState(bookmark), LoadState::Loaded);
        QVERIFY2(row.data().toString().contains(u"by hand"_s), qPrintable(row.data().toString()));
        QVERIFY(row.data().toString().contains(QString::number(catalogStatus)));
        // The registry's own explanation is kept for the tooltip.
        QVERIFY(!row.data(RegistryTreeModel::ErrorRole).toString().isEmpty());
        QVERIFY(row.data(Qt::ToolTipRole)
                    .toString()
                    .contains(row.data(RegistryTreeModel::ErrorRole).toString()));
        QVERIFY(!row.data(RegistryTreeModel::CanRetryRole).toBool());
        QCOMPARE(stub.count("/v2/_catalog"), 1);
    } else {
        QCOMPARE(typeOf(row), NodeType::Error);
        QCOMPARE(model.loadState(bookmark), LoadState::Failed);
        QVERIFY2(!row.data().toString().contains(u"by hand"_s), qPrintable(row.data().toString()));
    }
}

void TestRegistryTreeModel::manualRepositories()
{
    ModelTestEnvironment env;
    const QString id =
        env.addBookmark(u"manual"_s, m_registry->url(),
                        {u"sample/versions"_s, u"sample/app"_s, u"team/api"_s, u"solo-0000"_s});
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    const QModelIndex bookmark = model.index(0, 0);
    model.fetchMore(bookmark);
    QTRY_COMPARE(model.loadState(bookmark), LoadState::Loaded);
    QCOMPARE(dump(model, bookmark),
             (QStringList{u"sample/"_s, u"  sample/app"_s, u"  sample/versions"_s, u"team/"_s,
                          u"  team/api"_s, u"solo-0000"_s}));
    QVERIFY(!env.sessions()->existingClient(id)); // the catalog was never asked for

    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
    QCOMPARE(childNames(model, model.indexFor(id, u"sample/app"_s)),
             (QStringList{u"1.0"_s, u"latest"_s}));
    // A listed repository that does not exist is an error on that repository only.
    const QModelIndex api = model.indexFor(id, u"team/api"_s);
    QCOMPARE(model.loadState(api), LoadState::Failed);
    QVERIFY(model.index(0, 0, api)
                .data(RegistryTreeModel::ErrorRole)
                .toString()
                .contains(u"team/api"_s));
    QVERIFY(env.sessions()->existingClient(id)->networkRequests() > 0);
}

void TestRegistryTreeModel::bookmarkChanges()
{
    ModelTestEnvironment env;
    const QString a = env.addBookmark(u"A"_s, m_registry->url());
    const QString b = env.addBookmark(u"B"_s, m_registry->url(), {u"x/y"_s});
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    RegistryTreeModel model(env.sessions());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(childNames(model, {}), (QStringList{u"A"_s, u"B"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(model.index(0, 0)), LoadState::Loaded, LoadTimeoutMs);
    QTRY_COMPARE(model.loadState(model.index(1, 0)), LoadState::Loaded);
    QTRY_VERIFY_WITH_TIMEOUT(settled(model), LoadTimeoutMs);
    const QPersistentModelIndex sampleOfA = model.indexFor(a, u"sample/app"_s);
    QVERIFY(sampleOfA.isValid());

    // Rename: same node, same children (a view keeps it expanded).
    auto bookmarkA = *env.bookmarks()->byId(a);
    bookmarkA.name = u"A renamed"_s;
    QVERIFY(env.bookmarks()->update(bookmarkA));
    QCOMPARE(model.index(0, 0).data().toString(), u"A renamed"_s);
    QVERIFY(sampleOfA.isValid());
    QCOMPARE(model.loadState(model.index(0, 0)), LoadState::Loaded);

    // Reorder: a move, not a remove and insert.
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QVERIFY(env.bookmarks()->move(0, 1));
    QCOMPARE(moved.count(), 1);
    QCOMPARE(childNames(model, {}), (QStringList{u"B"_s, u"A renamed"_s}));
    QVERIFY(sampleOfA.isValid());
    QCOMPARE(sampleOfA.parent().parent().data().toString(), u"A renamed"_s);

    // New bookmark appears where the store puts it.
    const QString c = env.addBookmark(u"C"_s, m_registry->url(), {u"solo-0001"_s});
    QVERIFY(!c.isEmpty());
    QCOMPARE(childNames(model, {}), (QStringList{u"B"_s, u"A renamed"_s, u"C"_s}));

    // B's repository list changes: B reloads with the new list and stays expanded.
    auto bookmarkB = *env.bookmarks()->byId(b);
    bookmarkB.repositories = {u"x/y"_s, u"x/z"_s};
    QVERIFY(env.bookmarks()->update(bookmarkB));
    QTRY_COMPARE(model.loadState(model.index(0, 0)), LoadState::Loaded);
    const QModelIndex namespaceX = model.index(0, 0, model.index(0, 0));
    QCOMPARE(namespaceX.data().toString(), u"x/"_s);
    QCOMPARE(childNames(model, namespaceX), (QStringList{u"x/y"_s, u"x/z"_s}));

    // A's address changes to one where nothing listens: its client is replaced and the
    // loaded subtree reloads against the new address.
    bookmarkA = *env.bookmarks()->byId(a);
    bookmarkA.url = QUrl(u"http://127.0.0.1:%1"_s.arg(t::TestRegistry::pickFreePort()));
    QVERIFY(env.bookmarks()->update(bookmarkA));
    QVERIFY(!sampleOfA.isValid());
    const QModelIndex nodeA = model.indexFor(a);
    QCOMPARE(nodeA.row(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(nodeA), LoadState::Failed, LoadTimeoutMs);
    QVERIFY(model.index(0, 0, nodeA)
                .data(RegistryTreeModel::ErrorRole)
                .toString()
                .contains(u"connection refused"_s, Qt::CaseInsensitive));

    // Removed bookmarks go, their requests with them.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(env.bookmarks()->remove(c));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(childNames(model, {}), (QStringList{u"B"_s, u"A renamed"_s}));
}

void TestRegistryTreeModel::refreshReloadsSubtree()
{
    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"local"_s, m_registry->url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    QSignalSpy revealed(&model, &RegistryTreeModel::pathRevealed);
    model.revealPath(id, u"solo-0001"_s, u"latest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(revealed.count(), 1, LoadTimeoutMs);
    QPersistentModelIndex repo = model.indexFor(id, u"solo-0001"_s);
    QCOMPARE(childNames(model, repo), QStringList{u"latest"_s});
    wharf::RegistryClient *client = env.sessions()->existingClient(id);
    const qint64 before = client->networkRequests();

    // A tag pushed behind the model's back shows up after a refresh of its repository.
    QString error;
    QVERIFY2(t::Skopeo::copyFrom(m_registry->dockerReference(u"solo-0001:latest"_s),
                                 m_registry->dockerReference(u"solo-0001:1.1"_s),
                                 m_registry->skopeoOptions(), &error),
             qPrintable(error));
    QCOMPARE(childNames(model, repo), QStringList{u"latest"_s});
    model.refresh(repo);
    QVERIFY(repo.isValid()); // the repository node itself stays (and stays expanded)
    QCOMPARE(model.loadState(repo), LoadState::Loading);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(repo), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(childNames(model, repo), (QStringList{u"1.1"_s, u"latest"_s}));
    QCOMPARE(client->networkRequests(), before + 1); // one tags/list, tags not resolved

    // Refreshing a platform reloads its tag.
    model.fetchMore(model.index(0, 0, repo));
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(model.index(0, 0, repo)), LoadState::Loaded,
                              LoadTimeoutMs);
    const QPersistentModelIndex tag = model.index(0, 0, repo);
    const QModelIndex platform = model.index(0, 0, tag);
    QCOMPARE(typeOf(platform), NodeType::Platform);
    const QString digest = platform.data(RegistryTreeModel::DigestRole).toString();
    model.refresh(platform);
    QCOMPARE(model.loadState(tag), LoadState::Loading);
    QTRY_COMPARE_WITH_TIMEOUT(model.loadState(tag), LoadState::Loaded, LoadTimeoutMs);
    QCOMPARE(model.index(0, 0, tag).data(RegistryTreeModel::DigestRole).toString(), digest);

    // Everything, under the tester.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
    model.refresh(QModelIndex());
    QCOMPARE(model.loadState(model.index(0, 0)), LoadState::Loading);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(settled(model), LoadTimeoutMs);
    QCOMPARE(childNames(model, model.indexFor(id, u"solo-0001"_s)),
             (QStringList{u"1.1"_s, u"latest"_s}));
}

void TestRegistryTreeModel::fullWalkUnderTester()
{
    ModelTestEnvironment env;
    const QString id = env.addBookmark(u"local"_s, m_registry->url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel model(env.sessions());
    model.setShowAttestations(true);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY_WITH_TIMEOUT(fullyLoaded(model), LoadTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(settled(model), LoadTimeoutMs);

    // Every sample tag is there with exactly its platforms (and attestations) and sizes.
    for (const t::SampleImages::Tag &expected : m_images->tags()) {
        const QModelIndex tag = model.indexFor(id, expected.repository, expected.tag);
        QCOMPARE(typeOf(tag), NodeType::Tag);
        QCOMPARE(tag.data(RegistryTreeModel::DigestRole).toString(), expected.top.digest);
        QCOMPARE(model.rowCount(tag), expected.images.size() + expected.attestations.size());
        for (int i = 0; i < expected.images.size(); ++i) {
            const QModelIndex platform = model.index(i, 0, tag);
            QCOMPARE(platform.data(RegistryTreeModel::DigestRole).toString(),
                     expected.images.at(i).manifest.digest);
            QCOMPARE(platform.data(RegistryTreeModel::SizeRole).toLongLong(),
                     expected.images.at(i).compressedSize());
        }
    }

    // Once loaded, expanding again costs nothing.
    wharf::RegistryClient *client = env.sessions()->existingClient(id);
    const qint64 requests = client->networkRequests();
    std::function<void(const QModelIndex &)> fetchAll = [&](const QModelIndex &parent) {
        model.fetchMore(parent);
        for (int r = 0; r < model.rowCount(parent); ++r)
            fetchAll(model.index(r, 0, parent));
    };
    fetchAll({});
    // A round trip on the same client: anything fetchAll had queued would run before it.
    bool pinged = false;
    QObject context;
    client->ping(&context, [&](wharf::Expected<wharf::PingResult>) { pinged = true; });
    QTRY_VERIFY_WITH_TIMEOUT(pinged, LoadTimeoutMs);
    QCOMPARE(client->networkRequests(), requests + 1);
}

QTEST_MAIN(TestRegistryTreeModel)
#include "tst_RegistryTreeModel.moc"
