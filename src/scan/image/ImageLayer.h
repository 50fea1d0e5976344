#pragma once

#include <QString>

namespace wharf::scan {

// What the manifest and config say about one (non-empty) layer, in manifest order.
struct ImageLayer
{
    QString digest;    // compressed blob digest from the manifest; empty = not verified
    qint64 size = -1;  // blob size from the manifest; -1 = unknown
    QString mediaType; // declared layer media type
    QString diffId;    // config rootfs.diff_ids[i]; empty = not verified
    QString createdBy; // config history[].created_by, empty_layer entries skipped
};

} // namespace wharf::scan
