#pragma once

#include <QLatin1String>

namespace wharf::test {

// The media types the builders emit. Kept here, not taken from Wharf's own code, so the test
// support stays independent of what it is used to test.
namespace MediaType {
inline constexpr QLatin1String OciManifest{"application/vnd.oci.image.manifest.v1+json"};
inline constexpr QLatin1String OciIndex{"application/vnd.oci.image.index.v1+json"};
inline constexpr QLatin1String OciConfig{"application/vnd.oci.image.config.v1+json"};
inline constexpr QLatin1String OciLayerTar{"application/vnd.oci.image.layer.v1.tar"};
inline constexpr QLatin1String OciLayerGzip{"application/vnd.oci.image.layer.v1.tar+gzip"};
inline constexpr QLatin1String OciLayerZstd{"application/vnd.oci.image.layer.v1.tar+zstd"};
inline constexpr QLatin1String OciEmpty{"application/vnd.oci.empty.v1+json"};
inline constexpr QLatin1String DockerManifest{
    "application/vnd.docker.distribution.manifest.v2+json"};
inline constexpr QLatin1String DockerManifestList{
    "application/vnd.docker.distribution.manifest.list.v2+json"};
inline constexpr QLatin1String DockerConfig{"application/vnd.docker.container.image.v1+json"};
inline constexpr QLatin1String DockerLayerTar{"application/vnd.docker.image.rootfs.diff.tar"};
inline constexpr QLatin1String DockerLayerGzip{"application/vnd.docker.image.rootfs.diff.tar.gzip"};
// Not an official Docker type, but the one containers/image and BuildKit use.
inline constexpr QLatin1String DockerLayerZstd{"application/vnd.docker.image.rootfs.diff.tar.zstd"};
inline constexpr QLatin1String InToto{"application/vnd.in-toto+json"};
} // namespace MediaType

} // namespace wharf::test
