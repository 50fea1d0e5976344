// The cleanup core (DeletePlanner, DeleteJob, the journal) against real registries
// (docker-registry 2.8.2), with the state afterwards checked by skopeo and by the registry's own
// request log.

#include "CleanupSeeder.h"
#include "RegistryLog.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "cleanup/DeleteJob.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/DeletePlanner.h"
#include "client/RegistryClient.h"
#include "transport/NetworkPool.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace wharf;
namespace t = wharf::test;

namespace {

template<class T>
Expected<T> await(const std::function<void(QObject *, std::function<void(Expected<T>)>)> &start,
                  int timeoutMs = 60000)
{
    std::optional<Expected<T>> result;
    QObject context;
    start(&context, [&result](Expected<T> r) { result = std::move(r); });
    QElapsedTimer timer;
    timer.start();
    while (!result && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!result)
        return Error::make(Error::Kind::Timeout, u"the test gave up waiting"_s);
    return *result;
}

bool runJob(Job &job, int timeoutMs = 180000)
{
    job.start();
    QElapsedTimer timer;
    timer.start();
    while (!job.isFinished() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return job.isFinished();
}

RegistryConfig configFor(const t::TestRegistry &registry)
{
    RegistryConfig c;
    c.url = QUrl(registry.url());
    c.useCache = false;
    return c;
}

QSet<QString> tagsOf(const t::TestRegistry &registry, const QString &repository)
{
    QStringList tags;
    QString error;
    if (!t::Skopeo::listTags(registry.dockerReference(repository), registry.skopeoOptions(), &tags,
                             &error))
        qWarning("skopeo list-tags failed: %s", qPrintable(error));
    return QSet<QString>(tags.cbegin(), tags.cend());
}

QStringList numberedTags(const QString &prefix, int count)
{
    QStringList tags;
    for (int i = 0; i < count; ++i)
        tags << prefix + QString::number(i).rightJustified(3, u'0');
    return tags;
}

QList<DeleteSelection> tagSelections(const QString &repository, const QStringList &tags)
{
    QList<DeleteSelection> out;
    for (const QString &tag : tags)
        out << DeleteSelection::forTag(repository, tag);
    return out;
}

t::RegistryOptions withLog(bool deleteEnabled)
{
    t::RegistryOptions o;
    o.deleteEnabled = deleteEnabled;
    o.logLevel = u"info"_s;
    return o;
}

} // namespace

class TestCleanupRegistry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void newClientCalls();
    void plannerReadsTheWholePicture();
    void deletesDisabledStopAtTheFirst405();
    void readOnlyModeStopsAtTheFirstAnswer();
    void untagOnlyPushesAndDeletesAPlaceholder();
    void registryStoppedMidwayThenResumed();
    void untagsHaveTheirRepositoryToThemselves();
    void danglingTagIsRemoved();
    void cancelStopsSending();

private:
    DeletePlan plan(RegistryClient &client, const QList<DeleteSelection> &selections,
                    DeleteOptions options = {});

    std::shared_ptr<NetworkPool> m_pool = std::make_shared<NetworkPool>(4);
    t::TestRegistry m_registry{withLog(true)};
    QTemporaryDir m_config;
};

void TestCleanupRegistry::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
}

DeletePlan TestCleanupRegistry::plan(RegistryClient &client,
                                     const QList<DeleteSelection> &selections,
                                     DeleteOptions options)
{
    DeletePlanner planner(&client, selections, options);
    if (!runJob(planner) || planner.state() != Job::State::Succeeded) {
        qWarning("planning failed: %s",
                 planner.error() ? qPrintable(planner.error()->toString()) : "timeout");
        return {};
    }
    return planner.plan();
}

