#include "CredentialsCommand.h"

#include "client/RegistryClient.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wharf::cli {

namespace {

QString kindOf(const Credentials &c)
{
    if (!c.registryToken.isEmpty())
        return u"registry-token"_s;
    if (!c.identityToken.isEmpty())
        return u"identity-token"_s;
    if (c.hasPassword())
        return u"password"_s;
    if (!c.username.isEmpty())
        return u"username-only"_s;
    return u"none"_s;
}

} // namespace

QString CredentialsCommand::description() const
{
    return tr("Show where the credentials for the registry come from (never the secret).");
}

void CredentialsCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {u"check"_s, tr("credentials: also ask the registry whether it accepts them.")});
}

void CredentialsCommand::execute(CommandEnv &env)
{
    if (!env.arguments.isEmpty()) {
        env.failWith(tr("usage: wharfctl -r URL|BOOKMARK credentials [--check]"), ExitUsage);
        return;
    }
    const Credentials &c = env.registry.credentials;
    QJsonObject report{
        {u"registry"_s, env.registry.url.toString(QUrl::StripTrailingSlash)},
        {u"kind"_s, kindOf(c)},
        {u"username"_s, c.username},
        {u"source"_s, env.credentialSource.isEmpty() ? u"none"_s : env.credentialSource},
        {u"tls"_s, env.registry.url.scheme() == u"http"_s ? u"plain-http"_s
                   : env.registry.skipTlsVerify           ? u"not-verified"_s
                                                          : u"verified"_s},
    };
    auto print = [env](const QJsonObject &r) {
        if (env.json) {
            env.printJson(r);
            return;
        }
        *env.out << tr("registry: %1").arg(r.value(u"registry"_s).toString()) << '\n'
                 << tr("credentials: %1").arg(r.value(u"kind"_s).toString()) << '\n';
        if (!r.value(u"username"_s).toString().isEmpty())
            *env.out << tr("username: %1").arg(r.value(u"username"_s).toString()) << '\n';
        *env.out << tr("source: %1").arg(r.value(u"source"_s).toString()) << '\n'
                 << tr("tls: %1").arg(r.value(u"tls"_s).toString()) << '\n';
        if (r.contains(u"auth"_s))
            *env.out << tr("auth: %1, %2")
                            .arg(r.value(u"auth"_s).toString(), r.value(u"accepted"_s).toBool()
                                                                    ? tr("accepted")
                                                                    : tr("not accepted"))
                     << '\n';
    };
    if (!env.parser->isSet(u"check"_s)) {
        print(report);
        env.finish(ExitOk);
        return;
    }
    env.client()->ping(this, [env, report, print](Expected<PingResult> ping) mutable {
        report.insert(u"accepted"_s, ping.hasValue());
        if (ping) {
            report.insert(u"auth"_s, ping->authScheme);
        } else {
            report.insert(u"auth"_s, u"error"_s);
            report.insert(u"error"_s, ping.error().message);
        }
        print(report);
        if (!ping) {
            env.failWith(ping.error().toString());
            return;
        }
        env.finish(ExitOk);
    });
}

} // namespace wharf::cli
