#include "JwtSigner.h"

#include "CommandRunner.h"
#include "TestRegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslCertificate>

#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace wharf::test {

JwtSigner::JwtSigner()
    : m_dir(QDir::temp().filePath(u"wharf-jwt-XXXXXX"_s))
{}

JwtSigner::~JwtSigner()
{
    EVP_PKEY_free(m_key);
}

QString JwtSigner::certificatePath() const
{
    return m_dir.filePath(u"token-signer.crt"_s);
}

QByteArray JwtSigner::base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool JwtSigner::generate(QString *error)
{
    const QString openssl = TestRegistry::findExecutable(u"openssl"_s, error);
    if (openssl.isEmpty())
        return false;
    const QString keyPath = m_dir.filePath(u"token-signer.key"_s);
    CommandRunner::Command command;
    command.program = openssl;
    command.arguments = {u"req"_s,
                         u"-x509"_s,
                         u"-newkey"_s,
                         u"rsa:2048"_s,
                         u"-nodes"_s,
                         u"-keyout"_s,
                         keyPath,
                         u"-out"_s,
                         certificatePath(),
                         u"-days"_s,
                         u"2"_s,
                         u"-subj"_s,
                         u"/CN=Wharf test token signer"_s};
    command.timeoutMs = 60000;
    const CommandRunner::Result result = CommandRunner::run(command);
    if (!result.succeeded()) {
        *error = CommandRunner::describe(command, result);
        return false;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certificatePath());
    if (certificates.isEmpty()) {
        *error = u"openssl wrote no certificate to "_s + certificatePath();
        return false;
    }
    m_certificateDerBase64 = certificates.first().toDer().toBase64();
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read "_s + keyPath;
        return false;
    }
    const QByteArray pem = keyFile.readAll();
    BIO *bio = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
    m_key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!m_key) {
        *error = u"libcrypto cannot read the key openssl made"_s;
        return false;
    }
    return true;
}

QByteArray JwtSigner::sign(const QJsonObject &claims) const
{
    const QJsonObject header{{u"typ"_s, u"JWT"_s},
                             {u"alg"_s, u"RS256"_s},
                             {u"x5c"_s, QJsonArray{QString::fromLatin1(m_certificateDerBase64)}}};
    const QByteArray signingInput =
        base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    QByteArray signature;
    size_t length = 0;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       static_cast<size_t>(signingInput.size())) == 1) {
        signature.resize(static_cast<qsizetype>(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
                           reinterpret_cast<const unsigned char *>(signingInput.constData()),
                           static_cast<size_t>(signingInput.size())) != 1)
            signature.clear();
        signature.resize(static_cast<qsizetype>(length));
    }
    EVP_MD_CTX_free(ctx);
    return signingInput + '.' + base64Url(signature);
}

} // namespace wharf::test
