#pragma once

#include "ManifestNode.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace wharf {

struct Inventory;
struct ResolvedImage;

// The mark phase of the registry's garbage collector, modelled on what Wharf can see: every
// manifest that still exists in any repository keeps itself and what it references (an index
// its child manifests, an image its config and layers). A blob nothing marks is what
// `registry garbage-collect` (without --delete-untagged) would free.
//
// Manifests are identified per repository ("repo@digest"): deleting a manifest from one
// repository leaves the same digest in another one alive.
class ReachableBlobs
{
public:
    // Marks what every tagged image of the inventory keeps alive, except the manifests listed
    // in `deleted` ("repo@digest"). Children of an index count as existing unless deleted
    // themselves: deleting an index leaves them in storage, untagged.
    void addInventory(const Inventory &inventory, const QSet<QString> &deleted = {});
    void addImage(const QString &repository, const ResolvedImage &image,
                  const QSet<QString> &deleted = {});
    // A manifest known to exist (for example an untagged child of a deleted index).
    void addNode(const ManifestNode &node);
    void mark(const Digest &digest);

    bool contains(const Digest &digest) const { return m_marked.contains(digest.toString()); }
    qsizetype count() const { return m_marked.size(); }

private:
    QSet<QString> m_marked;
};

} // namespace wharf
