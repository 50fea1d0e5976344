#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace wharf::scan {

// Incremental content digest for OCI "algorithm:hex" strings. Uses OpenSSL's libcrypto when
// the build found it: QCryptographicHash's portable SHA-256 runs at ~160 MB/s here, libcrypto
// (SHA-NI) at ~1.7 GB/s, and layers are hashed twice (compressed and uncompressed).
class StreamHasher
{
public:
    enum class Algorithm { Sha256, Sha512 };

    explicit StreamHasher(Algorithm algorithm = Algorithm::Sha256);
    ~StreamHasher();
    StreamHasher(const StreamHasher &) = delete;
    StreamHasher &operator=(const StreamHasher &) = delete;

    void addData(const char *data, qsizetype size);
    // "sha256:<lower-case hex>"; call once, after the last addData().
    QString finish();

    Algorithm algorithm() const { return m_algorithm; }

    // Algorithm named by the prefix of a digest string ("sha256:..."), if Wharf can compute it.
    static std::optional<Algorithm> algorithmOf(const QString &digest);
    static QString algorithmName(Algorithm algorithm);
    // True when the build hashes through libcrypto (reported by the benchmark).
    static bool usesOpenSsl();

private:
    struct Impl;
    Algorithm m_algorithm;
    std::unique_ptr<Impl> m_impl;
};

} // namespace wharf::scan
