#include "ScanExporter.h"

#include "ScanResultJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

using namespace Qt::StringLiterals;

namespace wharf::scan {

std::optional<ScanExporter::Format> ScanExporter::formatFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == u"json"_s)
        return Format::Json;
    if (n == u"csv"_s)
        return Format::Csv;
    if (n == u"sarif"_s)
        return Format::Sarif;
    return std::nullopt;
}

QString ScanExporter::formatName(Format format)
{
    switch (format) {
    case Format::Csv:
        return u"csv"_s;
    case Format::Sarif:
        return u"sarif"_s;
    case Format::Json:
        break;
    }
    return u"json"_s;
}

QByteArray ScanExporter::exportResult(const ScanResult &result, Format format)
{
    switch (format) {
    case Format::Csv:
        return toCsv(result);
    case Format::Sarif:
        return QJsonDocument(toSarif(result)).toJson(QJsonDocument::Indented);
    case Format::Json:
        break;
    }
    return QJsonDocument(ScanResultJson::toJson(result)).toJson(QJsonDocument::Indented);
}

QStringList ScanExporter::csvHeader()
{
    return {u"severity"_s,
            u"id"_s,
            u"aliases"_s,
            u"package"_s,
            u"packages"_s,
            u"sourcePackage"_s,
            u"installedVersion"_s,
            u"fixedVersion"_s,
            u"cvssScore"_s,
            u"layerIndex"_s,
            u"layerDigest"_s,
            u"createdBy"_s,
            u"title"_s,
            u"url"_s};
}

QString ScanExporter::csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n') &&
        !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

QByteArray ScanExporter::toCsv(const ScanResult &result)
{
    QString out;
    auto writeRow = [&out](const QStringList &fields) {
        QStringList escaped;
        escaped.reserve(fields.size());
        for (const QString &f : fields)
            escaped.append(csvField(f));
        out += escaped.join(u',') + u"\r\n"_s;
    };
    writeRow(csvHeader());
    for (const ScanFinding &f : result.findings) {
        writeRow({severityName(f.severity), f.id, f.aliases.join(u' '), f.package,
                  f.packages.join(u' '), f.sourcePackage, f.installedVersion, f.fixedVersion,
                  f.cvssScore ? QString::number(*f.cvssScore, 'f', 1) : QString(),
                  f.layerIndex >= 0 ? QString::number(f.layerIndex) : QString(), f.layerDigest,
                  f.createdBy, f.title, f.primaryUrl});
    }
    return out.toUtf8();
}

QString ScanExporter::imageUri(const ScanResult &result)
{
    QString uri = u"oci://"_s;
    if (!result.registry.isEmpty())
        uri += result.registry + u'/';
    uri += result.repository;
    if (!result.digest.isEmpty())
        uri += u'@' + result.digest;
    return uri;
}

QString ScanExporter::sarifLevel(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
    case Severity::High:
        return u"error"_s;
    case Severity::Medium:
        return u"warning"_s;
    case Severity::Low:
    case Severity::Negligible:
    case Severity::Unknown:
        break;
    }
    return u"note"_s;
}

QString ScanExporter::securitySeverity(const ScanFinding &finding)
{
    if (finding.cvssScore)
        return QString::number(*finding.cvssScore, 'f', 1);
    // Middle of each CVSS band, so dashboards sort vendor-rated findings sensibly.
    switch (finding.severity) {
    case Severity::Critical:
        return u"9.5"_s;
    case Severity::High:
        return u"8.0"_s;
    case Severity::Medium:
        return u"5.5"_s;
    case Severity::Low:
        return u"2.0"_s;
    case Severity::Negligible:
    case Severity::Unknown:
        break;
    }
    return u"0.0"_s;
}

