#include "TlsSettings.h"

#include "CertsDirectories.h"
#include "client/RegistryConfig.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace wharf {

TlsSettings::Result TlsSettings::forRegistry(const RegistryConfig &config)
{
    Result result;
    QList<QSslCertificate> cas = config.caCertificates;
    QSslCertificate clientCertificate = config.clientCertificate;
    QSslKey clientKey = config.clientKey;
    // certs.d belongs to HTTPS registries; a plain-http one has nothing to read there.
    if (config.useCertsDirectories && config.url.scheme() == u"https"_s) {
        CertsDirectories::Material material = CertsDirectories::load(config.url);
        cas << material.caCertificates;
        if (clientCertificate.isNull() && !material.clientCertificate.isNull()) {
            clientCertificate = material.clientCertificate;
            clientKey = material.clientKey;
        }
        result.files = material.files;
        for (const QString &problem : std::as_const(material.problems))
            result.warnings << u"certs.d: "_s + problem;
    }

    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (!cas.isEmpty())
        ssl.addCaCertificates(cas);
    if (!clientCertificate.isNull()) {
        ssl.setLocalCertificate(clientCertificate);
        ssl.setPrivateKey(clientKey);
    }
    if (config.skipTlsVerify)
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    result.configuration = ssl;

    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(config.skipTlsVerify ? QByteArrayView("insecure") : QByteArrayView("verify"));
    for (const QSslCertificate &ca : std::as_const(cas))
        hash.addData(ca.digest(QCryptographicHash::Sha256));
    hash.addData(QByteArrayView("client"));
    if (!clientCertificate.isNull())
        hash.addData(clientCertificate.digest(QCryptographicHash::Sha256));
    result.profile = hash.result().toHex().left(16);
    return result;
}

} // namespace wharf
