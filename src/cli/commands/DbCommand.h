#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl db import ZIP... | db update [--mirror URL] [--ecosystem E]... | db status — the
// local OSV vulnerability database the scanner matches against.
class DbCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("db"); }
    QString synopsis() const override { return QStringLiteral("db import|update|status"); }
    QString description() const override;
    bool needsRegistry() const override { return false; }
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;

    // --db PATH, shared with `scan`; added once however many commands ask (the first parsing
    // pass collects every command's options in one parser).
    static void addDatabaseOption(QCommandLineParser &parser);
    // Adds the options the parser does not know yet (other commands may share names).
    static void addOptionsOnce(QCommandLineParser &parser,
                               const QList<QCommandLineOption> &options);
    static QString databasePath(const QCommandLineParser &parser);

private:
    void importZips(CommandEnv &env, const QStringList &zips);
    void update(CommandEnv &env);
    void status(CommandEnv &env);
};

} // namespace wharf::cli
