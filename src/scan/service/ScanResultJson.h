#pragma once

#include "ScanResult.h"

#include <QJsonObject>

#include <optional>

namespace wharf::scan {

// The JSON form of a ScanResult: `wharfctl scan --json`, the JSON export and the results store
// all use it. The documented fields (the original scan-results shape plus the findings):
//   {"digest", "os", "total", "critical", "high", "medium", "low", "unknown",
//    "layers": [{"index", "digest", "diffId", "createdBy", "total", "critical", "high",
//                "medium", "low"}],
//    "vulnerabilities": [{"id", "aliases", "package", "sourcePackage", "installedVersion",
//                         "fixedVersion", "severity", "cvssScore", "layerIndex"}]}
// Extra fields (engine, repository, platform, database dates, titles, URLs, …) are added next
// to them; fromJson() reads everything back.
class ScanResultJson
{
public:
    static constexpr int FormatVersion = 1;

    static QJsonObject toJson(const ScanResult &result);
    static std::optional<ScanResult> fromJson(const QJsonObject &object, QString *error = nullptr);

    static QJsonObject countsJson(const SeverityCounts &counts);
    // RFC 3339 UTC with milliseconds; empty for an invalid time.
    static QString formatTime(const QDateTime &time);
    static QDateTime parseTime(const QString &text);
};

} // namespace wharf::scan
