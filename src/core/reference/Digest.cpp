#include "Digest.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

bool isLowerHex(QStringView s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f')))
            return false;
    }
    return true;
}

// algorithm-component ([a-z0-9]+) separated by one of . + _ -
bool isValidAlgorithm(QStringView s)
{
    bool needAlnum = true;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        const bool alnum = (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9');
        if (alnum) {
            needAlnum = false;
        } else if (!needAlnum && (u == u'.' || u == u'+' || u == u'_' || u == u'-')) {
            needAlnum = true;
        } else {
            return false;
        }
    }
    return !needAlnum;
}

bool isValidEncoded(QStringView s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
              u == u'=' || u == u'_' || u == u'-'))
            return false;
    }
    return !s.isEmpty();
}

} // namespace

// Hand-written rather than regular expressions: every descriptor of every manifest goes
// through here, tens of thousands of times in an inventory.
Expected<Digest> Digest::parse(const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0 || colon == text.size() - 1)
        return Error::make(
            Error::Kind::InvalidInput,
            u"“%1” is not a digest: expected algorithm:hex, e.g. sha256:…"_s.arg(text));
    const QStringView algorithm = QStringView(text).left(colon);
    const QStringView encoded = QStringView(text).mid(colon + 1);
    if (!isValidAlgorithm(algorithm) || !isValidEncoded(encoded))
        return Error::make(Error::Kind::InvalidInput, u"“%1” is not a valid digest"_s.arg(text));
    const bool sha256 = algorithm == u"sha256";
    if (sha256 || algorithm == u"sha512") {
        const int expected = sha256 ? 64 : 128;
        if (encoded.size() != expected || !isLowerHex(encoded))
            return Error::make(Error::Kind::InvalidInput,
                               u"“%1” is not a valid %2 digest: expected %3 lower-case hex digits"_s
                                   .arg(text, algorithm.toString())
                                   .arg(expected));
    }
    Digest d;
    d.m_algorithm = sha256 ? QStringLiteral("sha256") : algorithm.toString();
    d.m_encoded = encoded.toString();
    return d;
}

Digest Digest::sha256Of(const QByteArray &bytes)
{
    Digest d;
    d.m_algorithm = u"sha256"_s;
    d.m_encoded =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    return d;
}

QString Digest::shortForm() const
{
    return m_algorithm + u':' + m_encoded.left(12);
}

bool Digest::canVerify() const
{
    return m_algorithm == u"sha256"_s || m_algorithm == u"sha512"_s;
}

bool Digest::matches(const QByteArray &bytes) const
{
    QCryptographicHash::Algorithm algorithm;
    if (m_algorithm == u"sha256"_s)
        algorithm = QCryptographicHash::Sha256;
    else if (m_algorithm == u"sha512"_s)
        algorithm = QCryptographicHash::Sha512;
    else
        return false;
    return QString::fromLatin1(QCryptographicHash::hash(bytes, algorithm).toHex()) == m_encoded;
}

} // namespace wharf
