#pragma once

// The outcome of scanning one image for vulnerabilities: plain data shared by the scan engine,
// the Trivy report parser, the results store, the exports, wharfctl and the app's views.

#include "scan/image/OsInfo.h"
#include "scan/vuln/Severity.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf::scan {

// Counts in the original scan-results shape. Negligible counts as low (as Trivy folds it).
struct SeverityCounts
{
    int total = 0;
    int critical = 0;
    int high = 0;
    int medium = 0;
    int low = 0;
    int unknown = 0;

    void add(Severity severity);
    friend bool operator==(const SeverityCounts &, const SeverityCounts &) = default;
};

// One vulnerability affecting one installed source package. Binary packages built from the
// same source share a finding (they carry the same code, and OSV data is keyed by source).
struct ScanFinding
{
    QString id;           // OSV id (UBUNTU-CVE-…, USN-…) or, from Trivy, the CVE id
    QStringList aliases;  // CVE ids and other names
    QString package;      // binary package: the one named like the source if installed, else
                          // the first by name
    QStringList packages; // every affected binary package built from sourcePackage
    QString packageType;  // deb, apk, rpm
    QString sourcePackage;
    QString installedVersion; // of `package`
    QString sourceVersion;    // the version matched against the database
    QString fixedVersion;     // empty: no fix released
    Severity severity = Severity::Unknown;
    std::optional<double> cvssScore;
    QString cvssVector;
    QString title; // OSV summary / Trivy Title
    QString primaryUrl;
    QString ecosystem;
    int layerIndex = -1; // the layer that introduced the vulnerable version
    QString layerDigest;
    QString diffId;
    QString createdBy;

    bool isFixable() const { return !fixedVersion.isEmpty(); }
};

// Per layer: what it is and how many findings it introduced.
struct ScanLayer
{
    int index = -1;
    QString digest;
    QString diffId;
    QString createdBy;
    qint64 size = 0;
    int packages = 0; // packages attributed to this layer
    SeverityCounts counts;
};

struct ScanResult
{
    QString engine = QStringLiteral("wharf"); // "wharf" or "trivy"
    QString registry;                         // host[:port]
    QString repository;
    QString reference; // as asked: tag or digest
    QString digest;    // platform manifest digest: the key results are stored under
    QString topDigest; // what the reference resolved to (an index for multi-platform images)
    QString platform;  // "linux/amd64"
    OsInfo os;
    QDateTime scannedAt;
    QDateTime databaseUpdatedAt;      // last import of the vulnerability database used
    QDateTime databaseNewestModified; // newest record in it
    int packageCount = 0;
    QList<ScanFinding> findings; // worst first
    SeverityCounts counts;
    QList<ScanLayer> layers;
    QStringList warnings;

    // Counts (total and per layer) from the findings.
    void recount();
    // Severity (worst first), CVSS score, id, package.
    void sortFindings();
    // "ubuntu 22.04", or empty when the OS is not known.
    QString osDisplayName() const;
};

} // namespace wharf::scan
