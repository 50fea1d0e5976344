#include "ImageInfo.h"

namespace wharf {

qint64 ImagePlatform::size() const
{
    qint64 total = config.size;
    for (const Descriptor &layer : layers)
        total += layer.size;
    return total;
}

qint64 ResolvedImage::uniqueBytes() const
{
    BlobSet blobs;
    blobs.addImage(*this);
    return blobs.totalBytes();
}

void BlobSet::add(const Descriptor &blob)
{
    if (blob.isForeignLayer() || !blob.digest.isValid())
        return;
    const QString key = blob.digest.toString();
    if (m_sizes.contains(key))
        return;
    m_sizes.insert(key, blob.size);
    m_total += blob.size;
}

void BlobSet::addImage(const ImagePlatform &image)
{
    add(image.config);
    for (const Descriptor &layer : image.layers)
        add(layer);
}

void BlobSet::addImage(const ResolvedImage &image)
{
    for (const ImagePlatform &p : image.platforms)
        addImage(p);
}

void BlobSet::unite(const BlobSet &other)
{
    for (auto it = other.m_sizes.cbegin(); it != other.m_sizes.cend(); ++it) {
        if (!m_sizes.contains(it.key())) {
            m_sizes.insert(it.key(), it.value());
            m_total += it.value();
        }
    }
}

} // namespace wharf
