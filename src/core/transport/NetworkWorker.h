#pragma once

#include "NetworkTask.h"

#include <QHash>
#include <QObject>

#include <atomic>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace wharf {
class Http1Client;
}

namespace wharf {

// Lives on its own thread with its own transports: Wharf's HTTP/1.1 client for plain http, and
// one QNetworkAccessManager per TLS profile for https (each with its own pool of up to six
// connections per host). Runs tasks, follows redirects by hand so Authorization never travels
// to another host, bounds bodies, answers immutable content from the cache, decodes, and posts
// the finished task back to its scheduler.
class NetworkWorker : public QObject
{
    Q_OBJECT
public:
    explicit NetworkWorker(QObject *parent = nullptr);

    // Thread-safe: queue a task on this worker's thread.
    void post(NetworkTaskPtr task);
    void postCancel(quint64 taskId);
    int activeTasks() const { return m_active.load(); }
    // Plain-http requests use Wharf's own HTTP/1.1 client unless WHARF_HTTP_BACKEND=qnam.
    static bool useOwnHttp1();

private:
    void run(NetworkTaskPtr task);
    void send(const NetworkTaskPtr &task, const QUrl &url, int redirectsLeft);
    static HeaderList headersFor(const HttpRequest &request, const QUrl &url);
    void sendHttp1(const NetworkTaskPtr &task, const QUrl &url, int redirectsLeft);
    void onFinished(QNetworkReply *reply);
    // Hands a streamed body to its sink unless the StreamFlow is paused.
    void readStreamed(QNetworkReply *reply);
    // Both transports end here: redirects, timeouts, cache, decode.
    void completed(const NetworkTaskPtr &task, int redirectsLeft);
    void finish(const NetworkTaskPtr &task);
    // One manager (and so one connection pool) per TLS trust profile.
    QNetworkAccessManager *manager(const QByteArray &tlsProfile);

    QHash<QByteArray, QNetworkAccessManager *> m_managers;
    Http1Client *m_http1 = nullptr;
    QHash<quint64, quint64> m_http1Exchanges; // task id -> Http1Client exchange id
    struct Running
    {
        NetworkTaskPtr task;
        int redirectsLeft = 0;
        QTimer *streamTimer = nullptr; // inactivity timeout of a flow-controlled stream
    };
    QHash<QNetworkReply *, Running> m_running;
    std::atomic<int> m_active{0};
};

} // namespace wharf
