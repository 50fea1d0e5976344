#pragma once

#include "Expected.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace wharf {

// A content digest "algorithm:encoded" as used by OCI (sha256, sha512).
class Digest
{
public:
    Digest() = default;

    static Expected<Digest> parse(const QString &text);
    static Digest sha256Of(const QByteArray &bytes);
    static bool looksLikeDigest(const QString &text) { return text.contains(u':'); }

    bool isValid() const { return !m_algorithm.isEmpty(); }
    QString algorithm() const { return m_algorithm; }
    QString encoded() const { return m_encoded; }
    QString toString() const { return m_algorithm + u':' + m_encoded; }
    // "sha256:0123456789ab" – enough to tell digests apart in a table.
    QString shortForm() const;

    // True when bytes hash to this digest (algorithms Wharf can compute: sha256, sha512).
    bool matches(const QByteArray &bytes) const;
    bool canVerify() const;

    friend bool operator==(const Digest &a, const Digest &b) = default;

private:
    QString m_algorithm;
    QString m_encoded;
};

inline size_t qHash(const Digest &d, size_t seed = 0)
{
    return qHash(d.encoded(), seed);
}

} // namespace wharf
