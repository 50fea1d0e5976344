#pragma once

#include "client/RegistryConfig.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <functional>
#include <memory>
#include <optional>

namespace wharf {
class BookmarkStore;
class CredentialStore;
class RegistryClient;
} // namespace wharf

namespace wharf::cli {

enum ExitCode { ExitOk = 0, ExitError = 1, ExitUsage = 2, ExitRefused = 3 };

// What a subcommand gets: its parsed options, streams, and a way to finish. Streams are
// injectable so tests can run commands in-process.
struct CommandEnv
{
    QCommandLineParser *parser = nullptr;
    QStringList arguments; // positional arguments after the command name
    QTextStream *out = nullptr;
    QTextStream *err = nullptr;
    bool json = false;
    bool progress = false; // stderr is a terminal: show progress lines
    RegistryConfig registry;
    bool registryGiven = false;
    std::function<RegistryClient *()> client; // created on first use
    std::function<BookmarkStore *()> bookmarks;
    std::function<CredentialStore *()> credentials; // the OS keychain
    QString username;                               // -u, if given
    std::optional<QString> password;                // --password-stdin, if given
    // Where registry.credentials came from ("command line", "keychain (bookmark x)", docker's
    // config …); empty when there are none. Never the secret.
    QString credentialSource;
    // -r BOOKMARK: the repositories saved with it, for registries without a usable catalog.
    QStringList bookmarkRepositories;
    std::function<void(int exitCode)> finish;

    // Prints "wharfctl: <message>" on stderr and finishes with code.
    void failWith(const QString &message, int code = ExitError) const;
    void printJson(const class QJsonObject &object) const;
};

} // namespace wharf::cli
