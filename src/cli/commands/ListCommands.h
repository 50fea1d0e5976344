#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl repos
class ReposCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("repos"); }
    QString synopsis() const override { return QStringLiteral("repos"); }
    QString description() const override;
    void execute(CommandEnv &env) override;
};

// wharfctl tags REPO
class TagsCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("tags"); }
    QString synopsis() const override { return QStringLiteral("tags REPO"); }
    QString description() const override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
