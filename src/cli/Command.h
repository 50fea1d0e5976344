#pragma once

#include "CommandEnv.h"

#include <QObject>

namespace wharf::cli {

// One wharfctl subcommand. execute() may return before the work is done; it must eventually
// call env.finish() exactly once.
class Command : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual QString name() const = 0;
    virtual QString synopsis() const = 0; // "tags REPO"
    virtual QString description() const = 0;
    virtual bool needsRegistry() const { return true; }
    // `bookmark login` takes the username from the bookmark.
    virtual bool acceptsPasswordWithoutUsername() const { return false; }
    virtual void addOptions(QCommandLineParser &) {}
    virtual void execute(CommandEnv &env) = 0;
};

} // namespace wharf::cli
