#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace wharf {

// A failure explained for a person (message), with what a program needs to react (kind,
// HTTP status, registry error code). Never contains credentials.
struct Error
{
    enum class Kind {
        InvalidInput,      // bad reference, bad option, malformed user data
        ConnectionRefused, // nothing listens there
        HostNotFound,
        Timeout,
        Tls,            // certificate or handshake problem
        Network,        // any other transport failure
        Unauthorized,   // 401: credentials missing or rejected
        Forbidden,      // 403, or a token that does not grant the scope
        NotFound,       // 404
        DeleteDisabled, // 405 UNSUPPORTED on DELETE, or read-only mode
        Unsupported,    // 405 / UNSUPPORTED otherwise
        TooManyRequests,
        ServerError, // 5xx
        HttpError,   // any other non-success status
        Protocol,    // malformed JSON, wrong types, unexpected media type
        DigestMismatch,
        TooLarge,
        Cancelled,
        Io, // local file system
    };

    Kind kind = Kind::Network;
    QString message;    // for a person: what went wrong and, where possible, what to do
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QString code;       // registry error code (MANIFEST_UNKNOWN, ...) when the body had one
    QString detail;     // technical detail (server text, Qt error string)
    // Kind::Tls: the certificates the server presented, leaf first, so an app can show their
    // fingerprints (CertificateInfo) and offer to trust one (TlsTrust). Empty otherwise.
    QList<QSslCertificate> peerCertificates;

    static Error make(Kind kind, const QString &message, const QString &detail = {});

    // "message (HTTP 404 MANIFEST_UNKNOWN)" – for logs and CLI output.
    QString toString() const;
    // Stable lower-case name of the kind, used in JSON output.
    static QString kindName(Kind kind);
};

} // namespace wharf
