#pragma once

#include "HttpMessage.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

namespace wharf {

class Http1Connection;
class StreamFlow;

// A lean HTTP/1.1 client for plain-http registries, living on one network worker thread:
// keep-alive connections pooled per origin, one request per connection at a time, the
// response parsed in place (Content-Length, chunked, or until close). It exists because
// QNetworkAccessManager spends most of an inventory's CPU on its own machinery (a helper thread
// per manager, signal hops and byte-at-a-time header parsing); on a small machine that CPU is
// taken from the registry itself. docs/performance.md has the measurements. https goes through
// QNetworkAccessManager (HTTP/2, TLS).
class Http1Client : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QUrl url;
        HeaderList headers;
        QByteArray body;
        qint64 maxBodyBytes = 0;
        int timeoutMs = 30000;
        std::function<bool(const QByteArray &)> sink; // success bodies are streamed here
        std::shared_ptr<StreamFlow> flow;             // pause/resume for sink (StreamFlow.h)
    };
    // The response has status, headers, body (unless streamed), url, and on failure the
    // networkError fields, timedOut, tooLarge or cancelled set – as the QNAM path fills them.
    using Completion = std::function<void(HttpResponse)>;

    explicit Http1Client(QObject *parent = nullptr);
    ~Http1Client() override;

    quint64 start(Request request, Completion done);
    void abort(quint64 id);

    static constexpr int MaxIdlePerOrigin = 16;
    static constexpr int IdleTimeoutMs = 20000;

private:
    friend class Http1Connection;
    void connectionFinished(Http1Connection *connection, bool reusable);
    Http1Connection *takeIdle(const QString &origin);

    quint64 m_nextId = 1;
    QHash<QString, QList<Http1Connection *>> m_idle;
    QHash<quint64, Http1Connection *> m_active;
};

} // namespace wharf
