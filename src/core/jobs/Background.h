#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <utility>

namespace wharf {

// Runs work on the global thread pool and hands its result to done on context's thread — the
// way to do file I/O or heavy parsing without blocking the caller's (often the GUI's) thread.
// The watcher is a child of context, so done never runs once context is gone.
template<class T>
void runInBackground(QObject *context, std::function<T()> work, std::function<void(T)> done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [watcher, done = std::move(done)]() mutable {
                         watcher->deleteLater();
                         done(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace wharf
