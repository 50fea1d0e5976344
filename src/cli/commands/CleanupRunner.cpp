#include "CleanupRunner.h"

#include "TableWriter.h"
#include "cleanup/DeleteJob.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/GcGuidance.h"
#include "client/RegistryClient.h"
#include "model/Format.h"
#include "oci/MediaTypes.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf::cli {

namespace {

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QString sizeText(qint64 size)
{
    return size < 0 ? u"?"_s : Format::bytes(size);
}

} // namespace

CleanupRunner::CleanupRunner(CommandEnv env, DeletePlan plan, bool dryRun, QObject *parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_plan(std::move(plan))
    , m_dryRun(dryRun)
{}

QString CleanupRunner::journalPathFor(const DeletePlan &plan)
{
    return DeleteJournal::defaultPathFor(plan.registry);
}

void CleanupRunner::addOptionsOnce(QCommandLineParser &parser,
                                   const QList<QCommandLineOption> &options)
{
    const QString help = parser.helpText();
    for (const QCommandLineOption &option : options) {
        const QString name = option.names().constLast();
        const QRegularExpression present(u"--"_s + QRegularExpression::escape(name) +
                                         u"(?![\\w-])"_s);
        if (!present.match(help).hasMatch())
            parser.addOption(option);
    }
}

QJsonObject CleanupRunner::planJson(const DeletePlan &plan)
{
    QStringList tags;
    for (const PlannedTag &t : plan.tags)
        tags << t.reference();
    QStringList broken;
    QJsonArray brokenDetails;
    for (const BrokenIndex &b : plan.brokenIndexes) {
        broken << b.repository + u'@' + b.digest.toString();
        QStringList missing;
        for (const Digest &d : b.missingChildren)
            missing << d.toString();
        brokenDetails.append(QJsonObject{{u"repository"_s, b.repository},
                                         {u"digest"_s, b.digest.toString()},
                                         {u"tags"_s, strings(b.tags)},
                                         {u"missingChildren"_s, strings(missing)}});
    }
    QStringList orphans;
    QJsonArray orphanDetails;
    for (const OrphanedArtifact &o : plan.orphanedArtifacts) {
        orphans << o.reference();
        orphanDetails.append(QJsonObject{{u"repository"_s, o.repository},
                                         {u"tag"_s, o.tag},
                                         {u"digest"_s, o.digest.toString()},
                                         {u"subject"_s, o.subject.toString()},
                                         {u"kind"_s, o.kind}});
    }
    QJsonArray manifests;
    for (const PlannedManifest &m : plan.manifests) {
        manifests.append(QJsonObject{{u"ref"_s, m.reference()},
                                     {u"repository"_s, m.repository},
                                     {u"digest"_s, m.digest.toString()},
                                     {u"mediaType"_s, m.mediaType},
                                     {u"size"_s, m.size},
                                     {u"tags"_s, strings(m.tags)},
                                     {u"collateralTags"_s, strings(m.collateralTags)},
                                     {u"reason"_s, m.reason}});
    }
    QJsonArray untags;
    for (const PlannedUntag &u : plan.untags) {
        untags.append(QJsonObject{{u"ref"_s, u.reference()},
                                  {u"digest"_s, u.digest.toString()},
                                  {u"remainingTags"_s, strings(u.remainingTags)},
                                  {u"dangling"_s, u.dangling}});
    }
    QJsonArray untagged;
    for (const UntaggedManifest &u : plan.untaggedManifests) {
        untagged.append(QJsonObject{{u"ref"_s, QString(u.repository + u'@' + u.digest.toString())},
                                    {u"parent"_s, u.parent.toString()}});
    }
    QJsonArray skipped;
    for (const SkippedSelection &s : plan.skipped) {
        skipped.append(QJsonObject{{u"ref"_s, s.selection.toString()},
                                   {u"reason"_s, s.why == SkippedSelection::Why::AlreadyGone
                                                     ? u"already-gone"_s
                                                     : u"shares-digest"_s},
                                   {u"message"_s, s.message}});
    }
    QJsonArray blobs;
    for (const BlobRef &b : plan.reclaimableBlobs)
        blobs.append(QJsonObject{{u"digest"_s, b.digest.toString()}, {u"size"_s, b.size}});
    return QJsonObject{{u"registry"_s, plan.registry},
                       {u"tags"_s, strings(tags)},
                       {u"collateralTags"_s, strings(plan.collateralTags())},
                       {u"digests"_s, strings(plan.deletedDigests())},
                       {u"brokenIndexes"_s, strings(broken)},
                       {u"orphanedArtifacts"_s, strings(orphans)},
                       {u"reclaimableBytes"_s, plan.reclaimableBytes},
                       {u"blobs"_s, plan.reclaimableBlobs.size()},
                       {u"reclaimableBlobs"_s, blobs},
                       {u"manifests"_s, manifests},
                       {u"untags"_s, untags},
                       {u"untaggedManifests"_s, untagged},
                       {u"brokenIndexDetails"_s, brokenDetails},
                       {u"orphanedArtifactDetails"_s, orphanDetails},
                       {u"skipped"_s, skipped},
                       {u"needsConfirmation"_s, plan.needsConfirmation()},
                       {u"wholeRegistryInventory"_s, plan.wholeRegistryInventory},
                       {u"notes"_s, strings(plan.notes)}};
}

QJsonArray CleanupRunner::resultsJson(const QList<DeleteResult> &results)
{
    QJsonArray out;
    for (const DeleteResult &r : results) {
        out.append(QJsonObject{{u"ref"_s, r.reference},
                               {u"digest"_s, r.digest.isValid() ? r.digest.toString() : QString()},
                               {u"status"_s, DeleteResult::statusName(r.status)},
                               {u"message"_s, r.message},
                               {u"action"_s, DeleteResult::actionName(r.action)},
                               {u"tags"_s, strings(r.tags)}});
    }
    return out;
}

void CleanupRunner::printPlan(QTextStream &out, const DeletePlan &plan)
{
    out << tr("Plan for %1").arg(plan.registry) << "\n\n";
    if (!plan.tags.isEmpty()) {
        out << tr("Tags that disappear:") << '\n';
        TableWriter table({tr("TAG"), tr("DIGEST"), tr("WHY")});
        for (const PlannedTag &t : plan.tags) {
            table.addRow(
                {t.reference(), t.digest.shortForm(),
                 t.collateral ? tr("COLLATERAL: not named, shares the digest") : tr("named")});
        }
        table.write(out);
        out << '\n';
    }
    if (!plan.manifests.isEmpty()) {
        out << tr("Manifests deleted:") << '\n';
        TableWriter table({tr("MANIFEST"), tr("TYPE"), tr("SIZE"), tr("TAGS")});
        table.setRightAligned({2});
        for (const PlannedManifest &m : plan.manifests) {
            table.addRow({m.repository + u'@' + m.digest.shortForm(),
                          MediaTypes::displayName(m.mediaType), sizeText(m.size),
                          m.tags.isEmpty() ? tr("(untagged)") : m.tags.join(u", "_s)});
        }
        table.write(out);
        out << '\n';
    }
    if (!plan.untags.isEmpty()) {
        out << tr("Tags removed while their manifest stays:") << '\n';
        TableWriter table({tr("TAG"), tr("DIGEST"), tr("STAYS ON THE DIGEST")});
        for (const PlannedUntag &u : plan.untags)
            table.addRow({u.reference(), u.digest.shortForm(), u.remainingTags.join(u", "_s)});
        table.write(out);
        out << '\n';
    }
    if (!plan.brokenIndexes.isEmpty()) {
        out << tr("Indexes left BROKEN (they list a deleted manifest):") << '\n';
        TableWriter table({tr("INDEX"), tr("TAGS"), tr("MISSING")});
        for (const BrokenIndex &b : plan.brokenIndexes) {
            QStringList missing;
            for (const Digest &d : b.missingChildren)
                missing << d.shortForm();
            table.addRow({b.repository + u'@' + b.digest.shortForm(), b.tags.join(u", "_s),
                          missing.join(u", "_s)});
        }
        table.write(out);
        out << '\n';
    }
    if (!plan.orphanedArtifacts.isEmpty()) {
        out << tr("Artifacts ORPHANED (their subject is deleted):") << '\n';
        TableWriter table({tr("ARTIFACT"), tr("KIND"), tr("SUBJECT")});
        for (const OrphanedArtifact &o : plan.orphanedArtifacts)
            table.addRow({o.reference(), o.kind, o.subject.shortForm()});
        table.write(out);
        out << '\n';
    }
    if (!plan.untaggedManifests.isEmpty()) {
        out << tr("Left in storage without a tag:") << '\n';
        TableWriter table({tr("MANIFEST"), tr("CHILD OF")});
        for (const UntaggedManifest &u : plan.untaggedManifests)
            table.addRow({u.repository + u'@' + u.digest.shortForm(), u.parent.shortForm()});
        table.write(out);
        out << '\n';
    }
    if (!plan.skipped.isEmpty()) {
        out << tr("Not in the plan:") << '\n';
        for (const SkippedSelection &s : plan.skipped)
            out << "  " << s.selection.toString() << ": " << s.message << '\n';
        out << '\n';
    }
    if (!plan.hasWork()) {
        out << tr("Nothing to delete.") << '\n';
    } else {
        out << tr("Garbage collection would then free %1 (%2 bytes) in %3 blobs.")
                   .arg(Format::bytes(plan.reclaimableBytes))
                   .arg(plan.reclaimableBytes)
                   .arg(plan.reclaimableBlobs.size())
            << '\n';
    }
    for (const QString &note : plan.notes)
        out << tr("Note: ") << note << '\n';
}

void CleanupRunner::printResults(QTextStream &out, const QList<DeleteResult> &results)
{
    if (results.isEmpty())
        return;
    out << '\n' << tr("Results:") << '\n';
    TableWriter table({tr("STATUS"), tr("ITEM"), tr("MESSAGE")});
    for (const DeleteResult &r : results) {
        QString item = r.reference;
        if (r.action == DeleteResult::Action::DeleteManifest)
            item = r.repository + u'@' + r.digest.shortForm();
        table.addRow({DeleteResult::statusName(r.status), item, r.message});
    }
    table.write(out);
}

void CleanupRunner::start()
{
    if (!m_env.json) {
        if (m_preamble)
            m_preamble(*m_env.out);
        printPlan(*m_env.out, m_plan);
        m_env.out->flush();
    }
    if (m_plan.needsConfirmation()) {
        QString message =
            tr("refusing to delete: %1.").arg(m_plan.confirmationReasons().join(u"; "_s));
        message += m_plan.collateralTags().isEmpty()
                       ? tr(" Add --force to delete anyway.")
                       : tr(" Add --force to delete the digests anyway, or --untag-only to "
                            "remove just the named tags.");
        if (m_dryRun) {
            finishWith({}, ExitRefused, tr("dry run; a real run would stop here, %1").arg(message));
            return;
        }
        // The job refuses by itself without sending anything; its results say why per item.
        DeleteJob job(m_env.client(), m_plan, DeleteJob::Options());
        job.start();
        finishWith(job.results(), ExitRefused, message);
        return;
    }
    if (m_dryRun) {
        if (!m_env.json)
            *m_env.out << '\n' << tr("Dry run: nothing was deleted.") << '\n';
        finishWith({}, ExitOk, {});
        return;
    }
    DeleteJob::Options options;
    options.journalPath = journalPathFor(m_plan);
    auto *job = new DeleteJob(m_env.client(), m_plan, options, this);
    if (m_env.progress) {
        connect(job, &Job::progressChanged, this,
                [this](qint64 done, qint64 total, const QString &text) {
                    *m_env.err << "\r" << tr("%1 of %2: %3").arg(done).arg(total).arg(text)
                               << "   ";
                    m_env.err->flush();
                });
    }
    connect(job, &Job::finished, this, [this, job] {
        if (m_env.progress) {
            *m_env.err << "\r" << QString(78, u' ') << "\r";
            m_env.err->flush();
        }
        for (const QString &e : job->journalErrors())
            *m_env.err << "wharfctl: " << e << '\n';
        if (job->state() == Job::State::Succeeded) {
            finishWith(job->results(), ExitOk, {});
            return;
        }
        finishWith(job->results(), ExitError,
                   job->error() ? job->error()->message : tr("the delete failed"));
    });
    job->start();
}

void CleanupRunner::finishWith(const QList<DeleteResult> &results, int code, const QString &message)
{
    if (m_env.json) {
        QJsonObject document = m_extra;
        document.insert(u"plan"_s, planJson(m_plan));
        document.insert(u"results"_s, resultsJson(results));
        document.insert(u"dryRun"_s, m_dryRun);
        m_env.printJson(document);
    } else {
        printResults(*m_env.out, results);
        if (!results.isEmpty() && code == ExitOk && !m_dryRun && m_plan.hasWork())
            *m_env.out << '\n'
                       << tr("Nothing is freed until garbage collection runs: see wharfctl "
                             "gc-estimate. %1")
                              .arg(GcGuidance::whileItRuns())
                       << '\n';
        m_env.out->flush();
    }
    if (message.isEmpty()) {
        m_env.finish(code);
        return;
    }
    m_env.failWith(message, code);
}

} // namespace wharf::cli
