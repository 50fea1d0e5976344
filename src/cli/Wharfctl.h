#pragma once

#include "CommandEnv.h"

#include <QList>
#include <QObject>

class QIODevice;

namespace wharf {
class BookmarkStore;
class CredentialStore;
class RegistryClient;
} // namespace wharf

namespace wharf::cli {

class Command;

// The wharfctl front end: global options, subcommand dispatch, exit codes
// (0 ok, 1 error, 2 bad usage, 3 refused). Streams are injected so tests can run it in-process.
class Wharfctl : public QObject
{
    Q_OBJECT
public:
    Wharfctl(QTextStream *out, QTextStream *err, QIODevice *in, QObject *parent = nullptr);
    ~Wharfctl() override;

    // Parses arguments (argv, program name first) and starts the command; finished() follows.
    void run(const QStringList &arguments);
    bool isFinished() const { return m_exitCode >= 0; }
    int exitCode() const { return m_exitCode; }

    static bool stderrIsTerminal();

signals:
    void finished(int exitCode);

private:
    void addGlobalOptions(QCommandLineParser &parser) const;
    QString usage() const;
    // Fills env.registry from -r (URL, host or bookmark name); then() continues, possibly after
    // reading the bookmark's password from the keychain.
    void resolveRegistry(const QCommandLineParser &parser, CommandEnv env,
                         std::function<void(CommandEnv)> then);
    BookmarkStore *bookmarks();
    CredentialStore *credentials();
    void finish(int code);

    QTextStream *m_out;
    QTextStream *m_err;
    QIODevice *m_in;
    QList<Command *> m_commands;
    QCommandLineParser m_parser;
    RegistryClient *m_client = nullptr;
    BookmarkStore *m_bookmarks = nullptr;
    CredentialStore *m_credentials = nullptr;
    int m_exitCode = -1;
};

} // namespace wharf::cli
