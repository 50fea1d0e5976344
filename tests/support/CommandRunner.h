#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace wharf::test {

// Runs external tools (skopeo, openssl, htpasswd, docker-registry) with a hard timeout, so a
// hung tool fails the test instead of hanging CTest.
class CommandRunner
{
public:
    struct Command
    {
        QString program;
        QStringList arguments;
        QByteArray standardInput;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        int timeoutMs = 120000;
        // Strings never to appear in describe(): passwords given on the command line.
        QStringList secrets;
    };

    struct Result
    {
        bool started = false;
        bool timedOut = false;
        int exitCode = -1;
        bool crashed = false;
        QByteArray standardOutput;
        QByteArray standardError;
        qint64 elapsedMs = 0;

        bool succeeded() const { return started && !timedOut && !crashed && exitCode == 0; }
    };

    static Result run(const Command &command);

    // Runs the commands with at most maxParallel processes at a time; results keep the order
    // of the commands.
    static QList<Result> runParallel(const QList<Command> &commands, int maxParallel);

    // "skopeo copy ... failed (exit 1): <stderr>" with secrets masked.
    static QString describe(const Command &command, const Result &result);

    // The command line with secret-bearing values replaced by "***".
    static QString commandLine(const Command &command);
    static QString mask(QString text, const QStringList &secrets);
};

} // namespace wharf::test
