#include "OsvMatcher.h"

#include "Cvss3.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace wharf::scan {

namespace {

using Event = OsvRecord::Event;

bool isIntroducedZero(const Event &event)
{
    return event.kind == Event::Kind::Introduced && event.version == u"0";
}

int kindOrder(Event::Kind kind)
{
    switch (kind) {
    case Event::Kind::Introduced:
        return 0;
    case Event::Kind::LastAffected:
        return 1;
    case Event::Kind::Fixed:
        return 2;
    case Event::Kind::Limit:
        return 3;
    }
    return 3;
}

VersionScheme schemeForRange(const OsvRecord::Range &range, VersionScheme ecosystemScheme)
{
    if (range.type == u"ECOSYSTEM")
        return ecosystemScheme;
    if (range.type == u"SEMVER")
        return VersionScheme::SemVer;
    return VersionScheme::Unknown;
}

// Collects candidate severities from a list of {type, score} pairs.
struct SeverityCollector
{
    std::optional<double> bestScore;
    QString bestVector;
    Severity vendor = Severity::Unknown;
    Severity database = Severity::Unknown;

    void addScore(const QString &type, const QString &score)
    {
        if (type == u"CVSS_V3") {
            if (const auto cvss = Cvss3::parse(score)) {
                if (!bestScore || cvss->baseScore() > *bestScore) {
                    bestScore = cvss->baseScore();
                    bestVector = cvss->vector();
                }
            }
        } else if (type == u"Ubuntu") {
            vendor = std::max(vendor, severityFromName(score));
        }
    }

    void addScores(const QList<OsvRecord::SeverityScore> &scores)
    {
        for (const OsvRecord::SeverityScore &s : scores)
            addScore(s.type, s.score);
    }

    void addJsonScores(const QJsonArray &scores)
    {
        for (const QJsonValue &value : scores) {
            const QJsonObject obj = value.toObject();
            addScore(obj.value(u"type").toString(), obj.value(u"score").toString());
        }
    }

    void addDatabaseSpecific(const QJsonObject &databaseSpecific)
    {
        const QJsonValue severity = databaseSpecific.value(u"severity");
        if (severity.isString())
            database = std::max(database, severityFromName(severity.toString()));
        // USN records list per-CVE severities; older ones list bare CVE ids (strings).
        const QJsonArray cves =
            databaseSpecific.value(u"cves_map").toObject().value(u"cves").toArray();
        for (const QJsonValue &cve : cves) {
            if (cve.isObject())
                addJsonScores(cve.toObject().value(u"severity").toArray());
        }
    }
};

} // namespace

std::optional<VulnerabilityFinding> OsvMatcher::match(const OsvRecord &record,
                                                      QStringView ecosystem,
                                                      QStringView packageName, QStringView version)
{
    if (record.isWithdrawn())
        return std::nullopt;
    const VersionScheme scheme = schemeForEcosystem(ecosystem);
    QList<const OsvRecord::Affected *> matching;
    bool affected = false;
    for (const OsvRecord::Affected &entry : record.affected()) {
        if (entry.package.ecosystem != ecosystem || entry.package.name != packageName)
            continue;
        matching.append(&entry);
        if (!affected && affects(entry, scheme, version))
            affected = true;
    }
    if (!affected)
        return std::nullopt;

    const SeverityAssessment severity = assessSeverity(record, matching);
    VulnerabilityFinding finding;
    finding.id = record.id();
    finding.aliases = record.identifiers();
    finding.summary = record.summary();
    finding.severity = severity.severity;
    finding.severitySource = severity.source;
    finding.cvssScore = severity.cvssScore;
    finding.cvssVector = severity.cvssVector;
    finding.vendorSeverity = severity.vendorSeverity;
    finding.fixedVersion = fixedVersion(matching, scheme, version);
    finding.ecosystem = ecosystem.toString();
    finding.packageName = packageName.toString();
    finding.installedVersion = version.toString();
    finding.primaryUrl = record.primaryUrl();
    finding.modified = record.modified();
    return finding;
}

bool OsvMatcher::affects(const OsvRecord::Affected &affected, VersionScheme scheme,
                         QStringView version)
{
    for (const QString &listed : affected.versions) {
        if (listed == version)
            return true;
    }
    for (const OsvRecord::Range &range : affected.ranges) {
        const VersionScheme rangeScheme = schemeForRange(range, scheme);
        if (rangeScheme != VersionScheme::Unknown && rangeContains(range, rangeScheme, version))
            return true;
    }
    return false;
}

