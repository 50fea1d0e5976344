#include "DeleteCommand.h"

#include "CleanupRunner.h"
#include "cleanup/DeletePlanner.h"
#include "reference/ImageReference.h"

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString DeleteCommand::description() const
{
    return tr("Delete tags (repo:tag) or manifests (repo@digest); shows the plan first and "
              "refuses (exit 3) to take tags you did not name along.");
}

void DeleteCommand::addOptions(QCommandLineParser &parser)
{
    CleanupRunner::addOptionsOnce(
        parser,
        {
            {u"dry-run"_s, tr("delete: show the plan, change nothing.")},
            {u"untag-only"_s, tr("delete: where a digest carries tags you did not name, remove "
                                 "only the named tags.")},
            {u"force"_s,
             tr("delete: delete the digests even when that removes tags you did not name.")},
            {u"all-tags"_s, tr("delete: a bare REPO argument means every tag of that "
                               "repository.")},
        });
}

void DeleteCommand::execute(CommandEnv &env)
{
    if (env.arguments.isEmpty()) {
        env.failWith(tr("usage: wharfctl delete REPO:TAG|REPO@DIGEST... [--dry-run] "
                        "[--untag-only] [--force] [--all-tags REPO...]"),
                     ExitUsage);
        return;
    }
    DeleteOptions options;
    options.untagOnly = env.parser->isSet(u"untag-only"_s);
    options.force = env.parser->isSet(u"force"_s);
    if (options.untagOnly && options.force) {
        env.failWith(tr("--untag-only and --force contradict each other: choose one"), ExitUsage);
        return;
    }
    const bool allTags = env.parser->isSet(u"all-tags"_s);
    QList<DeleteSelection> selections;
    for (const QString &text : std::as_const(env.arguments)) {
        auto ref = ImageReference::parseInRegistry(env.registry.hostPort(), text);
        if (!ref) {
            env.failWith(ref.error().message, ExitUsage);
            return;
        }
        if (ref->hasDigest()) {
            selections << DeleteSelection::forDigest(ref->repository(), ref->digest());
        } else if (ref->hasTag()) {
            selections << DeleteSelection::forTag(ref->repository(), ref->tag());
        } else if (allTags) {
            selections << DeleteSelection::forRepository(ref->repository());
        } else {
            env.failWith(tr("“%1”: name a tag (repo:tag) or a digest (repo@sha256:…), or add "
                            "--all-tags to delete the whole repository; delete never assumes "
                            "“latest”")
                             .arg(text),
                         ExitUsage);
            return;
        }
    }
    const bool dryRun = env.parser->isSet(u"dry-run"_s);
    auto *planner = new DeletePlanner(env.client(), selections, options, this);
    if (env.progress) {
        connect(planner, &Job::progressChanged, this, [env](qint64, qint64, const QString &text) {
            *env.err << "\r" << text.left(76).leftJustified(78);
            env.err->flush();
        });
    }
    connect(planner, &Job::finished, this, [this, env, planner, dryRun] {
        planner->deleteLater();
        if (env.progress) {
            *env.err << "\r" << QString(78, u' ') << "\r";
            env.err->flush();
        }
        if (planner->state() != Job::State::Succeeded) {
            env.failWith(planner->error() ? planner->error()->toString() : tr("planning failed"));
            return;
        }
        auto *runner = new CleanupRunner(env, planner->plan(), dryRun, this);
        runner->start();
    });
    planner->start();
}

} // namespace wharf::cli
