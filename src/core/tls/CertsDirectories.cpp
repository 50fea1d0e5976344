#include "CertsDirectories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr qint64 MaxPemBytes = 1024 * 1024;

std::optional<QByteArray> readSmallFile(const QString &path, QStringList *problems)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problems << u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > MaxPemBytes) {
        *problems << u"%1 is too large to be a certificate"_s.arg(path);
        return std::nullopt;
    }
    return file.readAll();
}

} // namespace

QStringList CertsDirectories::roots()
{
    const QString configured = qEnvironmentVariable("WHARF_CERTS_D_DIRS");
    if (!configured.isNull())
        return configured.split(u':', Qt::SkipEmptyParts);
    QStringList out{u"/etc/docker/certs.d"_s, u"/etc/containers/certs.d"_s};
    const QString home = QDir::homePath();
    if (!home.isEmpty())
        out << home + u"/.config/containers/certs.d"_s;
    return out;
}

QStringList CertsDirectories::directoryNames(const QUrl &registryUrl)
{
    const QString host = registryUrl.host().toLower();
    if (host.isEmpty())
        return {};
    QStringList names;
    const int port = registryUrl.port();
    if (port > 0)
        names << host + u':' + QString::number(port);
    if (port <= 0 || port == 443)
        names << host;
    return names;
}

QSslKey CertsDirectories::readPrivateKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

CertsDirectories::Material CertsDirectories::load(const QUrl &registryUrl, const QStringList &roots)
{
    Material material;
    const QStringList names = directoryNames(registryUrl);
    for (const QString &root : roots) {
        for (const QString &name : names) {
            const QDir dir(root + u'/' + name);
            if (!dir.exists())
                continue;
            const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            for (const QFileInfo &file : files) {
                const QString path = file.absoluteFilePath();
                const QString suffix = file.suffix();
                if (suffix == u"crt"_s) {
                    const auto pem = readSmallFile(path, &material.problems);
                    if (!pem)
                        continue;
                    const QList<QSslCertificate> cas = QSslCertificate::fromData(*pem, QSsl::Pem);
                    if (cas.isEmpty()) {
                        material.problems << u"%1 holds no PEM certificate"_s.arg(path);
                        continue;
                    }
                    material.caCertificates << cas;
                    material.files << path;
                } else if (suffix == u"cert"_s) {
                    // docker pairs <name>.cert with <name>.key and refuses a lone half.
                    const QString keyPath = dir.filePath(file.completeBaseName() + u".key"_s);
                    if (!QFileInfo::exists(keyPath)) {
                        material.problems
                            << u"client certificate %1 has no matching key %2; ignored"_s.arg(
                                   path, keyPath);
                        continue;
                    }
                    if (!material.clientCertificate.isNull()) {
                        material.problems
                            << u"more than one client certificate for %1; using %2, ignoring %3"_s
                                   .arg(name, material.clientCertificateFile, path);
                        continue;
                    }
                    const auto certPem = readSmallFile(path, &material.problems);
                    const auto keyPem = readSmallFile(keyPath, &material.problems);
                    if (!certPem || !keyPem)
                        continue;
                    const QList<QSslCertificate> certs =
                        QSslCertificate::fromData(*certPem, QSsl::Pem);
                    const QSslKey key = readPrivateKey(*keyPem);
                    if (certs.isEmpty() || key.isNull()) {
                        material.problems
                            << u"cannot use client certificate %1 with key %2 (not PEM, or an "
                               u"encrypted key)"_s.arg(path, keyPath);
                        continue;
                    }
                    material.clientCertificate = certs.first();
                    material.clientKey = key;
                    material.clientCertificateFile = path;
                    material.files << path << keyPath;
                } else if (suffix == u"key"_s) {
                    const QString certPath = dir.filePath(file.completeBaseName() + u".cert"_s);
                    if (!QFileInfo::exists(certPath))
                        material.problems
                            << u"key %1 has no matching client certificate %2; ignored"_s.arg(
                                   path, certPath);
                }
            }
        }
    }
    return material;
}

} // namespace wharf
