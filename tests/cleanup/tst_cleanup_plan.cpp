// Cleanup decisions without a registry: delete plans, retention verdicts, the delete journal
// and garbage-collection estimates, computed from hand-made inventories whose right answers
// are worked out by hand in each test.

#include "bookmarks/BookmarkStore.h"
#include "cleanup/DeleteJob.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/DeletePlanner.h"
#include "cleanup/GcEstimateJob.h"
#include "cleanup/GcGuidance.h"
#include "cleanup/RetentionEvaluator.h"
#include "cleanup/RetentionPolicyStore.h"
#include "client/RegistryClient.h"
#include "oci/Manifest.h"
#include "oci/MediaTypes.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace wharf;

namespace {

const QString Registry = u"http://registry.test:5000"_s;

Digest dg(const QString &name)
{
    return Digest::sha256Of(name.toUtf8());
}

Descriptor blob(const QString &name, qint64 size,
                const QString &mediaType = QString::fromUtf16(MediaTypes::OciLayerGzip))
{
    Descriptor d;
    d.mediaType = mediaType;
    d.digest = dg(name);
    d.size = size;
    return d;
}

ImagePlatform platform(const QString &manifest, const QString &config,
                       const QList<std::pair<QString, qint64>> &layers,
                       const QDateTime &created = {})
{
    ImagePlatform p;
    p.digest = dg(manifest);
    p.mediaType = QString::fromUtf16(MediaTypes::OciManifest);
    p.platform.os = u"linux"_s;
    p.platform.architecture = u"amd64"_s;
    p.config = blob(config, 100, QString::fromUtf16(MediaTypes::OciConfig));
    for (const auto &[name, size] : layers)
        p.layers << blob(name, size);
    if (created.isValid()) {
        ImageConfig c;
        c.created = created;
        p.configDetails = c;
    }
    return p;
}

ResolvedImage single(const ImagePlatform &p)
{
    ResolvedImage image;
    image.digest = p.digest;
    image.mediaType = p.mediaType;
    image.platforms = {p};
    return image;
}

ResolvedImage index(const QString &name, const QList<ImagePlatform> &children,
                    const QStringList &attestations = {})
{
    ResolvedImage image;
    image.digest = dg(name);
    image.mediaType = QString::fromUtf16(MediaTypes::OciIndex);
    image.isIndex = true;
    image.platforms = children;
    for (const QString &a : attestations)
        image.attestations << ImageAttestation{dg(a), {}};
    return image;
}

void addTag(Inventory &inventory, const QString &repository, const QString &tag,
            ResolvedImage image)
{
    image.repository = repository;
    image.reference = tag;
    auto it = std::find_if(inventory.repositories.begin(), inventory.repositories.end(),
                           [&](const InventoryRepository &r) { return r.name == repository; });
    if (it == inventory.repositories.end()) {
        inventory.repositories << InventoryRepository{repository, {}, {}, 0};
        it = inventory.repositories.end() - 1;
    }
    it->tags << InventoryTag{tag, image, {}};
}

ManifestHead head(const ResolvedImage &image, qint64 size = 500)
{
    return ManifestHead{image.digest, image.mediaType, size};
}

DeletePlanner::Facts facts(const Inventory &inventory, const QList<DeleteSelection> &selections)
{
    DeletePlanner::Facts f;
    f.registry = Registry;
    f.inventory = inventory;
    f.selections = selections;
    f.now = QDateTime(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
    return f;
}

QStringList digestsOf(const QList<BlobRef> &blobs)
{
    QStringList out;
    for (const BlobRef &b : blobs)
        out << b.digest.toString();
    out.sort();
    return out;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList tagRefs(const DeletePlan &plan)
{
    QStringList out;
    for (const PlannedTag &t : plan.tags)
        out << t.reference();
    return out;
}

QDateTime day(int year, int month, int d)
{
    return QDateTime(QDate(year, month, d), QTime(12, 0), QTimeZone::utc());
}

// app:a and app:b share image X (config cX, layers base + appL); other:1 is image Y using the
// same base layer. Used by several tests.
struct SharedSetup
{
    Inventory inventory;
    ResolvedImage x = single(platform(u"mX"_s, u"cX"_s, {{u"base"_s, 1000}, {u"appL"_s, 300}}));
    ResolvedImage y = single(platform(u"mY"_s, u"cY"_s, {{u"base"_s, 1000}, {u"otherL"_s, 50}}));
    SharedSetup()
    {
        addTag(inventory, u"app"_s, u"a"_s, x);
        addTag(inventory, u"app"_s, u"b"_s, x);
        addTag(inventory, u"other"_s, u"1"_s, y);
    }
};

} // namespace

class TestCleanupPlan : public QObject
{
    Q_OBJECT
private slots:
    void collateralTagsNeedConfirmation();
    void forceDeletesTheDigestWithItsTags();
    void untagOnlyRemovesJustTheNamedTag();
    void skipCollateralLeavesTheDigest();
    void namingEveryTagNeedsNoConfirmation();
    void blobsOtherRepositoriesUseAreNotReclaimable();
    void sameDigestInAnotherRepositoryKeepsEverything();
    void deletingAnIndexLeavesChildrenUntagged();
    void deletingAChildBreaksItsIndex();
    void orphanedSignaturesAndReferrers();
    void goneSelectionsAreReported();
    void headWinsOverAStaleInventory();
    void wholeRepositoryDeletesParentsFirst();
    void planWithoutCatalogSaysSo();
    void deleteJobRefusesAPlanNeedingConfirmation();
    void placeholderManifestIsMinimalAndUnique();

    void retentionKeepsNewestAndMatchingTags();
    void retentionOlderThanAndDeletePattern();
    void retentionPolicyValidation();
    void retentionStoreSharesTheBookmarkFile();

    void journalRoundTripSkipsTornLines();
    void journalRemoveUpTo();
    void journalFileNames();
    void gcEstimateCountsUnreferencedBlobsOnly();
    void gcEstimateSurvivingChildrenKeepTheirBlobs();
    void gcEstimateNoticesACollection();
    void gcEstimateDistrustsWhatTheCacheRemembers();
    void gcGuidanceCommands();
};

void TestCleanupPlan::collateralTagsNeedConfirmation()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s)});
    f.heads.insert(u"app:a"_s, head(s.x, 480));
    const DeletePlan plan = DeletePlanner::compute(f);

    QCOMPARE(plan.manifests.size(), 1);
    QCOMPARE(plan.manifests.first().digest, s.x.digest);
    QCOMPARE(plan.manifests.first().selectedTags, QStringList{u"a"_s});
    QCOMPARE(plan.manifests.first().collateralTags, QStringList{u"b"_s});
    QCOMPARE(tagRefs(plan), QStringList({u"app:a"_s, u"app:b"_s}));
    QCOMPARE(plan.collateralTags(), QStringList{u"app:b"_s});
    QVERIFY(plan.needsConfirmation());
    QCOMPARE(plan.confirmationReasons().size(), 1);
    QVERIFY(plan.confirmationReasons().first().contains(u"app:b"_s));
    // Manifest (480 from HEAD, no node read) + its config + the layer only it uses; "base" is
    // also used by other:1.
    QCOMPARE(digestsOf(plan.reclaimableBlobs),
             sorted({s.x.digest.toString(), dg(u"cX"_s).toString(), dg(u"appL"_s).toString()}));
    QVERIFY(plan.untags.isEmpty());
}

