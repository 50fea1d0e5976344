#include "ImageAnalyzer.h"

#include "LayerMerger.h"
#include "OsDetector.h"
#include "PackageAttributor.h"
#include "PackageDbCollector.h"

namespace wharf::scan {

namespace {

QString shortDigest(const QString &digest)
{
    return digest.left(digest.indexOf(u':') + 13);
}

// Unchanged databases share their data with the previous state: compare pointers before
// comparing up to 64 MiB of bytes.
bool sameFiles(const QMap<QString, QByteArray> &a, const QMap<QString, QByteArray> &b)
{
    if (a.size() != b.size())
        return false;
    for (auto i = a.cbegin(), j = b.cbegin(); i != a.cend(); ++i, ++j) {
        if (i.key() != j.key())
            return false;
        if (i.value().constData() != j.value().constData() && i.value() != j.value())
            return false;
    }
    return true;
}

} // namespace

ImageAnalyzer::ImageAnalyzer(QList<ImageLayer> layers, SourceFactory factory)
    : m_layers(std::move(layers))
    , m_factory(std::move(factory))
{}

std::optional<ImageInventory> ImageAnalyzer::run()
{
    m_error = LayerReader::ErrorKind::None;
    m_errorString.clear();
    m_failedLayer = -1;

    ImageInventory inventory;
    LayerMerger merger;
    PackageAttributor attributor;
    QMap<QString, QByteArray> lastDatabases;
    QList<InstalledPackage> packages;
    QStringList packageWarnings;
    qint64 totalBefore = 0;

    auto failAt = [&](int index, LayerReader::ErrorKind kind, const QString &text) {
        m_error = kind;
        m_failedLayer = index;
        const ImageLayer &layer = m_layers[index];
        m_errorString =
            u"layer " + QString::number(index + 1) + u'/' + QString::number(m_layers.size()) +
            (layer.digest.isEmpty() ? QString() : u" (" + shortDigest(layer.digest) + u')') +
            u": " + text;
        return std::nullopt;
    };

    for (int index = 0; index < m_layers.size(); ++index) {
        const ImageLayer &layer = m_layers[index];
        if (m_cancel && m_cancel->load())
            return failAt(index, LayerReader::ErrorKind::Cancelled, QStringLiteral("cancelled"));
        if (m_layerStarted)
            m_layerStarted(index);

        QString openError;
        std::unique_ptr<LayerSource> source =
            m_factory ? m_factory(index, layer, &openError) : nullptr;
        if (!source)
            return failAt(index, LayerReader::ErrorKind::Source,
                          openError.isEmpty() ? QStringLiteral("cannot fetch the layer")
                                              : openError);

        LayerReader reader;
        reader.setLimits(m_limits);
        reader.setCancelFlag(m_cancel);
        if (m_progress)
            reader.setProgressCallback([this, index, totalBefore](qint64 bytes) {
                m_progress(index, bytes, totalBefore + bytes);
            });
        const std::optional<LayerContents> contents = reader.read(*source, layer);
        if (!contents)
            return failAt(index, reader.error(), reader.errorString());
        totalBefore += contents->compressedBytes;

        merger.apply(*contents);
        // Parse only when a package database changed: most layers touch none.
        QMap<QString, QByteArray> databases = PackageDbCollector::databaseFiles(merger.tree());
        if (index == 0 || !sameFiles(databases, lastDatabases)) {
            packageWarnings.clear();
            packages = PackageDbCollector::collect(merger.tree(), &packageWarnings);
            lastDatabases = std::move(databases);
        }
        attributor.addLayer(packages);

        LayerSummary summary;
        summary.index = index;
        summary.digest = contents->digest;
        summary.diffId = contents->diffId;
        summary.mediaType = layer.mediaType;
        summary.compression = contents->compression;
        summary.compressedBytes = contents->compressedBytes;
        summary.uncompressedBytes = contents->uncompressedBytes;
        summary.createdBy = layer.createdBy;
        summary.warnings = contents->warnings;
        for (const QString &w : contents->warnings)
            inventory.warnings.append(u"layer " + QString::number(index + 1) + u": " + w);
        inventory.layers.append(summary);
    }

    attributor.attribute(packages);
    for (const InstalledPackage &p : packages) {
        if (p.layerIndex >= 0 && p.layerIndex < inventory.layers.size())
            ++inventory.layers[p.layerIndex].packagesIntroduced;
    }
    inventory.packages = packages;
    inventory.warnings += packageWarnings;

    inventory.os = OsDetector::detect(merger.tree().resolvedFiles());
    if (m_layers.isEmpty())
        inventory.warnings.append(QStringLiteral("the image has no layers"));
    if (!inventory.os.isKnown())
        inventory.warnings.append(QStringLiteral("no OS release file found: OS unknown"));
    else if (inventory.os.ecosystem.isEmpty())
        inventory.warnings.append(u"OS \"" + inventory.os.id + u"\" " + inventory.os.versionId +
                                  u" has no OSV ecosystem Wharf knows: its packages cannot be "
                                  u"matched");
    return inventory;
}

} // namespace wharf::scan
