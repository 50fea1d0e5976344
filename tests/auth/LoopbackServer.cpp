#include "LoopbackServer.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 429:
        return "Too Many Requests";
    default:
        return "Status";
    }
}

} // namespace

// Lives on the server thread: owns the listening socket and the connections.
class LoopbackServerWorker : public QObject
{
public:
    explicit LoopbackServerWorker(LoopbackServer *owner)
        : m_owner(owner)
    {}

    bool listen(const std::optional<LoopbackServer::Tls> &tls, const QHostAddress &address,
                QString *error)
    {
        if (tls) {
            auto *server = new QSslServer(this);
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            const QList<QSslCertificate> chain = QSslCertificate::fromPath(tls->certificateFile);
            QFile keyFile(tls->keyFile);
            if (chain.isEmpty() || !keyFile.open(QIODevice::ReadOnly)) {
                *error = u"cannot read "_s + tls->certificateFile + u" or "_s + tls->keyFile;
                return false;
            }
            const QByteArray pem = keyFile.readAll();
            QSslKey key(pem, QSsl::Ec);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Rsa);
            ssl.setLocalCertificateChain(chain);
            ssl.setPrivateKey(key);
            ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
            server->setSslConfiguration(ssl);
            m_server = server;
        } else {
            m_server = new QTcpServer(this);
        }
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                if (socket->bytesAvailable() > 0)
                    onData(socket);
            }
        });
        if (!m_server->listen(address, 0)) {
            *error = m_server->errorString();
            return false;
        }
        return true;
    }
    quint16 port() const { return m_server ? m_server->serverPort() : 0; }

private:
    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        while (true) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            LoopbackServer::Request request;
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.target = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    request.headers.insert(line.left(colon).trimmed().toLower(),
                                           line.mid(colon + 1).trimmed());
            }
            const qsizetype length = request.header("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return; // the body is still coming
            request.body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            m_owner->record(request);
            const LoopbackServer::Response response = m_owner->m_handler(request);
            QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                             reasonPhrase(response.status) + "\r\n";
            bool hasLength = false;
            for (const auto &[name, value] : response.headers) {
                out += name + ": " + value + "\r\n";
                hasLength |= name.compare("Content-Length", Qt::CaseInsensitive) == 0;
            }
            if (!hasLength)
                out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
            out += "\r\n";
            if (request.method != "HEAD")
                out += response.body;
            socket->write(out);
            if (request.header("connection").toLower() == "close") {
                socket->disconnectFromHost();
                m_buffers.remove(socket);
                return;
            }
        }
    }

    LoopbackServer *m_owner;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QUrlQuery LoopbackServer::Request::query() const
{
    const qsizetype q = target.indexOf('?');
    // Decode as a form: '+' is a space there, which is the point of checking it.
    QByteArray raw = q < 0 ? QByteArray() : target.mid(q + 1);
    raw.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(raw));
}

LoopbackServer::Response LoopbackServer::Response::json(int status, const QByteArray &body)
{
    Response r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", "application/json");
    r.body = body;
    return r;
}

LoopbackServer::LoopbackServer(Handler handler)
    : m_handler(std::move(handler))
{}

LoopbackServer::~LoopbackServer()
{
    if (m_thread) {
        QMetaObject::invokeMethod(
            m_worker, [this] { delete m_worker; }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
}

bool LoopbackServer::start(QString *error, const std::optional<Tls> &tls,
                           const QHostAddress &address)
{
    m_tls = tls.has_value();
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"LoopbackServer"_s);
    m_thread->start();
    m_worker = new LoopbackServerWorker(this);
    m_worker->moveToThread(m_thread.get());
    bool ok = false;
    QString problem;
    QMetaObject::invokeMethod(
        m_worker,
        [&] {
            ok = m_worker->listen(tls, address, &problem);
            m_port = m_worker->port();
        },
        Qt::BlockingQueuedConnection);
    if (!ok && error)
        *error = u"LoopbackServer: "_s + problem;
    return ok;
}

QUrl LoopbackServer::url(const QString &host) const
{
    QUrl u;
    u.setScheme(m_tls ? u"https"_s : u"http"_s);
    u.setHost(host);
    u.setPort(m_port);
    return u;
}

void LoopbackServer::record(const Request &request)
{
    QMutexLocker lock(&m_mutex);
    m_requests << request;
}

QList<LoopbackServer::Request> LoopbackServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void LoopbackServer::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

} // namespace wharf::test
