#pragma once

#include "Descriptor.h"
#include "TarEntry.h"

#include <QList>
#include <QString>

namespace wharf::test {

// A layer blob written with libarchive. Output is deterministic (fixed mtime, uid/gid from the
// entries, no gzip timestamp), so the same entries always give the same digests.
struct TarLayer
{
    enum class Compression { None, Gzip, Zstd };
    enum class Format { Oci, Docker }; // which family of layer media types to use

    Descriptor descriptor;   // compressed blob: mediaType, digest, size, bytes
    QString diffId;          // sha256 of the uncompressed tar (config rootfs.diff_ids)
    QByteArray uncompressed; // the tar itself
    Compression compression = Compression::Gzip;

    // Mtime stamped on every entry: 2024-01-01T00:00:00Z.
    static constexpr qint64 FixedMtime = 1704067200;

    // Returns an empty descriptor digest and sets *error when libarchive fails.
    static TarLayer build(const QList<TarEntry> &entries, Compression compression,
                          Format format = Format::Oci, QString *error = nullptr);
    static QString mediaTypeFor(Compression compression, Format format);
};

} // namespace wharf::test
