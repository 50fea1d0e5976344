#include "GcEstimateCommand.h"

#include "cleanup/DeleteJournal.h"
#include "cleanup/GcEstimateJob.h"
#include "cleanup/GcGuidance.h"
#include "client/RegistryClient.h"
#include "model/Format.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString GcEstimateCommand::description() const
{
    return tr("What garbage collection would free after Wharf's deletes, and how to run it.");
}

void GcEstimateCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption({u"container"_s,
                      tr("gc-estimate: the registry's Docker container name, for the command "
                         "shown."),
                      tr("NAME")});
}

void GcEstimateCommand::execute(CommandEnv &env)
{
    if (!env.arguments.isEmpty()) {
        env.failWith(tr("gc-estimate takes no arguments"), ExitUsage);
        return;
    }
    const QString container =
        env.parser->isSet(u"container"_s) ? env.parser->value(u"container"_s) : u"<container>"_s;
    GcEstimateJob::Options options;
    options.journalPath =
        DeleteJournal::defaultPathFor(env.registry.url.toString(QUrl::StripTrailingSlash));
    auto *job = new GcEstimateJob(env.client(), options, this);
    if (env.progress) {
        connect(job, &Job::progressChanged, this, [env](qint64, qint64, const QString &text) {
            *env.err << "\r" << text.left(76).leftJustified(78);
            env.err->flush();
        });
    }
    connect(job, &Job::finished, this, [env, job, container, options] {
        job->deleteLater();
        if (env.progress) {
            *env.err << "\r" << QString(78, u' ') << "\r";
            env.err->flush();
        }
        if (job->state() != Job::State::Succeeded) {
            env.failWith(job->error() ? job->error()->toString() : tr("gc-estimate failed"));
            return;
        }
        const GcEstimate &e = job->estimate();
        const QStringList warnings{GcGuidance::whileItRuns(), GcGuidance::deleteUntaggedWarning(),
                                   GcGuidance::emptyRepositoryNote()};
        if (env.json) {
            QJsonArray blobs;
            for (const BlobRef &b : e.blobs)
                blobs.append(QJsonObject{{u"digest"_s, b.digest.toString()}, {u"size"_s, b.size}});
            env.printJson(QJsonObject{
                {u"registry"_s, e.registry},
                {u"reclaimableBytes"_s, e.reclaimableBytes},
                {u"blobs"_s, e.blobs.size()},
                {u"blobList"_s, blobs},
                {u"command"_s, GcGuidance::dockerCommand(false, container)},
                {u"commands"_s,
                 QJsonObject{{u"docker"_s, GcGuidance::dockerCommand(false, container)},
                             {u"dockerDryRun"_s, GcGuidance::dockerCommand(true, container)},
                             {u"registry"_s, GcGuidance::registryCommand(false)},
                             {u"registryDryRun"_s, GcGuidance::registryCommand(true)},
                             {u"debian"_s, GcGuidance::debianCommand(false)},
                             {u"debianDryRun"_s, GcGuidance::debianCommand(true)}}},
                {u"journal"_s, options.journalPath},
                {u"journalEntries"_s, e.journalEntries},
                {u"stillReferenced"_s, e.stillReferenced},
                {u"alreadyCollected"_s, e.alreadyCollected},
                {u"notes"_s, QJsonArray::fromStringList(e.notes)},
                {u"warnings"_s, QJsonArray::fromStringList(warnings)}});
            env.finish(ExitOk);
            return;
        }
        QTextStream &out = *env.out;
        out << tr("Garbage collection would free %1 (%2 bytes) in %3 blobs.")
                   .arg(Format::bytes(e.reclaimableBytes))
                   .arg(e.reclaimableBytes)
                   .arg(e.blobs.size())
            << '\n';
        for (const QString &note : e.notes)
            out << tr("Note: ") << note << '\n';
        out << '\n'
            << tr("Try it first with --dry-run, then run it without:") << '\n'
            << "  " << GcGuidance::dockerCommand(true, container) << '\n'
            << "  " << GcGuidance::registryCommand(true) << '\n'
            << "  " << GcGuidance::debianCommand(true) << "   " << tr("(Debian package)") << "\n\n";
        for (const QString &w : warnings)
            out << w << '\n';
        env.finish(ExitOk);
    });
    job->start();
}

} // namespace wharf::cli
