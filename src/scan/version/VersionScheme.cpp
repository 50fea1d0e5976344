#include "VersionScheme.h"

#include "ApkVersion.h"
#include "DebianVersion.h"
#include "RpmVersion.h"
#include "SemanticVersion.h"
#include "VersionText.h"

#include <array>

namespace wharf::scan {

int compareVersions(VersionScheme scheme, QStringView a, QStringView b)
{
    switch (scheme) {
    case VersionScheme::Debian:
        return DebianVersion::compare(a, b);
    case VersionScheme::Apk:
        return ApkVersion::compare(a, b);
    case VersionScheme::Rpm:
        return RpmVersion::compare(a, b);
    case VersionScheme::SemVer:
        return SemanticVersion::compare(a, b);
    case VersionScheme::Unknown:
        break;
    }
    return versiontext::sign(a.compare(b));
}

bool isValidVersion(VersionScheme scheme, QStringView version)
{
    switch (scheme) {
    case VersionScheme::Debian:
        return DebianVersion::isValid(version);
    case VersionScheme::Apk:
        return ApkVersion::isValid(version);
    case VersionScheme::Rpm:
        // rpm accepts any string; only an empty version is meaningless.
        return !version.isEmpty();
    case VersionScheme::SemVer:
        return SemanticVersion::isValid(version);
    case VersionScheme::Unknown:
        break;
    }
    return !version.isEmpty();
}

VersionScheme schemeForEcosystem(QStringView ecosystem)
{
    const qsizetype colon = ecosystem.indexOf(u':');
    const QStringView family = (colon >= 0 ? ecosystem.first(colon) : ecosystem).trimmed();

    struct Entry
    {
        const char16_t *name;
        VersionScheme scheme;
    };
    // Names as OSV spells them (ossf/osv-schema ecosystems list).
    static constexpr std::array<Entry, 20> kFamilies{{
        {u"Debian", VersionScheme::Debian},
        {u"Ubuntu", VersionScheme::Debian},
        {u"Alpine", VersionScheme::Apk},
        {u"Alpaquita", VersionScheme::Apk},
        {u"BellSoft Hardened Containers", VersionScheme::Apk},
        {u"Chainguard", VersionScheme::Apk},
        {u"Wolfi", VersionScheme::Apk},
        {u"Red Hat", VersionScheme::Rpm},
        {u"Rocky Linux", VersionScheme::Rpm},
        {u"AlmaLinux", VersionScheme::Rpm},
        {u"openEuler", VersionScheme::Rpm},
        {u"openSUSE", VersionScheme::Rpm},
        {u"SUSE", VersionScheme::Rpm},
        {u"Mageia", VersionScheme::Rpm},
        {u"Azure Linux", VersionScheme::Rpm},
        {u"Photon OS", VersionScheme::Rpm},
        {u"npm", VersionScheme::SemVer},
        {u"crates.io", VersionScheme::SemVer},
        {u"Go", VersionScheme::SemVer},
        {u"Hex", VersionScheme::SemVer},
    }};
    for (const Entry &entry : kFamilies) {
        if (family == QStringView(entry.name))
            return entry.scheme;
    }
    return VersionScheme::Unknown;
}

QString versionSchemeName(VersionScheme scheme)
{
    switch (scheme) {
    case VersionScheme::Debian:
        return QStringLiteral("deb");
    case VersionScheme::Apk:
        return QStringLiteral("apk");
    case VersionScheme::Rpm:
        return QStringLiteral("rpm");
    case VersionScheme::SemVer:
        return QStringLiteral("semver");
    case VersionScheme::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace wharf::scan
