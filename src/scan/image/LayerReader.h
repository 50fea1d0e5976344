#pragma once

#include "ImageLayer.h"
#include "LayerContents.h"
#include "LayerPaths.h"
#include "LayerSource.h"

#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace wharf::scan {

// Streams one layer blob through decompression and tar parsing without holding it in memory:
// verifies the blob digest and the diff_id on the fly, keeps only the files of interest
// (LayerPaths) and records whiteouts. Blocking; runs on the caller's (worker) thread.
class LayerReader
{
public:
    enum class ErrorKind {
        None,
        Source,         // the LayerSource failed
        Format,         // not a readable (compressed) tar
        DigestMismatch, // compressed bytes do not hash to the manifest digest
        DiffIdMismatch, // uncompressed tar does not hash to the config diff_id
        SizeMismatch,   // blob length differs from the manifest size
        TooLarge,       // uncompressed size over Limits::maxUncompressedBytes
        Cancelled,
    };

    struct Limits
    {
        qint64 maxReleaseFileBytes = LayerPaths::DefaultMaxReleaseFileBytes;
        qint64 maxPackageDbBytes = LayerPaths::DefaultMaxPackageDbBytes;
        qint64 maxKeptBytes = 256 * 1024 * 1024; // all kept files of one layer together
        qint64 maxUncompressedBytes = 0;         // 0 = no bound (streaming needs no memory)
        int maxWarnings = 20;
    };

    using ProgressCallback = std::function<void(qint64 compressedBytesRead)>;

    LayerReader();

    void setLimits(const Limits &limits) { m_limits = limits; }
    // Polled between reads and tar entries; a set flag ends read() with ErrorKind::Cancelled.
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    // Called after every chunk taken from the source.
    void setProgressCallback(ProgressCallback progress) { m_progress = std::move(progress); }

    // Reads the whole blob from source. layer.digest / layer.diffId / layer.size are verified
    // when set; layer.mediaType is compared with the sniffed compression (a mismatch is a
    // warning and the sniffed format wins). nullopt on failure: see error() / errorString().
    std::optional<LayerContents> read(LayerSource &source, const ImageLayer &layer);

    ErrorKind error() const { return m_error; }
    QString errorString() const { return m_errorString; }

private:
    struct Run;
    friend struct Run;

    Limits m_limits;
    const std::atomic_bool *m_cancel = nullptr;
    ProgressCallback m_progress;
    ErrorKind m_error = ErrorKind::None;
    QString m_errorString;
};

} // namespace wharf::scan
