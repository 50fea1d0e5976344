#include "Descriptor.h"

#include "MediaType.h"

#include <QCryptographicHash>

namespace wharf::test {

using namespace Qt::StringLiterals;

Descriptor Descriptor::of(const QString &mediaType, const QByteArray &bytes)
{
    Descriptor descriptor;
    descriptor.mediaType = mediaType;
    descriptor.digest = sha256Digest(bytes);
    descriptor.size = bytes.size();
    descriptor.bytes = bytes;
    return descriptor;
}

QString Descriptor::sha256Digest(const QByteArray &bytes)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QJsonObject Descriptor::toJson() const
{
    QJsonObject object{{u"mediaType"_s, mediaType}, {u"digest"_s, digest}, {u"size"_s, size}};
    if (platform)
        object.insert(u"platform"_s, platform->toJson());
    if (!annotations.isEmpty()) {
        QJsonObject map;
        for (auto it = annotations.cbegin(); it != annotations.cend(); ++it)
            map.insert(it.key(), it.value());
        object.insert(u"annotations"_s, map);
    }
    if (!artifactType.isEmpty())
        object.insert(u"artifactType"_s, artifactType);
    return object;
}

Descriptor Descriptor::withPlatform(const Platform &value) const
{
    Descriptor copy = *this;
    copy.platform = value;
    return copy;
}

Descriptor Descriptor::withAnnotation(const QString &key, const QString &value) const
{
    Descriptor copy = *this;
    copy.annotations.insert(key, value);
    return copy;
}

bool Descriptor::isIndex() const
{
    return mediaType == MediaType::OciIndex || mediaType == MediaType::DockerManifestList;
}

} // namespace wharf::test
