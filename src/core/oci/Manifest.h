#pragma once

#include "Descriptor.h"
#include "Expected.h"

#include <QByteArray>
#include <QList>

namespace wharf {

// A parsed image manifest (OCI or Docker schema2) or index (OCI index or Docker manifest list).
// Parsing is strict about the fields Wharf relies on and tolerant of everything else: unknown
// media types of children, unknown fields and annotations are kept or ignored, never fatal.
class Manifest
{
public:
    enum class Kind { Image, Index };

    static constexpr qint64 MaxBytes = 4 * 1024 * 1024; // what registries accept on push
    static constexpr int MaxEntries = 10000;

    // contentType is the Content-Type header, used when the body does not name its media type.
    static Expected<Manifest> parse(const QByteArray &body, const QString &contentType);

    Kind kind() const { return m_kind; }
    bool isIndex() const { return m_kind == Kind::Index; }
    QString mediaType() const { return m_mediaType; }
    QString artifactType() const { return m_artifactType; }

    // Image manifests
    const Descriptor &config() const { return m_config; }
    const QList<Descriptor> &layers() const { return m_layers; }
    // Compressed size: config.size + sum(layers[].size), exact bytes (the documented formula).
    qint64 imageSize() const;

    // Indexes
    const QList<Descriptor> &manifests() const { return m_manifests; }
    // Children that are runnable platforms (everything but attestations).
    QList<Descriptor> platformManifests() const;
    QList<Descriptor> attestationManifests() const;

    const std::optional<Descriptor> &subject() const { return m_subject; }
    const QMap<QString, QString> &annotations() const { return m_annotations; }

private:
    Kind m_kind = Kind::Image;
    QString m_mediaType;
    QString m_artifactType;
    Descriptor m_config;
    QList<Descriptor> m_layers;
    QList<Descriptor> m_manifests;
    std::optional<Descriptor> m_subject;
    QMap<QString, QString> m_annotations;
};

} // namespace wharf
