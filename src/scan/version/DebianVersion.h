#pragma once

// Debian/dpkg version ordering (deb-version(7)), used for Debian and Ubuntu ecosystems.
//
// A version is [epoch:]upstream[-revision]. The epoch is split at the first ':', the revision
// at the last '-'; a missing epoch is 0 and a missing revision compares like "0". Upstream and
// revision are compared as alternating non-digit and digit runs: non-digit characters weigh
// '~' < end-of-string/digit < letters < everything else, digit runs compare numerically. The
// comparison is total for any input, so compare() never fails; isValid() applies dpkg's
// syntax rules for callers that want to reject junk.

#include <QString>
#include <QStringView>

namespace wharf::scan {

class DebianVersion
{
public:
    struct Parts
    {
        QStringView epoch; // empty when absent
        QStringView upstream;
        QStringView revision; // empty when absent
        bool hasEpoch = false;
        bool hasRevision = false;
    };

    static Parts split(QStringView version);
    // dpkg's rules: non-empty, no whitespace, numeric epoch, upstream starting with a digit and
    // made of [A-Za-z0-9.+~-:] ('-' only with a revision, ':' only with an epoch), revision
    // made of [A-Za-z0-9.+~] and non-empty when its '-' is present.
    static bool isValid(QStringView version, QString *error = nullptr);
    // <0, 0, >0 as a sorts before, equal to, or after b.
    static int compare(QStringView a, QStringView b);

private:
    static int compareFragment(QStringView a, QStringView b);
};

} // namespace wharf::scan