void TestCleanupPlan::forceDeletesTheDigestWithItsTags()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s)});
    f.options.force = true;
    f.heads.insert(u"app:a"_s, head(s.x));
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(!plan.needsConfirmation());
    QCOMPARE(plan.deletedDigests(), QStringList{u"app@"_s + s.x.digest.toString()});
    QCOMPARE(plan.collateralTags(), QStringList{u"app:b"_s}); // still listed, just allowed
}

void TestCleanupPlan::untagOnlyRemovesJustTheNamedTag()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s)});
    f.options.untagOnly = true;
    f.heads.insert(u"app:a"_s, head(s.x));
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(plan.manifests.isEmpty());
    QCOMPARE(plan.untags.size(), 1);
    QCOMPARE(plan.untags.first().reference(), u"app:a"_s);
    QCOMPARE(plan.untags.first().remainingTags, QStringList{u"b"_s});
    QCOMPARE(tagRefs(plan), QStringList{u"app:a"_s});
    QVERIFY(plan.collateralTags().isEmpty());
    QVERIFY(!plan.needsConfirmation());
    QCOMPARE(plan.reclaimableBytes, 0);
}

void TestCleanupPlan::skipCollateralLeavesTheDigest()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s),
                                 DeleteSelection::forTag(u"other"_s, u"1"_s)});
    f.options.skipCollateral = true;
    f.heads.insert(u"app:a"_s, head(s.x));
    f.heads.insert(u"other:1"_s, head(s.y));
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.deletedDigests(), QStringList{u"other@"_s + s.y.digest.toString()});
    QCOMPARE(plan.skipped.size(), 1);
    QCOMPARE(plan.skipped.first().why, SkippedSelection::Why::SharesDigest);
    QCOMPARE(plan.skipped.first().selection.toString(), u"app:a"_s);
    QVERIFY(plan.skipped.first().message.contains(u"b"_s));
}

void TestCleanupPlan::namingEveryTagNeedsNoConfirmation()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"b"_s),
                                 DeleteSelection::forTag(u"app"_s, u"a"_s)});
    f.heads.insert(u"app:a"_s, head(s.x));
    f.heads.insert(u"app:b"_s, head(s.x));
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.manifests.size(), 1);
    QCOMPARE(plan.manifests.first().selectedTags, QStringList({u"a"_s, u"b"_s}));
    QVERIFY(plan.collateralTags().isEmpty());
    QVERIFY(!plan.needsConfirmation());
}

void TestCleanupPlan::blobsOtherRepositoriesUseAreNotReclaimable()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"other"_s, u"1"_s)});
    f.heads.insert(u"other:1"_s, head(s.y, 321));
    // With the manifest read (node), its exact size wins over the HEAD's.
    f.nodes.insert(u"other@"_s + s.y.digest.toString(),
                   ManifestNode{u"other"_s,
                                s.y.digest,
                                s.y.mediaType,
                                333,
                                false,
                                {BlobRef{dg(u"cY"_s), 100}, BlobRef{dg(u"base"_s), 1000},
                                 BlobRef{dg(u"otherL"_s), 50}},
                                {},
                                {},
                                {}});
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(digestsOf(plan.reclaimableBlobs),
             sorted({s.y.digest.toString(), dg(u"cY"_s).toString(), dg(u"otherL"_s).toString()}));
    QCOMPARE(plan.reclaimableBytes, 333 + 100 + 50);
    QVERIFY(plan.wholeRegistryInventory);
    QVERIFY(plan.notes.first().contains(u"all 2 repositories"_s));
}

