#include "FaultServer.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

FaultServer::FaultServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultServer::onConnection);
    m_server.listen(QHostAddress::LocalHost, 0);
}

FaultServer::~FaultServer()
{
    // Sockets are the server's children: drop them before our members go.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        delete socket;
    }
}

QUrl FaultServer::url(const QString &host) const
{
    return QUrl(u"http://%1:%2"_s.arg(host).arg(port()));
}

void FaultServer::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QObject::destroyed, this, [this, socket] { m_buffers.remove(socket); });
    }
}

void FaultServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    while (true) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        Request request;
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        qint64 contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            request.headers.insert(name, value);
            if (name == "content-length")
                contentLength = value.toLongLong();
        }
        if (buffer.size() < end + 4 + contentLength)
            return; // body still arriving
        buffer.remove(0, end + 4 + contentLength);
        m_requests << request;

        const Response r = m_handler(request);
        if (r.behaviour == Response::Behaviour::Hang)
            return; // read the request, never answer
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + " Status\r\n";
        bool hasType = false;
        for (const auto &h : r.headers) {
            out += h.first + ": " + h.second + "\r\n";
            hasType = hasType || h.first.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!hasType)
            out += "Content-Type: application/json\r\n";
        const qint64 length =
            r.behaviour == Response::Behaviour::TruncateBody ? r.declaredLength : r.body.size();
        out += "Content-Length: " + QByteArray::number(length) + "\r\n\r\n";
        if (request.method != "HEAD")
            out += r.body;
        socket->write(out);
        if (r.behaviour == Response::Behaviour::TruncateBody) {
            socket->flush();
            socket->disconnectFromHost();
            return;
        }
    }
}
