#include "ImageScanner.h"

#include "scan/vuln/VulnerabilityDatabase.h"

#include <QFileInfo>
#include <QHash>
#include <QMap>

using namespace Qt::StringLiterals;

namespace wharf::scan {

namespace {

Error::Kind errorKindFor(LayerReader::ErrorKind kind)
{
    switch (kind) {
    case LayerReader::ErrorKind::DigestMismatch:
    case LayerReader::ErrorKind::DiffIdMismatch:
        return Error::Kind::DigestMismatch;
    case LayerReader::ErrorKind::TooLarge:
        return Error::Kind::TooLarge;
    case LayerReader::ErrorKind::Cancelled:
        return Error::Kind::Cancelled;
    case LayerReader::ErrorKind::Format:
    case LayerReader::ErrorKind::SizeMismatch:
        return Error::Kind::Protocol;
    case LayerReader::ErrorKind::Source:
    case LayerReader::ErrorKind::None:
        break;
    }
    return Error::Kind::Network;
}

QString howToGetADatabase()
{
    return u"Import an OSV export with `wharfctl db import <ECOSYSTEM>-all.zip` or download one "
           u"with `wharfctl db update` (e.g. --ecosystem Ubuntu)."_s;
}

} // namespace

ImageScanner::ImageScanner(QList<ImageLayer> layers, ImageAnalyzer::SourceFactory factory,
                           Options options)
    : m_layers(std::move(layers))
    , m_factory(std::move(factory))
    , m_options(std::move(options))
{}

std::optional<Error> ImageScanner::checkDatabase(const QString &path)
{
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return Error::make(Error::Kind::InvalidInput,
                           u"There is no vulnerability database at %1. "_s.arg(path) +
                               howToGetADatabase());
    return std::nullopt;
}

Expected<ScanResult> ImageScanner::run()
{
    if (auto error = checkDatabase(m_options.databasePath))
        return *error;
    // Opened first so that a broken database fails before any layer is downloaded.
    VulnerabilityDatabase db;
    if (!db.open(m_options.databasePath))
        return Error::make(Error::Kind::Io, u"Cannot open the vulnerability database %1: %2"_s.arg(
                                                m_options.databasePath, db.lastError()));
    const VulnerabilityDatabase::Status status = db.status();
    if (!status.ok)
        return Error::make(Error::Kind::Io, u"Cannot read the vulnerability database %1: %2"_s.arg(
                                                m_options.databasePath, status.error));
    if (status.totalRecords == 0)
        return Error::make(
            Error::Kind::InvalidInput,
            u"The vulnerability database %1 is empty. "_s.arg(m_options.databasePath) +
                howToGetADatabase());

    ImageAnalyzer analyzer(m_layers, m_factory);
    analyzer.setLimits(m_options.limits);
    analyzer.setCancelFlag(m_cancel);
    analyzer.setProgressCallback(m_progress);
    analyzer.setLayerStartedCallback(m_layerStarted);
    const std::optional<ImageInventory> inventory = analyzer.run();
    if (!inventory) {
        const bool cancelled =
            analyzer.error() == LayerReader::ErrorKind::Cancelled || (m_cancel && m_cancel->load());
        return Error::make(cancelled ? Error::Kind::Cancelled : errorKindFor(analyzer.error()),
                           cancelled ? u"Cancelled"_s : analyzer.errorString());
    }
    if (m_cancel && m_cancel->load())
        return Error::make(Error::Kind::Cancelled, u"Cancelled"_s);

    ScanResult result = resultFor(*inventory, match(*inventory, db));
    result.scannedAt = QDateTime::currentDateTimeUtc();
    result.databaseUpdatedAt = status.lastChange;
    result.databaseNewestModified = status.newestModified;
    const QString ecosystem = inventory->os.ecosystem;
    if (!ecosystem.isEmpty()) {
        bool covered = false;
        for (const auto &e : status.ecosystems)
            covered = covered || (e.ecosystem == ecosystem && e.recordCount > 0);
        if (!covered)
            result.warnings.append(
                u"the vulnerability database holds no records for %1: nothing could match. Run "
                u"`wharfctl db update --ecosystem %2`."_s.arg(ecosystem,
                                                              ecosystem.section(u':', 0, 0)));
    }
    return result;
}

QList<ScanFinding> ImageScanner::match(const ImageInventory &inventory, VulnerabilityDatabase &db)
{
    const QString ecosystem = inventory.os.ecosystem;
    if (ecosystem.isEmpty())
        return {};
    // One lookup per source package version; binaries of one source share the answer.
    QHash<QString, QList<VulnerabilityFinding>> bySource;
    // (id, source, source version) -> finding; QMap keeps the output deterministic.
    QMap<QString, ScanFinding> grouped;
    QHash<QString, QString> installedVersionOf; // binary package -> version
    for (const InstalledPackage &p : inventory.packages) {
        if (p.sourceName.isEmpty() || p.sourceVersion.isEmpty())
            continue;
        installedVersionOf.insert(p.name, p.version);
        const QString sourceKey = p.sourceName + u'\n' + p.sourceVersion;
        auto it = bySource.find(sourceKey);
        if (it == bySource.end())
            it = bySource.insert(sourceKey, db.match(ecosystem, p.sourceName, p.sourceVersion));
        for (const VulnerabilityFinding &f : std::as_const(*it)) {
            ScanFinding &finding = grouped[f.id + u'\n' + sourceKey];
            if (finding.id.isEmpty()) {
                finding.id = f.id;
                finding.aliases = f.aliases;
                finding.packageType = InstalledPackage::kindName(p.kind);
                finding.sourcePackage = p.sourceName;
                finding.sourceVersion = p.sourceVersion;
                finding.fixedVersion = f.fixedVersion;
                finding.severity = f.severity;
                finding.cvssScore = f.cvssScore;
                finding.cvssVector = f.cvssVector;
                finding.title = f.summary;
                finding.primaryUrl = f.primaryUrl;
                finding.ecosystem = ecosystem;
            }
            if (!finding.packages.contains(p.name))
                finding.packages.append(p.name);
            if (p.layerIndex >= 0 && (finding.layerIndex < 0 || p.layerIndex < finding.layerIndex))
                finding.layerIndex = p.layerIndex;
        }
    }
    QList<ScanFinding> findings;
    findings.reserve(grouped.size());
    for (ScanFinding &finding : grouped) {
        finding.packages.sort();
        finding.package = finding.packages.contains(finding.sourcePackage)
                              ? finding.sourcePackage
                              : finding.packages.value(0);
        finding.installedVersion = installedVersionOf.value(finding.package);
        for (const LayerSummary &layer : inventory.layers) {
            if (layer.index == finding.layerIndex) {
                finding.layerDigest = layer.digest;
                finding.diffId = layer.diffId;
                finding.createdBy = layer.createdBy;
            }
        }
        findings.append(std::move(finding));
    }
    return findings;
}

ScanResult ImageScanner::resultFor(const ImageInventory &inventory, QList<ScanFinding> findings)
{
    ScanResult result;
    result.os = inventory.os;
    result.packageCount = int(inventory.packages.size());
    result.warnings = inventory.warnings;
    for (const LayerSummary &summary : inventory.layers) {
        ScanLayer layer;
        layer.index = summary.index;
        layer.digest = summary.digest;
        layer.diffId = summary.diffId;
        layer.createdBy = summary.createdBy;
        layer.size = summary.compressedBytes;
        layer.packages = summary.packagesIntroduced;
        result.layers.append(layer);
    }
    result.findings = std::move(findings);
    result.sortFindings();
    result.recount();
    return result;
}

} // namespace wharf::scan
