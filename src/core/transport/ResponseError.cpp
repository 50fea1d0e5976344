#include "ResponseError.h"

#include "tls/CertificateInfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString hostOf(const HttpResponse &r)
{
    const QUrl &u = r.url;
    return u.port() > 0 ? u.host() + u':' + QString::number(u.port()) : u.host();
}

// Server text safe and short enough to show: first line of a non-JSON body.
QString snippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(300)).trimmed();
    text = text.section(u'\n', 0, 0);
    return text;
}

// What the person can do about the certificate problems at hand.
QString tlsAdvice(const QList<QSslError> &errors, const QString &host)
{
    bool unknownIssuer = false;
    bool dates = false;
    bool name = false;
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::CertificateExpired:
        case QSslError::CertificateNotYetValid:
            dates = true;
            break;
        case QSslError::HostNameMismatch:
            name = true;
            break;
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
            unknownIssuer = true;
            break;
        default:
            break;
        }
    }
    QStringList advice;
    if (unknownIssuer)
        advice << u"Trust the registry's CA certificate (a CA file for the registry, or "
                  u"/etc/docker/certs.d/%1/ca.crt)."_s.arg(host);
    if (dates)
        advice << u"The registry's administrator has to renew its certificate (or check this "
                  u"computer's clock)."_s;
    if (name)
        advice << u"Connect with a host name the certificate names."_s;
    advice << u"Turning on “skip TLS verification” for this registry also works if you accept "
              u"the risk."_s;
    return advice.join(u' ');
}

} // namespace

QList<ResponseError::RegistryErrorBody> ResponseError::parseBody(const QByteArray &body)
{
    QList<RegistryErrorBody> out;
    if (body.isEmpty() || body.size() > 1024 * 1024)
        return out;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonArray errors = doc.object().value(u"errors"_s).toArray();
    for (const QJsonValue &v : errors) {
        const QJsonObject o = v.toObject();
        RegistryErrorBody e;
        e.code = o.value(u"code"_s).toString();
        e.message = o.value(u"message"_s).toString();
        const QJsonValue detail = o.value(u"detail"_s);
        if (detail.isString())
            e.detail = detail.toString();
        else if (!detail.isUndefined() && !detail.isNull())
            e.detail =
                QString::fromUtf8(QJsonDocument(detail.isArray() ? QJsonDocument(detail.toArray())
                                                                 : QJsonDocument(detail.toObject()))
                                      .toJson(QJsonDocument::Compact));
        if (e.code.isEmpty())
            e.code = u"UNKNOWN"_s;
        out << e;
    }
    return out;
}

QString ResponseError::describeTls(const QList<QSslError> &errors)
{
    QStringList reasons;
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::CertificateExpired:
            reasons << u"the certificate has expired"_s;
            break;
        case QSslError::CertificateNotYetValid:
            reasons << u"the certificate is not valid yet (check the clock)"_s;
            break;
        case QSslError::HostNameMismatch: {
            const QStringList names = CertificateInfo::from(e.certificate()).names;
            reasons << (names.isEmpty()
                            ? u"the certificate was issued for a different host name"_s
                            : u"the certificate was issued for a different host name (it is "
                              u"valid for %1)"_s.arg(names.join(u", "_s)));
            break;
        }
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
            reasons << u"the certificate is signed by an unknown certificate authority"_s;
            break;
        case QSslError::CertificateRevoked:
            reasons << u"the certificate was revoked"_s;
            break;
        default:
            reasons << e.errorString();
        }
    }
    reasons.removeDuplicates();
    return reasons.join(u"; "_s);
}

