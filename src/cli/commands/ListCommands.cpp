#include "ListCommands.h"

#include "client/RegistryClient.h"
#include "reference/ImageReference.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString ReposCommand::description() const
{
    return tr("List every repository in the registry's catalog (all pages).");
}

void ReposCommand::execute(CommandEnv &env)
{
    if (!env.arguments.isEmpty()) {
        env.failWith(
            tr("repos takes no arguments (did you mean: tags %1?)").arg(env.arguments.first()),
            ExitUsage);
        return;
    }
    RegistryClient *client = env.client();
    client->listRepositories(this, {}, [env, client](Expected<QStringList> repos) {
        if (!repos) {
            env.failWith(repos.error().toString());
            return;
        }
        if (env.json) {
            env.printJson(QJsonObject{
                {u"registry"_s, client->config().url.toString(QUrl::StripTrailingSlash)},
                {u"repositories"_s, QJsonArray::fromStringList(*repos)}});
        } else {
            for (const QString &name : *repos)
                *env.out << name << '\n';
        }
        env.finish(ExitOk);
    });
}

QString TagsCommand::description() const
{
    return tr("List the tags of a repository in natural/semver order.");
}

void TagsCommand::execute(CommandEnv &env)
{
    if (env.arguments.size() != 1) {
        env.failWith(tr("usage: wharfctl tags REPO"), ExitUsage);
        return;
    }
    const QString repository = env.arguments.first();
    QString why;
    if (!ImageReference::isValidRepository(repository, &why)) {
        env.failWith(tr("“%1”: %2").arg(repository, why), ExitUsage);
        return;
    }
    env.client()->listTags(repository, this, [env, repository](Expected<QStringList> tags) {
        if (!tags) {
            env.failWith(tags.error().toString());
            return;
        }
        if (env.json) {
            env.printJson(QJsonObject{{u"repository"_s, repository},
                                      {u"tags"_s, QJsonArray::fromStringList(*tags)}});
        } else {
            for (const QString &tag : *tags)
                *env.out << tag << '\n';
        }
        env.finish(ExitOk);
    });
}

} // namespace wharf::cli
