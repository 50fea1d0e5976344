#pragma once

#include "ScanResult.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace wharf::scan {

// Reads a Trivy JSON report (`trivy image --format json`, SchemaVersion 2) into a ScanResult
// with engine "trivy":
//   ArtifactName -> reference; Metadata.OS {Family, Name} -> os; Metadata.RepoDigests -> digest;
//   Metadata.DiffIDs -> layers (ImageConfig.history gives created_by);
//   Results[] {Target, Class, Type, Vulnerabilities[] {VulnerabilityID, VendorIDs, PkgName,
//   InstalledVersion, FixedVersion, Severity, Layer {Digest, DiffID}, PrimaryURL, Title,
//   CVSS {<vendor>: {V3Vector, V3Score}}}} -> one finding per vulnerability and package.
// Trivy reports binary packages; the source package is SrcName when the report has one, else
// the binary name. The layer index comes from the finding's DiffID among Metadata.DiffIDs.
class TrivyReportParser
{
public:
    static constexpr int SupportedSchemaVersion = 2;
    static constexpr qsizetype MaxReportBytes = 256 * 1024 * 1024;

    static std::optional<ScanResult> parse(const QByteArray &json, QString *error = nullptr);
    static std::optional<ScanResult> parse(const QJsonObject &report, QString *error = nullptr);
};

} // namespace wharf::scan
