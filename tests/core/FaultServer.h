#pragma once

#include <QHash>
#include <QList>
#include <QTcpServer>
#include <QUrl>

#include <functional>

// A tiny scripted HTTP/1.1 server on 127.0.0.1 for the failures a real registry will not
// produce on demand: hanging, truncated or oversized answers, odd statuses, redirects to another
// host. It records every request (method, path, headers) so tests can check what was sent.
class FaultServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;                     // path + query
        QHash<QByteArray, QByteArray> headers; // lower-case names
    };
    struct Response
    {
        enum class Behaviour { Normal, Hang, TruncateBody };
        int status = 200;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        Behaviour behaviour = Behaviour::Normal;
        qint64 declaredLength = -1; // Content-Length to announce when truncating
    };
    using Handler = std::function<Response(const Request &)>;

    explicit FaultServer(Handler handler, QObject *parent = nullptr);
    ~FaultServer() override;
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &host = QStringLiteral("127.0.0.1")) const;
    const QList<Request> &requests() const { return m_requests; }

private:
    void onConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
