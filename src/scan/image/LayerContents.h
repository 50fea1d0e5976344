#pragma once

#include "LayerFormat.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace wharf::scan {

// What one layer contributes to the scanner: the few files that matter and its whiteouts.
// Paths are normalised ("etc/os-release").
struct LayerContents
{
    QString digest; // computed digest of the compressed blob
    QString diffId; // computed digest of the uncompressed tar
    LayerCompression compression = LayerCompression::Unknown; // sniffed
    qint64 compressedBytes = 0;
    qint64 uncompressedBytes = 0;
    qint64 entryCount = 0; // tar entries, whiteouts included

    QMap<QString, QByteArray> keptFiles; // regular files of interest, within their size bound
    // Symlinks at paths of interest or at their directories ("lib" -> "usr/lib"): path -> target
    QMap<QString, QString> symlinks;
    // Paths of interest present in this layer without kept data (rpm BDB/NDB databases, files
    // over their bound, hard links to files not kept, a non-directory where one of their
    // directories would be): they still hide lower versions.
    QMap<QString, qint64> otherFiles;
    // Whiteouts that can affect a tracked path (LayerPaths::classifyWithAncestors), in tar order:
    QStringList whiteouts;  // ".wh.<name>": removes <name> (and what is below it) from lower layers
    QStringList opaqueDirs; // ".wh..wh..opq": hides every lower child of the directory ("" = root)
    qint64 whiteoutCount = 0; // all whiteout and opaque entries of the layer
    QStringList warnings;
};

} // namespace wharf::scan
