#include "OciLayout.h"

#include "MediaType.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject annotationsJson(const QMap<QString, QString> &annotations)
{
    QJsonObject map;
    for (auto it = annotations.cbegin(); it != annotations.cend(); ++it)
        map.insert(it.key(), it.value());
    return map;
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

Descriptor descriptorFromJson(const QJsonObject &object)
{
    Descriptor descriptor;
    descriptor.mediaType = object.value(u"mediaType"_s).toString();
    descriptor.digest = object.value(u"digest"_s).toString();
    descriptor.size = object.value(u"size"_s).toInteger();
    descriptor.artifactType = object.value(u"artifactType"_s).toString();
    if (object.contains(u"platform"_s)) {
        const QJsonObject p = object.value(u"platform"_s).toObject();
        descriptor.platform =
            Platform{p.value(u"os"_s).toString(), p.value(u"architecture"_s).toString(),
                     p.value(u"variant"_s).toString(), p.value(u"os.version"_s).toString()};
    }
    const QJsonObject annotations = object.value(u"annotations"_s).toObject();
    for (auto it = annotations.begin(); it != annotations.end(); ++it)
        descriptor.annotations.insert(it.key(), it.value().toString());
    return descriptor;
}

} // namespace

qint64 OciLayout::Image::compressedSize() const
{
    qint64 total = config.size;
    for (const Descriptor &layer : layers)
        total += layer.size;
    return total;
}

OciLayout::OciLayout(const QString &directory)
    : m_directory(directory)
{}

Descriptor OciLayout::store(const QString &mediaType, const QByteArray &bytes)
{
    Descriptor descriptor = Descriptor::of(mediaType, bytes);
    m_blobs.insert(descriptor.digest, bytes);
    return descriptor;
}

Descriptor OciLayout::addBlob(const QString &mediaType, const QByteArray &bytes)
{
    return store(mediaType, bytes);
}

TarLayer OciLayout::addLayer(const QList<TarEntry> &entries, TarLayer::Compression compression,
                             Format format, QString *error)
{
    TarLayer layer = TarLayer::build(
        entries, compression,
        format == Format::Oci ? TarLayer::Format::Oci : TarLayer::Format::Docker, error);
    if (!layer.descriptor.digest.isEmpty())
        m_blobs.insert(layer.descriptor.digest, layer.descriptor.bytes);
    return layer;
}

Descriptor OciLayout::addConfig(const ImageConfig &config, Format format)
{
    return store(format == Format::Oci ? QString(MediaType::OciConfig)
                                       : QString(MediaType::DockerConfig),
                 config.toJson());
}

Descriptor OciLayout::addManifest(const Descriptor &config, const QList<Descriptor> &layers,
                                  Format format, const QMap<QString, QString> &annotations)
{
    const QString mediaType = format == Format::Oci ? QString(MediaType::OciManifest)
                                                    : QString(MediaType::DockerManifest);
    QJsonArray layerArray;
    for (const Descriptor &layer : layers) {
        Descriptor plain = layer;
        plain.platform.reset(); // platform belongs in index entries only
        layerArray.append(plain.toJson());
    }
    Descriptor plainConfig = config;
    plainConfig.platform.reset();
    QJsonObject manifest{{u"schemaVersion"_s, 2},
                         {u"mediaType"_s, mediaType},
                         {u"config"_s, plainConfig.toJson()},
                         {u"layers"_s, layerArray}};
    if (!annotations.isEmpty())
        manifest.insert(u"annotations"_s, annotationsJson(annotations));
    return store(mediaType, compact(manifest));
}

OciLayout::Image OciLayout::addImage(ImageConfig config, const QList<TarLayer> &layers,
                                     Format format, const QMap<QString, QString> &annotations)
{
    Image image;
    if (config.diffIds.isEmpty()) {
        for (const TarLayer &layer : layers)
            config.diffIds << layer.diffId;
    }
    for (const TarLayer &layer : layers)
        image.layers << layer.descriptor;
    image.diffIds = config.diffIds;
    image.platform = config.platform;
    image.config = addConfig(config, format);
    image.manifest = addManifest(image.config, image.layers, format, annotations);
    image.manifest.platform = config.platform;
    return image;
}

