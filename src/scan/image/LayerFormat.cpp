#include "LayerFormat.h"

namespace wharf::scan {

LayerCompression LayerFormat::sniff(QByteArrayView head)
{
    if (head.size() >= 2 && uchar(head[0]) == 0x1f && uchar(head[1]) == 0x8b)
        return LayerCompression::Gzip;
    if (head.size() >= 4 && uchar(head[0]) == 0x28 && uchar(head[1]) == 0xb5 &&
        uchar(head[2]) == 0x2f && uchar(head[3]) == 0xfd)
        return LayerCompression::Zstd;
    // POSIX ("ustar\0") and GNU ("ustar ") both start with these five bytes.
    if (head.size() >= 262 && head.sliced(257, 5) == QByteArrayView("ustar"))
        return LayerCompression::Tar;
    // An empty tar is just its end-of-archive (zero) blocks.
    if (head.size() >= 512 && head.first(512).count('\0') == 512)
        return LayerCompression::Tar;
    return LayerCompression::Unknown;
}

std::optional<LayerCompression> LayerFormat::fromMediaType(const QString &mediaType)
{
    const QString type = mediaType.trimmed().toLower();
    // OCI: application/vnd.oci.image.layer[.nondistributable].v1.tar[+gzip|+zstd]
    if (type.startsWith(u"application/vnd.oci.image.layer.")) {
        if (type.endsWith(u".tar"))
            return LayerCompression::Tar;
        if (type.endsWith(u".tar+gzip"))
            return LayerCompression::Gzip;
        if (type.endsWith(u".tar+zstd"))
            return LayerCompression::Zstd;
        return std::nullopt;
    }
    // Docker: application/vnd.docker.image.rootfs[.foreign].diff.tar[.gzip|.zstd]
    if (type.startsWith(u"application/vnd.docker.image.rootfs.")) {
        if (type.endsWith(u".diff.tar"))
            return LayerCompression::Tar;
        if (type.endsWith(u".diff.tar.gzip"))
            return LayerCompression::Gzip;
        if (type.endsWith(u".diff.tar.zstd"))
            return LayerCompression::Zstd;
    }
    return std::nullopt;
}

QString LayerFormat::name(LayerCompression compression)
{
    switch (compression) {
    case LayerCompression::Tar:
        return QStringLiteral("tar");
    case LayerCompression::Gzip:
        return QStringLiteral("gzip");
    case LayerCompression::Zstd:
        return QStringLiteral("zstd");
    case LayerCompression::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace wharf::scan
