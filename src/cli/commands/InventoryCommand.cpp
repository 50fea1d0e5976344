#include "InventoryCommand.h"

#include "JsonOutput.h"
#include "TableWriter.h"
#include "client/RegistryClient.h"
#include "jobs/InventoryJob.h"
#include "model/Format.h"

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString InventoryCommand::description() const
{
    return tr("Every repository, tag and platform with sizes, and the registry's unique bytes "
              "(each blob counted once).");
}

void InventoryCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption({u"repo"_s,
                      tr("Only repositories matching this shell pattern (e.g. 'team/*')."),
                      tr("GLOB")});
}

void InventoryCommand::execute(CommandEnv &env)
{
    if (!env.arguments.isEmpty()) {
        env.failWith(tr("inventory takes no arguments; use --repo GLOB to select repositories"),
                     ExitUsage);
        return;
    }
    InventoryJob::Options options;
    options.repositoryGlob = env.parser->value(u"repo"_s);
    // A bookmark's own repository list stands in for the catalog (Docker Hub, GHCR, GitLab
    // have none); --repo still narrows it.
    for (const QString &name : std::as_const(env.bookmarkRepositories)) {
        if (InventoryJob::globMatches(options.repositoryGlob, name))
            options.repositories << name;
    }
    if (!env.bookmarkRepositories.isEmpty() && options.repositories.isEmpty()) {
        env.failWith(
            tr("none of the bookmark's repositories matches --repo %1").arg(options.repositoryGlob),
            ExitUsage);
        return;
    }
    auto *job = new InventoryJob(env.client(), options, this);
    if (env.progress) {
        connect(job, &Job::progressChanged, this,
                [env](qint64 done, qint64 total, const QString &text) {
                    if (total > 0)
                        *env.err << "\r" << tr("%1 of %2 tags").arg(done).arg(total) << "   ";
                    else
                        *env.err << "\r" << text << "   ";
                    env.err->flush();
                });
    }
    connect(job, &Job::finished, this, [env, job] {
        if (env.progress) {
            *env.err << "\r" << QString(40, u' ') << "\r";
            env.err->flush();
        }
        if (job->state() != Job::State::Succeeded) {
            env.failWith(job->error() ? job->error()->toString() : tr("inventory failed"));
            return;
        }
        const Inventory &inv = job->inventory();
        for (const QString &e : inv.errors)
            *env.err << "wharfctl: " << e << '\n';
        if (env.json) {
            env.printJson(JsonOutput::inventory(inv));
        } else {
            TableWriter table({u"REPOSITORY"_s, u"TAG"_s, u"DIGEST"_s, u"PLATFORMS"_s, u"SIZE"_s});
            table.setRightAligned({4});
            qint64 tags = 0;
            for (const InventoryRepository &repo : inv.repositories) {
                for (const InventoryTag &tag : repo.tags) {
                    ++tags;
                    if (!tag.image) {
                        table.addRow({repo.name, tag.tag, u"error"_s, tag.error, {}});
                        continue;
                    }
                    QStringList platforms;
                    for (const ImagePlatform &p : tag.image->platforms)
                        platforms << p.platform.toString();
                    const QString size =
                        tag.image->platforms.size() == 1
                            ? Format::bytes(tag.image->platforms.first().size())
                            : Format::bytes(tag.image->uniqueBytes()) + u" (all platforms)"_s;
                    table.addRow({repo.name, tag.tag, tag.image->digest.shortForm(),
                                  platforms.join(u", "_s), size});
                }
            }
            table.write(*env.out);
            *env.out << '\n'
                     << tr("%1 repositories, %2 tags, %3 unique (%4 bytes); %5 requests, %6 cache "
                           "hits, %7 s")
                            .arg(inv.repositories.size())
                            .arg(tags)
                            .arg(Format::bytes(inv.uniqueBytes))
                            .arg(inv.uniqueBytes)
                            .arg(inv.requests)
                            .arg(inv.cacheHits)
                            .arg(inv.seconds, 0, 'f', 2)
                     << '\n';
        }
        env.finish(inv.errors.isEmpty() ? ExitOk : ExitError);
    });
    job->start();
}

} // namespace wharf::cli
