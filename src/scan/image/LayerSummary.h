#pragma once

#include "LayerFormat.h"

#include <QString>
#include <QStringList>

namespace wharf::scan {

// One analysed layer, for the per-layer view of scan results.
struct LayerSummary
{
    int index = -1;    // position among the image's non-empty layers, bottom first
    QString digest;    // verified (or, when none was given, computed) blob digest
    QString diffId;    // verified (or computed) uncompressed digest
    QString mediaType; // as declared
    LayerCompression compression = LayerCompression::Unknown; // as sniffed
    qint64 compressedBytes = 0;
    qint64 uncompressedBytes = 0;
    QString createdBy; // config history entry
    int packagesIntroduced = 0;
    QStringList warnings;
};

} // namespace wharf::scan
