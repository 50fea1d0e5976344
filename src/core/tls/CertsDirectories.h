#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

namespace wharf {

// The per-registry certificate directories docker and podman read, so a registry set up for
// them works here without further steps: <root>/<host:port>/*.crt are extra CAs to trust and
// <name>.cert with <name>.key a client certificate. Roots: /etc/docker/certs.d,
// /etc/containers/certs.d and ~/.config/containers/certs.d, or the ':'-separated list in
// WHARF_CERTS_D_DIRS (tests, unusual setups).
class CertsDirectories
{
public:
    struct Material
    {
        QList<QSslCertificate> caCertificates;
        QSslCertificate clientCertificate;
        QSslKey clientKey;
        QString clientCertificateFile;
        QStringList files;    // everything that was read, for "where did this come from"
        QStringList problems; // unreadable files, a .cert without its .key, ... (never fatal)

        bool isEmpty() const { return caCertificates.isEmpty() && clientCertificate.isNull(); }
    };

    static QStringList roots();
    // Directory names that may hold material for this registry: "host:port", and "host" when the
    // URL uses the default port.
    static QStringList directoryNames(const QUrl &registryUrl);
    static Material load(const QUrl &registryUrl,
                         const QStringList &roots = CertsDirectories::roots());
    // A PEM private key of any algorithm Qt knows (RSA, EC, DSA); null when none fits.
    static QSslKey readPrivateKey(const QByteArray &pem);
};

} // namespace wharf
