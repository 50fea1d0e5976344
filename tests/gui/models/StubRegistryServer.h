#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
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
    };
    using Handler = std::function<Reply(const QByteArray &path)>;

    explicit StubRegistryServer(Handler handler, QObject *parent = nullptr);

    bool listen();
    QUrl url() const;
    const QList<QByteArray> &requests() const { return m_requests; }
    int count(const QByteArray &pathPrefix) const;

private:
    void onConnection();

    QTcpServer m_server;
    Handler m_handler;
    QList<QByteArray> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace wharf::gui::test
