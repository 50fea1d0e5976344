#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace wharf {

// One challenge from a WWW-Authenticate header (RFC 7235): a scheme and its parameters.
// Registries send Basic realm="…" or Bearer realm="…",service="…",scope="…"[,error="…"].
struct AuthChallenge
{
    QString scheme;                // lower case: "basic", "bearer"
    QMap<QString, QString> params; // keys lower case, values unquoted

    bool isBasic() const { return scheme == u"basic"; }
    bool isBearer() const { return scheme == u"bearer"; }
    QString realm() const { return params.value(QStringLiteral("realm")); }
    QString service() const { return params.value(QStringLiteral("service")); }
    QString error() const { return params.value(QStringLiteral("error")); }
    // Several scopes arrive as one space-separated value.
    QStringList scopes() const;

    // Every challenge in a header value; several headers may be joined by ", " or "\n".
    static QList<AuthChallenge> parse(const QByteArray &headerValue);
};

} // namespace wharf
