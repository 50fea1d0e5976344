#pragma once

// Which version ordering an OSV ecosystem uses, and a single entry point to compare with it.
//
// Ecosystem strings are matched on their first ':'-separated field ("Ubuntu:Pro:22.04:LTS" is
// an Ubuntu ecosystem, "Alpine:v3.20" an Alpine one). Unknown ecosystems get
// VersionScheme::Unknown, for which ranges cannot be evaluated; compareVersions() then falls
// back to plain text order so it still gives a total order.

#include <QString>
#include <QStringView>

namespace wharf::scan {

enum class VersionScheme { Unknown, Debian, Apk, Rpm, SemVer };

int compareVersions(VersionScheme scheme, QStringView a, QStringView b);
bool isValidVersion(VersionScheme scheme, QStringView version);
VersionScheme schemeForEcosystem(QStringView ecosystem);
QString versionSchemeName(VersionScheme scheme);

} // namespace wharf::scan
