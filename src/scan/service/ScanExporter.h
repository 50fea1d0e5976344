#pragma once

#include "ScanResult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace wharf::scan {

// Exports a scan result for other tools:
// - Json: ScanResultJson (the original scan-results shape plus the findings);
// - Csv: one row per finding under a header row, RFC 4180 (CRLF line ends, fields quoted when
//   they hold a comma, quote, CR or LF, quotes doubled);
// - Sarif: SARIF 2.1.0 as code-scanning dashboards import it — one rule per vulnerability id
//   (shortDescription, helpUri, properties.security-severity from the CVSS score or the
//   severity), one result per finding with level error (critical/high), warning (medium) or
//   note (low/unknown), located at the image reference and the layer that introduced it.
class ScanExporter
{
public:
    enum class Format { Json, Csv, Sarif };

    static std::optional<Format> formatFromName(const QString &name); // json, csv, sarif
    static QString formatName(Format format);

    static QByteArray exportResult(const ScanResult &result, Format format);
    static QByteArray toCsv(const ScanResult &result);
    static QJsonObject toSarif(const ScanResult &result);

    static QStringList csvHeader();
    static QString csvField(const QString &value);
    // "oci://registry/repository@digest": the artifact URI a SARIF location names.
    static QString imageUri(const ScanResult &result);
    // SARIF level for a severity: error, warning or note.
    static QString sarifLevel(Severity severity);
    // GitHub's security-severity: the CVSS score, else a representative score for the band.
    static QString securitySeverity(const ScanFinding &finding);
};

} // namespace wharf::scan