void TestCleanupPlan::sameDigestInAnotherRepositoryKeepsEverything()
{
    SharedSetup s;
    addTag(s.inventory, u"mirror"_s, u"a"_s, s.x);
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s),
                                 DeleteSelection::forTag(u"app"_s, u"b"_s)});
    f.heads.insert(u"app:a"_s, head(s.x));
    f.heads.insert(u"app:b"_s, head(s.x));
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.manifests.size(), 1);
    QVERIFY(plan.reclaimableBlobs.isEmpty()); // mirror/a keeps the manifest and every blob
    QCOMPARE(plan.reclaimableBytes, 0);
}

void TestCleanupPlan::deletingAnIndexLeavesChildrenUntagged()
{
    Inventory inventory;
    const ImagePlatform amd = platform(u"amd"_s, u"cAmd"_s, {{u"lAmd"_s, 10}});
    const ImagePlatform arm = platform(u"arm"_s, u"cArm"_s, {{u"lArm"_s, 20}});
    const ResolvedImage idx = index(u"idx"_s, {amd, arm}, {u"att"_s});
    addTag(inventory, u"multi"_s, u"2.0"_s, idx);
    auto f = facts(inventory, {DeleteSelection::forTag(u"multi"_s, u"2.0"_s)});
    f.heads.insert(u"multi:2.0"_s, head(idx, 700));
    DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.deletedDigests(), QStringList{u"multi@"_s + idx.digest.toString()});
    QVERIFY(plan.manifests.first().isIndex);
    QVERIFY(plan.brokenIndexes.isEmpty());
    QStringList untagged;
    for (const UntaggedManifest &u : plan.untaggedManifests) {
        QCOMPARE(u.parent, idx.digest);
        untagged << u.digest.toString();
    }
    QCOMPARE(sorted(untagged),
             sorted({amd.digest.toString(), arm.digest.toString(), dg(u"att"_s).toString()}));
    // Only the index itself goes: the children stay in storage and keep their blobs.
    QCOMPARE(digestsOf(plan.reclaimableBlobs), QStringList{idx.digest.toString()});
    QCOMPARE(plan.reclaimableBytes, 700);

    // With the manifests read, the journal gets every descendant.
    const QString key = u"multi@"_s + idx.digest.toString();
    f.nodes.insert(key, ManifestNode{u"multi"_s,
                                     idx.digest,
                                     idx.mediaType,
                                     710,
                                     true,
                                     {},
                                     {BlobRef{amd.digest, 400}, BlobRef{arm.digest, 410}},
                                     {},
                                     {}});
    f.nodes.insert(u"multi@"_s + amd.digest.toString(),
                   ManifestNode{u"multi"_s,
                                amd.digest,
                                amd.mediaType,
                                400,
                                false,
                                {BlobRef{dg(u"cAmd"_s), 100}, BlobRef{dg(u"lAmd"_s), 10}},
                                {},
                                {},
                                {}});
    plan = DeletePlanner::compute(f);
    QCOMPARE(plan.manifests.first().size, 710);
    QCOMPARE(plan.manifests.first().descendants.size(), 1);
    QCOMPARE(plan.manifests.first().descendants.first().digest, amd.digest);
    QCOMPARE(plan.untaggedManifests.size(), 2); // the node lists two children
}

void TestCleanupPlan::deletingAChildBreaksItsIndex()
{
    Inventory inventory;
    const ImagePlatform amd = platform(u"amd"_s, u"cAmd"_s, {{u"lAmd"_s, 10}});
    const ImagePlatform arm = platform(u"arm"_s, u"cArm"_s, {{u"lArm"_s, 20}});
    const ResolvedImage idx = index(u"idx"_s, {amd, arm});
    addTag(inventory, u"multi"_s, u"2.0"_s, idx);
    addTag(inventory, u"multi"_s, u"2"_s, idx);
    auto f = facts(inventory, {DeleteSelection::forDigest(u"multi"_s, amd.digest)});
    f.heads.insert(u"multi@"_s + amd.digest.toString(),
                   ManifestHead{amd.digest, amd.mediaType, 400});
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.deletedDigests(), QStringList{u"multi@"_s + amd.digest.toString()});
    QVERIFY(plan.tags.isEmpty()); // the child has no tag of its own
    QCOMPARE(plan.brokenIndexes.size(), 1);
    QCOMPARE(plan.brokenIndexes.first().digest, idx.digest);
    QCOMPARE(plan.brokenIndexes.first().tags, QStringList({u"2"_s, u"2.0"_s}));
    QCOMPARE(plan.brokenIndexes.first().missingChildren, QList<Digest>{amd.digest});
    QVERIFY(plan.needsConfirmation()); // a broken index is never a silent side effect
    QVERIFY(plan.confirmationReasons().first().contains(idx.digest.toString()));
    // The index still lists the child, so garbage collection keeps the child's manifest blob,
    // but nothing marks its config and layer any more.
    QCOMPARE(digestsOf(plan.reclaimableBlobs),
             sorted({dg(u"cAmd"_s).toString(), dg(u"lAmd"_s).toString()}));
}

