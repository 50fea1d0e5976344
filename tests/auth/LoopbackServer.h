#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace wharf::test {

class LoopbackServerWorker;

// A small HTTP/1.1 server (optionally HTTPS) on loopback that runs on its own thread, so tests
// may block on other processes (wharfctl, skopeo) while it answers. Each request goes to a
// handler, called on the server thread; every request is recorded for the test to inspect.
class LoopbackServer
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;                     // path + query, as sent
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;

        QByteArray path() const
        {
            return target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
        }
        QUrlQuery query() const;
        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    };
    struct Response
    {
        int status = 200;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;

        static Response json(int status, const QByteArray &body);
    };
    using Handler = std::function<Response(const Request &)>;
    struct Tls
    {
        QString certificateFile; // PEM
        QString keyFile;         // PEM
    };

    explicit LoopbackServer(Handler handler);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer &) = delete;
    LoopbackServer &operator=(const LoopbackServer &) = delete;

    bool start(QString *error, const std::optional<Tls> &tls = std::nullopt,
               const QHostAddress &address = QHostAddress::LocalHost);
    quint16 port() const { return m_port; }
    // http(s)://host:port
    QUrl url(const QString &host = QStringLiteral("127.0.0.1")) const;
    QList<Request> requests() const;
    void clearRequests();

private:
    friend class LoopbackServerWorker;
    void record(const Request &request);

    Handler m_handler;
    bool m_tls = false;
    quint16 m_port = 0;
    std::unique_ptr<QThread> m_thread;
    LoopbackServerWorker *m_worker = nullptr;
    mutable QMutex m_mutex;
    QList<Request> m_requests;
};

} // namespace wharf::test