Descriptor OciLayout::addIndex(const QList<Descriptor> &manifests, Format format,
                               const QMap<QString, QString> &annotations)
{
    const QString mediaType = format == Format::Oci ? QString(MediaType::OciIndex)
                                                    : QString(MediaType::DockerManifestList);
    QJsonArray entries;
    for (const Descriptor &entry : manifests)
        entries.append(entry.toJson());
    QJsonObject index{
        {u"schemaVersion"_s, 2}, {u"mediaType"_s, mediaType}, {u"manifests"_s, entries}};
    if (!annotations.isEmpty())
        index.insert(u"annotations"_s, annotationsJson(annotations));
    return store(mediaType, compact(index));
}

OciLayout::Image OciLayout::addAttestation(const Descriptor &image, const QByteArray &statement)
{
    QByteArray body = statement;
    if (body.isEmpty()) {
        const QJsonObject subject{{u"name"_s, u"pkg:docker/wharf-sample"_s},
                                  {u"digest"_s, QJsonObject{{u"sha256"_s, image.hex()}}}};
        const QJsonObject predicate{{u"spdxVersion"_s, u"SPDX-2.3"_s},
                                    {u"SPDXID"_s, u"SPDXRef-DOCUMENT"_s},
                                    {u"name"_s, u"wharf-sample-sbom"_s},
                                    {u"packages"_s, QJsonArray()}};
        body = compact(QJsonObject{{u"_type"_s, u"https://in-toto.io/Statement/v0.1"_s},
                                   {u"predicateType"_s, u"https://spdx.dev/Document"_s},
                                   {u"subject"_s, QJsonArray{subject}},
                                   {u"predicate"_s, predicate}});
    }
    const Platform unknown{u"unknown"_s, u"unknown"_s, {}, {}};
    Image attestation;
    attestation.platform = unknown;
    Descriptor layer = store(MediaType::InToto, body);
    layer.annotations.insert(u"in-toto.io/predicate-type"_s, u"https://spdx.dev/Document"_s);
    attestation.layers << layer;
    // The layer is not a tar; BuildKit lists the digest of its bytes as the diff_id.
    attestation.diffIds << layer.digest;
    const QJsonObject config{{u"architecture"_s, u"unknown"_s},
                             {u"os"_s, u"unknown"_s},
                             {u"config"_s, QJsonObject()},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s},
                                                       {u"diff_ids"_s, QJsonArray{layer.digest}}}}};
    attestation.config = store(MediaType::OciConfig, compact(config));
    attestation.manifest = addManifest(attestation.config, attestation.layers, Format::Oci);
    attestation.manifest.platform = unknown;
    attestation.manifest.annotations.insert(ReferenceTypeAnnotation, u"attestation-manifest"_s);
    attestation.manifest.annotations.insert(ReferenceDigestAnnotation, image.digest);
    return attestation;
}

Descriptor OciLayout::addRawManifest(const QString &mediaType, const QByteArray &bytes)
{
    return store(mediaType, bytes);
}

Descriptor OciLayout::addArtifact(const QString &artifactType, const QList<Descriptor> &blobs,
                                  const std::optional<Descriptor> &subject,
                                  const QMap<QString, QString> &annotations)
{
    const Descriptor empty = store(MediaType::OciEmpty, QByteArrayLiteral("{}"));
    QJsonArray layers;
    for (const Descriptor &blob : blobs) {
        m_blobs.insert(blob.digest, blob.bytes);
        layers.append(blob.toJson());
    }
    if (layers.isEmpty())
        layers.append(empty.toJson());
    QJsonObject manifest{{u"schemaVersion"_s, 2},
                         {u"mediaType"_s, QString(MediaType::OciManifest)},
                         {u"artifactType"_s, artifactType},
                         {u"config"_s, empty.toJson()},
                         {u"layers"_s, layers}};
    if (subject) {
        Descriptor plain = *subject;
        plain.platform.reset();
        plain.annotations.clear();
        manifest.insert(u"subject"_s, plain.toJson());
    }
    if (!annotations.isEmpty())
        manifest.insert(u"annotations"_s, annotationsJson(annotations));
    Descriptor descriptor = store(MediaType::OciManifest, compact(manifest));
    descriptor.artifactType = artifactType;
    return descriptor;
}

void OciLayout::tag(const QString &name, const Descriptor &descriptor)
{
    for (qsizetype i = 0; i < m_tags.size(); ++i) {
        if (m_tags.at(i).first == name) {
            m_tags.removeAt(i);
            break;
        }
    }
    m_tags.append({name, descriptor});
}

QString OciLayout::refNameFor(const QString &digest) const
{
    for (const auto &[name, descriptor] : m_tags) {
        if (descriptor.digest == digest)
            return name;
    }
    return {};
}