void TestCleanupPlan::orphanedSignaturesAndReferrers()
{
    SharedSetup s;
    const ResolvedImage sig = single(platform(u"sig"_s, u"cSig"_s, {{u"sigL"_s, 5}}));
    const ResolvedImage sbom = single(platform(u"sbom"_s, u"cSbom"_s, {{u"sbomL"_s, 5}}));
    const QString prefix = u"sha256-"_s + s.y.digest.encoded();
    addTag(s.inventory, u"other"_s, prefix + u".sig"_s, sig);
    addTag(s.inventory, u"other"_s, prefix + u".sbom"_s, sbom);
    addTag(s.inventory, u"other"_s, u"sha256-"_s + dg(u"unrelated"_s).encoded() + u".sig"_s, sig);
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"other"_s, u"1"_s)});
    f.heads.insert(u"other:1"_s, head(s.y));
    Descriptor referrer;
    referrer.digest = dg(u"ref-artifact"_s);
    f.referrers.insert(u"other@"_s + s.y.digest.toString(), {referrer});
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.orphanedArtifacts.size(), 3);
    QStringList refs;
    QStringList kinds;
    for (const OrphanedArtifact &o : plan.orphanedArtifacts) {
        QCOMPARE(o.subject, s.y.digest);
        refs << o.reference();
        kinds << o.kind;
    }
    QCOMPARE(sorted(refs),
             sorted({u"other:"_s + prefix + u".sig"_s, u"other:"_s + prefix + u".sbom"_s,
                     u"other@"_s + referrer.digest.toString()}));
    QCOMPARE(sorted(kinds), sorted({u"signature"_s, u"sbom"_s, u"referrer"_s}));

    // Deleting the signature along with its subject orphans nothing of it.
    f.selections << DeleteSelection::forTag(u"other"_s, prefix + u".sig"_s);
    f.heads.insert(u"other:"_s + prefix + u".sig"_s, head(sig));
    const DeletePlan both = DeletePlanner::compute(f);
    QCOMPARE(both.orphanedArtifacts.size(), 2);
}

void TestCleanupPlan::goneSelectionsAreReported()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"gone"_s),
                                 DeleteSelection::forDigest(u"app"_s, dg(u"nothing"_s))});
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(!plan.hasWork());
    QCOMPARE(plan.skipped.size(), 2);
    for (const SkippedSelection &skip : plan.skipped)
        QCOMPARE(skip.why, SkippedSelection::Why::AlreadyGone);
}

void TestCleanupPlan::headWinsOverAStaleInventory()
{
    SharedSetup s;
    // The inventory still says app:a is X, but the tag moved to Y meanwhile.
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s)});
    f.heads.insert(u"app:a"_s, head(s.y));
    const DeletePlan plan = DeletePlanner::compute(f);
    QCOMPARE(plan.deletedDigests(), QStringList{u"app@"_s + s.y.digest.toString()});
    QVERIFY(plan.collateralTags().isEmpty());
}

void TestCleanupPlan::wholeRepositoryDeletesParentsFirst()
{
    Inventory inventory;
    const ImagePlatform amd = platform(u"amd"_s, u"cAmd"_s, {{u"lAmd"_s, 10}});
    const ResolvedImage idx = index(u"idx"_s, {amd}, {u"att"_s});
    const ResolvedImage plain = single(platform(u"plain"_s, u"cPlain"_s, {{u"lPlain"_s, 7}}));
    addTag(inventory, u"repo"_s, u"multi"_s, idx);
    addTag(inventory, u"repo"_s, u"plain"_s, plain);
    addTag(inventory, u"repo"_s, u"plain2"_s, plain);
    auto f = facts(inventory, {DeleteSelection::forRepository(u"repo"_s)});
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(!plan.needsConfirmation());
    QCOMPARE(plan.manifests.size(), 4);
    QCOMPARE(plan.manifests.first().digest, idx.digest); // parents before children
    QCOMPARE(sorted(plan.deletedDigests()),
             sorted({u"repo@"_s + idx.digest.toString(), u"repo@"_s + amd.digest.toString(),
                     u"repo@"_s + dg(u"att"_s).toString(), u"repo@"_s + plain.digest.toString()}));
    QVERIFY(plan.untaggedManifests.isEmpty());
    QVERIFY(plan.brokenIndexes.isEmpty());
    QCOMPARE(tagRefs(plan), QStringList({u"repo:multi"_s, u"repo:plain"_s, u"repo:plain2"_s}));
    QVERIFY(plan.notes.join(u' ').contains(u"stays in the catalog"_s));
}

void TestCleanupPlan::planWithoutCatalogSaysSo()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"other"_s, u"1"_s)});
    f.heads.insert(u"other:1"_s, head(s.y));
    f.wholeRegistryInventory = false;
    f.inventory.errors << u"other:x: could not be read"_s;
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(!plan.wholeRegistryInventory);
    const QString notes = plan.notes.join(u'\n');
    QVERIFY2(notes.contains(u"Only the selected repositories"_s), qPrintable(notes));
    QVERIFY2(notes.contains(u"1 repositories or tags could not be read"_s), qPrintable(notes));
}

void TestCleanupPlan::deleteJobRefusesAPlanNeedingConfirmation()
{
    SharedSetup s;
    auto f = facts(s.inventory, {DeleteSelection::forTag(u"app"_s, u"a"_s),
                                 DeleteSelection::forTag(u"other"_s, u"1"_s),
                                 DeleteSelection::forTag(u"app"_s, u"gone"_s)});
    f.heads.insert(u"app:a"_s, head(s.x));
    f.heads.insert(u"other:1"_s, head(s.y));
    const DeletePlan plan = DeletePlanner::compute(f);
    QVERIFY(plan.needsConfirmation());
    // Nothing listens there: a refused plan must not send a single request.
    RegistryConfig config;
    config.url = QUrl(u"http://127.0.0.1:9"_s);
    config.useCache = false;
    RegistryClient client(config);
    DeleteJob job(&client, plan, DeleteJob::Options());
    job.start();
    QCOMPARE(job.state(), Job::State::Failed);
    QCOMPARE(client.networkRequests(), 0);
    QCOMPARE(job.results().size(), 3);
    QCOMPARE(job.countWith(DeleteResult::Status::Refused), 1);
    QCOMPARE(job.countWith(DeleteResult::Status::Skipped), 1);
    QCOMPARE(job.countWith(DeleteResult::Status::AlreadyGone), 1);
    for (const DeleteResult &r : job.results()) {
        if (r.status == DeleteResult::Status::Refused) {
            QCOMPARE(r.digest, s.x.digest);
            QVERIFY(r.message.contains(u"b"_s));
        }
    }
}

