#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

#include <functional>

namespace wharf::gui::test {

// A scripted HTTP/1.1 server on 127.0.0.1 for registry answers a real registry will not give
// on demand (a refused catalog). One request per connection; every request path is recorded.
class StubRegistryServer : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        int status = 200;
        QByteArray body = "{}";
        QList<std::pair<QByteArray, QByteArray>> headers;
        bool hold = false; // answered only when releaseHeld() is called

        static Reply json(int status, const QByteArray &body)
        {
            Reply reply;
            reply.status = status;
            reply.body = body;
            return reply;
        }
    };
    using Handler = std::function<Reply(const QByteArray &path)>;

    explicit StubRegistryServer(Handler handler, QObject *parent = nullptr);

    bool listen();
    QUrl url() const;
    const QList<QByteArray> &requests() const { return m_requests; }
    int count(const QByteArray &pathPrefix) const;
    int heldCount() const { return int(m_held.size()); }
    // Sends the replies that were held back.
    void releaseHeld();

private:
    void onConnection();
    static void send(QTcpSocket *socket, const Reply &reply);

    QTcpServer m_server;
    Handler m_handler;
    QList<QByteArray> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<std::pair<QPointer<QTcpSocket>, Reply>> m_held;
};

} // namespace wharf::gui::test
