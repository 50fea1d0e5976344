#include "SemanticVersion.h"

#include "VersionText.h"

#include <QList>

namespace wharf::scan {

using namespace versiontext;

namespace {

struct Parsed
{
    QList<QStringView> core; // up to three numeric fields
    QList<QStringView> prerelease;
};

bool parse(QStringView version, Parsed *out)
{
    QStringView rest = version;
    if (rest.startsWith(u'v'))
        rest = rest.sliced(1);
    const qsizetype plus = rest.indexOf(u'+');
    if (plus >= 0)
        rest = rest.first(plus);
    const qsizetype dash = rest.indexOf(u'-');
    QStringView core = dash >= 0 ? rest.first(dash) : rest;
    if (dash >= 0) {
        const QStringView pre = rest.sliced(dash + 1);
        if (pre.isEmpty())
            return false;
        for (const QStringView id : pre.tokenize(u'.')) {
            if (id.isEmpty())
                return false;
            for (const QChar c : id) {
                if (!isAlnum(c) && c != u'-')
                    return false;
            }
            out->prerelease.append(id);
        }
    }
    for (const QStringView field : core.tokenize(u'.')) {
        if (field.isEmpty() || !isAllDigits(field))
            return false;
        out->core.append(field);
    }
    return !out->core.isEmpty() && out->core.size() <= 3;
}

int compareIdentifier(QStringView a, QStringView b)
{
    const bool numA = isAllDigits(a);
    const bool numB = isAllDigits(b);
    if (numA && numB)
        return compareDigitRuns(a, b);
    if (numA != numB)
        return numA ? -1 : 1;
    return sign(a.compare(b));
}

} // namespace

bool SemanticVersion::isValid(QStringView version)
{
    Parsed parsed;
    return parse(version, &parsed);
}

int SemanticVersion::compare(QStringView a, QStringView b)
{
    Parsed pa;
    Parsed pb;
    if (!parse(a, &pa) || !parse(b, &pb))
        return sign(a.compare(b));
    for (int k = 0; k < 3; ++k) {
        const QStringView fa = k < pa.core.size() ? pa.core[k] : QStringView();
        const QStringView fb = k < pb.core.size() ? pb.core[k] : QStringView();
        if (const int c = compareDigitRuns(fa, fb))
            return c;
    }
    if (pa.prerelease.isEmpty() != pb.prerelease.isEmpty())
        return pa.prerelease.isEmpty() ? 1 : -1;
    const qsizetype n = qMin(pa.prerelease.size(), pb.prerelease.size());
    for (qsizetype k = 0; k < n; ++k) {
        if (const int c = compareIdentifier(pa.prerelease[k], pb.prerelease[k]))
            return c;
    }
    if (pa.prerelease.size() != pb.prerelease.size())
        return pa.prerelease.size() < pb.prerelease.size() ? -1 : 1;
    return 0;
}

} // namespace wharf::scan
