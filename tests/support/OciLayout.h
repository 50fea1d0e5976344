#pragma once

#include "Descriptor.h"
#include "ImageConfig.h"
#include "TarLayer.h"

#include <QHash>
#include <QLatin1String>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf::test {

// Builds an OCI image layout (oci-layout, index.json, blobs/sha256/<hex>) in memory and writes
// it to disk on write(). Everything is deterministic: the same calls give the same digests.
class OciLayout
{
public:
    // Manifest/index media type family.
    enum class Format { Oci, Docker };

    // One image manifest with what it references, as a test wants to compare it.
    struct Image
    {
        Descriptor manifest; // carries the platform (and annotations) for an index entry
        Descriptor config;
        QList<Descriptor> layers;
        QStringList diffIds;
        Platform platform;

        // config.size + sum(layers[].size): the compressed size a client should show.
        qint64 compressedSize() const;
    };

    static constexpr QLatin1String RefNameAnnotation{"org.opencontainers.image.ref.name"};
    static constexpr QLatin1String ReferenceTypeAnnotation{"vnd.docker.reference.type"};
    static constexpr QLatin1String ReferenceDigestAnnotation{"vnd.docker.reference.digest"};

    explicit OciLayout(const QString &directory);

    QString path() const { return m_directory; }

    // Any blob; returns its descriptor (bytes included).
    Descriptor addBlob(const QString &mediaType, const QByteArray &bytes);
    // A tar layer (see TarLayer) stored as a blob.
    TarLayer addLayer(const QList<TarEntry> &entries,
                      TarLayer::Compression compression = TarLayer::Compression::Gzip,
                      Format format = Format::Oci, QString *error = nullptr);
    Descriptor addConfig(const ImageConfig &config, Format format = Format::Oci);
    // Image manifest over an existing config and layers.
    Descriptor addManifest(const Descriptor &config, const QList<Descriptor> &layers,
                           Format format = Format::Oci,
                           const QMap<QString, QString> &annotations = {});
    // Config (diff_ids filled from the layers when empty) + manifest. The returned manifest
    // descriptor carries config.platform, ready to be an index entry.
    Image addImage(ImageConfig config, const QList<TarLayer> &layers, Format format = Format::Oci,
                   const QMap<QString, QString> &annotations = {});
    // OCI index or Docker manifest list over the given entries (their platform/annotations
    // are kept). Entries may themselves be indexes (nested index).
    Descriptor addIndex(const QList<Descriptor> &manifests, Format format = Format::Oci,
                        const QMap<QString, QString> &annotations = {});
    // BuildKit-style attestation manifest for `image`: OCI config, one in-toto layer (a small
    // SPDX statement about the image unless `statement` is given). The returned manifest
    // descriptor has platform unknown/unknown and the vnd.docker.reference.* annotations.
    Image addAttestation(const Descriptor &image, const QByteArray &statement = {});
    // Arbitrary manifest bytes under any media type (odd and unknown types).
    Descriptor addRawManifest(const QString &mediaType, const QByteArray &bytes);
    // OCI 1.1 artifact manifest: artifactType, empty config (application/vnd.oci.empty.v1+json,
    // "{}"), the given blobs as layers (the empty blob when none) and an optional subject.
    Descriptor addArtifact(const QString &artifactType, const QList<Descriptor> &blobs,
                           const std::optional<Descriptor> &subject = std::nullopt,
                           const QMap<QString, QString> &annotations = {});

    // index.json entry annotated org.opencontainers.image.ref.name=name (replaces an earlier
    // entry of that name).
    void tag(const QString &name, const Descriptor &descriptor);
    // First ref name pointing at digest, or empty.
    QString refNameFor(const QString &digest) const;

    bool hasBlob(const QString &digest) const { return m_blobs.contains(digest); }
    QByteArray blob(const QString &digest) const { return m_blobs.value(digest); }
    // Entries of an index blob (parsed back from its bytes).
    QList<Descriptor> indexEntries(const Descriptor &index) const;

    // Writes oci-layout, index.json and any blob not yet on disk.
    bool write(QString *error);
    // Writes `top` and everything it references as a skopeo `dir:` directory (manifest.json,
    // <hex>.manifest.json per index entry, blobs named by hex). Needed for Docker manifest
    // lists: skopeo's oci: transport refuses them (see ImagePusher).
    bool writeDirTransport(const Descriptor &top, const QString &directory, QString *error) const;

private:
    Descriptor store(const QString &mediaType, const QByteArray &bytes);
    bool collect(const Descriptor &top, QHash<QString, QByteArray> *manifests,
                 QHash<QString, QByteArray> *blobs, QString *error) const;

    QString m_directory;
    QHash<QString, QByteArray> m_blobs;
    QSet<QString> m_written; // digests already on disk
    QList<QPair<QString, Descriptor>> m_tags;
};

} // namespace wharf::test
