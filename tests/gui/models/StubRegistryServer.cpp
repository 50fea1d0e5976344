#include "StubRegistryServer.h"

#include <QHostAddress>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace wharf::gui::test {

StubRegistryServer::StubRegistryServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &StubRegistryServer::onConnection);
}

bool StubRegistryServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl StubRegistryServer::url() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()));
}

int StubRegistryServer::count(const QByteArray &pathPrefix) const
{
    int n = 0;
    for (const QByteArray &path : m_requests)
        n += path.startsWith(pathPrefix) ? 1 : 0;
    return n;
}

void StubRegistryServer::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray &buffer = m_buffers[socket];
            buffer += socket->readAll();
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            // "GET /v2/_catalog?n=1000 HTTP/1.1"
            const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
            const QByteArray path = requestLine.value(1);
            m_buffers.remove(socket);
            m_requests << path;
            const Reply reply = m_handler(path);
            if (reply.hold) {
                m_held.append({socket, reply});
                return;
            }
            send(socket, reply);
        });
    }
}

void StubRegistryServer::releaseHeld()
{
    const auto held = std::exchange(m_held, {});
    for (const auto &[socket, reply] : held) {
        if (socket)
            send(socket, reply);
    }
}

void StubRegistryServer::send(QTcpSocket *socket, const Reply &reply)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(reply.status) + " Stub\r\n";
    response += "Content-Type: application/json\r\n";
    response += "Docker-Distribution-API-Version: registry/2.0\r\n";
    for (const auto &[name, value] : reply.headers)
        response += name + ": " + value + "\r\n";
    response += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    response += "Connection: close\r\n\r\n";
    response += reply.body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace wharf::gui::test
