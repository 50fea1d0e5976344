#pragma once

#include "ImageInventory.h"
#include "ImageLayer.h"
#include "LayerReader.h"
#include "LayerSource.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace wharf::scan {

// Reads an image's layers bottom-up (verifying every digest), merges what matters, detects
// the OS, lists the installed packages and attributes each to a layer. Blocking and
// single-threaded: run it on a worker thread; it only calls back into the caller.
class ImageAnalyzer
{
public:
    // Opens layer index (called once per layer, in order). May return a source that is
    // already being filled (prefetch). nullptr + *error when the layer cannot be fetched.
    using SourceFactory = std::function<std::unique_ptr<LayerSource>(
        int index, const ImageLayer &layer, QString *error)>;
    // Called before layer index is opened, e.g. to start fetching layer index + 1.
    using LayerStartedCallback = std::function<void(int index)>;
    // Compressed bytes of the current layer read so far, and of the whole image so far.
    using ProgressCallback = std::function<void(int index, qint64 layerBytes, qint64 totalBytes)>;

    ImageAnalyzer(QList<ImageLayer> layers, SourceFactory factory);

    void setLimits(const LayerReader::Limits &limits) { m_limits = limits; }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    void setLayerStartedCallback(LayerStartedCallback callback)
    {
        m_layerStarted = std::move(callback);
    }
    void setProgressCallback(ProgressCallback callback) { m_progress = std::move(callback); }

    // nullopt on failure: a layer that cannot be fetched or read, a digest or diff_id
    // mismatch, or cancellation (see error(), errorString(), failedLayer()).
    std::optional<ImageInventory> run();

    LayerReader::ErrorKind error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    int failedLayer() const { return m_failedLayer; }

private:
    QList<ImageLayer> m_layers;
    SourceFactory m_factory;
    LayerReader::Limits m_limits;
    const std::atomic_bool *m_cancel = nullptr;
    LayerStartedCallback m_layerStarted;
    ProgressCallback m_progress;
    LayerReader::ErrorKind m_error = LayerReader::ErrorKind::None;
    QString m_errorString;
    int m_failedLayer = -1;
};

} // namespace wharf::scan