void TestCleanupPlan::placeholderManifestIsMinimalAndUnique()
{
    const QByteArray one = DeleteJob::placeholderManifest(u"app:a"_s, u"n1"_s);
    const QByteArray two = DeleteJob::placeholderManifest(u"app:a"_s, u"n2"_s);
    QVERIFY(Digest::sha256Of(one) != Digest::sha256Of(two));
    auto manifest = Manifest::parse(one, QString::fromUtf16(MediaTypes::OciManifest));
    QVERIFY2(manifest.hasValue(), qPrintable(manifest ? QString() : manifest.error().message));
    QCOMPARE(manifest->mediaType(), QString::fromUtf16(MediaTypes::OciManifest));
    QCOMPARE(manifest->config().mediaType, QString::fromUtf16(MediaTypes::OciEmpty));
    QCOMPARE(manifest->config().size, 2);
    QCOMPARE(manifest->config().digest, Digest::sha256Of("{}"));
    QCOMPARE(manifest->layers().size(), 1);
    QCOMPARE(manifest->layers().first().digest, Digest::sha256Of("{}"));
    QVERIFY(one.size() < 600);
}

void TestCleanupPlan::retentionKeepsNewestAndMatchingTags()
{
    // Hand-computed. Images by created date, newest first: dev-2 (03-10), dev-1 (03-05),
    // v1.2.0 = latest (03-01), v1.1.0 (02-01), v1.0.0 (01-01), old (2023-06-01); tmp has no
    // date. keep-last 2 keeps dev-2 and dev-1, the pattern keeps every v*.*.* image (latest
    // with its v1.2.0), tmp stays undated: only "old" goes.
    Inventory inventory;
    auto img = [](const QString &name, const QDateTime &created) {
        return single(platform(name, u"c-"_s + name, {{u"l-"_s + name, 10}}, created));
    };
    addTag(inventory, u"ret/app"_s, u"v1.0.0"_s, img(u"v100"_s, day(2024, 1, 1)));
    addTag(inventory, u"ret/app"_s, u"v1.1.0"_s, img(u"v110"_s, day(2024, 2, 1)));
    const ResolvedImage v120 = img(u"v120"_s, day(2024, 3, 1));
    addTag(inventory, u"ret/app"_s, u"v1.2.0"_s, v120);
    addTag(inventory, u"ret/app"_s, u"latest"_s, v120);
    addTag(inventory, u"ret/app"_s, u"dev-1"_s, img(u"dev1"_s, day(2024, 3, 5)));
    addTag(inventory, u"ret/app"_s, u"dev-2"_s, img(u"dev2"_s, day(2024, 3, 10)));
    addTag(inventory, u"ret/app"_s, u"old"_s, img(u"old"_s, day(2023, 6, 1)));
    addTag(inventory, u"ret/app"_s, u"tmp"_s, img(u"tmp"_s, {}));
    addTag(inventory, u"other/app"_s, u"x"_s, img(u"x"_s, day(2020, 1, 1)));
    inventory.repositories.last().tags << InventoryTag{u"broken"_s, std::nullopt, u"404"_s};

    RetentionPolicy policy;
    policy.repositoryGlob = u"ret/*"_s;
    policy.keepLast = 2;
    policy.keepPattern = uR"(^v\d+\.\d+\.\d+$)"_s;
    QVERIFY(!policy.validate());
    const RetentionEvaluation e = RetentionEvaluator::evaluate(policy, inventory, day(2024, 4, 1));
    QCOMPARE(e.repositories, QStringList{u"ret/app"_s});
    QCOMPARE(e.tagsToDelete(), QStringList{u"ret/app:old"_s});
    QCOMPARE(
        sorted(e.tagsToKeep()),
        sorted({u"ret/app:v1.0.0"_s, u"ret/app:v1.1.0"_s, u"ret/app:v1.2.0"_s, u"ret/app:latest"_s,
                u"ret/app:dev-1"_s, u"ret/app:dev-2"_s, u"ret/app:tmp"_s}));
    QCOMPARE(e.undatedTags, QStringList{u"ret/app:tmp"_s});
    // Newest first, undated last.
    QCOMPARE(e.decisions.first().tags, QStringList{u"dev-2"_s});
    QCOMPARE(e.decisions.last().tags, QStringList{u"tmp"_s});
    const QList<DeleteSelection> selections = e.selections();
    QCOMPARE(selections.size(), 1);
    QCOMPARE(selections.first().toString(), u"ret/app:old"_s);

    // Without the pattern, keep-last 2 deletes every older image, "latest" with its v1.2.0.
    policy.keepPattern.clear();
    const RetentionEvaluation plain =
        RetentionEvaluator::evaluate(policy, inventory, day(2024, 4, 1));
    QCOMPARE(sorted(plain.tagsToDelete()),
             sorted({u"ret/app:v1.0.0"_s, u"ret/app:v1.1.0"_s, u"ret/app:v1.2.0"_s,
                     u"ret/app:latest"_s, u"ret/app:old"_s}));
    // Keep "latest" by name: the whole v1.2.0 image stays with it (keep wins, per digest).
    policy.keepPattern = u"^latest$"_s;
    const RetentionEvaluation latest =
        RetentionEvaluator::evaluate(policy, inventory, day(2024, 4, 1));
    QCOMPARE(sorted(latest.tagsToDelete()),
             sorted({u"ret/app:v1.0.0"_s, u"ret/app:v1.1.0"_s, u"ret/app:old"_s}));
    // Unreadable tags are kept and reported.
    policy.repositoryGlob = u"other/*"_s;
    policy.keepLast = 0;
    const RetentionEvaluation other =
        RetentionEvaluator::evaluate(policy, inventory, day(2024, 4, 1));
    QCOMPARE(other.tagsToDelete(), QStringList{u"other/app:x"_s});
    QCOMPARE(other.unreadableTags, QStringList{u"other/app:broken"_s});
}

