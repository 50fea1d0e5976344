#include "Skopeo.h"

#include "TestRegistry.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

// Flags for the side of the operation that talks to the registry. prefix is "--dest-",
// "--src-" or "--" (inspect, delete, list-tags).
QStringList registryFlags(const QString &prefix, const SkopeoOptions &options)
{
    QStringList flags;
    flags << prefix + u"tls-verify="_s + (options.tlsVerify ? u"true"_s : u"false"_s);
    if (!options.certDir.isEmpty())
        flags << prefix + u"cert-dir"_s << options.certDir;
    if (!options.username.isEmpty())
        flags << prefix + u"creds"_s << options.username + u':' + options.password;
    else
        flags << prefix + u"no-creds"_s;
    return flags;
}

bool runSkopeo(const QStringList &arguments, const SkopeoOptions &options,
               CommandRunner::Result *result, QString *error)
{
    const auto command = Skopeo::command(arguments, options, error);
    if (!command)
        return false;
    *result = CommandRunner::run(*command);
    if (!result->succeeded()) {
        if (error)
            *error = CommandRunner::describe(*command, *result);
        return false;
    }
    return true;
}

} // namespace

std::optional<CommandRunner::Command> Skopeo::command(const QStringList &arguments,
                                                      const SkopeoOptions &options, QString *error)
{
    const QString program = TestRegistry::findExecutable(u"skopeo"_s, error);
    if (program.isEmpty())
        return std::nullopt;
    CommandRunner::Command command;
    command.program = program;
    // --insecure-policy: do not depend on /etc/containers/policy.json being present.
    command.arguments = QStringList{u"--insecure-policy"_s} + arguments;
    command.timeoutMs = options.timeoutMs;
    if (!options.password.isEmpty())
        command.secrets << options.password;
    // Keep the user's auth.json / ~/.docker/config.json out of the tests, and never send
    // loopback traffic through a proxy.
    command.environment.insert(u"REGISTRY_AUTH_FILE"_s,
                               QDir::temp().filePath(u"wharf-test-no-such-dir/auth.json"_s));
    const QString noProxy = u"127.0.0.1,localhost,::1"_s;
    command.environment.insert(u"NO_PROXY"_s, noProxy);
    command.environment.insert(u"no_proxy"_s, noProxy);
    return command;
}

QStringList Skopeo::copyArguments(const QString &source, const QString &destination,
                                  const SkopeoOptions &options)
{
    QStringList arguments{u"copy"_s};
    if (options.indexOnly)
        arguments << u"--multi-arch=index-only"_s;
    else if (options.all)
        arguments << u"--all"_s;
    if (options.preserveDigests)
        arguments << u"--preserve-digests"_s;
    // Signatures do not exist in our layouts; skipping the lookaside lookup saves time.
    arguments << u"--remove-signatures"_s;
    const bool sourceIsRegistry = source.startsWith(u"docker://"_s);
    if (sourceIsRegistry)
        arguments << registryFlags(u"--src-"_s, options);
    if (destination.startsWith(u"docker://"_s))
        arguments << registryFlags(u"--dest-"_s, options);
    arguments << source << destination;
    return arguments;
}

bool Skopeo::copy(const QString &layoutDir, const QString &refName, const QString &destination,
                  const SkopeoOptions &options, QString *error)
{
    return copyFrom(u"oci:"_s + layoutDir + u':' + refName, destination, options, error);
}

bool Skopeo::copyFrom(const QString &source, const QString &destination,
                      const SkopeoOptions &options, QString *error)
{
    CommandRunner::Result result;
    return runSkopeo(copyArguments(source, destination, options), options, &result, error);
}

bool Skopeo::inspectRaw(const QString &reference, const SkopeoOptions &options, QByteArray *raw,
                        QString *error)
{
    CommandRunner::Result result;
    QStringList arguments{u"inspect"_s, u"--raw"_s};
    arguments << registryFlags(u"--"_s, options) << reference;
    if (!runSkopeo(arguments, options, &result, error))
        return false;
    *raw = result.standardOutput;
    return true;
}

bool Skopeo::listTags(const QString &repositoryReference, const SkopeoOptions &options,
                      QStringList *tags, QString *error)
{
    CommandRunner::Result result;
    QStringList arguments{u"list-tags"_s};
    arguments << registryFlags(u"--"_s, options) << repositoryReference;
    if (!runSkopeo(arguments, options, &result, error))
        return false;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(result.standardOutput, &parseError);
    if (!document.isObject()) {
        if (error)
            *error = u"skopeo list-tags printed no JSON object: "_s + parseError.errorString();
        return false;
    }
    tags->clear();
    const QJsonArray array = document.object().value(u"Tags"_s).toArray();
    for (const QJsonValue &value : array)
        tags->append(value.toString());
    return true;
}

bool Skopeo::deleteImage(const QString &reference, const SkopeoOptions &options, QString *error)
{
    CommandRunner::Result result;
    QStringList arguments{u"delete"_s};
    arguments << registryFlags(u"--"_s, options) << reference;
    return runSkopeo(arguments, options, &result, error);
}

} // namespace wharf::test
