#include "ScanResultJson.h"

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace wharf::scan {

namespace {

Severity severityFromJson(const QString &name)
{
    // severityFromName() maps "negligible" and every spelling Wharf writes.
    return severityFromName(name);
}

void readCounts(const QJsonObject &o, SeverityCounts *counts)
{
    counts->total = o.value(u"total"_s).toInt();
    counts->critical = o.value(u"critical"_s).toInt();
    counts->high = o.value(u"high"_s).toInt();
    counts->medium = o.value(u"medium"_s).toInt();
    counts->low = o.value(u"low"_s).toInt();
    counts->unknown = o.value(u"unknown"_s).toInt();
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}

} // namespace

QString ScanResultJson::formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime ScanResultJson::parseTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}

QJsonObject ScanResultJson::countsJson(const SeverityCounts &c)
{
    return QJsonObject{{u"total"_s, c.total}, {u"critical"_s, c.critical},
                       {u"high"_s, c.high},   {u"medium"_s, c.medium},
                       {u"low"_s, c.low},     {u"unknown"_s, c.unknown}};
}

QJsonObject ScanResultJson::toJson(const ScanResult &result)
{
    QJsonObject o = countsJson(result.counts);
    o.insert(u"formatVersion"_s, FormatVersion);
    o.insert(u"engine"_s, result.engine);
    o.insert(u"digest"_s, result.digest);
    o.insert(u"topDigest"_s, result.topDigest);
    o.insert(u"registry"_s, result.registry);
    o.insert(u"repository"_s, result.repository);
    o.insert(u"reference"_s, result.reference);
    o.insert(u"platform"_s, result.platform);
    o.insert(u"os"_s, result.osDisplayName());
    o.insert(u"osInfo"_s, QJsonObject{{u"id"_s, result.os.id},
                                      {u"versionId"_s, result.os.versionId},
                                      {u"name"_s, result.os.name},
                                      {u"prettyName"_s, result.os.prettyName},
                                      {u"ecosystem"_s, result.os.ecosystem}});
    o.insert(u"scannedAt"_s, formatTime(result.scannedAt));
    o.insert(u"databaseUpdatedAt"_s, formatTime(result.databaseUpdatedAt));
    o.insert(u"databaseNewestModified"_s, formatTime(result.databaseNewestModified));
    o.insert(u"packages"_s, result.packageCount);

    QJsonArray layers;
    for (const ScanLayer &layer : result.layers) {
        QJsonObject l = countsJson(layer.counts);
        l.insert(u"index"_s, layer.index);
        l.insert(u"digest"_s, layer.digest);
        l.insert(u"diffId"_s, layer.diffId);
        l.insert(u"createdBy"_s, layer.createdBy);
        l.insert(u"size"_s, layer.size);
        l.insert(u"packages"_s, layer.packages);
        layers.append(l);
    }
    o.insert(u"layers"_s, layers);

    QJsonArray vulnerabilities;
    for (const ScanFinding &f : result.findings) {
        QJsonObject v{
            {u"id"_s, f.id},
            {u"aliases"_s, QJsonArray::fromStringList(f.aliases)},
            {u"package"_s, f.package},
            {u"packages"_s, QJsonArray::fromStringList(f.packages)},
            {u"packageType"_s, f.packageType},
            {u"sourcePackage"_s, f.sourcePackage},
            {u"installedVersion"_s, f.installedVersion},
            {u"sourceVersion"_s, f.sourceVersion},
            {u"fixedVersion"_s, f.fixedVersion},
            {u"severity"_s, severityName(f.severity)},
            {u"cvssScore"_s, f.cvssScore ? QJsonValue(*f.cvssScore) : QJsonValue()},
            {u"cvssVector"_s, f.cvssVector},
            {u"title"_s, f.title},
            {u"primaryUrl"_s, f.primaryUrl},
            {u"ecosystem"_s, f.ecosystem},
            {u"layerIndex"_s, f.layerIndex},
            {u"layerDigest"_s, f.layerDigest},
            {u"diffId"_s, f.diffId},
            {u"createdBy"_s, f.createdBy},
        };
        vulnerabilities.append(v);
    }
    o.insert(u"vulnerabilities"_s, vulnerabilities);
    o.insert(u"warnings"_s, QJsonArray::fromStringList(result.warnings));
    return o;
}

