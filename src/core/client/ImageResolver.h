#pragma once

#include "Expected.h"
#include "model/ImageInfo.h"

#include <QObject>

#include <functional>

namespace wharf {

class RegistryClient;

// Resolves a tag or digest to everything an image is made of: the top manifest, each platform
// manifest of an index (walking nested indexes), attestations kept apart, and image configs
// where needed (always for a single-platform image, whose platform only its config knows).
// Requests run concurrently through the client; a child that cannot be read is reported on its
// platform instead of failing the whole image.
class ImageResolver
{
public:
    struct Options
    {
        bool fetchConfigs = false;     // created date, history, env… for every platform
        bool keepRawManifests = false; // keep manifest bytes for display
        // The digest this tag had last time, present in the content cache: a HEAD re-validates
        // it and nothing already known is downloaded again.
        QString cachedDigestHint;
        int maxDepth = 4; // nested indexes
    };
    using Callback = std::function<void(Expected<ResolvedImage>)>;

    static void resolve(RegistryClient *client, const QString &repository, const QString &reference,
                        const Options &options, QObject *context, Callback done);
};

} // namespace wharf
