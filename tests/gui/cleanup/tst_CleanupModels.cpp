// The cleanup GUI's models on hand-made plans, results, evaluations and policies (no registry):
// structure under QAbstractItemModelTester, the collateral highlight, result rows following a
// DeleteJob, the retention table's rows and sorting, the policy list following its store.

#include "cleanup/DeletePlanModel.h"
#include "cleanup/DeleteResultModel.h"
#include "cleanup/RetentionDecisionModel.h"
#include "cleanup/RetentionPolicyListModel.h"

#include "cleanup/DeleteJob.h"
#include "cleanup/RetentionPolicyStore.h"
#include "client/RegistryClient.h"
#include "oci/MediaTypes.h"
#include "transport/NetworkPool.h"
#include "widgets/StatusColors.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;

namespace {

Digest digestOf(const char *text)
{
    return Digest::sha256Of(QByteArray(text));
}

// r/app:a and r/app:b on one digest (only a selected), an index listing that digest, a
// cosign signature of it, and a selection that is already gone.
DeletePlan sharedDigestPlan()
{
    const Digest image = digestOf("image");
    const Digest index = digestOf("index");
    const Digest signature = digestOf("signature");
    DeletePlan plan;
    plan.registry = u"http://127.0.0.1:9"_s;
    plan.selections = {DeleteSelection::forTag(u"r/app"_s, u"a"_s),
                       DeleteSelection::forTag(u"r/app"_s, u"gone"_s)};
    plan.tags = {PlannedTag{u"r/app"_s, u"a"_s, image, false},
                 PlannedTag{u"r/app"_s, u"b"_s, image, true}};
    PlannedManifest m;
    m.repository = u"r/app"_s;
    m.digest = image;
    m.mediaType = QString::fromUtf16(MediaTypes::OciManifest);
    m.size = 512;
    m.tags = {u"a"_s, u"b"_s};
    m.selectedTags = {u"a"_s};
    m.collateralTags = {u"b"_s};
    m.reason = u"tag selected"_s;
    plan.manifests = {m};
    plan.brokenIndexes = {BrokenIndex{u"r/app"_s, index, {u"multi"_s}, {image}}};
    plan.orphanedArtifacts = {OrphanedArtifact{
        u"r/app"_s, u"sha256-"_s + image.encoded() + u".sig"_s, signature, image, u"signature"_s}};
    SkippedSelection gone;
    gone.selection = DeleteSelection::forTag(u"r/app"_s, u"gone"_s);
    gone.message = u"The tag r/app:gone no longer exists."_s;
    plan.skipped = {gone};
    plan.reclaimableBlobs = {BlobRef{image, 512}};
    plan.reclaimableBytes = 512;
    return plan;
}

QPalette palette(const QColor &window, const QColor &text)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::Base, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Text, text);
    return p;
}

} // namespace

class TestCleanupModels : public QObject
{
    Q_OBJECT
private slots:
    void planModelShowsTheWholePlan();
    void collateralHighlightFollowsThePalette();
    void resultModelFollowsTheJob();
    void retentionDecisionRows();
    void policyListFollowsTheStore();
};

