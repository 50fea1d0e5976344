#pragma once

#include "client/RegistryConfig.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <functional>
#include <memory>

namespace wharf {
class RegistryClient;
}

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
    std::function<void(int exitCode)> finish;

    // Prints "wharfctl: <message>" on stderr and finishes with code.
    void failWith(const QString &message, int code = ExitError) const;
    void printJson(const class QJsonObject &object) const;
};

} // namespace wharf::cli
