#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl delete REF... [--dry-run] [--untag-only] [--force]
class DeleteCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("delete"); }
    QString synopsis() const override { return QStringLiteral("delete REF... [--dry-run]"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
