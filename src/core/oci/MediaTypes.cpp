#include "MediaTypes.h"

using namespace Qt::StringLiterals;

namespace wharf::MediaTypes {

QByteArray manifestAcceptHeader()
{
    return QString(QStringView(OciIndex) + u", "_s + QStringView(OciManifest) + u", "_s +
                   QStringView(DockerManifestList) + u", "_s + QStringView(DockerManifest))
        .toLatin1();
}

bool isIndex(const QString &mediaType)
{
    return mediaType == QStringView(OciIndex) || mediaType == QStringView(DockerManifestList);
}

bool isImageManifest(const QString &mediaType)
{
    return mediaType == QStringView(OciManifest) || mediaType == QStringView(DockerManifest);
}

bool isManifest(const QString &mediaType)
{
    return isIndex(mediaType) || isImageManifest(mediaType);
}

bool isSchema1(const QString &mediaType)
{
    return mediaType == QStringView(DockerSchema1) || mediaType == QStringView(DockerSchema1Signed);
}

bool isForeignLayer(const QString &mediaType)
{
    return mediaType == QStringView(DockerForeignLayer) ||
           mediaType.startsWith(u"application/vnd.oci.image.layer.nondistributable."_s);
}

QString displayName(const QString &mediaType)
{
    if (mediaType == QStringView(OciIndex))
        return u"OCI index"_s;
    if (mediaType == QStringView(DockerManifestList))
        return u"Docker manifest list"_s;
    if (mediaType == QStringView(OciManifest))
        return u"OCI manifest"_s;
    if (mediaType == QStringView(DockerManifest))
        return u"Docker manifest v2"_s;
    if (isSchema1(mediaType))
        return u"Docker schema 1"_s;
    if (mediaType == QStringView(OciLayerGzip) || mediaType == QStringView(DockerLayerGzip))
        return u"tar+gzip"_s;
    if (mediaType == QStringView(OciLayerZstd))
        return u"tar+zstd"_s;
    if (mediaType == QStringView(OciLayerTar))
        return u"tar"_s;
    if (isForeignLayer(mediaType))
        return u"foreign layer"_s;
    if (mediaType == QStringView(InToto))
        return u"in-toto attestation"_s;
    return mediaType;
}

} // namespace wharf::MediaTypes
