#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl inspect REPO:TAG | REPO@DIGEST
class InspectCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("inspect"); }
    QString synopsis() const override { return QStringLiteral("inspect REPO:TAG|REPO@DIGEST"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
