#include "Http1Connection.h"

#include "StreamFlow.h"

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;

QNetworkReply::NetworkError mapSocketError(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    case QAbstractSocket::NetworkError:
        return QNetworkReply::TemporaryNetworkFailureError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

bool hasToken(const QByteArray &value, const char *token)
{
    const QList<QByteArray> parts = value.split(',');
    for (const QByteArray &p : parts) {
        if (p.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

Http1Connection::Http1Connection(Http1Client *client, const QString &origin)
    : QObject(client)
    , m_client(client)
    , m_origin(origin)
{
    m_socket.setParent(this);
    m_timer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(Http1Client::IdleTimeoutMs);
    connect(&m_socket, &QTcpSocket::connected, this, &Http1Connection::writeRequest);
    connect(&m_socket, &QTcpSocket::readyRead, this, &Http1Connection::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, &Http1Connection::onDisconnected);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &Http1Connection::onError);
    connect(&m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_id)
            m_timer.start();
    });
    connect(&m_timer, &QTimer::timeout, this, &Http1Connection::onTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &Http1Connection::closeIdle);
}

Http1Connection::~Http1Connection()
{
    m_socket.disconnect(this);
}

void Http1Connection::start(quint64 id, Http1Client::Request request, Http1Client::Completion done)
{
    m_idleTimer.stop();
    m_id = id;
    m_request = std::move(request);
    m_done = std::move(done);
    m_response = HttpResponse();
    m_response.url = m_request.url;
    m_buffer.clear();
    m_gotResponseBytes = false;
    m_retried = false;
    m_streaming = false;
    m_paused = false;
    m_peerClosed = false;
    m_keepAlive = true;
    // A flow-controlled body must not pile up in Qt's socket buffer while paused.
    m_socket.setReadBufferSize(m_request.flow ? StreamFlow::ReadBufferBytes : 0);
    if (m_request.flow)
        m_request.flow->setResumeHandler(this, [this, id] { resumeStream(id); });
    m_timer.setInterval(m_request.timeoutMs);
    m_timer.start();
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        m_reused = true;
        writeRequest();
        return;
    }
    m_reused = false;
    m_phase = Phase::Connecting;
    m_socket.connectToHost(m_request.url.host(), static_cast<quint16>(m_request.url.port(80)));
}

void Http1Connection::writeRequest()
{
    if (!m_id)
        return;
    const QUrl &url = m_request.url;
    QByteArray out;
    out.reserve(512 + m_request.body.size());
    out += m_request.method + ' ' +
           url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (url.path().isEmpty())
        out += '/';
    out += " HTTP/1.1\r\nHost: " + url.host().toUtf8();
    if (url.port() > 0)
        out += ':' + QByteArray::number(url.port());
    out += "\r\n";
    for (const auto &h : m_request.headers)
        out += h.first + ": " + h.second + "\r\n";
    if (!m_request.body.isEmpty() || m_request.method == "PUT" || m_request.method == "POST")
        out += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
    out += "\r\n";
    out += m_request.body;
    m_phase = Phase::Headers;
    m_socket.write(out);
}

void Http1Connection::onReadyRead()
{
    if (!m_id) {
        // Bytes on an idle connection: the server is closing it or talking nonsense.
        m_socket.readAll();
        closeIdle();
        return;
    }
    if (m_paused)
        return; // resumeStream() reads it
    processInput();
}

void Http1Connection::processInput()
{
    m_timer.start();
    // Exactly what arrived: readAll() reserves generously, and a small manifest would keep a
    // 16 KiB+ allocation alive in every result and cache entry.
    m_buffer += m_socket.read(m_socket.bytesAvailable());
    m_gotResponseBytes = true;
    while (m_id && !m_paused) {
        bool progressed = false;
        switch (m_phase) {
        case Phase::Headers:
            progressed = parseHeaders();
            break;
        case Phase::Body:
            progressed = consumeBody();
            break;
        case Phase::Chunks:
            progressed = consumeChunks();
            break;
        case Phase::UntilClose:
            if (!m_buffer.isEmpty())
                acceptBody(std::exchange(m_buffer, {}));
            return;
        default:
            return;
        }
        if (!progressed)
            return;
    }
}

