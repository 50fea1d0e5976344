#include "Digest.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf {

Expected<Digest> Digest::parse(const QString &text)
{
    static const QRegularExpression algorithmRe(u"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*$"_s);
    static const QRegularExpression encodedRe(u"^[a-zA-Z0-9=_-]+$"_s);
    static const QRegularExpression hexRe(u"^[a-f0-9]+$"_s);

    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0 || colon == text.size() - 1)
        return Error::make(
            Error::Kind::InvalidInput,
            u"“%1” is not a digest: expected algorithm:hex, e.g. sha256:…"_s.arg(text));
    Digest d;
    d.m_algorithm = text.left(colon);
    d.m_encoded = text.mid(colon + 1);
    if (!algorithmRe.match(d.m_algorithm).hasMatch() || !encodedRe.match(d.m_encoded).hasMatch())
        return Error::make(Error::Kind::InvalidInput, u"“%1” is not a valid digest"_s.arg(text));
    if (d.m_algorithm == u"sha256"_s || d.m_algorithm == u"sha512"_s) {
        const int expected = d.m_algorithm == u"sha256"_s ? 64 : 128;
        if (d.m_encoded.size() != expected || !hexRe.match(d.m_encoded).hasMatch())
            return Error::make(Error::Kind::InvalidInput,
                               u"“%1” is not a valid %2 digest: expected %3 lower-case hex digits"_s
                                   .arg(text, d.m_algorithm)
                                   .arg(expected));
    }
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
