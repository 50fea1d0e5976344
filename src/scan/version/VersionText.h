#pragma once

// Character and digit-run helpers shared by the version comparators. Versions are compared on
// ASCII rules only: a non-ASCII character is never a digit or a letter here.

#include <QStringView>

namespace wharf::scan::versiontext {

inline bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

inline bool isAlpha(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
}

inline bool isAlnum(QChar c)
{
    return isDigit(c) || isAlpha(c);
}

inline bool isAllDigits(QStringView s)
{
    for (const QChar c : s) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

inline int sign(int v)
{
    return (v > 0) - (v < 0);
}

// Numeric order of two runs of decimal digits of any length (no overflow): leading zeros are
// dropped, then the longer number is the larger one, then the digits decide. An empty run is 0.
inline int compareDigitRuns(QStringView a, QStringView b)
{
    while (!a.isEmpty() && a.front() == u'0')
        a = a.sliced(1);
    while (!b.isEmpty() && b.front() == u'0')
        b = b.sliced(1);
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return sign(a.compare(b));
}

} // namespace wharf::scan::versiontext
