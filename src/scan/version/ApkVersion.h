#pragma once

// Alpine apk version ordering, following the grammar apk-tools accepts:
//   digits{.digits}...{letter}{_suffix{digits}}...{~hexhash}{-rdigits}
// with pre-release suffixes _alpha < _beta < _pre < _rc (below the plain release) and
// post-release suffixes _cvs < _svn < _git < _hg < _p (above it).
//
// Components are compared pairwise while both versions have the same kind of component next;
// numbers compare numerically at any length (apk uses 64-bit integers, this never overflows),
// except that a dotted component with a leading zero in either version compares as text, as
// apk does ("1.02" < "1.1"). When one version runs out of components or the kinds differ,
// the version whose next component is a pre-release suffix is smaller, otherwise the one
// that continues with an "earlier" kind of component (digit < letter < suffix < hash <
// revision < end) is larger. Versions that do not fit the grammar are compared as plain
// strings.

#include <QStringView>

namespace wharf::scan {

class ApkVersion
{
public:
    static bool isValid(QStringView version);
    static int compare(QStringView a, QStringView b);
};

} // namespace wharf::scan
