#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl gc-estimate [--container NAME]
class GcEstimateCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("gc-estimate"); }
    QString synopsis() const override { return QStringLiteral("gc-estimate"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
