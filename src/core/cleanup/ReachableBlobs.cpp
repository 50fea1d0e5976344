#include "ReachableBlobs.h"

#include "jobs/InventoryJob.h"
#include "model/ImageInfo.h"

namespace wharf {

namespace {

QString keyOf(const QString &repository, const Digest &digest)
{
    return repository + u'@' + digest.toString();
}

} // namespace

void ReachableBlobs::mark(const Digest &digest)
{
    if (digest.isValid())
        m_marked.insert(digest.toString());
}

void ReachableBlobs::addNode(const ManifestNode &node)
{
    mark(node.digest);
    for (const BlobRef &blob : node.blobs)
        mark(blob.digest);
    for (const BlobRef &child : node.children)
        mark(child.digest);
}

void ReachableBlobs::addImage(const QString &repository, const ResolvedImage &image,
                              const QSet<QString> &deleted)
{
    auto exists = [&](const Digest &d) { return !deleted.contains(keyOf(repository, d)); };
    auto markPlatform = [this](const ImagePlatform &p) {
        mark(p.digest);
        if (!p.config.isForeignLayer())
            mark(p.config.digest);
        for (const Descriptor &layer : p.layers) {
            if (!layer.isForeignLayer())
                mark(layer.digest);
        }
    };
    if (!image.isIndex) {
        if (!exists(image.digest))
            return;
        mark(image.digest);
        for (const ImagePlatform &p : image.platforms)
            markPlatform(p);
        return;
    }
    // Nested indexes are flattened in a ResolvedImage, so which index lists which child is
    // not known here: any surviving index of the tree keeps every manifest in it.
    bool anIndexSurvives = exists(image.digest);
    for (const Digest &nested : image.childIndexes)
        anIndexSurvives = anIndexSurvives || exists(nested);
    if (exists(image.digest))
        mark(image.digest);
    for (const Digest &nested : image.childIndexes) {
        if (anIndexSurvives || exists(nested))
            mark(nested);
    }
    for (const ImagePlatform &p : image.platforms) {
        if (exists(p.digest))
            markPlatform(p);
        else if (anIndexSurvives)
            mark(p.digest);
    }
    for (const ImageAttestation &a : image.attestations) {
        if (exists(a.digest) || anIndexSurvives)
            mark(a.digest);
    }
}

void ReachableBlobs::addInventory(const Inventory &inventory, const QSet<QString> &deleted)
{
    for (const InventoryRepository &repo : inventory.repositories) {
        for (const InventoryTag &tag : repo.tags) {
            if (tag.image)
                addImage(repo.name, *tag.image, deleted);
        }
    }
}

} // namespace wharf
