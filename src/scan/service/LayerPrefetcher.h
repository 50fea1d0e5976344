#pragma once

#include "scan/image/ImageLayer.h"
#include "scan/image/LayerSource.h"

#include <QList>
#include <QString>

#include <memory>

namespace wharf {
class RegistryClient;
}

namespace wharf::scan {

// Hands ImageAnalyzer one RegistryLayerSource per layer and, when prefetching, starts the next
// layer's transfer as soon as the current one has fully arrived in its buffer: the request's
// round trips and the next buffer's worth of bytes overlap with parsing the rest of the current
// layer, while at most two layers of one image are in flight (each bounded by its buffer).
// Thread-safe: take() runs on the scan thread, transfer callbacks on the client's thread.
class LayerPrefetcher
{
public:
    LayerPrefetcher(RegistryClient *client, const QString &repository, QList<ImageLayer> layers,
                    qint64 bufferBytes, bool prefetch);
    ~LayerPrefetcher();
    LayerPrefetcher(const LayerPrefetcher &) = delete;
    LayerPrefetcher &operator=(const LayerPrefetcher &) = delete;

    // The source of layer index, started (already running when it was prefetched).
    std::unique_ptr<LayerSource> take(int index, QString *error);
    // Cancels every transfer this prefetcher started; readers blocked in read() return -1.
    void cancelAll();
    // The largest amount any layer's buffer held (the memory bound in practice).
    qint64 peakBufferedBytes() const;
    int transfersStarted() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace wharf::scan
