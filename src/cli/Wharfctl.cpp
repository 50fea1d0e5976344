#include "Wharfctl.h"

#include "Command.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "commands/BookmarkCommand.h"
#include "commands/CleanupCommand.h"
#include "commands/CredentialsCommand.h"
#include "commands/DeleteCommand.h"
#include "commands/GcEstimateCommand.h"
#include "commands/InspectCommand.h"
#include "commands/InventoryCommand.h"
#include "commands/ListCommands.h"
#include "credentials/DockerConfigLookup.h"
#include "credentials/KeychainCredentialStore.h"
#ifdef WHARF_HAVE_SCANNER
#include "commands/DbCommand.h"
#include "commands/ScanCommand.h"
#endif

#include <QCoreApplication>
#include <QIODevice>
#include <QTimer>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace wharf::cli {

Wharfctl::Wharfctl(QTextStream *out, QTextStream *err, QIODevice *in, QObject *parent)
    : QObject(parent)
    , m_out(out)
    , m_err(err)
    , m_in(in)
{
    m_commands << new ReposCommand(this) << new TagsCommand(this) << new InspectCommand(this)
               << new InventoryCommand(this) << new BookmarkCommand(this) << new DeleteCommand(this)
               << new CleanupCommand(this) << new GcEstimateCommand(this)
               << new CredentialsCommand(this);
#ifdef WHARF_HAVE_SCANNER
    m_commands << new ScanCommand(this) << new DbCommand(this);
#endif
}

Wharfctl::~Wharfctl() = default;

bool Wharfctl::stderrIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stderr));
#else
    return isatty(fileno(stderr));
#endif
}

void Wharfctl::addGlobalOptions(QCommandLineParser &parser) const
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({
        {{u"r"_s, u"registry"_s},
         tr("Registry URL (http://host:port, https://host) or bookmark name. Default: "
            "$WHARF_REGISTRY."),
         tr("URL")},
        {{u"u"_s, u"username"_s}, tr("Username for this run."), tr("NAME")},
        {u"password-stdin"_s, tr("Read the password (or token) from standard input.")},
        {u"json"_s, tr("Machine-readable JSON on stdout.")},
        {u"concurrency"_s, tr("Requests in flight at once (default 48)."), tr("N")},
        {u"no-cache"_s, tr("Neither read nor write the local content cache.")},
        {u"insecure"_s, tr("Skip TLS certificate verification (explicit; not recommended).")},
        {u"ca-cert"_s, tr("Also trust this CA certificate (PEM) for the registry."), tr("FILE")},
        {u"timeout"_s, tr("Seconds without data before a request fails (default 30)."),
         tr("SECONDS")},
        {u"page-size"_s, tr("Entries per catalog page, 1 to 1000 (default 1000)."), tr("N")},
        {{u"h"_s, u"help"_s}, tr("Show this help.")},
        {u"version"_s, tr("Show the version.")},
    });
}

QString Wharfctl::usage() const
{
    QString text = tr("Usage: wharfctl [options] COMMAND [arguments]\n\n"
                      "Browse and inspect Docker/OCI registries.\n\nCommands:\n");
    for (const Command *c : m_commands)
        text += u"  "_s + c->synopsis().leftJustified(34) + c->description() + u'\n';
    QCommandLineParser parser;
    addGlobalOptions(parser);
    const QString help = parser.helpText();
    const qsizetype optionsAt = help.indexOf(u"Options:"_s);
    text += u'\n' + (optionsAt >= 0 ? help.mid(optionsAt) : help);
    text += tr("\nExit codes: 0 success, 1 error, 2 bad usage, 3 refused (would delete more than "
               "named).\n");
    return text;
}

BookmarkStore *Wharfctl::bookmarks()
{
    if (!m_bookmarks)
        m_bookmarks = new BookmarkStore(BookmarkStore::defaultSettingsPath(), this);
    return m_bookmarks;
}

CredentialStore *Wharfctl::credentials()
{
    if (!m_credentials)
        m_credentials =
            new KeychainCredentialStore(KeychainCredentialStore::defaultService(), this);
    return m_credentials;
}

namespace {

// Like docker, skopeo and crane: without credentials of our own, use the ones docker knows for
// this registry (config.json auths, credential helpers). WHARF_NO_DOCKER_CREDENTIALS=1 opts out.
void withDockerCredentials(QObject *context, CommandEnv env, std::function<void(CommandEnv)> then)
{
    const Credentials &own = env.registry.credentials;
    if (own.hasPassword() || !own.identityToken.isEmpty() || !own.registryToken.isEmpty() ||
        qEnvironmentVariableIntValue("WHARF_NO_DOCKER_CREDENTIALS") != 0) {
        then(env);
        return;
    }
    DockerConfigLookup::find(
        env.registry.url.toString(), context,
        [env, then](const DockerConfigLookup::Result &docker) mutable {
            for (const QString &warning : docker.warnings)
                *env.err << "wharfctl: docker credentials: " << warning << '\n';
            env.err->flush();
            const QString wanted = env.registry.credentials.username;
            if (docker.found && (wanted.isEmpty() || docker.credentials.username.isEmpty() ||
                                 docker.credentials.username == wanted)) {
                env.registry.credentials = docker.credentials;
                if (docker.credentials.username.isEmpty())
                    env.registry.credentials.username = wanted;
                env.credentialSource = u"docker: "_s + docker.source;
            }
            then(env);
        });
}

} // namespace

