#pragma once

// Severity of a vulnerability as Wharf shows and sorts it.
//
// Ordered so that a larger value is worse. Negligible is kept apart from Low because Ubuntu
// uses it for issues it will not fix; a CVSS base score of 0.0 ("None") also maps to it.
// Exports that only know UNKNOWN/LOW/MEDIUM/HIGH/CRITICAL (Trivy's scale) fold Negligible into
// LOW, as Trivy itself does, through trivyName().

#include <QString>
#include <QStringView>

namespace wharf::scan {

enum class Severity { Unknown = 0, Negligible, Low, Medium, High, Critical };

// CVSS v3 qualitative bands: 0.0 Negligible, 0.1-3.9 Low, 4.0-6.9 Medium, 7.0-8.9 High,
// 9.0-10.0 Critical. A negative score means "no score" and maps to Unknown.
Severity severityFromScore(double score);
// Vendor and database words, case-insensitive: negligible, low, medium/moderate,
// high/important, critical. Anything else ("untriaged", "unknown", "") is Unknown.
Severity severityFromName(QStringView name);
// "Unknown", "Negligible", "Low", "Medium", "High", "Critical".
QString severityName(Severity severity);
// UNKNOWN, LOW (also for Negligible), MEDIUM, HIGH, CRITICAL.
QString trivySeverityName(Severity severity);

// Where a finding's severity came from, strongest first: a computed CVSS v3 base score, the
// distribution's own rating (Ubuntu priority), a database_specific.severity word.
enum class SeveritySource { None, Cvss, Vendor, Database };

QString severitySourceName(SeveritySource source);

} // namespace wharf::scan
