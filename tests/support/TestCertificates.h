#pragma once

#include <QString>
#include <QTemporaryDir>

namespace wharf::test {

// Certificates generated with openssl at test time (never committed): a CA, a server
// certificate for 127.0.0.1 / localhost signed by it, and an expired one signed by the same CA.
// All keys are EC P-256 in PEM; files live in a temporary directory owned by this object.
class TestCertificates
{
public:
    TestCertificates();

    bool generate(QString *error);

    QString directory() const { return m_dir.path(); }
    QString caCertificatePath() const;
    QString caKeyPath() const;
    QString serverCertificatePath() const; // SAN IP:127.0.0.1, DNS:localhost; valid 825 days
    QString serverKeyPath() const;
    QString expiredCertificatePath() const; // same SANs, valid only during January 2020
    QString expiredKeyPath() const;
    // A directory holding only ca.crt: what skopeo --cert-dir and /etc/docker/certs.d expect.
    QString caCertDir() const;

private:
    bool run(const QStringList &arguments, QString *error);
    QString file(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_openssl;
};

} // namespace wharf::test
