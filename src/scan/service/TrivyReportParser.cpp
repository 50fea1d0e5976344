#include "TrivyReportParser.h"

#include "ScanResultJson.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace wharf::scan {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        if (v.isString())
            out.append(v.toString());
    }
    return out;
}

} // namespace

std::optional<ScanResult> TrivyReportParser::parse(const QByteArray &json, QString *error)
{
    if (json.size() > MaxReportBytes) {
        fail(error, u"the Trivy report is larger than %1 bytes"_s.arg(MaxReportBytes));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, u"the Trivy report is not a JSON object: %1"_s.arg(
                        parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                     : u"wrong type"_s));
        return std::nullopt;
    }
    return parse(doc.object(), error);
}

std::optional<ScanResult> TrivyReportParser::parse(const QJsonObject &report, QString *error)
{
    const QJsonValue schema = report.value(u"SchemaVersion"_s);
    if (!schema.isDouble()) {
        fail(error, u"not a Trivy JSON report (no SchemaVersion)"_s);
        return std::nullopt;
    }
    if (schema.toInt() != SupportedSchemaVersion) {
        fail(error,
             u"Trivy report SchemaVersion %1 is not supported (expected %2)"_s.arg(schema.toInt())
                 .arg(SupportedSchemaVersion));
        return std::nullopt;
    }
    const QJsonValue resultsValue = report.value(u"Results"_s);
    if (!resultsValue.isUndefined() && !resultsValue.isNull() && !resultsValue.isArray()) {
        fail(error, u"Trivy report: Results must be an array"_s);
        return std::nullopt;
    }

    ScanResult result;
    result.engine = u"trivy"_s;
    result.reference = report.value(u"ArtifactName"_s).toString();
    result.scannedAt = ScanResultJson::parseTime(report.value(u"CreatedAt"_s).toString());
    if (!result.scannedAt.isValid())
        result.scannedAt = QDateTime::currentDateTimeUtc();

    const QJsonObject metadata = report.value(u"Metadata"_s).toObject();
    const QJsonObject os = metadata.value(u"OS"_s).toObject();
    result.os.id = os.value(u"Family"_s).toString().toLower();
    result.os.versionId = os.value(u"Name"_s).toString();
    const QStringList repoDigests = strings(metadata.value(u"RepoDigests"_s));
    if (!repoDigests.isEmpty())
        result.digest = repoDigests.first().section(u'@', 1);
    if (!repoDigests.isEmpty())
        result.repository = repoDigests.first().section(u'@', 0, 0);

    // Layers from the DiffIDs, created_by from the config's non-empty history entries.
    const QStringList diffIds = strings(metadata.value(u"DiffIDs"_s));
    QStringList createdBy;
    const QJsonArray history =
        metadata.value(u"ImageConfig"_s).toObject().value(u"history"_s).toArray();
    for (const QJsonValue &h : history) {
        const QJsonObject entry = h.toObject();
        if (!entry.value(u"empty_layer"_s).toBool())
            createdBy.append(entry.value(u"created_by"_s).toString());
    }
    for (int i = 0; i < diffIds.size(); ++i) {
        ScanLayer layer;
        layer.index = i;
        layer.diffId = diffIds[i];
        layer.createdBy = createdBy.value(i);
        result.layers.append(layer);
    }

    const QJsonArray results = resultsValue.toArray();
    for (int r = 0; r < results.size(); ++r) {
        if (!results[r].isObject()) {
            fail(error, u"Trivy report: Results[%1] must be an object"_s.arg(r));
            return std::nullopt;
        }
        const QJsonObject target = results[r].toObject();
        const QString type = target.value(u"Type"_s).toString();
        const QJsonValue vulnerabilitiesValue = target.value(u"Vulnerabilities"_s);
        if (!vulnerabilitiesValue.isUndefined() && !vulnerabilitiesValue.isNull() &&
            !vulnerabilitiesValue.isArray()) {
            fail(error, u"Trivy report: Results[%1].Vulnerabilities must be an array"_s.arg(r));
            return std::nullopt;
        }
        const QJsonArray vulnerabilities = vulnerabilitiesValue.toArray();
        for (int v = 0; v < vulnerabilities.size(); ++v) {
            const QJsonObject o = vulnerabilities[v].toObject();
            const QString id = o.value(u"VulnerabilityID"_s).toString();
            const QString package = o.value(u"PkgName"_s).toString();
            if (id.isEmpty() || package.isEmpty()) {
                fail(error, u"Trivy report: Results[%1].Vulnerabilities[%2] needs "
                            u"VulnerabilityID and PkgName"_s.arg(r)
                                .arg(v));
                return std::nullopt;
            }
            ScanFinding f;
            f.id = id;
            f.aliases = strings(o.value(u"VendorIDs"_s));
            f.package = package;
            f.packages = {package};
            f.packageType = type;
            f.sourcePackage = o.value(u"SrcName"_s).toString(package);
            f.installedVersion = o.value(u"InstalledVersion"_s).toString();
            f.sourceVersion = o.value(u"SrcVersion"_s).toString(f.installedVersion);
            f.fixedVersion = o.value(u"FixedVersion"_s).toString();
            f.severity = severityFromName(o.value(u"Severity"_s).toString());
            f.title = o.value(u"Title"_s).toString();
            if (f.title.isEmpty())
                f.title = o.value(u"Description"_s).toString().left(200);
            f.primaryUrl = o.value(u"PrimaryURL"_s).toString();
            f.ecosystem = target.value(u"Target"_s).toString();
            // Highest v3 score any vendor gives.
            const QJsonObject cvss = o.value(u"CVSS"_s).toObject();
            for (auto it = cvss.begin(); it != cvss.end(); ++it) {
                const QJsonObject vendor = it.value().toObject();
                const QJsonValue score = vendor.value(u"V3Score"_s);
                if (score.isDouble() && (!f.cvssScore || score.toDouble() > *f.cvssScore)) {
                    f.cvssScore = score.toDouble();
                    f.cvssVector = vendor.value(u"V3Vector"_s).toString();
                }
            }
            const QJsonObject layer = o.value(u"Layer"_s).toObject();
            f.layerDigest = layer.value(u"Digest"_s).toString();
            f.diffId = layer.value(u"DiffID"_s).toString();
            f.layerIndex = f.diffId.isEmpty() ? -1 : int(diffIds.indexOf(f.diffId));
            if (f.layerIndex >= 0) {
                ScanLayer &l = result.layers[f.layerIndex];
                if (l.digest.isEmpty())
                    l.digest = f.layerDigest;
                f.createdBy = l.createdBy;
                if (f.layerDigest.isEmpty())
                    f.layerDigest = l.digest;
            }
            result.findings.append(f);
        }
    }
    result.sortFindings();
    result.recount();
    return result;
}

} // namespace wharf::scan
