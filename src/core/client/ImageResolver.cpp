#include "ImageResolver.h"

#include "RegistryClient.h"
#include "cache/ContentCache.h"
#include "oci/MediaTypes.h"

#include <QMap>
#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

struct Resolution : std::enable_shared_from_this<Resolution>
{
    RegistryClient *client = nullptr;
    QPointer<QObject> context;
    ImageResolver::Options options;
    ImageResolver::Callback done;
    ResolvedImage image;
    // Keyed by the entry's position path ("0001.0000"): depth-first index order, whatever
    // order the answers arrive in.
    QMap<QString, ImagePlatform> platforms;
    int outstanding = 0;
    bool failed = false;

    void start()
    {
        ++outstanding;
        auto self = shared_from_this();
        if (!options.cachedDigestHint.isEmpty() && !Digest::looksLikeDigest(image.reference)) {
            client->headManifest(image.repository, image.reference, context,
                                 [self](Expected<ManifestHead> head) {
                                     if (!head) {
                                         self->fail(head.error());
                                         return;
                                     }
                                     self->fetchTop(head->digest.toString(), true);
                                 });
            return;
        }
        fetchTop(image.reference, false);
    }

    void fetchTop(const QString &reference, bool revalidated)
    {
        auto self = shared_from_this();
        client->fetchManifest(image.repository, reference, context,
                              [self, revalidated](Expected<ManifestResult> m) {
                                  if (!m) {
                                      self->fail(m.error());
                                      return;
                                  }
                                  if (revalidated && self->client->cache())
                                      self->client->cache()->setTagHint(
                                          self->client->repositoryKey(self->image.repository),
                                          self->image.reference, m->digest.toString());
                                  self->image.digest = m->digest;
                                  self->image.mediaType = m->mediaType;
                                  self->image.isIndex = m->manifest.isIndex();
                                  if (self->options.keepRawManifests)
                                      self->image.rawManifest = m->raw;
                                  if (m->manifest.isIndex())
                                      self->walkIndex(m->manifest, 1, QString());
                                  else
                                      self->addPlatform(*m, std::nullopt, u"0000"_s);
                                  self->finishOne();
                              });
    }

    void walkIndex(const Manifest &index, int depth, const QString &path)
    {
        int position = 0;
        for (const Descriptor &child : index.manifests()) {
            const QString slot = (path.isEmpty() ? QString() : path + u'.') +
                                 QString::number(position++).rightJustified(4, u'0');
            if (child.isAttestation()) {
                image.attestations.append({child.digest, child.attestationSubject()});
                continue;
            }
            const bool childIsIndex = MediaTypes::isIndex(child.mediaType);
            // Unknown media types (artifacts, future formats) are tolerated, not followed.
            if (!childIsIndex && !MediaTypes::isImageManifest(child.mediaType) &&
                !child.mediaType.isEmpty())
                continue;
            if (childIsIndex && depth >= options.maxDepth)
                continue;
            if (!childIsIndex) {
                ImagePlatform placeholder;
                placeholder.digest = child.digest;
                placeholder.mediaType = child.mediaType;
                placeholder.platform = child.platform.value_or(Platform());
                platforms.insert(slot, placeholder);
            }
            ++outstanding;
            auto self = shared_from_this();
            client->fetchManifest(
                image.repository, child.digest.toString(), context,
                [self, child, slot, depth, childIsIndex](Expected<ManifestResult> m) {
                    if (!m) {
                        if (!childIsIndex)
                            self->platforms[slot].error = m.error().message;
                        self->finishOne();
                        return;
                    }
                    if (m->manifest.isIndex()) {
                        self->image.childIndexes << m->digest;
                        self->walkIndex(m->manifest, depth + 1, slot);
                    } else if (!childIsIndex) {
                        self->addPlatform(*m, child.platform, slot);
                    }
                    self->finishOne();
                });
        }
    }

    void addPlatform(const ManifestResult &m, const std::optional<Platform> &platform,
                     const QString &slot)
    {
        ImagePlatform p;
        p.digest = m.digest;
        p.mediaType = m.mediaType;
        p.config = m.manifest.config();
        p.layers = m.manifest.layers();
        if (platform)
            p.platform = *platform;
        if (options.keepRawManifests)
            p.rawManifest = m.raw;
        platforms.insert(slot, p);

        const bool needConfig = options.fetchConfigs || p.platform.isEmpty();
        const bool hasConfig =
            p.config.digest.isValid() && p.config.mediaType != QStringView(MediaTypes::OciEmpty);
        if (!needConfig || !hasConfig)
            return;
        ++outstanding;
        auto self = shared_from_this();
        client->fetchConfig(image.repository, p.config.digest, context,
                            [self, slot](Expected<ConfigResult> c) {
                                ImagePlatform &target = self->platforms[slot];
                                if (!c) {
                                    target.error = c.error().message;
                                } else {
                                    if (target.platform.isEmpty())
                                        target.platform = c->config.platform;
                                    target.configDetails = c->config;
                                }
                                self->finishOne();
                            });
    }

    void fail(const Error &error)
    {
        if (failed)
            return;
        failed = true;
        if (context)
            done(error);
    }

    void finishOne()
    {
        if (--outstanding > 0 || failed)
            return;
        image.platforms = platforms.values();
        if (context)
            done(std::move(image));
    }
};

} // namespace

void ImageResolver::resolve(RegistryClient *client, const QString &repository,
                            const QString &reference, const Options &options, QObject *context,
                            Callback done)
{
    auto r = std::make_shared<Resolution>();
    r->client = client;
    r->context = context;
    r->options = options;
    r->done = std::move(done);
    r->image.repository = repository;
    r->image.reference = reference;
    r->start();
}

} // namespace wharf
