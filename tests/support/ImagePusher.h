#pragma once

#include "Descriptor.h"
#include "SkopeoOptions.h"

#include <QString>

namespace wharf::test {

class OciLayout;

// Pushes one descriptor of an OciLayout to a registry with skopeo so that the registry ends up
// with exactly the bytes (and digests) that were built, working around what skopeo 1.9.3
// cannot do in one step:
// - OCI manifests/indexes and Docker schema2 manifests: `skopeo copy oci:<layout>:<ref>`
//   (--all --preserve-digests), with a ref name the pusher adds when the descriptor has none;
// - Docker manifest lists: the oci: transport refuses them, so they go through a `dir:` copy;
// - nested indexes: skopeo refuses an index inside an index ("Unexpectedly received a manifest
//   list instead of a manifest for a single image"), so every child is pushed first by digest
//   (repo@sha256:...) and then the top index alone (--multi-arch=index-only).
class ImagePusher
{
public:
    // destination: "docker://127.0.0.1:PORT/repo:tag" (or @sha256:... to push untagged).
    static bool push(OciLayout &layout, const Descriptor &top, const QString &destination,
                     const SkopeoOptions &options, QString *error);

    // "docker://host/repo:tag" -> "docker://host/repo"
    static QString repositoryOf(const QString &destination);
};

} // namespace wharf::test
