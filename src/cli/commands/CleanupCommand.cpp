#include "CleanupCommand.h"

#include "CleanupRunner.h"
#include "TableWriter.h"
#include "cleanup/RetentionJob.h"
#include "model/Format.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace wharf::cli {

namespace {

QJsonObject retentionJson(const RetentionEvaluation &evaluation)
{
    QJsonArray decisions;
    for (const RetentionDecision &d : evaluation.decisions) {
        decisions.append(QJsonObject{{u"repository"_s, d.repository},
                                     {u"tags"_s, QJsonArray::fromStringList(d.tags)},
                                     {u"digest"_s, d.digest.toString()},
                                     {u"created"_s, Format::isoDateTime(d.created)},
                                     {u"keep"_s, d.keep},
                                     {u"reason"_s, d.reason}});
    }
    return QJsonObject{{u"policy"_s, evaluation.policy.describe()},
                       {u"repositories"_s, QJsonArray::fromStringList(evaluation.repositories)},
                       {u"keep"_s, QJsonArray::fromStringList(evaluation.tagsToKeep())},
                       {u"delete"_s, QJsonArray::fromStringList(evaluation.tagsToDelete())},
                       {u"undatedTags"_s, QJsonArray::fromStringList(evaluation.undatedTags)},
                       {u"unreadableTags"_s, QJsonArray::fromStringList(evaluation.unreadableTags)},
                       {u"decisions"_s, decisions}};
}

void printRetention(QTextStream &out, const RetentionEvaluation &evaluation)
{
    out << "Retention: " << evaluation.policy.describe() << "\n\n";
    TableWriter table({u"REPOSITORY"_s, u"TAGS"_s, u"CREATED"_s, u"DECISION"_s});
    for (const RetentionDecision &d : evaluation.decisions) {
        table.addRow({d.repository, d.tags.join(u", "_s), Format::dateTime(d.created), d.reason});
    }
    table.write(out);
    for (const QString &tag : evaluation.unreadableTags)
        out << "  " << tag << ": could not be read, kept\n";
    out << '\n';
}

} // namespace

QString CleanupCommand::description() const
{
    return tr("Apply a retention rule to matching repositories: keep the newest N images (and "
              "tags matching --keep), delete the rest.");
}

void CleanupCommand::addOptions(QCommandLineParser &parser)
{
    CleanupRunner::addOptionsOnce(
        parser,
        {{u"keep-last"_s, tr("cleanup: keep the N newest images (by created date)."), tr("N")},
         {u"keep"_s, tr("cleanup: also keep images with a tag matching this regular expression."),
          tr("REGEX")},
         {u"older-than"_s, tr("cleanup: delete only images created more than DAYS days ago."),
          tr("DAYS")},
         {u"delete"_s,
          tr("cleanup: delete only images whose tags all match this regular "
             "expression."),
          tr("REGEX")},
         {u"dry-run"_s, tr("delete: show the plan, change nothing.")}});
}

void CleanupCommand::execute(CommandEnv &env)
{
    if (env.arguments.size() != 1) {
        env.failWith(tr("usage: wharfctl cleanup REPO-GLOB --keep-last N [--keep REGEX] "
                        "[--older-than DAYS] [--delete REGEX] [--dry-run]"),
                     ExitUsage);
        return;
    }
    RetentionPolicy policy;
    policy.repositoryGlob = env.arguments.first();
    auto number = [&env](const QString &option, int *value) {
        if (!env.parser->isSet(option))
            return true;
        bool ok = false;
        *value = env.parser->value(option).toInt(&ok);
        if (!ok || *value < 0) {
            env.failWith(tr("--%1 takes a whole number of 0 or more").arg(option), ExitUsage);
            return false;
        }
        return true;
    };
    if (!number(u"keep-last"_s, &policy.keepLast) ||
        !number(u"older-than"_s, &policy.olderThanDays))
        return;
    policy.keepPattern = env.parser->value(u"keep"_s);
    policy.deletePattern = env.parser->value(u"delete"_s);
    if (auto e = policy.validate()) {
        env.failWith(e->message, ExitUsage);
        return;
    }
    const bool dryRun = env.parser->isSet(u"dry-run"_s);
    auto *job = new RetentionJob(env.client(), policy, this);
    if (env.progress) {
        connect(job, &Job::progressChanged, this, [env](qint64, qint64, const QString &text) {
            *env.err << "\r" << text.left(76).leftJustified(78);
            env.err->flush();
        });
    }
    connect(job, &Job::finished, this, [this, env, job, dryRun] {
        job->deleteLater();
        if (env.progress) {
            *env.err << "\r" << QString(78, u' ') << "\r";
            env.err->flush();
        }
        if (job->state() != Job::State::Succeeded) {
            env.failWith(job->error() ? job->error()->toString() : tr("cleanup failed"));
            return;
        }
        const RetentionEvaluation evaluation = job->evaluation();
        auto *runner = new CleanupRunner(env, job->plan(), dryRun, this);
        runner->setExtraJson({{u"retention"_s, retentionJson(evaluation)}});
        runner->setPreamble([evaluation](QTextStream &out) { printRetention(out, evaluation); });
        runner->start();
    });
    job->start();
}

} // namespace wharf::cli
