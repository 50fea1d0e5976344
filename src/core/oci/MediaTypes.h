#pragma once

#include <QByteArray>
#include <QString>

namespace wharf::MediaTypes {

// Manifests and indexes
inline constexpr char16_t OciIndex[] = u"application/vnd.oci.image.index.v1+json";
inline constexpr char16_t OciManifest[] = u"application/vnd.oci.image.manifest.v1+json";
inline constexpr char16_t DockerManifestList[] =
    u"application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr char16_t DockerManifest[] =
    u"application/vnd.docker.distribution.manifest.v2+json";
inline constexpr char16_t DockerSchema1[] = u"application/vnd.docker.distribution.manifest.v1+json";
inline constexpr char16_t DockerSchema1Signed[] =
    u"application/vnd.docker.distribution.manifest.v1+prettyjws";

// Configs
inline constexpr char16_t OciConfig[] = u"application/vnd.oci.image.config.v1+json";
inline constexpr char16_t DockerConfig[] = u"application/vnd.docker.container.image.v1+json";
inline constexpr char16_t OciEmpty[] = u"application/vnd.oci.empty.v1+json";

// Layers
inline constexpr char16_t OciLayerTar[] = u"application/vnd.oci.image.layer.v1.tar";
inline constexpr char16_t OciLayerGzip[] = u"application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr char16_t OciLayerZstd[] = u"application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr char16_t DockerLayerGzip[] = u"application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr char16_t DockerForeignLayer[] =
    u"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr char16_t InToto[] = u"application/vnd.in-toto+json";

// The Accept value for manifest requests: all four types, so a registry neither converts
// schema2 to schema1 nor picks one platform out of an index on our behalf.
QByteArray manifestAcceptHeader();

bool isIndex(const QString &mediaType);
bool isImageManifest(const QString &mediaType);
bool isManifest(const QString &mediaType); // index or image manifest of a known kind
bool isSchema1(const QString &mediaType);
// Layers that are not stored in the registry (Windows base layers, "non-distributable").
bool isForeignLayer(const QString &mediaType);
// A short human name: "OCI index", "Docker manifest list", "OCI manifest", …
QString displayName(const QString &mediaType);

} // namespace wharf::MediaTypes