void TestCleanupPlan::retentionOlderThanAndDeletePattern()
{
    Inventory inventory;
    auto img = [](const QString &name, const QDateTime &created) {
        return single(platform(name, u"c-"_s + name, {{u"l-"_s + name, 10}}, created));
    };
    const QDateTime now = day(2024, 4, 1);
    addTag(inventory, u"r"_s, u"new"_s, img(u"new"_s, now.addDays(-5)));
    addTag(inventory, u"r"_s, u"month"_s, img(u"month"_s, now.addDays(-40)));
    addTag(inventory, u"r"_s, u"year"_s, img(u"year"_s, now.addDays(-400)));
    addTag(inventory, u"r"_s, u"pr-1"_s, img(u"pr1"_s, now.addDays(-2)));
    addTag(inventory, u"r"_s, u"pr-2"_s, img(u"pr2"_s, now.addDays(-1)));
    const ResolvedImage mixed = img(u"mixed"_s, now.addDays(-3));
    addTag(inventory, u"r"_s, u"pr-3"_s, mixed);
    addTag(inventory, u"r"_s, u"release"_s, mixed);

    RetentionPolicy policy;
    policy.repositoryGlob = u"r"_s;
    policy.olderThanDays = 30;
    QCOMPARE(RetentionEvaluator::evaluate(policy, inventory, now).tagsToDelete(),
             QStringList({u"r:month"_s, u"r:year"_s}));
    policy.keepLast = 5; // the five newest stay even when old
    QCOMPARE(RetentionEvaluator::evaluate(policy, inventory, now).tagsToDelete(),
             QStringList{u"r:year"_s});
    policy.keepLast = -1;
    policy.olderThanDays = -1;
    policy.deletePattern = u"^pr-"_s;
    // pr-3 shares its image with "release", which does not match: that image stays.
    QCOMPARE(sorted(RetentionEvaluator::evaluate(policy, inventory, now).tagsToDelete()),
             sorted({u"r:pr-1"_s, u"r:pr-2"_s}));
}

void TestCleanupPlan::retentionPolicyValidation()
{
    RetentionPolicy p;
    QVERIFY(p.validate().has_value()); // nothing limits the delete
    p.keepLast = 3;
    QVERIFY(!p.validate().has_value());
    p.keepPattern = u"(unclosed"_s;
    QVERIFY(p.validate().has_value());
    QVERIFY(p.validate()->message.contains(u"(unclosed"_s));
    p.keepPattern = u"^latest$"_s;
    p.repositoryGlob.clear();
    QVERIFY(p.validate().has_value());
    p.repositoryGlob = u"team/*"_s;
    p.olderThanDays = 30;
    QCOMPARE(p.describe(), u"team/*: keep newest 3, keep /^latest$/, delete older than 30 days"_s);
}

void TestCleanupPlan::retentionStoreSharesTheBookmarkFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"wharf.conf"_s);
    QString bookmarkId;
    {
        BookmarkStore bookmarks(path);
        Bookmark b;
        b.name = u"local"_s;
        b.url = QUrl(u"http://127.0.0.1:5000"_s);
        auto added = bookmarks.add(b);
        QVERIFY(added.hasValue());
        bookmarkId = added->id;
        RetentionPolicyStore store(path);
        RetentionPolicy p;
        p.bookmarkId = bookmarkId;
        p.name = u"nightly"_s;
        p.repositoryGlob = u"ci/*"_s;
        p.keepLast = 10;
        p.keepPattern = u"^latest$"_s;
        p.olderThanDays = 14;
        QVERIFY(store.add(p).hasValue());
        RetentionPolicy bad;
        QVERIFY(!store.add(bad).hasValue());
        // A bookmark saved after the policy must not lose it.
        b = *bookmarks.byId(bookmarkId);
        b.name = u"renamed"_s;
        QVERIFY(bookmarks.update(b).hasValue());
    }
    RetentionPolicyStore reread(path);
    QCOMPARE(reread.policies().size(), 1);
    const RetentionPolicy p = reread.forBookmark(bookmarkId).value(0);
    QCOMPARE(p.name, u"nightly"_s);
    QCOMPARE(p.repositoryGlob, u"ci/*"_s);
    QCOMPARE(p.keepLast, 10);
    QCOMPARE(p.keepPattern, u"^latest$"_s);
    QCOMPARE(p.olderThanDays, 14);
    QCOMPARE(p.deletePattern, QString());
    BookmarkStore bookmarks(path);
    QCOMPARE(bookmarks.byId(bookmarkId)->name, u"renamed"_s);
    QSettings raw(path, QSettings::IniFormat);
    QVERIFY(raw.childGroups().contains(u"retention"_s));
    QCOMPARE(reread.removeForBookmark(bookmarkId), 1);
    QVERIFY(RetentionPolicyStore(path).policies().isEmpty());
}

