#pragma once

#include <QString>
#include <QStringList>

namespace wharf::test {

// How a TestRegistry is configured. Defaults: plain HTTP, anonymous, delete enabled.
struct RegistryOptions
{
    // storage.delete.enabled; false makes DELETE answer 405 UNSUPPORTED.
    bool deleteEnabled = true;
    // storage.maintenance.readonly; DELETE and pushes answer 405.
    bool readOnly = false;

    // Basic auth through a bcrypt htpasswd file, when username is not empty.
    QString username;
    QString password;
    QString basicRealm = QStringLiteral("wharf-test");

    // Token (Bearer) auth, when tokenRealm is not empty. rootCertBundle must exist: the
    // registry reads it at start-up.
    QString tokenRealm;
    QString tokenService;
    QString tokenIssuer;
    QString tokenRootCertBundle;

    // http.tls, when both are set: the registry serves HTTPS.
    QString tlsCertificate;
    QString tlsKey;

    // First port to try; 0 = pick a free one. If it is taken, start() moves on to free ports.
    quint16 port = 0;

    // Existing storage root (restart on the same data); empty = fresh directory per registry.
    QString storageDir;

    // log.level of the registry ("error", "warn", "info", "debug").
    QString logLevel = QStringLiteral("warn");

    // Appended verbatim to config.yml: top-level sections not covered above (notifications,
    // validation, proxy, ...). Must not repeat a section written here (storage, http, auth, log).
    QStringList extraYaml;

    // Overall time allowed for GET /v2/ to answer after the process started.
    int startTimeoutMs = 20000;
};

} // namespace wharf::test
