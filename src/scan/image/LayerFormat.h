#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wharf::scan {

enum class LayerCompression { Tar, Gzip, Zstd, Unknown };

// Layer media types and magic-byte sniffing.
class LayerFormat
{
public:
    // Bytes sniff() wants to see: the tar "ustar" magic sits at offset 257.
    static constexpr qsizetype SniffBytes = 512;

    // gzip 1f 8b, zstd 28 b5 2f fd, tar when "ustar" is at offset 257 (or the first block is
    // all zeros: an empty tar); Unknown otherwise (a pre-POSIX tar, or not a tar at all).
    static LayerCompression sniff(QByteArrayView head);
    // Compression a layer media type declares (OCI, non-distributable, Docker, foreign);
    // nullopt for types that are not tar layers or not known.
    static std::optional<LayerCompression> fromMediaType(const QString &mediaType);
    static QString name(LayerCompression compression);
};

} // namespace wharf::scan