bool Http1Connection::parseHeaders()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > MaxHeaderBytes)
            failTransport(QNetworkReply::ProtocolFailure,
                          tr("the server sent more than %1 bytes of headers").arg(MaxHeaderBytes));
        return false;
    }
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    // "HTTP/1.1 200 OK"
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12) {
        failTransport(QNetworkReply::ProtocolFailure,
                      tr("the server did not answer with HTTP/1.x"));
        return false;
    }
    bool ok = false;
    const int status = statusLine.mid(9, 3).toInt(&ok);
    if (!ok || status < 100) {
        failTransport(QNetworkReply::ProtocolFailure, tr("malformed HTTP status line"));
        return false;
    }
    if (status >= 100 && status < 200)
        return true; // 100 Continue and friends: the real answer follows
    const bool http10 = statusLine.startsWith("HTTP/1.0");
    m_response.status = status;
    m_response.headers.clear();
    QByteArray connection;
    QByteArray transferEncoding;
    qint64 contentLength = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        m_response.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            contentLength = value.toLongLong(&ok);
            if (!ok || contentLength < 0)
                contentLength = -2;
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            transferEncoding = value;
        else if (name.compare("Connection", Qt::CaseInsensitive) == 0)
            connection = value;
    }
    if (contentLength == -2) {
        failTransport(QNetworkReply::ProtocolFailure, tr("malformed Content-Length"));
        return false;
    }
    m_keepAlive = http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    const bool success = status >= 200 && status < 300;
    m_streaming = success && m_request.sink;
    const bool noBody = m_request.method == "HEAD" || status == 204 || status == 304;
    if (!noBody && !m_streaming && contentLength > m_request.maxBodyBytes) {
        m_response.tooLarge = true;
        m_keepAlive = false;
        complete();
        return false;
    }
    if (noBody) {
        complete();
        return true;
    }
    if (hasToken(transferEncoding, "chunked")) {
        m_phase = Phase::Chunks;
        m_remaining = -1;
        m_chunkTrailer = false;
        return true;
    }
    if (contentLength >= 0) {
        m_phase = Phase::Body;
        m_remaining = contentLength;
        if (contentLength == 0)
            complete();
        return true;
    }
    m_phase = Phase::UntilClose;
    m_keepAlive = false;
    return true;
}

bool Http1Connection::acceptBody(const QByteArray &bytes)
{
    if (m_streaming) {
        if (!m_request.sink(bytes)) {
            m_response.cancelled = true;
            m_keepAlive = false;
            complete();
            return false;
        }
        if (m_request.flow && m_request.flow->isPaused()) {
            m_paused = true;
            m_timer.stop(); // a paused stream is not a stalled one
        }
        return true;
    }
    if (m_response.body.size() + bytes.size() > m_request.maxBodyBytes) {
        m_response.tooLarge = true;
        m_keepAlive = false;
        complete();
        return false;
    }
    m_response.body += bytes;
    return true;
}

bool Http1Connection::consumeBody()
{
    if (m_buffer.isEmpty())
        return false;
    const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
    QByteArray part;
    if (take == m_buffer.size()) {
        part = std::exchange(m_buffer, {});
    } else {
        part = m_buffer.left(take);
        m_buffer.remove(0, take);
    }
    m_remaining -= take;
    if (!acceptBody(part))
        return false;
    if (m_remaining == 0) {
        complete();
        return true;
    }
    return false;
}

