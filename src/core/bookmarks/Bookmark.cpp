#include "Bookmark.h"

#include <QFile>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace wharf {

RegistryConfig Bookmark::toConfig() const
{
    RegistryConfig config;
    config.url = url;
    config.skipTlsVerify = skipTlsVerify;
    if (authMode == AuthMode::Password)
        config.credentials.username = username;
    if (!caCertificateFile.isEmpty())
        config.caCertificates = QSslCertificate::fromPath(caCertificateFile, QSsl::Pem);
    return config;
}

QString Bookmark::authModeName(AuthMode mode)
{
    return mode == AuthMode::Password ? u"password"_s : u"none"_s;
}

Bookmark::AuthMode Bookmark::authModeFromName(const QString &name)
{
    return name == u"password"_s ? AuthMode::Password : AuthMode::None;
}

} // namespace wharf