Error ResponseError::fromTransport(const HttpResponse &r, const QString &what)
{
    const QString host = hostOf(r);
    Error e;
    e.detail = r.networkErrorString;
    if (r.cancelled) {
        e.kind = Error::Kind::Cancelled;
        e.message = u"Cancelled"_s;
        return e;
    }
    if (r.tooLarge) {
        e.kind = Error::Kind::TooLarge;
        e.message = u"The registry sent more data than Wharf accepts for %1"_s.arg(what);
        return e;
    }
    if (r.timedOut || r.networkError == QNetworkReply::TimeoutError) {
        e.kind = Error::Kind::Timeout;
        e.message = u"%1 did not answer in time while fetching %2"_s.arg(host, what);
        return e;
    }
    if (!r.sslErrors.isEmpty() || r.networkError == QNetworkReply::SslHandshakeFailedError) {
        e.kind = Error::Kind::Tls;
        e.peerCertificates = r.peerCertificates;
        if (e.peerCertificates.isEmpty()) {
            for (const QSslError &sslError : r.sslErrors) {
                if (!sslError.certificate().isNull() &&
                    !e.peerCertificates.contains(sslError.certificate()))
                    e.peerCertificates << sslError.certificate();
            }
        }
        if (!e.peerCertificates.isEmpty()) {
            QStringList lines;
            for (const QSslCertificate &certificate : std::as_const(e.peerCertificates))
                lines << u"Server certificate: "_s + CertificateInfo::from(certificate).summary();
            e.detail = lines.join(u'\n') + u'\n' + r.networkErrorString;
        }
        const QString why = describeTls(r.sslErrors);
        e.message =
            why.isEmpty()
                ? u"The secure connection to %1 failed: %2"_s.arg(host, r.networkErrorString)
                : u"The secure connection to %1 was refused because %2. %3"_s.arg(
                      host, why, tlsAdvice(r.sslErrors, host));
        return e;
    }
    // A TLS alert after the handshake: the server did not accept (or did not get) a client
    // certificate. OpenSSL reports it as a read error, Qt as an unknown network error.
    static const QStringList clientCertificateAlerts{
        u"alert bad certificate"_s, u"alert certificate required"_s, u"alert unknown ca"_s,
        u"alert certificate unknown"_s};
    for (const QString &alert : clientCertificateAlerts) {
        if (r.networkErrorString.contains(alert, Qt::CaseInsensitive)) {
            e.kind = Error::Kind::Tls;
            e.message = u"%1 refused the secure connection because it requires a client "
                        u"certificate it trusts (mutual TLS). Put the certificate and its key as "
                        u"<name>.cert and <name>.key in /etc/docker/certs.d/%1/ or "
                        u"~/.config/containers/certs.d/%1/."_s.arg(host);
            return e;
        }
    }
    switch (r.networkError) {
    case QNetworkReply::ConnectionRefusedError:
        e.kind = Error::Kind::ConnectionRefused;
        e.message = u"Could not connect to %1: connection refused. Is the registry running and "
                    u"is the address right?"_s.arg(host);
        break;
    case QNetworkReply::HostNotFoundError:
        e.kind = Error::Kind::HostNotFound;
        e.message =
            u"The host %1 could not be found. Check the registry address."_s.arg(r.url.host());
        break;
    case QNetworkReply::RemoteHostClosedError:
        e.kind = Error::Kind::Network;
        e.message = u"%1 closed the connection while Wharf was fetching %2"_s.arg(host, what);
        break;
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::TooManyRedirectsError:
        e.kind = Error::Kind::Network;
        e.message = u"Fetching %1 failed: %2"_s.arg(what, r.networkErrorString);
        break;
    default:
        e.kind = Error::Kind::Network;
        e.message =
            u"Network error while fetching %1 from %2: %3"_s.arg(what, host, r.networkErrorString);
    }
    return e;
}

Error ResponseError::from(const HttpResponse &r, const QString &what)
{
    if (r.status == 0 || r.cancelled || r.tooLarge)
        return fromTransport(r, what);

    Error e;
    e.httpStatus = r.status;
    const QList<RegistryErrorBody> bodies = parseBody(r.body);
    QString serverMessage;
    if (!bodies.isEmpty()) {
        e.code = bodies.first().code;
        serverMessage = bodies.first().message;
        e.detail = bodies.first().detail;
    } else if (!r.body.isEmpty()) {
        serverMessage = snippet(r.body);
    }
    const QString host = hostOf(r);
    const QString suffix =
        serverMessage.isEmpty() ? QString() : u" The registry said: “%1”."_s.arg(serverMessage);

    switch (r.status) {
    case 401:
        e.kind = Error::Kind::Unauthorized;
        e.message =
            u"%1 refused access to %2: the credentials are missing or wrong."_s.arg(host, what) +
            suffix;
        break;
    case 403:
        e.kind = Error::Kind::Forbidden;
        e.message = u"You are not permitted to access %1 on %2."_s.arg(what, host) + suffix;
        break;
    case 404:
        e.kind = Error::Kind::NotFound;
        if (e.code == u"NAME_UNKNOWN"_s)
            e.message =
                u"The repository does not exist on %1 (while fetching %2)."_s.arg(host, what);
        else if (e.code == u"MANIFEST_UNKNOWN"_s)
            e.message = u"%1 was not found: no such tag or manifest."_s.arg(what);
        else if (e.code == u"BLOB_UNKNOWN"_s)
            e.message = u"%1 was not found: the blob is not in this repository."_s.arg(what);
        else
            e.message = u"%1 was not found on %2."_s.arg(what, host) + suffix;
        break;
    case 405:
        e.kind = Error::Kind::Unsupported;
        e.message = u"%1 does not allow this operation on %2."_s.arg(host, what) + suffix;
        break;
    case 429: {
        e.kind = Error::Kind::TooManyRequests;
        const QByteArray retry = r.header("Retry-After");
        e.message = u"%1 is rate-limiting requests (too many requests)."_s.arg(host);
        if (!retry.isEmpty())
            e.message += u" Try again in %1 seconds."_s.arg(QString::fromLatin1(retry));
        const QByteArray remaining = r.header("RateLimit-Remaining");
        if (!remaining.isEmpty())
            e.message += u" Remaining quota: %1."_s.arg(QString::fromLatin1(remaining));
        break;
    }
    default:
        if (r.status >= 500) {
            e.kind = Error::Kind::ServerError;
            e.message = u"%1 had an internal error (HTTP %2) while serving %3."_s.arg(host)
                            .arg(r.status)
                            .arg(what) +
                        suffix;
        } else {
            e.kind = Error::Kind::HttpError;
            e.message = u"%1 answered HTTP %2 for %3."_s.arg(host).arg(r.status).arg(what) + suffix;
        }
    }
    if (e.code == u"DENIED"_s && e.kind != Error::Kind::Unauthorized)
        e.kind = Error::Kind::Forbidden;
    if (!e.message.isEmpty())
        e.message[0] = e.message.at(0).toUpper();
    return e;
}

} // namespace wharf
