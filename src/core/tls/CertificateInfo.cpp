#include "CertificateInfo.h"

#include <QSslCertificateExtension>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    // Most specific first, as people read them: CN, then organisation, then country.
    static const QList<std::pair<QSslCertificate::SubjectInfo, QString>> fields{
        {QSslCertificate::CommonName, u"CN"_s},
        {QSslCertificate::OrganizationalUnitName, u"OU"_s},
        {QSslCertificate::Organization, u"O"_s},
        {QSslCertificate::LocalityName, u"L"_s},
        {QSslCertificate::StateOrProvinceName, u"ST"_s},
        {QSslCertificate::CountryName, u"C"_s},
    };
    QStringList parts;
    for (const auto &[field, label] : fields) {
        const QStringList values =
            issuer ? certificate.issuerInfo(field) : certificate.subjectInfo(field);
        for (const QString &value : values)
            parts << label + u'=' + value;
    }
    return parts.join(u", "_s);
}

QString isoDate(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd"_s) : u"?"_s;
}

} // namespace

QString CertificateInfo::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

CertificateInfo CertificateInfo::from(const QSslCertificate &certificate)
{
    CertificateInfo info;
    if (certificate.isNull())
        return info;
    info.subject = distinguishedName(certificate, false);
    info.issuer = distinguishedName(certificate, true);
    info.sha256Fingerprint = fingerprint(certificate);
    info.notBefore = certificate.effectiveDate();
    info.notAfter = certificate.expiryDate();
    info.selfSigned = certificate.isSelfSigned();
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it) {
        if (it.key() == QSsl::DnsEntry || it.key() == QSsl::IpAddressEntry)
            info.names << it.value();
    }
    const QList<QSslCertificateExtension> extensions = certificate.extensions();
    for (const QSslCertificateExtension &extension : extensions) {
        if (extension.name() == u"basicConstraints"_s)
            info.certificateAuthority = extension.value().toMap().value(u"ca"_s).toBool();
    }
    return info;
}

QList<CertificateInfo> CertificateInfo::from(const QList<QSslCertificate> &chain)
{
    QList<CertificateInfo> out;
    out.reserve(chain.size());
    for (const QSslCertificate &certificate : chain)
        out << from(certificate);
    return out;
}

bool CertificateInfo::isExpired(const QDateTime &now) const
{
    return notAfter.isValid() && notAfter < now;
}

QString CertificateInfo::summary() const
{
    return u"subject %1; issuer %2; valid %3 to %4; SHA-256 %5"_s.arg(
        subject.isEmpty() ? u"(none)"_s : subject, issuer.isEmpty() ? u"(none)"_s : issuer,
        isoDate(notBefore), isoDate(notAfter), sha256Fingerprint);
}

} // namespace wharf
