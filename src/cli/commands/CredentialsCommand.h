#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl credentials [--check]: where the credentials for -r come from (command line,
// keychain, docker's config or a credential helper) and what kind they are. Never prints a
// secret. --check also asks the registry whether it accepts them.
class CredentialsCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("credentials"); }
    QString synopsis() const override { return QStringLiteral("credentials [--check]"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
