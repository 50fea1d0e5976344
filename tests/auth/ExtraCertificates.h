#pragma once

#include <QString>
#include <QTemporaryDir>

namespace wharf::test {

class TestCertificates;

// Certificates TestCertificates does not make, made with openssl at test time: server
// certificates for other names (signed by the test CA), self-signed ones, and a client CA with a
// client certificate for registries that require one (http.tls.clientcas).
class ExtraCertificates
{
public:
    ExtraCertificates();

    // <name>.crt / <name>.key signed by ca's key; sans like "IP:127.0.0.3, DNS:other.test".
    bool makeServer(const TestCertificates &ca, const QString &name, const QString &sans,
                    QString *error);
    bool makeSelfSigned(const QString &name, const QString &sans, QString *error);
    // A CA (<caName>.crt/.key) and a client certificate it signs (<name>.crt/.key).
    bool makeClient(const QString &caName, const QString &name, QString *error);

    QString certificate(const QString &name) const { return m_dir.filePath(name + u".crt"); }
    QString key(const QString &name) const { return m_dir.filePath(name + u".key"); }
    QString directory() const { return m_dir.path(); }

private:
    bool openssl(const QStringList &arguments, QString *error);
    bool writeExtensions(const QString &name, const QString &text, QString *error);
    bool signedBy(const QString &caCertificate, const QString &caKey, const QString &name,
                  const QString &extensions, QString *error);

    QTemporaryDir m_dir;
    int m_serial = 100;
};

} // namespace wharf::test
