#pragma once

#include <QStringList>

namespace wharf {

// The order people expect tags in: numbers compare as numbers ("1.9" < "1.10"), text compares
// case-insensitively, and a semver pre-release sorts before its release ("v2.0.0-rc1" <
// "v2.0.0").
class TagOrder
{
public:
    static int compare(QStringView a, QStringView b);
    static bool lessThan(const QString &a, const QString &b) { return compare(a, b) < 0; }
    static void sort(QStringList &tags);
};

} // namespace wharf
