#include "RpmVersion.h"

#include "VersionText.h"

namespace wharf::scan {

using namespace versiontext;

RpmVersion::Evr RpmVersion::split(QStringView evr)
{
    Evr parts;
    QStringView rest = evr;
    const qsizetype colon = rest.indexOf(u':');
    if (colon > 0 && isAllDigits(rest.first(colon))) {
        parts.epoch = rest.first(colon);
        rest = rest.sliced(colon + 1);
    }
    const qsizetype dash = rest.lastIndexOf(u'-');
    if (dash >= 0) {
        parts.release = rest.sliced(dash + 1);
        rest = rest.first(dash);
    }
    parts.version = rest;
    return parts;
}

int RpmVersion::compare(QStringView a, QStringView b)
{
    const Evr ea = split(a);
    const Evr eb = split(b);
    if (const int c = compareDigitRuns(ea.epoch, eb.epoch))
        return c;
    if (const int c = compareSegments(ea.version, eb.version))
        return c;
    return compareSegments(ea.release, eb.release);
}

int RpmVersion::compareSegments(QStringView a, QStringView b)
{
    if (a == b)
        return 0;
    auto isSeparator = [](QChar c) { return !isAlnum(c) && c != u'~' && c != u'^'; };

    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() || j < b.size()) {
        while (i < a.size() && isSeparator(a[i]))
            ++i;
        while (j < b.size() && isSeparator(b[j]))
            ++j;

        const bool tildeA = i < a.size() && a[i] == u'~';
        const bool tildeB = j < b.size() && b[j] == u'~';
        if (tildeA || tildeB) {
            if (!tildeA)
                return 1;
            if (!tildeB)
                return -1;
            ++i;
            ++j;
            continue;
        }

        const bool caretA = i < a.size() && a[i] == u'^';
        const bool caretB = j < b.size() && b[j] == u'^';
        if (caretA || caretB) {
            if (i >= a.size())
                return -1;
            if (j >= b.size())
                return 1;
            if (!caretA)
                return 1;
            if (!caretB)
                return -1;
            ++i;
            ++j;
            continue;
        }

        if (i >= a.size() || j >= b.size())
            break;

        const bool numeric = isDigit(a[i]);
        auto inSegment = [numeric](QChar c) { return numeric ? isDigit(c) : isAlpha(c); };
        const qsizetype startA = i;
        while (i < a.size() && inSegment(a[i]))
            ++i;
        const qsizetype startB = j;
        while (j < b.size() && inSegment(b[j]))
            ++j;
        const QStringView segA = a.sliced(startA, i - startA);
        const QStringView segB = b.sliced(startB, j - startB);
        // a's segment is never empty (a[i] is alphanumeric); an empty b segment means the two
        // segments are of different kinds, and numbers are newer than letters.
        if (segB.isEmpty())
            return numeric ? 1 : -1;
        const int c = numeric ? compareDigitRuns(segA, segB) : sign(segA.compare(segB));
        if (c)
            return c;
    }
    if (i >= a.size() && j >= b.size())
        return 0;
    return i < a.size() ? 1 : -1;
}

} // namespace wharf::scan
