#pragma once

// Decides whether an OSV record affects one package version, and how severe it is.
//
// Matching (OSV schema semantics):
// - only affected[] entries whose package ecosystem and name equal the query exactly
//   ("Ubuntu:22.04:LTS" never matches "Ubuntu:Pro:22.04:LTS");
// - withdrawn records never match;
// - a version is affected when it is listed verbatim in `versions`, or inside any range.
//   ECOSYSTEM ranges use the ecosystem's comparator (VersionScheme), SEMVER ranges SemVer,
//   GIT ranges and ECOSYSTEM ranges of unknown ecosystems are not evaluated.
// - range evaluation: with limit events, the version must be below one of them ("*" is
//   unbounded); then events sorted by version (introduced "0" first; at equal versions
//   introduced before last_affected before fixed) are replayed: introduced <= v opens,
//   fixed <= v closes, last_affected < v closes.
// - the fixed version is the smallest `fixed` event above the installed version in the
//   matching entries; empty when there is none.
//
// Severity, first source that yields something wins:
// 1. CVSS v3 vectors: top-level severity[], the matching entries' severity[], and the per-CVE
//    severities in a USN's affected[].database_specific.cves_map; highest base score.
//    CVSS v4 vectors are not scored (no base score without FIRST's lookup table) and ignored.
// 2. Vendor rating: "Ubuntu"-typed severity[] scores (same places) and
//    ecosystem_specific.ubuntu_priority; highest.
// 3. database_specific.severity (top level or matching entries); highest.
// 4. Unknown.

#include "OsvRecord.h"
#include "Severity.h"
#include "VulnerabilityFinding.h"
#include "scan/version/VersionScheme.h"

#include <QList>
#include <QStringView>

#include <optional>

namespace wharf::scan {

class OsvMatcher
{
public:
    struct SeverityAssessment
    {
        Severity severity = Severity::Unknown;
        SeveritySource source = SeveritySource::None;
        std::optional<double> cvssScore;
        QString cvssVector;
        Severity vendorSeverity = Severity::Unknown;
    };

    // A finding when `record` affects `version` of `packageName` in `ecosystem`.
    static std::optional<VulnerabilityFinding> match(const OsvRecord &record, QStringView ecosystem,
                                                     QStringView packageName, QStringView version);

    static bool affects(const OsvRecord::Affected &affected, VersionScheme scheme,
                        QStringView version);
    static bool rangeContains(const OsvRecord::Range &range, VersionScheme scheme,
                              QStringView version);
    static QString fixedVersion(const QList<const OsvRecord::Affected *> &affected,
                                VersionScheme scheme, QStringView version);

    // Severity from the record and the given affected entries (pass every entry for a
    // record-level summary).
    static SeverityAssessment assessSeverity(const OsvRecord &record,
                                             const QList<const OsvRecord::Affected *> &affected);
    static SeverityAssessment assessSeverity(const OsvRecord &record);
};

} // namespace wharf::scan