std::optional<ScanResult> ScanResultJson::fromJson(const QJsonObject &o, QString *error)
{
    if (!o.value(u"digest"_s).isString() || !o.value(u"vulnerabilities"_s).isArray() ||
        !o.value(u"layers"_s).isArray()) {
        if (error)
            *error = u"not a scan result (digest, layers and vulnerabilities are required)"_s;
        return std::nullopt;
    }
    ScanResult r;
    r.engine = o.value(u"engine"_s).toString(u"wharf"_s);
    r.digest = o.value(u"digest"_s).toString();
    r.topDigest = o.value(u"topDigest"_s).toString();
    r.registry = o.value(u"registry"_s).toString();
    r.repository = o.value(u"repository"_s).toString();
    r.reference = o.value(u"reference"_s).toString();
    r.platform = o.value(u"platform"_s).toString();
    const QJsonObject os = o.value(u"osInfo"_s).toObject();
    r.os.id = os.value(u"id"_s).toString();
    r.os.versionId = os.value(u"versionId"_s).toString();
    r.os.name = os.value(u"name"_s).toString();
    r.os.prettyName = os.value(u"prettyName"_s).toString();
    r.os.ecosystem = os.value(u"ecosystem"_s).toString();
    r.scannedAt = parseTime(o.value(u"scannedAt"_s).toString());
    r.databaseUpdatedAt = parseTime(o.value(u"databaseUpdatedAt"_s).toString());
    r.databaseNewestModified = parseTime(o.value(u"databaseNewestModified"_s).toString());
    r.packageCount = o.value(u"packages"_s).toInt();
    readCounts(o, &r.counts);
    const QJsonArray layers = o.value(u"layers"_s).toArray();
    for (const QJsonValue &value : layers) {
        const QJsonObject l = value.toObject();
        ScanLayer layer;
        layer.index = l.value(u"index"_s).toInt(-1);
        layer.digest = l.value(u"digest"_s).toString();
        layer.diffId = l.value(u"diffId"_s).toString();
        layer.createdBy = l.value(u"createdBy"_s).toString();
        layer.size = qint64(l.value(u"size"_s).toDouble());
        layer.packages = l.value(u"packages"_s).toInt();
        readCounts(l, &layer.counts);
        r.layers.append(layer);
    }
    const QJsonArray vulnerabilities = o.value(u"vulnerabilities"_s).toArray();
    for (const QJsonValue &value : vulnerabilities) {
        const QJsonObject v = value.toObject();
        ScanFinding f;
        f.id = v.value(u"id"_s).toString();
        f.aliases = stringList(v.value(u"aliases"_s));
        f.package = v.value(u"package"_s).toString();
        f.packages = stringList(v.value(u"packages"_s));
        if (f.packages.isEmpty() && !f.package.isEmpty())
            f.packages.append(f.package);
        f.packageType = v.value(u"packageType"_s).toString();
        f.sourcePackage = v.value(u"sourcePackage"_s).toString();
        f.installedVersion = v.value(u"installedVersion"_s).toString();
        f.sourceVersion = v.value(u"sourceVersion"_s).toString();
        f.fixedVersion = v.value(u"fixedVersion"_s).toString();
        f.severity = severityFromJson(v.value(u"severity"_s).toString());
        if (v.value(u"cvssScore"_s).isDouble())
            f.cvssScore = v.value(u"cvssScore"_s).toDouble();
        f.cvssVector = v.value(u"cvssVector"_s).toString();
        f.title = v.value(u"title"_s).toString();
        f.primaryUrl = v.value(u"primaryUrl"_s).toString();
        f.ecosystem = v.value(u"ecosystem"_s).toString();
        f.layerIndex = v.value(u"layerIndex"_s).toInt(-1);
        f.layerDigest = v.value(u"layerDigest"_s).toString();
        f.diffId = v.value(u"diffId"_s).toString();
        f.createdBy = v.value(u"createdBy"_s).toString();
        r.findings.append(f);
    }
    r.warnings = stringList(o.value(u"warnings"_s));
    return r;
}

} // namespace wharf::scan
