#pragma once

#include "oci/Descriptor.h"
#include "oci/ImageConfig.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <optional>

namespace wharf {

// One runnable image: a platform manifest of an index, or a single-platform image itself.
struct ImagePlatform
{
    Platform platform;
    Digest digest;
    QString mediaType;
    Descriptor config;
    QList<Descriptor> layers;
    std::optional<ImageConfig> configDetails; // when configs were fetched
    QByteArray rawManifest;                   // when asked to keep it
    QString error; // this platform could not be read completely (broken index, missing config)

    // config.size + sum(layers[].size): exact compressed bytes (the documented formula).
    qint64 size() const;
    QDateTime created() const { return configDetails ? configDetails->created : QDateTime(); }
};

// A BuildKit attestation manifest attached to an index, and the image it describes.
struct ImageAttestation
{
    Digest digest;
    QString subject;
};

// What a tag or digest resolves to.
struct ResolvedImage
{
    QString repository;
    QString reference; // as asked: tag or digest
    Digest digest;     // of the top-level manifest
    QString mediaType;
    bool isIndex = false;
    QByteArray rawManifest; // when asked to keep it
    QList<ImagePlatform> platforms;
    QList<ImageAttestation> attestations;
    QList<Digest> childIndexes; // nested indexes walked through

    // Sum over platforms, each distinct blob counted once (shared layers are not double-counted).
    qint64 uniqueBytes() const;
};

// Distinct blobs (configs and layers stored in the registry) with their sizes; foreign layers
// are not stored in the registry and are left out.
class BlobSet
{
public:
    void add(const Descriptor &blob);
    void addImage(const ImagePlatform &image);
    void addImage(const ResolvedImage &image);
    void unite(const BlobSet &other);
    qint64 totalBytes() const { return m_total; }
    qsizetype count() const { return m_sizes.size(); }
    bool contains(const QString &digest) const { return m_sizes.contains(digest); }
    const QHash<QString, qint64> &sizes() const { return m_sizes; }

private:
    QHash<QString, qint64> m_sizes;
    qint64 m_total = 0;
};

} // namespace wharf
