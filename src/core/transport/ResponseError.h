#pragma once

#include "Error.h"
#include "HttpMessage.h"

namespace wharf {

// Turns a failed exchange into an Error a person can act on: transport failures (refused,
// timeout, TLS) and HTTP answers, reading the registry's JSON error body when there is one
// (it may be anything, or absent for HEAD). `what` names the thing asked for ("the tag list of
// library/nginx") and is woven into the message.
class ResponseError
{
public:
    static Error from(const HttpResponse &response, const QString &what);

    // First registry error in a JSON body {"errors":[{"code","message","detail"}]}.
    struct RegistryErrorBody
    {
        QString code;
        QString message;
        QString detail;
    };
    static QList<RegistryErrorBody> parseBody(const QByteArray &body);

    static Error fromTransport(const HttpResponse &response, const QString &what);
    static QString describeTls(const QList<QSslError> &errors);
};

} // namespace wharf