void Wharfctl::resolveRegistry(const QCommandLineParser &parser, CommandEnv env,
                               std::function<void(CommandEnv)> then)
{
    QString value = parser.value(u"registry"_s);
    if (value.isEmpty())
        value = qEnvironmentVariable("WHARF_REGISTRY");
    if (value.isEmpty()) {
        then(env);
        return;
    }
    auto applyCommandLineCredentials = [](CommandEnv &e) {
        if (!e.username.isEmpty())
            e.registry.credentials.username = e.username;
        if (e.password)
            e.registry.credentials.secret = *e.password;
        if (e.registry.credentials.hasPassword())
            e.credentialSource = u"command line (--username, --password-stdin)"_s;
    };
    if (!value.contains(u"://"_s)) {
        if (const auto bookmark = bookmarks()->find(value)) {
            const bool insecure = env.registry.skipTlsVerify;
            const QList<QSslCertificate> extraCas = env.registry.caCertificates;
            RegistryConfig config = bookmark->toConfig();
            config.caCertificates << extraCas;
            config.maxInFlight = env.registry.maxInFlight;
            config.catalogPageSize = env.registry.catalogPageSize;
            config.transferTimeoutMs = env.registry.transferTimeoutMs;
            config.useCache = env.registry.useCache;
            config.skipTlsVerify = config.skipTlsVerify || insecure;
            env.registry = config;
            env.registryGiven = true;
            env.bookmarkRepositories = bookmark->repositories;
            applyCommandLineCredentials(env);
            if (!bookmark->needsSecret() || env.password) {
                withDockerCredentials(this, env, then);
                return;
            }
            credentials()->readSecret(
                bookmark->id, this,
                [this, env, then,
                 name = bookmark->name](Expected<std::optional<QString>> secret) mutable {
                    if (!secret) {
                        env.failWith(secret.error().message);
                        return;
                    }
                    if (*secret) {
                        // Passwords, or an identity token the app
                        // took over from Docker (SessionManager's format).
                        env.registry.credentials = SessionManager::decodeSecret(
                            env.registry.credentials.username, **secret);
                        env.credentialSource = tr("keychain (bookmark %1)").arg(name);
                        then(env);
                        return;
                    }
                    withDockerCredentials(this, env, then);
                });
            return;
        }
        const bool looksLikeHost =
            value.contains(u'.') || value.contains(u':') || value == u"localhost"_s;
        if (!looksLikeHost) {
            env.failWith(tr("“%1” is neither a registry URL nor a bookmark (see: wharfctl "
                            "bookmark list)")
                             .arg(value),
                         ExitUsage);
            return;
        }
        value = u"https://"_s + value; // like docker: TLS unless told otherwise
    }
    QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        env.failWith(tr("“%1” is not a registry URL: use http://host:port or https://host")
                         .arg(parser.value(u"registry"_s)),
                     ExitUsage);
        return;
    }
    env.registry.url = url;
    env.registryGiven = true;
    applyCommandLineCredentials(env);
    withDockerCredentials(this, env, then);
}

