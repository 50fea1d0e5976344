#pragma once

#include "HttpMessage.h"

#include <QMutex>

#include <any>
#include <atomic>
#include <functional>
#include <memory>

namespace wharf {

class ContentCache;
class RequestScheduler;

// Where a finished task goes back to. The scheduler clears it when it is destroyed, so a worker
// thread never posts to a dead object.
struct TaskInbox
{
    QMutex mutex;
    RequestScheduler *scheduler = nullptr;
};

// One HTTP exchange travelling from a scheduler (owner thread) to a network worker and back.
struct NetworkTask
{
    quint64 id = 0;
    HttpRequest request;
    // Runs on the worker thread once the exchange is complete, so parsing and hashing stay off
    // the owner's (often the GUI's) thread.
    std::function<std::any(HttpResponse &)> decode;
    ContentCache *cache = nullptr;
    std::shared_ptr<TaskInbox> inbox;
    std::atomic<bool> cancelled{false};
    // Cache lane: answer from the cache or report missedCache, never use the network (the
    // scheduler then queues the request like any other, within its in-flight limit).
    bool cacheOnly = false;
    bool missedCache = false;

    HttpResponse response;
    std::any decoded;
};

using NetworkTaskPtr = std::shared_ptr<NetworkTask>;

} // namespace wharf
