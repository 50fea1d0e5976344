#pragma once

#include "TestRegistry.h"

#include <QList>
#include <QString>

namespace wharf::test {

// What a registry started with log level info says it served, read back from its log.

// DELETE requests it logged.
int deleteRequestsLogged(const TestRegistry &registry);

// One request as the registry logged it on completion: when it was served, from its log time
// (nanoseconds) and duration.
struct LoggedRequest
{
    QString method;
    QString uri;
    qint64 startNs = 0;
    qint64 endNs = 0;
};

// Its last error lines (and panics), for a failure message that says what went wrong there.
QString errorLines(const TestRegistry &registry);

// The completed requests whose URI starts with uriPrefix, in the order they completed.
QList<LoggedRequest> loggedRequests(const TestRegistry &registry, const QString &uriPrefix);

} // namespace wharf::test
