#include "DebianVersion.h"

#include "VersionText.h"

namespace wharf::scan {

using namespace versiontext;

namespace {

// dpkg's weight of the character at position i of a non-digit run; the end of the string and
// a digit both weigh 0 so "1.0" and "1.0~" / "1.0a" order correctly around it.
int weight(QStringView s, qsizetype i)
{
    if (i >= s.size())
        return 0;
    const QChar c = s[i];
    if (isDigit(c))
        return 0;
    if (c == u'~')
        return -1;
    if (isAlpha(c))
        return c.unicode();
    return c.unicode() + 256;
}

} // namespace

DebianVersion::Parts DebianVersion::split(QStringView version)
{
    Parts parts;
    QStringView rest = version;
    const qsizetype colon = rest.indexOf(u':');
    if (colon >= 0) {
        parts.hasEpoch = true;
        parts.epoch = rest.first(colon);
        rest = rest.sliced(colon + 1);
    }
    const qsizetype dash = rest.lastIndexOf(u'-');
    if (dash >= 0) {
        parts.hasRevision = true;
        parts.revision = rest.sliced(dash + 1);
        rest = rest.first(dash);
    }
    parts.upstream = rest;
    return parts;
}

bool DebianVersion::isValid(QStringView version, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (version.isEmpty())
        return fail(QStringLiteral("empty version"));
    for (const QChar c : version) {
        if (c.isSpace())
            return fail(QStringLiteral("version contains whitespace"));
    }
    const Parts parts = split(version);
    if (parts.hasEpoch) {
        if (parts.epoch.isEmpty() || !isAllDigits(parts.epoch))
            return fail(QStringLiteral("epoch is not a number"));
    }
    if (parts.upstream.isEmpty())
        return fail(QStringLiteral("empty upstream version"));
    if (!isDigit(parts.upstream.front()))
        return fail(QStringLiteral("upstream version does not start with a digit"));
    for (const QChar c : parts.upstream) {
        const bool ok = isAlnum(c) || c == u'.' || c == u'+' || c == u'~' || c == u'-' ||
                        (c == u':' && parts.hasEpoch);
        if (!ok)
            return fail(QStringLiteral("invalid character '%1' in upstream version").arg(c));
    }
    if (parts.hasRevision) {
        if (parts.revision.isEmpty())
            return fail(QStringLiteral("empty revision"));
        for (const QChar c : parts.revision) {
            if (!(isAlnum(c) || c == u'.' || c == u'+' || c == u'~'))
                return fail(QStringLiteral("invalid character '%1' in revision").arg(c));
        }
    }
    return true;
}

int DebianVersion::compare(QStringView a, QStringView b)
{
    const Parts pa = split(a);
    const Parts pb = split(b);
    if (const int c = compareDigitRuns(pa.epoch, pb.epoch))
        return c;
    if (const int c = compareFragment(pa.upstream, pb.upstream))
        return c;
    return compareFragment(pa.revision, pb.revision);
}

int DebianVersion::compareFragment(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() || j < b.size()) {
        // Equal weights are only possible for two identical non-digit characters, so i and j
        // never step past the end here.
        while ((i < a.size() && !isDigit(a[i])) || (j < b.size() && !isDigit(b[j]))) {
            const int wa = weight(a, i);
            const int wb = weight(b, j);
            if (wa != wb)
                return wa < wb ? -1 : 1;
            ++i;
            ++j;
        }
        const qsizetype startA = i;
        while (i < a.size() && isDigit(a[i]))
            ++i;
        const qsizetype startB = j;
        while (j < b.size() && isDigit(b[j]))
            ++j;
        if (const int c =
                compareDigitRuns(a.sliced(startA, i - startA), b.sliced(startB, j - startB)))
            return c;
    }
    return 0;
}

} // namespace wharf::scan
