#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl cleanup REPO-GLOB --keep-last N [--keep REGEX] [--older-than DAYS] [--dry-run]
class CleanupCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("cleanup"); }
    QString synopsis() const override { return QStringLiteral("cleanup REPO-GLOB --keep-last N"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
