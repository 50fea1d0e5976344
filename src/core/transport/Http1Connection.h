#pragma once

#include "Http1Client.h"

#include <QTcpSocket>
#include <QTimer>

namespace wharf {

// One keep-alive TCP connection and the exchange currently running on it. Internal to
// Http1Client.
class Http1Connection : public QObject
{
    Q_OBJECT
public:
    Http1Connection(Http1Client *client, const QString &origin);
    ~Http1Connection() override;

    QString origin() const { return m_origin; }
    quint64 exchangeId() const { return m_id; }
    bool isIdle() const { return m_id == 0; }
    void start(quint64 id, Http1Client::Request request, Http1Client::Completion done);
    void abortExchange(); // cancelled by the caller
    void closeIdle();

private:
    enum class Phase { Idle, Connecting, Headers, Body, Chunks, UntilClose };

    void writeRequest();
    void onReadyRead();
    void processInput();
    // StreamFlow resumed the body of exchange id (queued from the consumer's thread).
    void resumeStream(quint64 id);
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);
    void onTimeout();
    bool parseHeaders();
    bool consumeBody();
    bool consumeChunks();
    bool acceptBody(const QByteArray &bytes);
    void complete();
    void failTransport(QNetworkReply::NetworkError error, const QString &text);
    void finishExchange(bool reusable);

    Http1Client *m_client;
    QString m_origin;
    QTcpSocket m_socket;
    QTimer m_timer;
    QTimer m_idleTimer;

    quint64 m_id = 0;
    Http1Client::Request m_request;
    Http1Client::Completion m_done;
    HttpResponse m_response;
    Phase m_phase = Phase::Idle;
    QByteArray m_buffer;
    qint64 m_remaining = 0;      // Content-Length left, or bytes left in the current chunk
    bool m_chunkTrailer = false; // after the last chunk: skipping trailers
    bool m_keepAlive = true;
    bool m_reused = false; // the connection served an earlier exchange
    bool m_gotResponseBytes = false;
    bool m_retried = false; // already retried once on a fresh connection
    bool m_streaming = false;
    bool m_paused = false;     // StreamFlow paused: leave bytes in the socket
    bool m_peerClosed = false; // the server closed while paused: handled after resuming
};

} // namespace wharf
