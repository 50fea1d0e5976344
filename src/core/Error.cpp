#include "Error.h"

using namespace Qt::StringLiterals;

namespace wharf {

Error Error::make(Kind kind, const QString &message, const QString &detail)
{
    Error e;
    e.kind = kind;
    e.message = message;
    e.detail = detail;
    return e;
}

QString Error::toString() const
{
    QString text = message;
    QStringList extras;
    if (httpStatus > 0)
        extras << u"HTTP %1"_s.arg(httpStatus);
    if (!code.isEmpty())
        extras << code;
    if (!extras.isEmpty())
        text += u" ("_s + extras.join(u' ') + u')';
    return text;
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::InvalidInput:
        return u"invalid-input"_s;
    case Kind::ConnectionRefused:
        return u"connection-refused"_s;
    case Kind::HostNotFound:
        return u"host-not-found"_s;
    case Kind::Timeout:
        return u"timeout"_s;
    case Kind::Tls:
        return u"tls"_s;
    case Kind::Network:
        return u"network"_s;
    case Kind::Unauthorized:
        return u"unauthorized"_s;
    case Kind::Forbidden:
        return u"forbidden"_s;
    case Kind::NotFound:
        return u"not-found"_s;
    case Kind::DeleteDisabled:
        return u"delete-disabled"_s;
    case Kind::Unsupported:
        return u"unsupported"_s;
    case Kind::TooManyRequests:
        return u"too-many-requests"_s;
    case Kind::ServerError:
        return u"server-error"_s;
    case Kind::HttpError:
        return u"http-error"_s;
    case Kind::Protocol:
        return u"protocol"_s;
    case Kind::DigestMismatch:
        return u"digest-mismatch"_s;
    case Kind::TooLarge:
        return u"too-large"_s;
    case Kind::Cancelled:
        return u"cancelled"_s;
    case Kind::Io:
        return u"io"_s;
    }
    return u"unknown"_s;
}

} // namespace wharf
