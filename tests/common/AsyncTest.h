#pragma once

// Runs one asynchronous Wharf call to completion inside a test:
//   auto tags = await<QStringList>(
//       [&](QObject *ctx, auto done) { client.listTags(repo, ctx, done); });
// The call gets a context object that lives until the answer arrives (or the wait gives up, in
// which case the result is a Timeout error).

#include "Expected.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <optional>

namespace wharf::testing {

template<class T>
Expected<T> await(const std::function<void(QObject *, std::function<void(Expected<T>)>)> &start,
                  int timeoutMs = 60000)
{
    std::optional<Expected<T>> result;
    QObject context;
    start(&context, [&result](Expected<T> r) { result = std::move(r); });
    QElapsedTimer timer;
    timer.start();
    while (!result && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!result)
        return Error::make(Error::Kind::Timeout, QStringLiteral("the test gave up waiting"));
    return *result;
}

// Processes events until condition() holds or the time is up; returns condition().
inline bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return condition();
}

} // namespace wharf::testing