bool Http1Connection::consumeChunks()
{
    if (m_chunkTrailer) {
        // Trailer fields end with an empty line.
        const qsizetype end = m_buffer.indexOf("\r\n");
        if (end < 0)
            return false;
        const bool last = end == 0;
        m_buffer.remove(0, end + 2);
        if (last)
            complete();
        return true;
    }
    if (m_remaining < 0) {
        const qsizetype end = m_buffer.indexOf("\r\n");
        if (end < 0) {
            if (m_buffer.size() > 1024)
                failTransport(QNetworkReply::ProtocolFailure, tr("malformed chunked body"));
            return false;
        }
        bool ok = false;
        const qint64 size = m_buffer.left(end).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            failTransport(QNetworkReply::ProtocolFailure, tr("malformed chunk size"));
            return false;
        }
        m_buffer.remove(0, end + 2);
        if (size == 0) {
            m_chunkTrailer = true;
            return true;
        }
        m_remaining = size;
        return true;
    }
    if (m_remaining > 0) {
        if (m_buffer.isEmpty())
            return false;
        const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
        const QByteArray part = m_buffer.left(take);
        m_buffer.remove(0, take);
        m_remaining -= take;
        if (!acceptBody(part))
            return false;
        if (m_remaining > 0)
            return false;
    }
    // chunk data done: expect CRLF
    if (m_buffer.size() < 2)
        return false;
    if (!m_buffer.startsWith("\r\n")) {
        failTransport(QNetworkReply::ProtocolFailure, tr("malformed chunked body"));
        return false;
    }
    m_buffer.remove(0, 2);
    m_remaining = -1;
    return true;
}

void Http1Connection::complete()
{
    finishExchange(m_keepAlive && !m_response.tooLarge && !m_response.cancelled &&
                   m_buffer.isEmpty());
}

void Http1Connection::failTransport(QNetworkReply::NetworkError error, const QString &text)
{
    m_response.status = 0;
    m_response.networkError = error;
    m_response.networkErrorString = text;
    finishExchange(false);
}

void Http1Connection::resumeStream(quint64 id)
{
    if (id != m_id || !m_paused || (m_request.flow && m_request.flow->isPaused()))
        return;
    m_paused = false;
    processInput();
    if (m_id == id && !m_paused && m_peerClosed)
        onDisconnected();
}

void Http1Connection::onDisconnected()
{
    if (!m_id) {
        closeIdle();
        return;
    }
    if (m_paused) {
        m_peerClosed = true; // bytes may still wait in the socket buffer
        return;
    }
    if (m_phase == Phase::UntilClose) {
        complete();
        return;
    }
    onError(QAbstractSocket::RemoteHostClosedError);
}

void Http1Connection::onError(QAbstractSocket::SocketError error)
{
    if (!m_id) {
        closeIdle();
        return;
    }
    if (m_paused && error == QAbstractSocket::RemoteHostClosedError) {
        m_peerClosed = true;
        return;
    }
    if (m_phase == Phase::UntilClose && error == QAbstractSocket::RemoteHostClosedError) {
        complete();
        return;
    }
    // A kept-alive connection the server closed before answering: one transparent retry on a
    // fresh connection (the request never reached the application).
    if (m_reused && !m_gotResponseBytes && !m_retried &&
        error == QAbstractSocket::RemoteHostClosedError) {
        m_retried = true;
        m_reused = false;
        m_socket.abort();
        m_phase = Phase::Connecting;
        m_socket.connectToHost(m_request.url.host(), static_cast<quint16>(m_request.url.port(80)));
        return;
    }
    const QString text = error == QAbstractSocket::RemoteHostClosedError
                             ? tr("the server closed the connection before the answer was complete")
                             : m_socket.errorString();
    failTransport(mapSocketError(error), text);
}

void Http1Connection::onTimeout()
{
    if (!m_id)
        return;
    m_response.timedOut = true;
    failTransport(QNetworkReply::TimeoutError, tr("no data within %1 ms").arg(m_timer.interval()));
}

void Http1Connection::abortExchange()
{
    if (!m_id)
        return;
    m_response.cancelled = true;
    m_response.status = 0;
    finishExchange(false);
}

void Http1Connection::finishExchange(bool reusable)
{
    m_timer.stop();
    if (m_request.flow)
        m_request.flow->clearResumeHandler();
    m_paused = false;
    m_peerClosed = false;
    Http1Client::Completion done = std::move(m_done);
    HttpResponse response = std::move(m_response);
    m_phase = Phase::Idle;
    m_request = {};
    if (!reusable) {
        m_socket.disconnect(this);
        m_socket.abort();
    } else {
        m_idleTimer.start();
    }
    m_client->connectionFinished(this, reusable);
    m_id = 0;
    if (done)
        done(std::move(response));
}

void Http1Connection::closeIdle()
{
    if (m_id)
        return;
    m_idleTimer.stop();
    m_socket.disconnect(this);
    m_socket.abort();
    m_client->connectionFinished(this, false);
}

} // namespace wharf
