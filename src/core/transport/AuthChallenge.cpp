#include "AuthChallenge.h"

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

// RFC 7230 tchar
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

class Cursor
{
public:
    explicit Cursor(const QByteArray &text)
        : m_text(text)
    {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_pos); }
    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }
    void skipSeparators()
    {
        while (!atEnd() && (peek() == ',' || peek() == ' ' || peek() == '\t' || peek() == '\n' ||
                            peek() == '\r'))
            ++m_pos;
    }
    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    QByteArray untilSeparator()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && peek() != ',' && peek() != ' ' && peek() != '\t' && peek() != '\n' &&
               peek() != '\r')
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    // Reads a quoted-string, honouring backslash escapes; an unterminated one ends at the end.
    QByteArray quoted()
    {
        QByteArray out;
        ++m_pos; // opening quote
        while (!atEnd()) {
            const char c = m_text.at(m_pos++);
            if (c == '\\' && !atEnd()) {
                out += m_text.at(m_pos++);
            } else if (c == '"') {
                break;
            } else {
                out += c;
            }
        }
        return out;
    }
    qsizetype position() const { return m_pos; }
    void setPosition(qsizetype p) { m_pos = p; }

private:
    QByteArray m_text;
    qsizetype m_pos = 0;
};

} // namespace

QStringList AuthChallenge::scopes() const
{
    return params.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
}

QList<AuthChallenge> AuthChallenge::parse(const QByteArray &headerValue)
{
    QList<AuthChallenge> challenges;
    Cursor c(headerValue);
    c.skipSeparators();
    while (!c.atEnd()) {
        const QByteArray scheme = c.token();
        if (scheme.isEmpty()) {
            // Not a token where a scheme should be: skip one character and resynchronise.
            c.setPosition(c.position() + 1);
            c.skipSeparators();
            continue;
        }
        AuthChallenge challenge;
        challenge.scheme = QString::fromLatin1(scheme).toLower();
        // auth-params: name = (token | quoted-string), comma separated. A token that is not
        // followed by '=' starts the next challenge.
        while (true) {
            c.skipSeparators();
            if (c.atEnd())
                break;
            const qsizetype paramStart = c.position();
            const QByteArray name = c.token();
            c.skipSpace();
            if (name.isEmpty() || c.peek() != '=') {
                c.setPosition(paramStart);
                break;
            }
            c.setPosition(c.position() + 1); // '='
            c.skipSpace();
            QByteArray value;
            if (c.peek() == '"') {
                value = c.quoted();
            } else {
                // A token (or token68 with '=' padding); be lenient like the docker client and
                // read up to the next separator, so an unquoted realm URL survives.
                value = c.untilSeparator();
            }
            challenge.params.insert(QString::fromLatin1(name).toLower(), QString::fromUtf8(value));
        }
        challenges << challenge;
    }
    return challenges;
}

} // namespace wharf
