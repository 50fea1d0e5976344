#pragma once

#include "Expected.h"
#include "ManifestNode.h"

#include <QObject>
#include <QStringList>

#include <functional>

namespace wharf {

class Manifest;
class RegistryClient;

// Everything one manifest is made of, as nodes: the manifest first, then every manifest below
// it (children of indexes, attestations and artifacts included, nested indexes walked).
struct ManifestTree
{
    QList<ManifestNode> nodes;
    QStringList errors; // children that could not be read

    const ManifestNode &root() const { return nodes.first(); }
};

// Fetches a manifest by digest and, for an index, every manifest it lists — unlike
// ImageResolver, which skips attestations and unknown types, this sees every blob that garbage
// collection would follow. Fetches by digest are served from the content cache when possible.
class ManifestWalker
{
public:
    using Callback = std::function<void(Expected<ManifestTree>)>;

    static void walk(RegistryClient *client, const QString &repository, const Digest &digest,
                     QObject *context, Callback done, int maxDepth = 4);

    // The node for a manifest already in hand.
    static ManifestNode nodeFor(const QString &repository, const Digest &digest, qint64 size,
                                const Manifest &manifest);
};

} // namespace wharf
