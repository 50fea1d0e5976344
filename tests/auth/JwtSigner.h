#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

struct evp_pkey_st;

namespace wharf::test {

// Signs JSON Web Tokens the way distribution's token auth expects them: RS256 with the signing
// certificate in the header's x5c, verified by the registry against its rootcertbundle. The RSA
// key and self-signed certificate are made by `openssl req` at test time, never committed;
// signing uses libcrypto and is thread-safe.
class JwtSigner
{
public:
    JwtSigner();
    ~JwtSigner();
    JwtSigner(const JwtSigner &) = delete;
    JwtSigner &operator=(const JwtSigner &) = delete;

    bool generate(QString *error);
    // PEM certificate to put in the registry's rootcertbundle.
    QString certificatePath() const;
    // header.claims.signature; the header gets typ, alg and x5c.
    QByteArray sign(const QJsonObject &claims) const;

    static QByteArray base64Url(const QByteArray &bytes);

private:
    QTemporaryDir m_dir;
    QByteArray m_certificateDerBase64;
    evp_pkey_st *m_key = nullptr;
};

} // namespace wharf::test
