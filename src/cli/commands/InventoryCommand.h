#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl inventory [--repo GLOB]
class InventoryCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("inventory"); }
    QString synopsis() const override { return QStringLiteral("inventory [--repo GLOB]"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
