#pragma once

#include "credentials/Credentials.h"

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

namespace wharf {

// How to reach one registry. Shared by the CLI (from options) and the app (from a bookmark).
struct RegistryConfig
{
    QUrl url; // http(s)://host[:port]
    Credentials credentials;
    bool skipTlsVerify = false;            // explicit, visibly marked choice
    QList<QSslCertificate> caCertificates; // trusted in addition to the system store
    QSslCertificate clientCertificate;     // takes precedence over one found in certs.d
    QSslKey clientKey;
    // Also use /etc/docker/certs.d/<host:port>/ and containers' certs.d (extra CAs, a client
    // certificate), as docker and podman do; see CertsDirectories.
    bool useCertsDirectories = true;
    int maxInFlight = 48;
    int catalogPageSize = 1000; // the API refuses more than 1000
    int transferTimeoutMs = 30000;
    bool useCache = true;

    // "host:port" as used in image references and credential stores.
    QString hostPort() const
    {
        return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    }
};

} // namespace wharf