bool OsvMatcher::rangeContains(const OsvRecord::Range &range, VersionScheme scheme,
                               QStringView version)
{
    QList<Event> events;
    events.reserve(range.events.size());
    bool hasLimit = false;
    bool belowLimit = false;
    for (const Event &event : range.events) {
        if (event.kind == Event::Kind::Limit) {
            hasLimit = true;
            if (event.version == u"*" || compareVersions(scheme, version, event.version) < 0)
                belowLimit = true;
        } else {
            events.append(event);
        }
    }
    if (hasLimit && !belowLimit)
        return false;

    std::stable_sort(events.begin(), events.end(), [scheme](const Event &a, const Event &b) {
        const bool zeroA = isIntroducedZero(a);
        const bool zeroB = isIntroducedZero(b);
        if (zeroA || zeroB)
            return zeroA && !zeroB;
        if (const int c = compareVersions(scheme, a.version, b.version))
            return c < 0;
        return kindOrder(a.kind) < kindOrder(b.kind);
    });

    bool vulnerable = false;
    for (const Event &event : std::as_const(events)) {
        switch (event.kind) {
        case Event::Kind::Introduced:
            if (isIntroducedZero(event) || compareVersions(scheme, version, event.version) >= 0)
                vulnerable = true;
            break;
        case Event::Kind::Fixed:
            if (compareVersions(scheme, version, event.version) >= 0)
                vulnerable = false;
            break;
        case Event::Kind::LastAffected:
            if (compareVersions(scheme, version, event.version) > 0)
                vulnerable = false;
            break;
        case Event::Kind::Limit:
            break;
        }
    }
    return vulnerable;
}

QString OsvMatcher::fixedVersion(const QList<const OsvRecord::Affected *> &affected,
                                 VersionScheme scheme, QStringView version)
{
    QString best;
    VersionScheme bestScheme = scheme;
    for (const OsvRecord::Affected *entry : affected) {
        for (const OsvRecord::Range &range : entry->ranges) {
            const VersionScheme rangeScheme = schemeForRange(range, scheme);
            if (rangeScheme == VersionScheme::Unknown)
                continue;
            for (const Event &event : range.events) {
                if (event.kind != Event::Kind::Fixed ||
                    compareVersions(rangeScheme, event.version, version) <= 0)
                    continue;
                if (best.isNull() || compareVersions(bestScheme, event.version, best) < 0) {
                    best = event.version;
                    bestScheme = rangeScheme;
                }
            }
        }
    }
    return best;
}

OsvMatcher::SeverityAssessment
OsvMatcher::assessSeverity(const OsvRecord &record,
                           const QList<const OsvRecord::Affected *> &affected)
{
    SeverityCollector collector;
    collector.addScores(record.severity());
    collector.addDatabaseSpecific(record.databaseSpecific());
    for (const OsvRecord::Affected *entry : affected) {
        collector.addScores(entry->severity);
        collector.addDatabaseSpecific(entry->databaseSpecific);
        const QJsonValue priority = entry->ecosystemSpecific.value(u"ubuntu_priority");
        if (priority.isString())
            collector.vendor = std::max(collector.vendor, severityFromName(priority.toString()));
    }

    SeverityAssessment result;
    result.vendorSeverity = collector.vendor;
    if (collector.bestScore) {
        result.severity = severityFromScore(*collector.bestScore);
        result.source = SeveritySource::Cvss;
        result.cvssScore = collector.bestScore;
        result.cvssVector = collector.bestVector;
    } else if (collector.vendor != Severity::Unknown) {
        result.severity = collector.vendor;
        result.source = SeveritySource::Vendor;
    } else if (collector.database != Severity::Unknown) {
        result.severity = collector.database;
        result.source = SeveritySource::Database;
    }
    return result;
}

OsvMatcher::SeverityAssessment OsvMatcher::assessSeverity(const OsvRecord &record)
{
    QList<const OsvRecord::Affected *> all;
    all.reserve(record.affected().size());
    for (const OsvRecord::Affected &entry : record.affected())
        all.append(&entry);
    return assessSeverity(record, all);
}

} // namespace wharf::scan
