#include "Severity.h"

namespace wharf::scan {

Severity severityFromScore(double score)
{
    if (score < 0.0)
        return Severity::Unknown;
    if (score >= 9.0)
        return Severity::Critical;
    if (score >= 7.0)
        return Severity::High;
    if (score >= 4.0)
        return Severity::Medium;
    if (score >= 0.1)
        return Severity::Low;
    return Severity::Negligible;
}

Severity severityFromName(QStringView name)
{
    const QStringView word = name.trimmed();
    auto is = [word](const char *candidate) {
        return word.compare(QLatin1String(candidate), Qt::CaseInsensitive) == 0;
    };
    if (is("critical"))
        return Severity::Critical;
    if (is("high") || is("important"))
        return Severity::High;
    if (is("medium") || is("moderate"))
        return Severity::Medium;
    if (is("low"))
        return Severity::Low;
    if (is("negligible"))
        return Severity::Negligible;
    return Severity::Unknown;
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Negligible:
        return QStringLiteral("Negligible");
    case Severity::Low:
        return QStringLiteral("Low");
    case Severity::Medium:
        return QStringLiteral("Medium");
    case Severity::High:
        return QStringLiteral("High");
    case Severity::Critical:
        return QStringLiteral("Critical");
    case Severity::Unknown:
        break;
    }
    return QStringLiteral("Unknown");
}

QString trivySeverityName(Severity severity)
{
    switch (severity) {
    case Severity::Negligible:
    case Severity::Low:
        return QStringLiteral("LOW");
    case Severity::Medium:
        return QStringLiteral("MEDIUM");
    case Severity::High:
        return QStringLiteral("HIGH");
    case Severity::Critical:
        return QStringLiteral("CRITICAL");
    case Severity::Unknown:
        break;
    }
    return QStringLiteral("UNKNOWN");
}

QString severitySourceName(SeveritySource source)
{
    switch (source) {
    case SeveritySource::Cvss:
        return QStringLiteral("cvss");
    case SeveritySource::Vendor:
        return QStringLiteral("vendor");
    case SeveritySource::Database:
        return QStringLiteral("database");
    case SeveritySource::None:
        break;
    }
    return QStringLiteral("none");
}

} // namespace wharf::scan
