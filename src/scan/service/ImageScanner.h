#pragma once

#include "ScanResult.h"
#include "scan/image/ImageAnalyzer.h"
#include "scan/image/ImageInventory.h"

#include "Expected.h"

#include <QList>

#include <atomic>

namespace wharf::scan {

class VulnerabilityDatabase;

// The blocking half of a scan, for a worker thread: reads the layers through ImageAnalyzer,
// then matches the installed packages against the vulnerability database (its own
// connection, opened on this thread) by source package and the OS ecosystem. ScanJob runs it
// on a pool thread; tests and tools can run it directly with any LayerSource factory.
class ImageScanner
{
public:
    struct Options
    {
        QString databasePath;
        LayerReader::Limits limits;
    };

    ImageScanner(QList<ImageLayer> layers, ImageAnalyzer::SourceFactory factory, Options options);

    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    void setProgressCallback(ImageAnalyzer::ProgressCallback progress)
    {
        m_progress = std::move(progress);
    }
    void setLayerStartedCallback(ImageAnalyzer::LayerStartedCallback callback)
    {
        m_layerStarted = std::move(callback);
    }

    // Image fields (os, packages, findings, layers, database dates, scannedAt); the caller adds
    // what it knows about the reference (registry, repository, digests, platform).
    Expected<ScanResult> run();

    // Checks that a usable database exists at path without creating one; the error tells the
    // user how to get one.
    static std::optional<Error> checkDatabase(const QString &path);
    // Findings for an analysed image, one per (vulnerability, source package), attributed to
    // the lowest layer that introduced one of its binaries.
    static QList<ScanFinding> match(const ImageInventory &inventory, VulnerabilityDatabase &db);
    // A result from an inventory and its findings (layers, counts, sorted findings).
    static ScanResult resultFor(const ImageInventory &inventory, QList<ScanFinding> findings);

private:
    QList<ImageLayer> m_layers;
    ImageAnalyzer::SourceFactory m_factory;
    Options m_options;
    const std::atomic_bool *m_cancel = nullptr;
    ImageAnalyzer::ProgressCallback m_progress;
    ImageAnalyzer::LayerStartedCallback m_layerStarted;
};

} // namespace wharf::scan