void TestCleanupModels::planModelShowsTheWholePlan()
{
    DeletePlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 0);

    const DeletePlan plan = sharedDigestPlan();
    QVERIFY(plan.needsConfirmation());
    model.setPlan(plan);

    // Sections in a fixed order, empty ones (untags, untagged manifests) left out.
    using S = DeletePlanModel::Section;
    QList<S> sections;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex s = model.index(row, 0);
        QVERIFY(s.data(DeletePlanModel::IsSectionRole).toBool());
        sections << s.data(DeletePlanModel::SectionRole).value<S>();
    }
    QCOMPARE(sections,
             QList<S>({S::Tags, S::Manifests, S::BrokenIndexes, S::OrphanedArtifacts, S::Skipped}));
    QVERIFY(!model.sectionIndex(S::Untags).isValid());
    QCOMPARE(model.index(0, 0).data().toString(), u"Tags that disappear (2)"_s);

    QCOMPARE(model.references(S::Tags), QStringList({u"r/app:a"_s, u"r/app:b"_s}));
    QCOMPARE(model.collateralReferences(), QStringList{u"r/app:b"_s});
    QCOMPARE(model.references(S::Manifests),
             QStringList{u"r/app@"_s + digestOf("image").toString()});
    QCOMPARE(model.references(S::BrokenIndexes),
             QStringList{u"r/app@"_s + digestOf("index").toString()});
    QCOMPARE(model.references(S::Skipped), QStringList{u"r/app:gone"_s});

    const QModelIndex tags = model.sectionIndex(S::Tags);
    const QModelIndex named = model.index(0, DeletePlanModel::ItemColumn, tags);
    const QModelIndex collateral = model.index(1, DeletePlanModel::ItemColumn, tags);
    QCOMPARE(named.data().toString(), u"r/app:a"_s);
    QVERIFY(!named.data(DeletePlanModel::CollateralRole).toBool());
    QVERIFY(!named.data(Qt::BackgroundRole).isValid());
    QCOMPARE(named.siblingAtColumn(DeletePlanModel::DetailColumn).data().toString(), u"selected"_s);

    // The collateral tag: flagged, an icon, the text, and a background on every column.
    QVERIFY(collateral.data(DeletePlanModel::CollateralRole).toBool());
    QVERIFY(!collateral.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(collateral.siblingAtColumn(DeletePlanModel::DetailColumn).data().toString(),
             u"also removed: shares digest with a"_s);
    for (int column = 0; column < DeletePlanModel::ColumnCount; ++column)
        QVERIFY(collateral.siblingAtColumn(column).data(Qt::BackgroundRole).isValid());
    QCOMPARE(collateral.siblingAtColumn(DeletePlanModel::DigestColumn).data().toString(),
             digestOf("image").shortForm());
    QCOMPARE(collateral.siblingAtColumn(DeletePlanModel::DigestColumn).data(Qt::ToolTipRole),
             QVariant(digestOf("image").toString()));

    // The manifest that takes the collateral tag along says so too.
    const QModelIndex manifest = model.index(0, 0, model.sectionIndex(S::Manifests));
    QVERIFY(manifest.data(DeletePlanModel::CollateralRole).toBool());
    QVERIFY(manifest.siblingAtColumn(DeletePlanModel::DetailColumn)
                .data()
                .toString()
                .contains(u"also removes b"_s));
    const QModelIndex broken = model.index(0, 0, model.sectionIndex(S::BrokenIndexes));
    QCOMPARE(broken.data().toString(), u"r/app:multi"_s);
    QVERIFY(broken.siblingAtColumn(DeletePlanModel::DetailColumn)
                .data()
                .toString()
                .contains(digestOf("image").shortForm()));
    const QModelIndex orphan = model.index(0, 0, model.sectionIndex(S::OrphanedArtifacts));
    QVERIFY(orphan.siblingAtColumn(DeletePlanModel::DetailColumn)
                .data()
                .toString()
                .startsWith(u"signature of "_s));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.collateralReferences().isEmpty());
}

void TestCleanupModels::collateralHighlightFollowsThePalette()
{
    const QPalette light = palette(Qt::white, Qt::black);
    const QPalette dark = palette(QColor(0x20, 0x20, 0x20), QColor(0xee, 0xee, 0xee));
    const QColor onLight = DeletePlanModel::collateralBackground(light);
    const QColor onDark = DeletePlanModel::collateralBackground(dark);
    QVERIFY(onLight != onDark);
    QVERIFY(onLight.alpha() < 255); // a tint over the view's base colour, text stays readable
    QVERIFY(onDark.lightnessF() > onLight.lightnessF());

    DeletePlanModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPlan(sharedDigestPlan());
    const QModelIndex collateral =
        model.index(1, 0, model.sectionIndex(DeletePlanModel::Section::Tags));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPalette(light);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(collateral.data(Qt::BackgroundRole).value<QColor>(), onLight);
    model.setPalette(dark);
    QCOMPARE(collateral.data(Qt::BackgroundRole).value<QColor>(), onDark);
}

