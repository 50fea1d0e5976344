#pragma once

#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace wharf {

// What a person needs to decide whether to trust a certificate: whom it names, who signed it,
// when it is valid, and the SHA-256 fingerprint to compare with one obtained out of band.
struct CertificateInfo
{
    QString subject;           // "CN=registry.example, O=Example"
    QString issuer;            // the signer's subject
    QString sha256Fingerprint; // "AB:CD:…", 32 colon-separated bytes in upper case
    QDateTime notBefore;
    QDateTime notAfter;
    QStringList names; // DNS names and IP addresses it is valid for (subjectAltName)
    bool selfSigned = false;
    bool certificateAuthority = false; // basicConstraints CA:TRUE

    static CertificateInfo from(const QSslCertificate &certificate);
    static QList<CertificateInfo> from(const QList<QSslCertificate> &chain);
    static QString fingerprint(const QSslCertificate &certificate);
    bool isExpired(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // "subject CN=x; issuer CN=y; valid 2024-01-01 to 2026-01-01; SHA-256 AB:CD:…"
    QString summary() const;
};

} // namespace wharf
