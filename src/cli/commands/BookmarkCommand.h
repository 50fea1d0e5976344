#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl bookmark add|list|remove|login – the same bookmarks and keychain the app uses.
class BookmarkCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("bookmark"); }
    QString synopsis() const override
    {
        return QStringLiteral("bookmark add NAME URL | list | remove NAME | login NAME");
    }
    QString description() const override;
    bool needsRegistry() const override { return false; }
    bool acceptsPasswordWithoutUsername() const override { return true; }
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;

private:
    void add(CommandEnv &env);
    void list(CommandEnv &env);
    void remove(CommandEnv &env);
    void login(CommandEnv &env);
    void storeSecretAndFinish(CommandEnv &env, const QString &id, const QString &secret,
                              const QString &doneMessage);
};

} // namespace wharf::cli
