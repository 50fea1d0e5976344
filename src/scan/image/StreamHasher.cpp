#include "StreamHasher.h"

#ifdef WHARF_HAVE_OPENSSL_CRYPTO
#include <openssl/evp.h>
#else
#include <QCryptographicHash>
#endif

namespace wharf::scan {

#ifdef WHARF_HAVE_OPENSSL_CRYPTO
struct StreamHasher::Impl
{
    EVP_MD_CTX *ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

StreamHasher::StreamHasher(Algorithm algorithm)
    : m_algorithm(algorithm)
    , m_impl(std::make_unique<Impl>())
{
    m_impl->ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m_impl->ctx, algorithm == Algorithm::Sha512 ? EVP_sha512() : EVP_sha256(),
                      nullptr);
}

void StreamHasher::addData(const char *data, qsizetype size)
{
    if (size > 0)
        EVP_DigestUpdate(m_impl->ctx, data, size_t(size));
}

QString StreamHasher::finish()
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_impl->ctx, md, &len);
    const QByteArray raw(reinterpret_cast<const char *>(md), int(len));
    return algorithmName(m_algorithm) + u':' + QString::fromLatin1(raw.toHex());
}

bool StreamHasher::usesOpenSsl()
{
    return true;
}
#else
struct StreamHasher::Impl
{
    explicit Impl(QCryptographicHash::Algorithm a)
        : hash(a)
    {}
    QCryptographicHash hash;
};

StreamHasher::StreamHasher(Algorithm algorithm)
    : m_algorithm(algorithm)
    , m_impl(std::make_unique<Impl>(algorithm == Algorithm::Sha512 ? QCryptographicHash::Sha512
                                                                   : QCryptographicHash::Sha256))
{}

void StreamHasher::addData(const char *data, qsizetype size)
{
    if (size > 0)
        m_impl->hash.addData(QByteArrayView(data, size));
}

QString StreamHasher::finish()
{
    return algorithmName(m_algorithm) + u':' + QString::fromLatin1(m_impl->hash.result().toHex());
}

bool StreamHasher::usesOpenSsl()
{
    return false;
}
#endif

StreamHasher::~StreamHasher() = default;

std::optional<StreamHasher::Algorithm> StreamHasher::algorithmOf(const QString &digest)
{
    if (digest.startsWith(u"sha256:"))
        return Algorithm::Sha256;
    if (digest.startsWith(u"sha512:"))
        return Algorithm::Sha512;
    return std::nullopt;
}

QString StreamHasher::algorithmName(Algorithm algorithm)
{
    return algorithm == Algorithm::Sha512 ? QStringLiteral("sha512") : QStringLiteral("sha256");
}

} // namespace wharf::scan
