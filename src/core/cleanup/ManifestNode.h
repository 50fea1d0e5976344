#pragma once

#include "reference/Digest.h"

#include <QList>
#include <QString>

namespace wharf {

// A blob stored in the registry, as a manifest references it.
struct BlobRef
{
    Digest digest;
    qint64 size = 0;

    friend bool operator==(const BlobRef &a, const BlobRef &b) = default;
};

// One manifest and what it keeps alive in the registry's storage: what garbage collection
// follows from it. Indexes reference their child manifests; image manifests and artifacts
// reference their config and layers.
struct ManifestNode
{
    QString repository;
    Digest digest;
    QString mediaType;
    qint64 size = 0; // bytes of the manifest itself (it is stored as a blob too)
    bool isIndex = false;
    QList<BlobRef> blobs;    // config + layers kept in the registry (foreign layers left out)
    QList<BlobRef> children; // manifests an index lists
    Digest subject;          // OCI 1.1 subject, when the manifest has one
    QString artifactType;

    QString key() const { return repository + u'@' + digest.toString(); }
};

} // namespace wharf
