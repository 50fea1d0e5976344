#include "BookmarkCommand.h"

#include "TableWriter.h"
#include "bookmarks/BookmarkStore.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString BookmarkCommand::description() const
{
    return tr("Manage saved registries (passwords go to the OS keychain only).");
}

void BookmarkCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption({u"repositories"_s,
                      tr("Comma-separated repositories to show for registries without a catalog."),
                      tr("LIST")});
    parser.addOption({u"no-verify"_s, tr("bookmark add/login: store without checking the "
                                         "credentials against the registry first.")});
}

void BookmarkCommand::execute(CommandEnv &env)
{
    const QString action = env.arguments.value(0);
    if (action == u"add"_s)
        add(env);
    else if (action == u"list"_s)
        list(env);
    else if (action == u"remove"_s)
        remove(env);
    else if (action == u"login"_s)
        login(env);
    else
        env.failWith(tr("usage: wharfctl bookmark add NAME URL [-u USER --password-stdin] | list "
                        "| remove NAME | login NAME [-u USER] --password-stdin"),
                     ExitUsage);
}

void BookmarkCommand::list(CommandEnv &env)
{
    const QList<Bookmark> &all = env.bookmarks()->bookmarks();
    if (env.json) {
        QJsonArray array;
        for (const Bookmark &b : all)
            array.append(
                QJsonObject{{u"id"_s, b.id},
                            {u"name"_s, b.name},
                            {u"url"_s, b.displayUrl()},
                            {u"auth"_s, Bookmark::authModeName(b.authMode)},
                            {u"username"_s, b.username},
                            {u"skipTlsVerify"_s, b.skipTlsVerify},
                            {u"repositories"_s, QJsonArray::fromStringList(b.repositories)}});
        env.printJson(QJsonObject{{u"bookmarks"_s, array}});
    } else {
        TableWriter table({u"NAME"_s, u"URL"_s, u"AUTH"_s, u"USER"_s, u"TLS"_s, u"ID"_s});
        for (const Bookmark &b : all)
            table.addRow({b.name, b.displayUrl(), Bookmark::authModeName(b.authMode), b.username,
                          b.url.scheme() == u"http"_s ? tr("plain http")
                          : b.skipTlsVerify           ? tr("NOT VERIFIED")
                                                      : tr("verified"),
                          b.id});
        table.write(*env.out);
    }
    env.finish(ExitOk);
}

void BookmarkCommand::add(CommandEnv &env)
{
    if (env.arguments.size() != 3) {
        env.failWith(tr("usage: wharfctl bookmark add NAME URL [-u USER --password-stdin] "
                        "[--insecure] [--repositories a,b]"),
                     ExitUsage);
        return;
    }
    Bookmark b;
    b.name = env.arguments.at(1);
    b.url = QUrl(env.arguments.at(2), QUrl::StrictMode);
    b.username = env.username;
    b.authMode = env.username.isEmpty() ? Bookmark::AuthMode::None : Bookmark::AuthMode::Password;
    b.skipTlsVerify = env.parser->isSet(u"insecure"_s);
    const QString repos = env.parser->value(u"repositories"_s);
    if (!repos.isEmpty())
        b.repositories = repos.split(u',', Qt::SkipEmptyParts);
    if (b.authMode == Bookmark::AuthMode::Password && !env.password) {
        env.failWith(tr("give the password with --password-stdin (it is stored in the keychain)"),
                     ExitUsage);
        return;
    }
    if (auto problem = BookmarkStore::validate(b)) {
        env.failWith(problem->message, ExitUsage);
        return;
    }
    auto added = env.bookmarks()->add(b);
    if (!added) {
        env.failWith(added.error().message, ExitUsage);
        return;
    }
    if (b.authMode == Bookmark::AuthMode::None) {
        *env.out << tr("Added %1 (%2)").arg(added->name, added->displayUrl()) << '\n';
        env.finish(ExitOk);
        return;
    }
    storeSecretAndFinish(
        env, added->id, *env.password,
        tr("Added %1 (%2); password stored in %3")
            .arg(added->name, added->displayUrl(), env.credentials()->description()));
}

void BookmarkCommand::remove(CommandEnv &env)
{
    if (env.arguments.size() != 2) {
        env.failWith(tr("usage: wharfctl bookmark remove NAME"), ExitUsage);
        return;
    }
    const auto b = env.bookmarks()->find(env.arguments.at(1));
    if (!b) {
        env.failWith(tr("no bookmark named “%1”").arg(env.arguments.at(1)));
        return;
    }
    env.bookmarks()->remove(b->id);
    const QString name = b->name;
    env.credentials()->removeSecret(b->id, this, [env, name](Expected<Done> r) {
        if (!r)
            *env.err << "wharfctl: " << r.error().message << '\n';
        *env.out << tr("Removed %1").arg(name) << '\n';
        env.finish(r ? ExitOk : ExitError);
    });
}

void BookmarkCommand::login(CommandEnv &env)
{
    if (env.arguments.size() != 2 || !env.password) {
        env.failWith(tr("usage: wharfctl bookmark login NAME [-u USER] --password-stdin"),
                     ExitUsage);
        return;
    }
    auto b = env.bookmarks()->find(env.arguments.at(1));
    if (!b) {
        env.failWith(tr("no bookmark named “%1”").arg(env.arguments.at(1)));
        return;
    }
    if (!env.username.isEmpty())
        b->username = env.username;
    if (b->username.isEmpty()) {
        env.failWith(tr("the bookmark has no username: give one with -u USER"), ExitUsage);
        return;
    }
    b->authMode = Bookmark::AuthMode::Password;
    const QString secret = *env.password;
    auto store = [this, env, b, secret]() mutable {
        auto updated = env.bookmarks()->update(*b);
        if (!updated) {
            env.failWith(updated.error().message);
            return;
        }
        storeSecretAndFinish(
            env, b->id, secret,
            tr("Login for %1 stored in %2").arg(b->name, env.credentials()->description()));
    };
    if (env.parser->isSet(u"no-verify"_s)) {
        store();
        return;
    }
    // Like docker login: check the credentials before keeping them.
    RegistryConfig config = b->toConfig();
    config.credentials.secret = secret;
    config.useCache = false;
    auto *client = new RegistryClient(config, this);
    client->ping(this, [env, client, store](Expected<PingResult> ping) mutable {
        client->deleteLater();
        if (!ping) {
            env.failWith(ping.error().toString());
            return;
        }
        store();
    });
}

void BookmarkCommand::storeSecretAndFinish(CommandEnv &env, const QString &id,
                                           const QString &secret, const QString &doneMessage)
{
    env.credentials()->writeSecret(id, secret, this, [env, doneMessage](Expected<Done> r) {
        if (!r) {
            env.failWith(r.error().message + tr(" The bookmark was saved without its password."));
            return;
        }
        *env.out << doneMessage << '\n';
        env.finish(ExitOk);
    });
}

} // namespace wharf::cli
