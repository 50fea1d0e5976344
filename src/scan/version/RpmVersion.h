#pragma once

// RPM version ordering: rpmvercmp() on each part of [epoch:]version[-release].
//
// rpmvercmp splits strings into runs of digits and runs of ASCII letters, skipping every other
// character as a separator. Digit runs compare numerically, letter runs as text, and a digit
// run beats a letter run. '~' sorts before anything, even the end of the string (1.0~rc1 <
// 1.0); '^' sorts after the end but before any further segment (1.0 < 1.0^git1 < 1.0.1). The
// epoch (digits before the first ':') defaults to 0; a missing release compares like an
// empty one, i.e. older than any release.

#include <QStringView>

namespace wharf::scan {

class RpmVersion
{
public:
    struct Evr
    {
        QStringView epoch; // empty when absent
        QStringView version;
        QStringView release; // empty when absent
    };

    static Evr split(QStringView evr);
    // Compares full [epoch:]version[-release] strings.
    static int compare(QStringView a, QStringView b);
    // rpmvercmp on one part (a version or a release, no epoch handling).
    static int compareSegments(QStringView a, QStringView b);
};

} // namespace wharf::scan