void Wharfctl::run(const QStringList &arguments)
{
    CommandEnv env;
    env.out = m_out;
    env.err = m_err;
    env.finish = [this](int code) { finish(code); };

    // Pass 1: find the command (the first positional argument).
    QCommandLineParser first;
    addGlobalOptions(first);
    for (Command *c : std::as_const(m_commands))
        c->addOptions(first);
    first.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    if (!first.parse(arguments)) {
        env.failWith(first.errorText() + u"\n"_s + tr("Try 'wharfctl --help'."), ExitUsage);
        return;
    }
    if (first.isSet(u"version"_s)) {
        *m_out << "wharfctl " << WHARF_VERSION << '\n';
        finish(ExitOk);
        return;
    }
    const QStringList positional = first.positionalArguments();
    if (first.isSet(u"help"_s) || positional.isEmpty()) {
        (positional.isEmpty() && !first.isSet(u"help"_s) ? *m_err : *m_out) << usage();
        finish(first.isSet(u"help"_s) ? ExitOk : ExitUsage);
        return;
    }
    Command *command = nullptr;
    for (Command *c : std::as_const(m_commands)) {
        if (c->name() == positional.first())
            command = c;
    }
    if (!command) {
        env.failWith(tr("unknown command “%1”. Try 'wharfctl --help'.").arg(positional.first()),
                     ExitUsage);
        return;
    }

    // Pass 2: global options plus this command's own, anywhere on the line.
    addGlobalOptions(m_parser);
    command->addOptions(m_parser);
    if (!m_parser.parse(arguments)) {
        env.failWith(m_parser.errorText(), ExitUsage);
        return;
    }
    env.parser = &m_parser;
    env.arguments = m_parser.positionalArguments().mid(1);
    env.json = m_parser.isSet(u"json"_s);
    env.progress = !env.json && stderrIsTerminal();

    if (m_parser.isSet(u"concurrency"_s)) {
        bool ok = false;
        const int n = m_parser.value(u"concurrency"_s).toInt(&ok);
        if (!ok || n < 1 || n > 512) {
            env.failWith(tr("--concurrency takes a number from 1 to 512"), ExitUsage);
            return;
        }
        env.registry.maxInFlight = n;
    }
    if (m_parser.isSet(u"page-size"_s)) {
        bool ok = false;
        const int n = m_parser.value(u"page-size"_s).toInt(&ok);
        if (!ok || n < 1 || n > 1000) {
            env.failWith(tr("--page-size takes a number from 1 to 1000 (registries refuse more)"),
                         ExitUsage);
            return;
        }
        env.registry.catalogPageSize = n;
    }
    if (m_parser.isSet(u"timeout"_s)) {
        bool ok = false;
        const double seconds = m_parser.value(u"timeout"_s).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 3600) {
            env.failWith(tr("--timeout takes a number of seconds from 0 to 3600"), ExitUsage);
            return;
        }
        env.registry.transferTimeoutMs = static_cast<int>(seconds * 1000);
    }
    env.registry.useCache = !m_parser.isSet(u"no-cache"_s);
    env.registry.skipTlsVerify = m_parser.isSet(u"insecure"_s);
    if (m_parser.isSet(u"ca-cert"_s)) {
        const QString file = m_parser.value(u"ca-cert"_s);
        env.registry.caCertificates = QSslCertificate::fromPath(file, QSsl::Pem);
        if (env.registry.caCertificates.isEmpty()) {
            env.failWith(tr("--ca-cert: no PEM certificate in “%1”").arg(file), ExitUsage);
            return;
        }
    }
    env.username = m_parser.value(u"username"_s);
    if (m_parser.isSet(u"password-stdin"_s)) {
        if (env.username.isEmpty() && !command->acceptsPasswordWithoutUsername()) {
            env.failWith(tr("--password-stdin needs --username"), ExitUsage);
            return;
        }
        QByteArray secret = m_in ? m_in->readAll() : QByteArray();
        while (secret.endsWith('\n') || secret.endsWith('\r'))
            secret.chop(1);
        env.password = QString::fromUtf8(secret);
    }
    env.bookmarks = [this] { return bookmarks(); };
    env.credentials = [this] { return credentials(); };
    resolveRegistry(m_parser, env, [this, command](CommandEnv resolved) {
        if (command->needsRegistry() && !resolved.registryGiven) {
            resolved.failWith(tr("no registry given: use -r URL|BOOKMARK or set WHARF_REGISTRY"),
                              ExitUsage);
            return;
        }
        resolved.client = [this, config = resolved.registry]() {
            if (!m_client) {
                m_client = new RegistryClient(config, this);
                // Registry notices go to stderr so they never mix with --json output.
                connect(m_client, &RegistryClient::registryWarning, this,
                        [this](const QString &text) {
                            *m_err << "wharfctl: " << tr("registry warning: %1").arg(text) << '\n';
                            m_err->flush();
                        });
                auto shown = std::make_shared<bool>(false);
                connect(
                    m_client, &RegistryClient::rateLimitChanged, this,
                    [this, shown](qint64 limit, qint64 remaining, int window) {
                        if (std::exchange(*shown, true))
                            return;
                        QString text =
                            limit >= 0
                                ? tr("rate limit: %1 of %2 requests left").arg(remaining).arg(limit)
                                : tr("rate limit: %1 requests left").arg(remaining);
                        if (window > 0)
                            text += tr(" (per %1 h)").arg(window / 3600.0, 0, 'g', 3);
                        *m_err << "wharfctl: " << text << '\n';
                        m_err->flush();
                    });
            }
            return m_client;
        };
        command->execute(resolved);
    });
}

void Wharfctl::finish(int code)
{
    if (m_exitCode >= 0)
        return;
    m_exitCode = code;
    m_out->flush();
    m_err->flush();
    // Deliver after the current call stack unwinds: commands may still be on it.
    QTimer::singleShot(0, this, [this, code] { emit finished(code); });
}

} // namespace wharf::cli