void TestCleanupPlan::journalRoundTripSkipsTornLines()
{
    QTemporaryDir dir;
    DeleteJournal journal(dir.filePath(u"sub/j.jsonl"_s));
    DeleteJournalEntry e;
    e.time = day(2024, 5, 1);
    e.registry = Registry;
    e.repository = u"multi"_s;
    e.digest = dg(u"idx"_s);
    e.mediaType = QString::fromUtf16(MediaTypes::OciIndex);
    e.size = 700;
    e.tags = {u"2.0"_s, u"2"_s};
    e.children = {ManifestNode{u"multi"_s,
                               dg(u"amd"_s),
                               QString::fromUtf16(MediaTypes::OciManifest),
                               400,
                               false,
                               {BlobRef{dg(u"cAmd"_s), 100}},
                               {},
                               {},
                               {}}};
    QString error;
    QVERIFY2(journal.append(e, &error), qPrintable(error));
    // A crash mid-write leaves half a line; the next append must still be readable.
    {
        QFile f(journal.path());
        QVERIFY(f.open(QIODevice::Append));
        f.write(R"({"v":1,"time":"2024-05-02T00:00:00.000Z","reg)");
    }
    DeleteJournalEntry second;
    second.time = day(2024, 5, 3);
    second.registry = Registry;
    second.repository = u"app"_s;
    second.digest = dg(u"mX"_s);
    second.blobs = {BlobRef{dg(u"cX"_s), 100}, BlobRef{dg(u"appL"_s), 300}};
    second.placeholder = true;
    QVERIFY(journal.append(second, &error));

    int skipped = -1;
    const QList<DeleteJournalEntry> all = journal.entries(&error, &skipped);
    QVERIFY(error.isEmpty());
    QCOMPARE(skipped, 1);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).digest, e.digest);
    QCOMPARE(all.at(0).tags, e.tags);
    QCOMPARE(all.at(0).size, 700);
    QCOMPARE(all.at(0).time, e.time);
    QCOMPARE(all.at(0).children.size(), 1);
    QCOMPARE(all.at(0).children.first().blobs, e.children.first().blobs);
    QCOMPARE(all.at(0).children.first().repository, u"multi"_s);
    QCOMPARE(all.at(1).blobs, second.blobs);
    QVERIFY(all.at(1).placeholder);
    QVERIFY(!all.at(0).placeholder);
}

void TestCleanupPlan::journalRemoveUpTo()
{
    QTemporaryDir dir;
    DeleteJournal journal(dir.filePath(u"j.jsonl"_s));
    for (int d = 1; d <= 3; ++d) {
        DeleteJournalEntry e;
        e.time = day(2024, 5, d);
        e.repository = u"r"_s;
        e.digest = dg(QString::number(d));
        QVERIFY(journal.append(e));
    }
    QVERIFY(journal.removeUpTo(day(2024, 5, 2)));
    const auto left = journal.entries();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().digest, dg(u"3"_s));
    QVERIFY(journal.clear());
    QVERIFY(journal.entries().isEmpty());
}

void TestCleanupPlan::journalFileNames()
{
    QCOMPARE(DeleteJournal::fileNameFor(u"http://127.0.0.1:5000"_s),
             u"http_127.0.0.1_5000.jsonl"_s);
    QCOMPARE(DeleteJournal::fileNameFor(u"https://registry.example.com/"_s),
             u"https_registry.example.com.jsonl"_s);
    qputenv("WHARF_CONFIG_DIR", "/tmp/wharf-config-test");
    QCOMPARE(DeleteJournal::defaultPathFor(u"http://h:1"_s),
             u"/tmp/wharf-config-test/delete-journal/http_h_1.jsonl"_s);
    qunsetenv("WHARF_CONFIG_DIR");
}

void TestCleanupPlan::gcEstimateCountsUnreferencedBlobsOnly()
{
    SharedSetup s; // app:a/b = X, other:1 = Y; both use "base"
    GcEstimateJob::Facts f;
    f.registry = Registry;
    f.inventory = s.inventory;
    DeleteJournalEntry gone; // a deleted image that shared "base" and had its own layer
    gone.time = day(2024, 5, 1);
    gone.repository = u"old"_s;
    gone.digest = dg(u"mOld"_s);
    gone.size = 420;
    gone.blobs = {BlobRef{dg(u"cOld"_s), 90}, BlobRef{dg(u"base"_s), 1000},
                  BlobRef{dg(u"oldL"_s), 33}};
    DeleteJournalEntry repushed; // deleted, then pushed again: X is in the inventory
    repushed.time = day(2024, 5, 2);
    repushed.repository = u"app"_s;
    repushed.digest = s.x.digest;
    repushed.size = 400;
    repushed.blobs = {BlobRef{dg(u"cX"_s), 100}};
    f.entries = {gone, repushed};
    f.existingManifests = {u"app@"_s + s.x.digest.toString()}; // a HEAD found it again

    QCOMPARE(GcEstimateJob::blobsToVerify(f).size(), 2); // cOld and oldL, not base or cX
    const GcEstimate e = GcEstimateJob::compute(f);
    QCOMPARE(digestsOf(e.blobs), sorted({dg(u"mOld"_s).toString(), dg(u"cOld"_s).toString(),
                                         dg(u"oldL"_s).toString()}));
    QCOMPARE(e.reclaimableBytes, 420 + 90 + 33);
    QCOMPARE(e.stillReferenced, 3); // base, X's manifest, cX
    QCOMPARE(e.journalEntries, 2);
    QVERIFY(!e.collectedUpTo.isValid());
}