QJsonObject ScanExporter::toSarif(const ScanResult &result)
{
    // One rule per vulnerability id, described by its worst finding.
    QMap<QString, int> ruleIndex;
    QJsonArray rules;
    for (const ScanFinding &f : result.findings) {
        if (ruleIndex.contains(f.id))
            continue;
        ruleIndex.insert(f.id, int(rules.size()));
        const QString text = f.title.isEmpty() ? f.id : f.title;
        QJsonObject rule{
            {u"id"_s, f.id},
            {u"name"_s, u"OsPackageVulnerability"_s},
            {u"shortDescription"_s, QJsonObject{{u"text"_s, text}}},
            {u"fullDescription"_s,
             QJsonObject{
                 {u"text"_s, f.aliases.isEmpty()
                                 ? text
                                 : QString(text + u" ("_s + f.aliases.join(u", "_s) + u')')}}},
            {u"defaultConfiguration"_s, QJsonObject{{u"level"_s, sarifLevel(f.severity)}}},
            {u"help"_s,
             QJsonObject{{u"text"_s, u"Vulnerability %1\nSeverity: %2\nPackage: %3\nFixed "
                                     u"version: %4\nLink: %5"_s.arg(
                                         f.id, severityName(f.severity), f.sourcePackage,
                                         f.fixedVersion.isEmpty() ? u"none"_s : f.fixedVersion,
                                         f.primaryUrl)}}},
            {u"properties"_s,
             QJsonObject{{u"security-severity"_s, securitySeverity(f)},
                         {u"precision"_s, u"very-high"_s},
                         {u"tags"_s, QJsonArray{u"vulnerability"_s, u"security"_s,
                                                severityName(f.severity).toUpper()}}}},
        };
        if (!f.primaryUrl.isEmpty())
            rule.insert(u"helpUri"_s, f.primaryUrl);
        rules.append(rule);
    }

    const QString image = imageUri(result);
    QJsonArray results;
    for (const ScanFinding &f : result.findings) {
        const QString fixed =
            f.fixedVersion.isEmpty() ? u"no fix released"_s : u"fixed in "_s + f.fixedVersion;
        const QString message =
            u"%1: package %2 %3 (source %4) is vulnerable, %5. Severity %6."_s.arg(
                f.id, f.package, f.installedVersion, f.sourcePackage, fixed,
                severityName(f.severity));
        QJsonArray locations;
        QJsonObject imageLocation{
            {u"physicalLocation"_s,
             QJsonObject{{u"artifactLocation"_s, QJsonObject{{u"uri"_s, image}}}}},
            {u"message"_s, QJsonObject{{u"text"_s, QString(u"image "_s + image)}}}};
        locations.append(imageLocation);
        if (!f.layerDigest.isEmpty()) {
            const QString layerText = u"layer %1 (%2)"_s.arg(f.layerIndex)
                                          .arg(f.createdBy.isEmpty() ? f.layerDigest : f.createdBy);
            locations.append(QJsonObject{
                {u"physicalLocation"_s,
                 QJsonObject{{u"artifactLocation"_s,
                              QJsonObject{{u"uri"_s, QString(imageUri(result).section(u'@', 0, 0) +
                                                             u'@' + f.layerDigest)}}}}},
                {u"message"_s, QJsonObject{{u"text"_s, layerText}}}});
        }
        results.append(QJsonObject{
            {u"ruleId"_s, f.id},
            {u"ruleIndex"_s, ruleIndex.value(f.id)},
            {u"level"_s, sarifLevel(f.severity)},
            {u"message"_s, QJsonObject{{u"text"_s, message}}},
            {u"locations"_s, locations},
            {u"partialFingerprints"_s,
             QJsonObject{{u"vulnerabilityAndPackage"_s,
                          QString(f.id + u'/' + f.sourcePackage + u'/' + f.sourceVersion)}}},
            {u"properties"_s, QJsonObject{{u"package"_s, f.package},
                                          {u"sourcePackage"_s, f.sourcePackage},
                                          {u"installedVersion"_s, f.installedVersion},
                                          {u"fixedVersion"_s, f.fixedVersion},
                                          {u"layerIndex"_s, f.layerIndex}}},
        });
    }

    QJsonObject driver{
        {u"name"_s, u"Wharf"_s},
        {u"version"_s, QString::fromLatin1(WHARF_VERSION)},
        {u"informationUri"_s, u"https://github.com/wharf-registry/wharf"_s},
        {u"rules"_s, rules},
    };
    QJsonObject run{
        {u"tool"_s, QJsonObject{{u"driver"_s, driver}}},
        {u"results"_s, results},
        {u"properties"_s, QJsonObject{{u"image"_s, image},
                                      {u"reference"_s, result.reference},
                                      {u"os"_s, result.osDisplayName()},
                                      {u"engine"_s, result.engine}}},
    };
    return QJsonObject{
        {u"$schema"_s, u"https://json.schemastore.org/sarif-2.1.0.json"_s},
        {u"version"_s, u"2.1.0"_s},
        {u"runs"_s, QJsonArray{run}},
    };
}

} // namespace wharf::scan
