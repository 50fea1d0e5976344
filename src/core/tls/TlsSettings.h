#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QStringList>

namespace wharf {

struct RegistryConfig;

// The TLS side of a RegistryConfig, worked out once per client: the system CAs plus the
// registry's own (a CA file, certs.d), the client certificate if any, and whether the user chose
// to skip verification.
class TlsSettings
{
public:
    struct Result
    {
        QSslConfiguration configuration;
        // Identifies these trust settings. Connections may only be reused between requests with
        // the same profile: one made while skipping verification must never carry a request
        // that asked for verification, nor one without a client certificate a request with one.
        QByteArray profile;
        QStringList files;    // certs.d files that were used
        QStringList warnings; // certs.d problems, for the user
    };

    static Result forRegistry(const RegistryConfig &config);
};

} // namespace wharf
