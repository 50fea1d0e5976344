#include "TagOrder.h"

#include <algorithm>

namespace wharf {

namespace {

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// Compares two digit runs numerically without overflow: strip zeros, then length, then digits.
int compareNumbers(QStringView a, QStringView b)
{
    auto stripZeros = [](QStringView s) {
        qsizetype i = 0;
        while (i + 1 < s.size() && s.at(i) == u'0')
            ++i;
        return s.mid(i);
    };
    const QStringView x = stripZeros(a);
    const QStringView y = stripZeros(b);
    if (x.size() != y.size())
        return x.size() < y.size() ? -1 : 1;
    const int c = x.compare(y);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

} // namespace

int TagOrder::compare(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    int zerosTiebreak = 0; // "1" before "01", but only when nothing else differs
    while (i < a.size() && j < b.size()) {
        const bool da = isDigit(a.at(i));
        const bool db = isDigit(b.at(j));
        if (da && db) {
            qsizetype ei = i;
            while (ei < a.size() && isDigit(a.at(ei)))
                ++ei;
            qsizetype ej = j;
            while (ej < b.size() && isDigit(b.at(ej)))
                ++ej;
            const int c = compareNumbers(a.mid(i, ei - i), b.mid(j, ej - j));
            if (c != 0)
                return c;
            if (zerosTiebreak == 0 && ei - i != ej - j)
                zerosTiebreak = ei - i < ej - j ? -1 : 1;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a.at(i).toLower();
        const QChar cb = b.at(j).toLower();
        if (ca != cb) {
            // A pre-release marker sorts before the end of its release...
            if (da != db)
                return da ? -1 : 1; // digits before letters, as in ASCII
            return ca < cb ? -1 : 1;
        }
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size()) {
        // One is a prefix of the other: "1.0.0-rc1" vs "1.0.0" – a '-' suffix is a pre-release.
        const bool aLonger = i < a.size();
        const QStringView rest = aLonger ? a.mid(i) : b.mid(j);
        const bool prerelease = rest.startsWith(u'-') && rest.size() > 1;
        if (aLonger)
            return prerelease ? -1 : 1;
        return prerelease ? 1 : -1;
    }
    if (zerosTiebreak != 0)
        return zerosTiebreak;
    // Case-insensitively equal: fall back to an exact comparison for a stable total order.
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

void TagOrder::sort(QStringList &tags)
{
    std::sort(tags.begin(), tags.end(), &TagOrder::lessThan);
}

} // namespace wharf
