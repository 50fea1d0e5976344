#pragma once

#include "Descriptor.h"
#include "OciLayout.h"
#include "SkopeoOptions.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QTemporaryDir;

namespace wharf::test {

class TestRegistry;

// The standard image set every registry-facing suite can seed and compare against. The
// content is deterministic: digests are the same on every run and are known before pushing.
//
// Repository          Tag(s)                                What it is
// sample/app          1.0, latest (ONE digest)              OCI image, 3 gzip layers (base, app
//                                                           with symlink+hardlink, whiteouts),
//                                                           env/entrypoint/cmd/labels/ports,
//                                                           history with empty layers
// sample/multi        2.0                                   OCI index: linux/amd64,
//                                                           linux/arm64/v8, + one BuildKit
//                                                           attestation manifest per platform
// sample/docker       1.0                                   Docker schema2 image
//                     list                                  Docker manifest list: linux/amd64
//                                                           (= the 1.0 manifest), linux/arm/v7
// sample/compression  zstd                                  base (gzip) + a zstd layer
//                     plain                                 base (gzip) + an uncompressed layer
// sample/nested       1.0                                   OCI index -> [OCI index (amd64,
//                                                           arm64/v8 from sample/multi),
//                                                           linux/s390x image]
// sample/versions     1.2, 1.10, 1.9, v2.0.0-rc1, v2.0.0,   one image per tag, created dates in
//                     latest (= v2.0.0)                     semver order; pushed in this order
// sample/artifact     1.0                                   OCI image
//                     sha256-<hex of 1.0>                   OCI 1.1 artifact (artifactType
//                                                           application/vnd.example.sbom.v1+json,
//                                                           empty config, subject = 1.0)
//                     chart-0.1.0                           Helm-chart-like manifest (odd config
//                                                           and layer media types)
//
// One gzip "base" layer (linux/amd64) is shared by sample/app, sample/multi (amd64),
// sample/docker, sample/compression, sample/versions and sample/artifact, so deduplicated
// bytes (uniqueBlobBytes) are well below the naive sum (naiveBytes).
class SampleImages
{
public:
    struct Tag
    {
        QString repository;
        QString tag;
        Descriptor top; // what the tag resolves to: digest, mediaType, size, exact bytes
        // Runnable images in index order (exactly one for a single manifest or an artifact;
        // for a nested index, the images of the inner index first, then the outer ones).
        QList<OciLayout::Image> images;
        QList<OciLayout::Image> attestations;
        QList<Descriptor> childIndexes; // indexes inside top (nested index)

        QString reference() const { return repository + u':' + tag; }
        // Every manifest the registry must hold for this tag (top first).
        QList<Descriptor> allManifests() const;
    };

    // Builds the set and pushes it: the one call most suites need. nullopt with *error on
    // failure.
    static std::optional<SampleImages> pushStandardSet(const TestRegistry &registry,
                                                       QString *error);

    // Builds the whole set in memory; buildError() is empty on success.
    SampleImages();
    ~SampleImages();
    SampleImages(SampleImages &&) noexcept;
    SampleImages &operator=(SampleImages &&) noexcept;

    QString buildError() const { return m_buildError; }

    // Pushes every tag with skopeo (ImagePusher), one repository at a time.
    bool pushTo(const TestRegistry &registry, QString *error);
    // The same to any registry ("host:port"), e.g. the demo registry scripts/demo starts.
    bool pushTo(const QString &hostPort, const SkopeoOptions &options, QString *error);
    qint64 lastPushMs() const { return m_lastPushMs; }

    const QList<Tag> &tags() const { return m_tags; }
    const Tag *find(const QString &repository, const QString &tag) const;
    QStringList repositories() const;                      // sorted
    QStringList tagNames(const QString &repository) const; // in push order
    OciLayout &layout() { return *m_layout; }

    // Sum of config+layer sizes over every tag and every image/attestation in it, counting
    // shared blobs each time they appear; optionally limited to one repository.
    qint64 naiveBytes(const QString &repository = {}) const;
    // Sum of sizes of the distinct config and layer blobs (what the registry stores once).
    qint64 uniqueBlobBytes(const QString &repository = {}) const;

    enum class SeedMethod {
        // skopeo pushes the first repository; the others get the same manifest through
        // cross-repository blob mounts + manifest PUT (RepositoryCloner). ~1 s for 260.
        SkopeoThenMount,
        // One skopeo process per repository, `parallel` at a time. ~18 s for 260 on 2 cores.
        SkopeoEach,
    };

    // Pushes one tiny image (one gzip layer, the same digest everywhere) as "<name>:latest" to
    // `count` repositories named manyRepositoryName(prefix, i). Different repositories only
    // run concurrently (the registry can race on concurrent uploads into one repository).
    // *elapsedMs gets the wall time.
    static bool seedManyRepositories(const TestRegistry &registry, int count, const QString &prefix,
                                     QString *error,
                                     SeedMethod method = SeedMethod::SkopeoThenMount,
                                     int parallel = 4, qint64 *elapsedMs = nullptr);
    // The digest every seeded repository's "latest" resolves to.
    static QString manyRepositoryDigest();
    // prefix + zero-padded 4-digit index: "many/repo-0007"; lexical order = numeric order.
    static QString manyRepositoryName(const QString &prefix, int index);

private:
    void build();
    Tag &addTag(const QString &repository, const QString &tag, const Descriptor &top);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OciLayout> m_layout;
    QList<Tag> m_tags;
    QString m_buildError;
    qint64 m_lastPushMs = 0;
};

} // namespace wharf::test
