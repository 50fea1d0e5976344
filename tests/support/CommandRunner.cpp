#include "CommandRunner.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <functional>
#include <list>
#include <memory>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

struct Running
{
    qsizetype index = 0;
    std::unique_ptr<QProcess> process;
    std::unique_ptr<QTimer> timer;
    QElapsedTimer clock;
    bool timedOut = false;
};

void configure(QProcess &process, const CommandRunner::Command &command)
{
    process.setProgram(command.program);
    process.setArguments(command.arguments);
    process.setProcessEnvironment(command.environment);
}

} // namespace

CommandRunner::Result CommandRunner::run(const Command &command)
{
    Result result;
    QElapsedTimer clock;
    clock.start();
    QProcess process;
    configure(process, command);
    process.start();
    if (!process.waitForStarted(10000)) {
        result.standardError = process.errorString().toUtf8();
        return result;
    }
    result.started = true;
    if (!command.standardInput.isEmpty())
        process.write(command.standardInput);
    process.closeWriteChannel();
    if (!process.waitForFinished(command.timeoutMs)) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(5000);
    }
    result.crashed = !result.timedOut && process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    result.standardOutput = process.readAllStandardOutput();
    result.standardError = process.readAllStandardError();
    result.elapsedMs = clock.elapsed();
    return result;
}

QList<CommandRunner::Result> CommandRunner::runParallel(const QList<Command> &commands,
                                                        int maxParallel)
{
    QList<Result> results(commands.size());
    if (commands.isEmpty())
        return results;
    maxParallel = std::max(1, maxParallel);

    // Event driven rather than one thread per process: QProcess is happiest in the thread that
    // owns it, and the event loop gives us timeouts for free.
    QEventLoop loop;
    std::list<Running> running;
    qsizetype next = 0;
    qsizetype done = 0;
    std::function<void()> launch;

    auto retire = [&](Running *entry) {
        entry->timer->stop();
        // A QProcess must not be deleted from inside its own signals: defer.
        QTimer::singleShot(0, &loop, [&, entry] {
            running.remove_if([entry](const Running &r) { return &r == entry; });
            ++done;
            launch();
            if (done == commands.size())
                loop.quit();
        });
    };

    launch = [&] {
        while (next < commands.size() && qsizetype(running.size()) < maxParallel) {
            const Command &command = commands.at(next);
            Running &entry = running.emplace_back();
            Running *raw = &entry;
            entry.index = next++;
            entry.process = std::make_unique<QProcess>();
            entry.timer = std::make_unique<QTimer>();
            entry.timer->setSingleShot(true);
            configure(*entry.process, command);
            QObject::connect(entry.timer.get(), &QTimer::timeout, &loop, [raw] {
                raw->timedOut = true;
                raw->process->kill();
            });
            QObject::connect(entry.process.get(), &QProcess::finished, &loop, [&, raw] {
                Result &result = results[raw->index];
                result.started = true;
                result.timedOut = raw->timedOut;
                result.crashed =
                    !raw->timedOut && raw->process->exitStatus() == QProcess::CrashExit;
                result.exitCode = raw->process->exitCode();
                result.standardOutput = raw->process->readAllStandardOutput();
                result.standardError = raw->process->readAllStandardError();
                result.elapsedMs = raw->clock.elapsed();
                retire(raw);
            });
            QObject::connect(entry.process.get(), &QProcess::errorOccurred, &loop,
                             [&, raw](QProcess::ProcessError error) {
                                 // Only a failed start ends without finished().
                                 if (error != QProcess::FailedToStart)
                                     return;
                                 results[raw->index].standardError =
                                     raw->process->errorString().toUtf8();
                                 retire(raw);
                             });
            entry.clock.start();
            entry.timer->start(command.timeoutMs);
            entry.process->start();
            if (entry.process->state() == QProcess::NotRunning)
                continue; // failed to start; errorOccurred already retired it
            if (!command.standardInput.isEmpty())
                entry.process->write(command.standardInput);
            entry.process->closeWriteChannel();
        }
    };

    launch();
    loop.exec();
    return results;
}

QString CommandRunner::mask(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (!secret.isEmpty())
            text.replace(secret, u"***"_s);
    }
    return text;
}

QString CommandRunner::commandLine(const Command &command)
{
    QStringList parts{command.program};
    bool hideNext = false;
    for (const QString &argument : command.arguments) {
        if (hideNext) {
            parts << u"***"_s;
            hideNext = false;
            continue;
        }
        // "--creds user:pass" as well as "--creds=user:pass".
        const bool isCreds = argument.endsWith(u"creds"_s) || argument.endsWith(u"password"_s);
        if (isCreds) {
            parts << argument;
            hideNext = true;
        } else if (argument.contains(u"creds="_s) || argument.contains(u"password="_s)) {
            parts << argument.section(u'=', 0, 0) + u"=***"_s;
        } else {
            parts << argument;
        }
    }
    return mask(parts.join(u' '), command.secrets);
}

QString CommandRunner::describe(const Command &command, const Result &result)
{
    QString what;
    if (!result.started)
        what = u"could not be started"_s;
    else if (result.timedOut)
        what = u"timed out after %1 ms"_s.arg(command.timeoutMs);
    else if (result.crashed)
        what = u"crashed"_s;
    else
        what = u"failed (exit code %1)"_s.arg(result.exitCode);
    QString text = u"`%1` %2"_s.arg(commandLine(command), what);
    const QString err = QString::fromUtf8(result.standardError).trimmed();
    const QString out = QString::fromUtf8(result.standardOutput).trimmed();
    if (!err.isEmpty())
        text += u"\nstderr: "_s + err;
    if (!out.isEmpty())
        text += u"\nstdout: "_s + out.right(2000);
    return mask(text, command.secrets);
}

} // namespace wharf::test