void TestCleanupPlan::gcEstimateSurvivingChildrenKeepTheirBlobs()
{
    GcEstimateJob::Facts f;
    DeleteJournalEntry idx;
    idx.time = day(2024, 5, 1);
    idx.repository = u"multi"_s;
    idx.digest = dg(u"idx"_s);
    idx.size = 700;
    idx.children = {
        ManifestNode{
            u"multi"_s, dg(u"amd"_s), {}, 400, false, {BlobRef{dg(u"cAmd"_s), 100}}, {}, {}, {}},
        ManifestNode{
            u"multi"_s, dg(u"arm"_s), {}, 410, false, {BlobRef{dg(u"cArm"_s), 110}}, {}, {}, {}}};
    DeleteJournalEntry arm; // deleted later by digest
    arm.time = day(2024, 5, 2);
    arm.repository = u"multi"_s;
    arm.digest = dg(u"arm"_s);
    arm.size = 410;
    arm.blobs = {BlobRef{dg(u"cArm"_s), 110}};
    f.entries = {idx, arm};
    f.existingManifests = {u"multi@"_s + dg(u"amd"_s).toString()};
    const GcEstimate e = GcEstimateJob::compute(f);
    // amd still exists untagged and keeps cAmd; arm was deleted: it and cArm go with the index.
    QCOMPARE(digestsOf(e.blobs),
             sorted({dg(u"idx"_s).toString(), dg(u"arm"_s).toString(), dg(u"cArm"_s).toString()}));
    QCOMPARE(e.reclaimableBytes, 700 + 410 + 110);
}

void TestCleanupPlan::gcEstimateNoticesACollection()
{
    GcEstimateJob::Facts f;
    DeleteJournalEntry first;
    first.time = day(2024, 5, 1);
    first.repository = u"r"_s;
    first.digest = dg(u"m1"_s);
    first.size = 10;
    first.blobs = {BlobRef{dg(u"l1"_s), 100}};
    DeleteJournalEntry second = first;
    second.time = day(2024, 5, 2);
    second.digest = dg(u"m2"_s);
    second.blobs = {BlobRef{dg(u"l2"_s), 200}}; // HEAD could not tell (still there)
    DeleteJournalEntry third = first;
    third.time = day(2024, 5, 3);
    third.digest = dg(u"m3"_s);
    third.blobs = {BlobRef{dg(u"l3"_s), 300}};
    f.entries = {first, second, third};
    // l2 is gone: a collection ran after the second delete and took the first two entries.
    f.missingBlobs = {dg(u"l2"_s).toString()};
    const GcEstimate e = GcEstimateJob::compute(f);
    QCOMPARE(e.collectedUpTo, second.time);
    QCOMPARE(digestsOf(e.blobs), sorted({dg(u"m3"_s).toString(), dg(u"l3"_s).toString()}));
    QCOMPARE(e.alreadyCollected, 4);
    QVERIFY(e.notes.join(u' ').contains(u"already ran"_s));
}

void TestCleanupPlan::gcEstimateDistrustsWhatTheCacheRemembers()
{
    // docker:list still lists the deleted child "amd", and an inventory served from the content
    // cache still "sees" the child's config and layer: the HEAD saying it is gone wins.
    Inventory inventory;
    const ImagePlatform amd = platform(u"amd"_s, u"cAmd"_s, {{u"lAmd"_s, 10}});
    const ImagePlatform arm = platform(u"arm"_s, u"cArm"_s, {{u"lArm"_s, 20}});
    addTag(inventory, u"docker"_s, u"list"_s, index(u"list"_s, {amd, arm}));
    GcEstimateJob::Facts f;
    f.inventory = inventory;
    DeleteJournalEntry child;
    child.time = day(2024, 5, 1);
    child.repository = u"docker"_s;
    child.digest = amd.digest;
    child.size = 400;
    child.blobs = {BlobRef{dg(u"cAmd"_s), 100}, BlobRef{dg(u"lAmd"_s), 10}};
    f.entries = {child};
    GcEstimate e = GcEstimateJob::compute(f);
    // The index still lists the child: its manifest blob stays, config and layer go.
    QCOMPARE(digestsOf(e.blobs), sorted({dg(u"cAmd"_s).toString(), dg(u"lAmd"_s).toString()}));
    QCOMPARE(e.reclaimableBytes, qint64(110));
    // Pushed again: nothing to free.
    f.existingManifests = {u"docker@"_s + amd.digest.toString()};
    e = GcEstimateJob::compute(f);
    QVERIFY(e.blobs.isEmpty());
}

void TestCleanupPlan::gcGuidanceCommands()
{
    QCOMPARE(GcGuidance::dockerCommand(true, u"reg"_s),
             u"docker exec reg bin/registry garbage-collect --dry-run "
             u"/etc/docker/registry/config.yml"_s);
    QCOMPARE(GcGuidance::dockerCommand(false),
             u"docker exec <container> bin/registry garbage-collect "
             u"/etc/docker/registry/config.yml"_s);
    QCOMPARE(GcGuidance::registryCommand(true, u"/srv/config.yml"_s),
             u"registry garbage-collect --dry-run /srv/config.yml"_s);
    QCOMPARE(GcGuidance::debianCommand(false),
             u"docker-registry garbage-collect /etc/docker/registry/config.yml"_s);
    QVERIFY(GcGuidance::deleteUntaggedWarning().contains(u"--delete-untagged"_s));
    QVERIFY(GcGuidance::deleteUntaggedWarning().contains(u"3178"_s));
    QVERIFY(GcGuidance::deleteUntaggedWarning().contains(u"3004"_s));
    QVERIFY(GcGuidance::whileItRuns().contains(u"read-only"_s));
    QVERIFY(GcGuidance::emptyRepositoryNote().contains(u"catalog"_s));
    QCOMPARE(GcGuidance::paragraphs().size(), 6);
}

QTEST_GUILESS_MAIN(TestCleanupPlan)
#include "tst_cleanup_plan.moc"