QList<Descriptor> OciLayout::indexEntries(const Descriptor &index) const
{
    QList<Descriptor> entries;
    const QByteArray bytes = index.bytes.isEmpty() ? m_blobs.value(index.digest) : index.bytes;
    const QJsonArray array =
        QJsonDocument::fromJson(bytes).object().value(u"manifests"_s).toArray();
    for (const QJsonValue &value : array)
        entries << descriptorFromJson(value.toObject());
    return entries;
}

bool OciLayout::write(QString *error)
{
    const QString blobDir = m_directory + u"/blobs/sha256"_s;
    if (!QDir().mkpath(blobDir)) {
        if (error)
            *error = u"cannot create "_s + blobDir;
        return false;
    }
    for (auto it = m_blobs.cbegin(); it != m_blobs.cend(); ++it) {
        if (m_written.contains(it.key()))
            continue;
        if (!writeFile(blobDir + u'/' + it.key().mid(7), it.value(), error))
            return false;
        m_written.insert(it.key());
    }
    QJsonArray entries;
    for (const auto &[name, descriptor] : m_tags) {
        Descriptor entry = descriptor;
        entry.annotations.insert(RefNameAnnotation, name);
        // skopeo 1.9.3's oci: transport only resolves index.json entries of OCI media types.
        // It detects a Docker schema2 manifest from its bytes and pushes it as such, so
        // recording it as an OCI manifest here keeps its digest intact.
        if (entry.mediaType == MediaType::DockerManifest)
            entry.mediaType = MediaType::OciManifest;
        entries.append(entry.toJson());
    }
    const QJsonObject index{{u"schemaVersion"_s, 2},
                            {u"mediaType"_s, QString(MediaType::OciIndex)},
                            {u"manifests"_s, entries}};
    return writeFile(m_directory + u"/oci-layout"_s,
                     QByteArrayLiteral("{\"imageLayoutVersion\":\"1.0.0\"}"), error) &&
           writeFile(m_directory + u"/index.json"_s, compact(index), error);
}

bool OciLayout::collect(const Descriptor &top, QHash<QString, QByteArray> *manifests,
                        QHash<QString, QByteArray> *blobs, QString *error) const
{
    const QByteArray bytes = m_blobs.value(top.digest);
    if (bytes.isEmpty()) {
        if (error)
            *error = u"manifest %1 is not in the layout"_s.arg(top.digest);
        return false;
    }
    manifests->insert(top.digest, bytes);
    const QJsonObject object = QJsonDocument::fromJson(bytes).object();
    if (object.contains(u"manifests"_s)) {
        for (const Descriptor &entry : indexEntries(top)) {
            if (!collect(entry, manifests, blobs, error))
                return false;
        }
        return true;
    }
    QList<Descriptor> referenced{descriptorFromJson(object.value(u"config"_s).toObject())};
    const QJsonArray layers = object.value(u"layers"_s).toArray();
    for (const QJsonValue &layer : layers)
        referenced << descriptorFromJson(layer.toObject());
    for (const Descriptor &blob : referenced) {
        if (!m_blobs.contains(blob.digest)) {
            if (error)
                *error = u"blob %1 is not in the layout"_s.arg(blob.digest);
            return false;
        }
        blobs->insert(blob.digest, m_blobs.value(blob.digest));
    }
    return true;
}

bool OciLayout::writeDirTransport(const Descriptor &top, const QString &directory,
                                  QString *error) const
{
    QHash<QString, QByteArray> manifests;
    QHash<QString, QByteArray> blobs;
    if (!collect(top, &manifests, &blobs, error))
        return false;
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = u"cannot create "_s + directory;
        return false;
    }
    if (!writeFile(directory + u"/version"_s, "Directory Transport Version: 1.1\n", error) ||
        !writeFile(directory + u"/manifest.json"_s, manifests.value(top.digest), error))
        return false;
    for (auto it = manifests.cbegin(); it != manifests.cend(); ++it) {
        if (it.key() != top.digest &&
            !writeFile(directory + u'/' + it.key().mid(7) + u".manifest.json"_s, it.value(), error))
            return false;
    }
    for (auto it = blobs.cbegin(); it != blobs.cend(); ++it) {
        if (!writeFile(directory + u'/' + it.key().mid(7), it.value(), error))
            return false;
    }
    return true;
}

} // namespace wharf::test
