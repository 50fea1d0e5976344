#include "ApkVersion.h"

#include "VersionText.h"

#include <array>

namespace wharf::scan {

using namespace versiontext;

namespace {

// Declaration order is the ordering apk gives to kinds of components.
enum class Kind {
    InitialDigits,
    Digits,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
    End,
    Invalid
};

// Rank 5 is the plain release: ranks below it are pre-releases.
constexpr int kReleaseRank = 5;

struct Component
{
    Kind kind = Kind::Invalid;
    QStringView text;
    int suffixRank = 0;
};

int suffixRank(QStringView word)
{
    struct Entry
    {
        const char16_t *name;
        int rank;
    };
    static constexpr std::array<Entry, 9> kSuffixes{{{u"alpha", 1},
                                                     {u"beta", 2},
                                                     {u"pre", 3},
                                                     {u"rc", 4},
                                                     {u"cvs", 6},
                                                     {u"svn", 7},
                                                     {u"git", 8},
                                                     {u"hg", 9},
                                                     {u"p", 10}}};
    for (const Entry &entry : kSuffixes) {
        if (word == QStringView(entry.name))
            return entry.rank;
    }
    return 0;
}

bool isLower(QChar c)
{
    return c.unicode() >= u'a' && c.unicode() <= u'z';
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return isDigit(c) || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
}

// Splits a version into components one at a time, enforcing which kind may follow which.
class Tokenizer
{
public:
    explicit Tokenizer(QStringView version)
        : m_text(version)
    {
        m_current.kind = Kind::InitialDigits;
        m_current.text = takeWhile(isDigit);
        if (m_current.text.isEmpty())
            m_current.kind = Kind::Invalid;
    }

    const Component &current() const { return m_current; }

    void advance()
    {
        if (m_current.kind == Kind::End || m_current.kind == Kind::Invalid)
            return;
        const Kind previous = m_current.kind;
        m_current = Component{};
        if (m_pos >= m_text.size()) {
            m_current.kind = Kind::End;
            return;
        }
        const QChar c = m_text[m_pos];
        if (isLower(c)) {
            if (previous > Kind::Digits)
                return;
            m_current.kind = Kind::Letter;
            m_current.text = m_text.sliced(m_pos, 1);
            ++m_pos;
        } else if (c == u'.' || isDigit(c)) {
            if (c == u'.') {
                if (previous > Kind::Digits)
                    return;
                ++m_pos;
            }
            if (previous == Kind::InitialDigits || previous == Kind::Digits)
                m_current.kind = Kind::Digits;
            else if (previous == Kind::Suffix)
                m_current.kind = Kind::SuffixNumber;
            else
                return;
            m_current.text = takeWhile(isDigit);
            if (m_current.text.isEmpty())
                m_current.kind = Kind::Invalid;
        } else if (c == u'_') {
            if (previous > Kind::SuffixNumber)
                return;
            ++m_pos;
            m_current.text = takeWhile(isLower);
            m_current.suffixRank = suffixRank(m_current.text);
            if (m_current.suffixRank != 0)
                m_current.kind = Kind::Suffix;
        } else if (c == u'~') {
            if (previous >= Kind::CommitHash)
                return;
            ++m_pos;
            m_current.text = takeWhile(isHexDigit);
            if (!m_current.text.isEmpty())
                m_current.kind = Kind::CommitHash;
        } else if (c == u'-') {
            if (previous >= Kind::Revision || m_pos + 1 >= m_text.size() ||
                m_text[m_pos + 1] != u'r')
                return;
            m_pos += 2;
            m_current.text = takeWhile(isDigit);
            if (!m_current.text.isEmpty())
                m_current.kind = Kind::Revision;
        }
    }

private:
    QStringView takeWhile(bool (*predicate)(QChar))
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && predicate(m_text[m_pos]))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    Component m_current;
};

int compareSameKind(const Component &a, const Component &b)
{
    switch (a.kind) {
    case Kind::Digits:
        if (a.text.front() == u'0' || b.text.front() == u'0')
            return sign(a.text.compare(b.text));
        return compareDigitRuns(a.text, b.text);
    case Kind::InitialDigits:
    case Kind::SuffixNumber:
    case Kind::Revision:
        return compareDigitRuns(a.text, b.text);
    case Kind::Letter:
        return sign(int(a.text.front().unicode()) - int(b.text.front().unicode()));
    case Kind::Suffix:
        return sign(a.suffixRank - b.suffixRank);
    case Kind::CommitHash:
        return sign(a.text.compare(b.text));
    case Kind::End:
    case Kind::Invalid:
        return 0;
    }
    return 0;
}

} // namespace

bool ApkVersion::isValid(QStringView version)
{
    Tokenizer tokens(version);
    while (tokens.current().kind != Kind::End && tokens.current().kind != Kind::Invalid)
        tokens.advance();
    return tokens.current().kind == Kind::End;
}

int ApkVersion::compare(QStringView a, QStringView b)
{
    if (!isValid(a) || !isValid(b))
        return sign(a.compare(b));

    Tokenizer ta(a);
    Tokenizer tb(b);
    while (ta.current().kind == tb.current().kind && ta.current().kind != Kind::End) {
        if (const int c = compareSameKind(ta.current(), tb.current()))
            return c;
        ta.advance();
        tb.advance();
    }
    const Component &ca = ta.current();
    const Component &cb = tb.current();
    if (ca.kind == cb.kind)
        return 0;
    if (ca.kind == Kind::Suffix && ca.suffixRank < kReleaseRank)
        return -1;
    if (cb.kind == Kind::Suffix && cb.suffixRank < kReleaseRank)
        return 1;
    return ca.kind > cb.kind ? -1 : 1;
}

} // namespace wharf::scan
