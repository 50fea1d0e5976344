#pragma once

#include "reference/Digest.h"

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslError>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace wharf {

class StreamFlow;

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// What to send. Plain data so it can cross threads; the worker thread turns it into a
// QNetworkRequest.
struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    qint64 maxBodyBytes = 8 * 1024 * 1024; // larger bodies fail with tooLarge
    int transferTimeoutMs = 30000;         // no byte for this long = timeout
    int maxRedirects = 5;
    std::optional<QSslConfiguration> ssl;
    bool ignoreSslErrors = false; // the user's explicit "skip TLS verification"
    // Trust settings identity (TlsSettings::Result::profile): connections are shared only between
    // requests with the same profile.
    QByteArray tlsProfile;
    bool allowHttp2 = true; // over TLS, when the server offers it
    // Immutable content: the worker answers from the cache when it holds this digest and stores
    // a body that hashes to it.
    Digest cacheDigest;
    // Streams the body to this function on the worker thread instead of collecting it;
    // returning false aborts the transfer.
    std::function<bool(const QByteArray &chunk)> sink;
    // Optional back-pressure for sink: the consumer pauses and resumes the transfer (see
    // StreamFlow.h). Without it the sink gets bytes as fast as the server sends them.
    std::shared_ptr<StreamFlow> flow;

    QByteArray header(const QByteArray &name) const;
    void setHeader(const QByteArray &name, const QByteArray &value);
    void removeHeader(const QByteArray &name);
};

// What came back, or why nothing did.
struct HttpResponse
{
    int status = 0; // 0 = no HTTP answer
    HeaderList headers;
    QByteArray body;
    QUrl url; // after redirects
    bool fromCache = false;
    bool digestVerified = false; // body hashes to request.cacheDigest (or came from the cache)
    bool tooLarge = false;
    bool cancelled = false;
    bool timedOut = false;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorString;
    QList<QSslError> sslErrors;
    QList<QSslCertificate> peerCertificates; // the server's chain when verification failed
    bool http2 = false;                      // the exchange used HTTP/2

    QByteArray header(const QByteArray &name) const; // case-insensitive; joins repeats with ", "
    bool isSuccess() const { return status >= 200 && status < 300; }
    bool transportFailed() const { return status == 0; }
};

} // namespace wharf
