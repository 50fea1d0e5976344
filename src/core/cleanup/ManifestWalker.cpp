#include "ManifestWalker.h"

#include "client/RegistryClient.h"
#include "oci/Manifest.h"

#include <QPointer>
#include <QSet>

#include <memory>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

struct Walk : std::enable_shared_from_this<Walk>
{
    RegistryClient *client = nullptr;
    QPointer<QObject> context;
    QString repository;
    Digest root;
    int maxDepth = 4;
    ManifestWalker::Callback done;
    ManifestTree tree;
    QSet<QString> seen;
    int outstanding = 0;
    bool finished = false;

    void fetch(const Digest &digest, int depth)
    {
        if (seen.contains(digest.toString()))
            return;
        seen.insert(digest.toString());
        ++outstanding;
        auto self = shared_from_this();
        client->fetchManifest(repository, digest.toString(), context,
                              [self, digest, depth](Expected<ManifestResult> m) {
                                  self->received(digest, depth, std::move(m));
                              });
    }

    void received(const Digest &digest, int depth, Expected<ManifestResult> m)
    {
        if (finished)
            return;
        if (!m) {
            if (digest == root) {
                finished = true;
                if (context)
                    done(m.error());
                return;
            }
            tree.errors << digest.toString() + u": "_s + m.error().message;
        } else {
            ManifestNode node =
                ManifestWalker::nodeFor(repository, m->digest, m->raw.size(), m->manifest);
            if (digest == root)
                tree.nodes.prepend(node);
            else
                tree.nodes.append(node);
            if (node.isIndex && depth < maxDepth) {
                for (const BlobRef &child : std::as_const(node.children))
                    fetch(child.digest, depth + 1);
            }
        }
        if (--outstanding == 0) {
            finished = true;
            if (context)
                done(std::move(tree));
        }
    }
};

} // namespace

ManifestNode ManifestWalker::nodeFor(const QString &repository, const Digest &digest, qint64 size,
                                     const Manifest &manifest)
{
    ManifestNode node;
    node.repository = repository;
    node.digest = digest;
    node.mediaType = manifest.mediaType();
    node.size = size;
    node.isIndex = manifest.isIndex();
    node.artifactType = manifest.artifactType();
    if (manifest.subject())
        node.subject = manifest.subject()->digest;
    if (node.isIndex) {
        for (const Descriptor &child : manifest.manifests()) {
            if (child.digest.isValid())
                node.children << BlobRef{child.digest, child.size};
        }
        return node;
    }
    auto addBlob = [&node](const Descriptor &d) {
        if (!d.digest.isValid() || d.isForeignLayer())
            return;
        for (const BlobRef &b : std::as_const(node.blobs)) {
            if (b.digest == d.digest)
                return;
        }
        node.blobs << BlobRef{d.digest, d.size};
    };
    addBlob(manifest.config());
    for (const Descriptor &layer : manifest.layers())
        addBlob(layer);
    return node;
}

void ManifestWalker::walk(RegistryClient *client, const QString &repository, const Digest &digest,
                          QObject *context, Callback done, int maxDepth)
{
    auto w = std::make_shared<Walk>();
    w->client = client;
    w->context = context;
    w->repository = repository;
    w->root = digest;
    w->maxDepth = maxDepth;
    w->done = std::move(done);
    w->fetch(digest, 0);
}

} // namespace wharf
