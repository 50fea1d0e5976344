#pragma once

// Semantic Versioning 2.0.0 precedence, for OSV ranges of type SEMVER.
//
// Accepts an optional leading 'v' (Go modules) and tolerates missing minor/patch numbers
// ("1.2" == "1.2.0"). Build metadata (+...) is ignored. Pre-release identifiers compare
// numerically when both are numeric, numeric ones sort before alphanumeric ones, and a version
// with a pre-release sorts before the same version without one. Unparsable strings compare
// as plain text.

#include <QStringView>

namespace wharf::scan {

class SemanticVersion
{
public:
    static bool isValid(QStringView version);
    static int compare(QStringView a, QStringView b);
};

} // namespace wharf::scan
