#pragma once

#include <QString>

namespace wharf::scan {

// The distribution an image is built on.
struct OsInfo
{
    QString id;         // os-release ID ("debian", "ubuntu", "alpine"), lower case
    QString versionId;  // "12", "22.04", "3.20.3"
    QString name;       // os-release NAME
    QString prettyName; // os-release PRETTY_NAME
    // OSV ecosystem ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.20"); empty when the
    // distribution or its release is not one OSV covers in a way Wharf knows.
    QString ecosystem;

    bool isKnown() const { return !id.isEmpty(); }
    friend bool operator==(const OsInfo &, const OsInfo &) = default;
};

} // namespace wharf::scan