void TestCleanupRegistry::newClientCalls()
{
    t::CleanupSeeder seeder(m_registry);
    QString error;
    const QString digest = seeder.pushImage(u"calls/app"_s, {u"1"_s}, u"calls"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    RegistryClient client(configFor(m_registry), m_pool, nullptr);

    // 2.8 deletes by digest only: a tag delete is reported as unsupported, and changes nothing.
    auto tagDelete = await<DeleteOutcome>(
        [&](QObject *ctx, auto done) { client.deleteTag(u"calls/app"_s, u"1"_s, ctx, done); });
    QVERIFY(!tagDelete);
    QCOMPARE(tagDelete.error().kind, Error::Kind::Unsupported);
    QCOMPARE(tagsOf(m_registry, u"calls/app"_s), QSet<QString>{u"1"_s});

    const QByteArray bytes = "{\"wharf\":\"blob upload test\"}";
    auto missing = await<qint64>([&](QObject *ctx, auto done) {
        client.headBlob(u"calls/app"_s, Digest::sha256Of(bytes), ctx, done);
    });
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    auto uploaded = await<Digest>(
        [&](QObject *ctx, auto done) { client.uploadBlob(u"calls/app"_s, bytes, ctx, done); });
    QVERIFY2(uploaded.hasValue(), qPrintable(uploaded ? QString() : uploaded.error().toString()));
    QCOMPARE(*uploaded, Digest::sha256Of(bytes));
    auto size = await<qint64>([&](QObject *ctx, auto done) {
        client.headBlob(u"calls/app"_s, Digest::sha256Of(bytes), ctx, done);
    });
    QVERIFY(size.hasValue());
    QCOMPARE(*size, qint64(bytes.size()));
    // Uploading again finds it there.
    uploaded = await<Digest>(
        [&](QObject *ctx, auto done) { client.uploadBlob(u"calls/app"_s, bytes, ctx, done); });
    QVERIFY(uploaded.hasValue());

    // No referrers API on 2.8.
    auto referrers = await<QList<Descriptor>>([&](QObject *ctx, auto done) {
        client.listReferrers(u"calls/app"_s, *Digest::parse(digest), ctx, done);
    });
    QVERIFY(!referrers);
    QCOMPARE(referrers.error().kind, Error::Kind::Unsupported);
}

void TestCleanupRegistry::plannerReadsTheWholePicture()
{
    t::CleanupSeeder seeder(m_registry);
    QString error;
    const auto index = seeder.pushIndex(u"pic/multi"_s, u"2.0"_s, u"pic"_s, &error);
    QVERIFY2(index, qPrintable(error));
    // A cosign-style signature of the index, as a tag in the same repository.
    const QString sigTag = u"sha256-"_s + index->digest.mid(7) + u".sig"_s;
    QVERIFY2(!seeder.pushImage(u"pic/multi"_s, {sigTag}, u"sig"_s, {}, &error).isEmpty(),
             qPrintable(error));

    RegistryClient client(configFor(m_registry), m_pool, nullptr);
    const DeletePlan p = plan(client, {DeleteSelection::forTag(u"pic/multi"_s, u"2.0"_s)});
    QCOMPARE(p.deletedDigests(), QStringList{u"pic/multi@"_s + index->digest});
    const PlannedManifest &m = p.manifests.first();
    QVERIFY(m.isIndex);
    QVERIFY(m.node.digest.isValid());
    QCOMPARE(m.node.children.size(), 2);
    QCOMPARE(m.descendants.size(), 2); // the walker read both children
    QStringList untagged;
    for (const UntaggedManifest &u : p.untaggedManifests)
        untagged << u.digest.toString();
    untagged.sort();
    QStringList children = index->children;
    children.sort();
    QCOMPARE(untagged, children);
    QCOMPARE(p.orphanedArtifacts.size(), 1);
    QCOMPARE(p.orphanedArtifacts.first().tag, sigTag);
    QCOMPARE(p.orphanedArtifacts.first().kind, u"signature"_s);
    QVERIFY(p.wholeRegistryInventory);
    QVERIFY(p.repositoriesSeen >= 2);
    // Only the index manifest itself is garbage once it is gone: its size is exact.
    QCOMPARE(p.reclaimableBlobs.size(), 1);
    QCOMPARE(p.reclaimableBlobs.first().digest.toString(), index->digest);
    QVERIFY(p.reclaimableBytes > 100);
}

void TestCleanupRegistry::deletesDisabledStopAtTheFirst405()
{
    t::TestRegistry registry(withLog(false));
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::CleanupSeeder seeder(registry);
    const QStringList tags = numberedTags(u"t"_s, 4);
    QCOMPARE(seeder.pushVariants(u"off/app"_s, tags, &error).size(), 4);

    RegistryClient client(configFor(registry), m_pool, nullptr);
    const DeletePlan p = plan(client, tagSelections(u"off/app"_s, tags));
    QCOMPARE(p.manifests.size(), 4);
    QCOMPARE(t::deleteRequestsLogged(registry), 0);
    DeleteJob job(&client, p, DeleteJob::Options());
    QVERIFY(runJob(job));
    QCOMPARE(job.state(), Job::State::Failed);
    QCOMPARE(job.error()->kind, Error::Kind::DeleteDisabled);
    QVERIFY2(job.error()->message.contains(u"REGISTRY_STORAGE_DELETE_ENABLED=true"_s),
             qPrintable(job.error()->message));
    QCOMPARE(job.countWith(DeleteResult::Status::Refused), 1);
    QCOMPARE(job.countWith(DeleteResult::Status::Skipped), 3);
    QCOMPARE(job.results().first().status, DeleteResult::Status::Refused);
    for (qsizetype i = 1; i < job.results().size(); ++i)
        QVERIFY(job.results().at(i).message.contains(u"Not sent"_s));
    // The registry saw exactly one DELETE: the rest of the batch was never sent.
    QCOMPARE(t::deleteRequestsLogged(registry), 1);
    QCOMPARE(tagsOf(registry, u"off/app"_s), QSet<QString>(tags.cbegin(), tags.cend()));
}

void TestCleanupRegistry::readOnlyModeStopsAtTheFirstAnswer()
{
    QTemporaryDir storage;
    QString error;
    QStringList tags = numberedTags(u"r"_s, 3);
    {
        t::RegistryOptions writable;
        writable.storageDir = storage.path();
        t::TestRegistry seeding(writable);
        QVERIFY2(seeding.start(&error), qPrintable(error));
        t::CleanupSeeder seeder(seeding);
        QCOMPARE(seeder.pushVariants(u"ro/app"_s, tags, &error).size(), 3);
    }
    t::RegistryOptions readOnly = withLog(true);
    readOnly.readOnly = true;
    readOnly.storageDir = storage.path();
    t::TestRegistry registry(readOnly);
    QVERIFY2(registry.start(&error), qPrintable(error));
    RegistryClient client(configFor(registry), m_pool, nullptr);
    const DeletePlan p = plan(client, tagSelections(u"ro/app"_s, tags));
    QCOMPARE(p.manifests.size(), 3);
    const qint64 requestsBefore = client.networkRequests();
    DeleteJob job(&client, p, DeleteJob::Options());
    QVERIFY(runJob(job));
    QCOMPARE(job.error()->kind, Error::Kind::DeleteDisabled);
    QVERIFY2(job.error()->message.contains(u"read-only"_s), qPrintable(job.error()->message));
    QCOMPARE(job.countWith(DeleteResult::Status::Skipped), 2);
    // The registry does not log what read-only mode turns away; count what the client sent:
    // one HEAD to re-check the tag and one DELETE, for the first item only.
    QCOMPARE(client.networkRequests() - requestsBefore, 2);
    QCOMPARE(tagsOf(registry, u"ro/app"_s).size(), 3);
}

void TestCleanupRegistry::untagOnlyPushesAndDeletesAPlaceholder()
{
    t::CleanupSeeder seeder(m_registry);
    QString error;
    const QString digest =
        seeder.pushImage(u"untag/app"_s, {u"a"_s, u"b"_s}, u"untag"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    RegistryClient client(configFor(m_registry), m_pool, nullptr);
    DeleteOptions options;
    options.untagOnly = true;
    const DeletePlan p = plan(client, {DeleteSelection::forTag(u"untag/app"_s, u"a"_s)}, options);
    QCOMPARE(p.untags.size(), 1);
    QVERIFY(p.manifests.isEmpty());

    DeleteJob::Options jobOptions;
    jobOptions.journalPath = m_config.filePath(u"untag.jsonl"_s);
    DeleteJob job(&client, p, jobOptions);
    QVERIFY(runJob(job));
    QVERIFY2(job.state() == Job::State::Succeeded,
             qPrintable(job.error() ? job.error()->toString() : QString()));
    QCOMPARE(job.results().size(), 1);
    const DeleteResult &r = job.results().first();
    QCOMPARE(r.status, DeleteResult::Status::Deleted);
    QCOMPARE(r.action, DeleteResult::Action::Untag);
    QVERIFY2(r.message.contains(u"placeholder"_s), qPrintable(r.message));

    // Exactly the other tag is left, on the same digest.
    QCOMPARE(tagsOf(m_registry, u"untag/app"_s), QSet<QString>{u"b"_s});
    QByteArray raw;
    QVERIFY2(t::Skopeo::inspectRaw(m_registry.dockerReference(u"untag/app:b"_s),
                                   m_registry.skopeoOptions(), &raw, &error),
             qPrintable(error));
    QCOMPARE(Digest::sha256Of(raw).toString(), digest);

    // The placeholder is recorded for the garbage-collection estimate, and it is gone.
    const auto entries = DeleteJournal(jobOptions.journalPath).entries();
    QCOMPARE(entries.size(), 1);
    QVERIFY(entries.first().placeholder);
    QCOMPARE(entries.first().tags, QStringList{u"a"_s});
    QCOMPARE(entries.first().blobs.size(), 1);
    QCOMPARE(entries.first().blobs.first().digest, Digest::sha256Of("{}"));
    auto gone = await<ManifestHead>([&](QObject *ctx, auto done) {
        client.headManifest(u"untag/app"_s, entries.first().digest.toString(), ctx, done);
    });
    QVERIFY(!gone);
    QCOMPARE(gone.error().kind, Error::Kind::NotFound);
}

void TestCleanupRegistry::registryStoppedMidwayThenResumed()
{
    t::TestRegistry registry; // its own, to stop and restart
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::CleanupSeeder seeder(registry);
    const QStringList doomed = numberedTags(u"t"_s, 200);
    const QStringList keep = {u"keep-1"_s, u"keep-2"_s, u"keep-3"_s};
    const QMap<QString, QString> digests =
        seeder.pushVariants(u"bulk/app"_s, doomed + keep, &error);
    QVERIFY2(digests.size() == 203, qPrintable(error));
    QCOMPARE(QSet<QString>(digests.cbegin(), digests.cend()).size(), 203); // all distinct

    RegistryClient client(configFor(registry), m_pool, nullptr);
    const DeletePlan first = plan(client, tagSelections(u"bulk/app"_s, doomed));
    QCOMPARE(first.manifests.size(), 200);
    QVERIFY(!first.needsConfirmation());

    DeleteJob::Options options;
    options.journalPath = m_config.filePath(u"bulk.jsonl"_s);
    DeleteJob job(&client, first, options);
    int deletedSoFar = 0;
    connect(&job, &DeleteJob::itemFinished, this, [&](int item) {
        if (job.results().at(item).status == DeleteResult::Status::Deleted && ++deletedSoFar == 60)
            registry.stop(); // the registry goes away in the middle of the batch
    });
    QVERIFY(runJob(job));
    QCOMPARE(job.state(), Job::State::Failed);
    QVERIFY2(job.error()->kind == Error::Kind::ConnectionRefused ||
                 job.error()->kind == Error::Kind::Network,
             qPrintable(job.error()->toString()));

    // An exact record: every item is accounted for, most of the batch was never sent.
    QSet<QString> deleted;
    QSet<QString> uncertain;
    QSet<QString> notSent;
    for (const DeleteResult &r : job.results()) {
        QCOMPARE(r.tags.size(), 1);
        switch (r.status) {
        case DeleteResult::Status::Deleted:
            deleted << r.tags.first();
            break;
        case DeleteResult::Status::Failed:
            uncertain << r.tags.first();
            break;
        case DeleteResult::Status::Skipped:
            notSent << r.tags.first();
            QVERIFY(r.message.contains(u"Not sent"_s));
            break;
        default:
            QFAIL(qPrintable(u"unexpected status for "_s + r.reference));
        }
    }
    QCOMPARE(deleted.size() + uncertain.size() + notSent.size(), 200);
    QVERIFY(deleted.size() >= 60);
    QVERIFY(deleted.size() < 200);
    QVERIFY(notSent.size() > 100);
    QVERIFY(uncertain.size() <= options.parallel);

    QVERIFY2(registry.restart(&error), qPrintable(error));
    const QSet<QString> afterCrash = tagsOf(registry, u"bulk/app"_s);
    for (const QString &tag : deleted)
        QVERIFY2(!afterCrash.contains(tag), qPrintable(tag));
    for (const QString &tag : notSent + QSet<QString>(keep.cbegin(), keep.cend()))
        QVERIFY2(afterCrash.contains(tag), qPrintable(tag));

    // The same selection planned again: what is gone is reported, the rest is finished.
    // A delete cut off by the stop may have removed the manifest but not yet its tag: such a
    // "dangling" tag is still listed, its manifest is gone, and the plan removes just the tag.
    const DeletePlan second = plan(client, tagSelections(u"bulk/app"_s, doomed));
    QCOMPARE(second.skipped.size() + second.manifests.size() + second.untags.size(), 200);
    QCOMPARE(second.manifests.size() + second.untags.size(), afterCrash.size() - 3);
    for (const PlannedUntag &u : second.untags) {
        QVERIFY(u.dangling);
        QVERIFY2(uncertain.contains(u.tag), qPrintable(u.tag));
    }
    for (const SkippedSelection &s : second.skipped) {
        QCOMPARE(s.why, SkippedSelection::Why::AlreadyGone);
        QVERIFY(deleted.contains(s.selection.tag) || uncertain.contains(s.selection.tag));
    }
    DeleteJob resume(&client, second, options);
    QVERIFY(runJob(resume));
    QVERIFY2(resume.state() == Job::State::Succeeded,
             qPrintable((resume.error() ? resume.error()->toString() : QString()) +
                        u"\nregistry errors:\n"_s + t::errorLines(registry)));
    QCOMPARE(resume.countWith(DeleteResult::Status::Deleted),
             second.manifests.size() + second.untags.size());
    QCOMPARE(resume.countWith(DeleteResult::Status::AlreadyGone), second.skipped.size());

    // Final state exact: only the tags that were never selected are left.
    QCOMPARE(tagsOf(registry, u"bulk/app"_s), QSet<QString>(keep.cbegin(), keep.cend()));
    for (const QString &tag : keep) {
        auto head = await<ManifestHead>(
            [&](QObject *ctx, auto done) { client.headManifest(u"bulk/app"_s, tag, ctx, done); });
        QVERIFY(head.hasValue());
        QCOMPARE(head->digest.toString(), digests.value(tag));
    }
    // The journal holds every delete this process made, once each, and nothing else.
    QSet<QString> journaled;
    for (const DeleteJournalEntry &e : DeleteJournal(options.journalPath).entries()) {
        if (e.placeholder)
            continue; // pushed to remove a dangling tag
        QVERIFY(!journaled.contains(e.digest.toString()));
        journaled << e.digest.toString();
        QCOMPARE(e.blobs.size(), 2); // config + layer
    }
    QSet<QString> doomedDigests;
    for (const QString &tag : doomed)
        doomedDigests << digests.value(tag);
    QVERIFY(journaled.size() >= 200 - uncertain.size());
    QVERIFY(doomedDigests.contains(journaled));
}

void TestCleanupRegistry::untagsHaveTheirRepositoryToThemselves()
{
    // distribution rewrites a tag's link file in place; a DELETE reading it half-written answers
    // 500. So while an untag (which may push a placeholder to the tag) runs, nothing else runs
    // in its repository — checked here on the registry's own request log.
    t::TestRegistry registry(withLog(true));
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::CleanupSeeder seeder(registry);
    QStringList untagged;
    QSet<QString> remaining;
    for (int i = 0; i < 4; ++i) {
        const QString a = u"a%1"_s.arg(i);
        const QString b = u"b%1"_s.arg(i);
        QVERIFY2(!seeder.pushImage(u"mix/app"_s, {a, b}, u"mix%1"_s.arg(i), {}, &error).isEmpty(),
                 qPrintable(error));
        untagged << a;
        remaining << b;
    }
    const QStringList doomed = numberedTags(u"d"_s, 12);
    QCOMPARE(seeder.pushVariants(u"mix/app"_s, doomed, &error).size(), 12);
    const QStringList elsewhere = numberedTags(u"e"_s, 8);
    QCOMPARE(seeder.pushVariants(u"mix/other"_s, elsewhere, &error).size(), 8);
    QList<DeleteSelection> selections = tagSelections(u"mix/other"_s, elsewhere);
    for (int i = 0; i < doomed.size(); ++i) {
        selections << DeleteSelection::forTag(u"mix/app"_s, doomed.at(i));
        if (i % 3 == 0)
            selections << DeleteSelection::forTag(u"mix/app"_s, untagged.at(i / 3));
    }
    RegistryClient client(configFor(registry), m_pool, nullptr);
    DeleteOptions options;
    options.untagOnly = true;
    const DeletePlan p = plan(client, selections, options);
    QCOMPARE(p.untags.size(), 4);
    QCOMPARE(p.manifests.size(), 20);

    DeleteJob::Options jobOptions;
    jobOptions.parallel = 8;
    jobOptions.journalPath = m_config.filePath(u"mix.jsonl"_s);
    DeleteJob job(&client, p, jobOptions);
    QVERIFY(runJob(job));
    QVERIFY2(job.state() == Job::State::Succeeded,
             qPrintable(job.error() ? job.error()->toString() : QString()));
    QCOMPARE(tagsOf(registry, u"mix/app"_s), remaining);
    QVERIFY(tagsOf(registry, u"mix/other"_s).isEmpty());

    QList<t::LoggedRequest> puts;
    QList<t::LoggedRequest> deletes;
    for (const t::LoggedRequest &r : t::loggedRequests(registry, u"/v2/mix/app/manifests/"_s)) {
        if (r.method == u"PUT"_s)
            puts << r;
        else if (r.method == u"DELETE"_s)
            deletes << r;
    }
    // The seeding PUTs came first; the job's placeholders are the last four.
    QVERIFY(puts.size() >= 4);
    puts = puts.mid(puts.size() - 4);
    QVERIFY2(deletes.size() >= 16, qPrintable(QString::number(deletes.size())));
    for (const t::LoggedRequest &put : std::as_const(puts)) {
        QVERIFY(put.startNs > 0 && put.endNs >= put.startNs);
        for (const t::LoggedRequest &del : std::as_const(deletes)) {
            QVERIFY2(put.endNs <= del.startNs || del.endNs <= put.startNs,
                     qPrintable(u"PUT %1 overlapped DELETE %2"_s.arg(put.uri, del.uri)));
        }
    }
    // The other repository did not wait for the untags (they come first in the plan).
    const QList<t::LoggedRequest> other =
        t::loggedRequests(registry, u"/v2/mix/other/manifests/"_s);
    qint64 firstOtherDelete = std::numeric_limits<qint64>::max();
    for (const t::LoggedRequest &r : other) {
        if (r.method == u"DELETE"_s)
            firstOtherDelete = std::min(firstOtherDelete, r.startNs);
    }
    QVERIFY(firstOtherDelete < puts.last().endNs);
}

void TestCleanupRegistry::danglingTagIsRemoved()
{
    // What a delete cut off between its two steps leaves on 2.8: the manifest's revision link is
    // gone, the tag link is not. Made here by removing the revision link from the storage.
    t::CleanupSeeder seeder(m_registry);
    QString error;
    const QMap<QString, QString> digests =
        seeder.pushVariants(u"dangle/app"_s, {u"gone"_s, u"kept"_s}, &error);
    QVERIFY2(digests.size() == 2, qPrintable(error));
    const QString link = m_registry.storageDir() +
                         u"/docker/registry/v2/repositories/dangle/app/_manifests/revisions/"
                         u"sha256/"_s +
                         digests.value(u"gone"_s).mid(7) + u"/link"_s;
    QVERIFY2(QFile::remove(link), qPrintable(link));
    QCOMPARE(tagsOf(m_registry, u"dangle/app"_s), QSet<QString>({u"gone"_s, u"kept"_s}));

    RegistryClient client(configFor(m_registry), m_pool, nullptr);
    const DeletePlan p = plan(client, {DeleteSelection::forTag(u"dangle/app"_s, u"gone"_s)});
    QVERIFY(p.manifests.isEmpty());
    QVERIFY(p.skipped.isEmpty());
    QCOMPARE(p.untags.size(), 1);
    QVERIFY(p.untags.first().dangling);
    QVERIFY(p.notes.join(u' ').contains(u"interrupted"_s));
    DeleteJob job(&client, p, DeleteJob::Options());
    QVERIFY(runJob(job));
    QVERIFY2(job.state() == Job::State::Succeeded,
             qPrintable(job.error() ? job.error()->toString() : QString()));
    QCOMPARE(job.results().first().status, DeleteResult::Status::Deleted);
    QCOMPARE(tagsOf(m_registry, u"dangle/app"_s), QSet<QString>{u"kept"_s});
}

void TestCleanupRegistry::cancelStopsSending()
{
    t::CleanupSeeder seeder(m_registry);
    QString error;
    const QStringList tags = numberedTags(u"c"_s, 40);
    QCOMPARE(seeder.pushVariants(u"cancel/app"_s, tags, &error).size(), 40);
    RegistryClient client(configFor(m_registry), m_pool, nullptr);
    const DeletePlan p = plan(client, tagSelections(u"cancel/app"_s, tags));
    DeleteJob::Options options;
    options.parallel = 1;
    DeleteJob job(&client, p, options);
    connect(&job, &DeleteJob::itemFinished, this, [&job](int) {
        if (job.countWith(DeleteResult::Status::Deleted) == 5)
            job.cancel();
    });
    QVERIFY(runJob(job));
    QCOMPARE(job.state(), Job::State::Cancelled);
    QCOMPARE(job.countWith(DeleteResult::Status::Deleted), 5);
    QCOMPARE(job.countWith(DeleteResult::Status::Skipped), 35);
    QTest::qWait(300); // nothing more may arrive after the cancel
    QCOMPARE(tagsOf(m_registry, u"cancel/app"_s).size(), 35);
}

QTEST_GUILESS_MAIN(TestCleanupRegistry)
#include "tst_cleanup_registry.moc"