void TestCleanupModels::resultModelFollowsTheJob()
{
    RegistryConfig config;
    config.url = QUrl(u"http://127.0.0.1:9"_s);
    config.useCache = false;
    RegistryClient client(config, std::make_shared<NetworkPool>(1), nullptr);
    const qint64 requestsBefore = client.networkRequests();

    DeleteResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(DeleteResultModel::SortRole);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);

    // A plan that needs confirmation: the job refuses it as a whole without sending anything.
    DeleteJob job(&client, sharedDigestPlan(), DeleteJob::Options());
    model.setJob(&job);
    QCOMPARE(model.rowCount(), 1); // the selection the plan left out is final from the start
    QCOMPARE(model.resultAt(0).status, DeleteResult::Status::AlreadyGone);
    QCOMPARE(model.index(0, DeleteResultModel::ReferenceColumn).data().toString(), u"r/app:gone"_s);

    job.start();
    QTRY_VERIFY(job.isFinished());
    QCOMPARE(job.state(), Job::State::Failed);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.count(DeleteResult::Status::Refused), 1);
    const QModelIndex refused = model.index(1, 0);
    QCOMPARE(refused.data().toString(), u"r/app:a, b"_s);
    QCOMPARE(refused.siblingAtColumn(DeleteResultModel::StatusColumn).data().toString(),
             u"Refused"_s);
    QVERIFY(refused.siblingAtColumn(DeleteResultModel::MessageColumn)
                .data()
                .toString()
                .contains(u"Would also remove b"_s));
    QCOMPARE(refused.data(DeleteResultModel::ReferenceRole).toString(),
             u"r/app@"_s + digestOf("image").toString());
    QCOMPARE(refused.siblingAtColumn(DeleteResultModel::DigestColumn).data().toString(),
             digestOf("image").shortForm());
    // Status in the severity colour of the palette, with an icon.
    const QPalette light = palette(Qt::white, Qt::black);
    model.setPalette(light);
    QCOMPARE(refused.siblingAtColumn(DeleteResultModel::StatusColumn)
                 .data(Qt::ForegroundRole)
                 .value<QColor>(),
             StatusColors::color(StatusColors::Severity::Error, light));
    QVERIFY(!refused.siblingAtColumn(DeleteResultModel::StatusColumn)
                 .data(Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QCOMPARE(client.networkRequests(), requestsBefore);

    // Sorting by status goes through the proxy; the source keeps arrival order.
    proxy.sort(DeleteResultModel::StatusColumn);
    QCOMPARE(proxy.index(0, DeleteResultModel::StatusColumn).data().toString(), u"Already gone"_s);
    proxy.sort(DeleteResultModel::StatusColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, DeleteResultModel::StatusColumn).data().toString(), u"Refused"_s);

    // The rows are copies: they outlive the job's results being refreshed or the job.
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestCleanupModels::retentionDecisionRows()
{
    RetentionEvaluation evaluation;
    RetentionDecision newest;
    newest.repository = u"r/app"_s;
    newest.tags = {u"latest"_s, u"v2"_s};
    newest.digest = digestOf("v2");
    newest.created = QDateTime(QDate(2024, 3, 1), QTime(12, 0), Qt::UTC);
    newest.keep = true;
    newest.reason = u"kept: among the newest 1"_s;
    RetentionDecision old;
    old.repository = u"r/app"_s;
    old.tags = {u"old"_s};
    old.digest = digestOf("old");
    old.created = QDateTime(QDate(2023, 1, 1), QTime(12, 0), Qt::UTC);
    old.keep = false;
    old.reason = u"deleted: not among the newest 1"_s;
    evaluation.decisions = {newest, old};
    evaluation.unreadableTags = {u"r/app:broken"_s};

    RetentionDecisionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(RetentionDecisionModel::SortRole);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setEvaluation(evaluation);

    QCOMPARE(model.rowCount(), 4); // one row per tag, the unreadable one included
    QCOMPARE(model.referencesToDelete(), QStringList{u"r/app:old"_s});
    QCOMPARE(model.referencesToKeep(),
             QStringList({u"r/app:latest"_s, u"r/app:v2"_s, u"r/app:broken"_s}));
    const QModelIndex oldRow = model.index(2, 0);
    QCOMPARE(oldRow.data().toString(), u"r/app:old"_s);
    QCOMPARE(oldRow.siblingAtColumn(RetentionDecisionModel::DecisionColumn).data().toString(),
             u"Delete"_s);
    QCOMPARE(oldRow.siblingAtColumn(RetentionDecisionModel::ReasonColumn).data().toString(),
             old.reason);
    QCOMPARE(oldRow.siblingAtColumn(RetentionDecisionModel::CreatedColumn).data().toString(),
             u"2023-01-01 12:00 UTC"_s);
    QCOMPARE(model.index(3, RetentionDecisionModel::ReasonColumn).data().toString(),
             u"kept: could not be read"_s);

    // Created date order through the proxy: unknown first, then oldest to newest.
    proxy.sort(RetentionDecisionModel::CreatedColumn);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"r/app:broken"_s);
    QCOMPARE(proxy.index(1, 0).data().toString(), u"r/app:old"_s);
    proxy.sort(RetentionDecisionModel::DecisionColumn);
    QCOMPARE(proxy.index(0, 0).data(RetentionDecisionModel::KeepRole).toBool(), false);

    model.clear();
    QCOMPARE(proxy.rowCount(), 0);
}

void TestCleanupModels::policyListFollowsTheStore()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"wharf.conf"_s);
    RetentionPolicyStore store(path);
    RetentionPolicyListModel model(&store, u"b1"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 0);

    RetentionPolicy mine;
    mine.bookmarkId = u"b1"_s;
    mine.name = u"Nightlies"_s;
    mine.repositoryGlob = u"team/*"_s;
    mine.keepLast = 5;
    RetentionPolicy other = mine;
    other.bookmarkId = u"b2"_s;
    const auto added = store.add(mine);
    QVERIFY(added.hasValue());
    QVERIFY(store.add(other).hasValue());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data().toString(), u"Nightlies"_s);
    QCOMPARE(model.index(0).data(RetentionPolicyListModel::PolicyIdRole).toString(), added->id);
    QCOMPARE(model.index(0).data(RetentionPolicyListModel::DescriptionRole).toString(),
             u"team/*: keep newest 5"_s);
    QCOMPARE(model.rowOf(added->id), 0);

    RetentionPolicy changed = *added;
    changed.name.clear();
    changed.olderThanDays = 30;
    QVERIFY(store.update(changed).hasValue());
    QCOMPARE(model.index(0).data().toString(),
             u"team/*: keep newest 5, delete older than 30 days"_s);

    QVERIFY(store.remove(added->id));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.rowOf(added->id), -1);
}

QTEST_MAIN(TestCleanupModels)
#include "tst_CleanupModels.moc"
