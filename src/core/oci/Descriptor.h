#pragma once

#include "Platform.h"
#include "reference/Digest.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf {

// An OCI content descriptor: what a manifest says about a blob or a child manifest.
struct Descriptor
{
    QString mediaType;
    Digest digest;
    qint64 size = 0;
    QStringList urls;
    QMap<QString, QString> annotations;
    std::optional<Platform> platform;
    QString artifactType;

    bool isForeignLayer() const;
    // BuildKit attestation manifest (annotation vnd.docker.reference.type=attestation-manifest,
    // or an in-toto manifest entry with platform unknown/unknown).
    bool isAttestation() const;
    // Digest of the image an attestation describes (vnd.docker.reference.digest), if any.
    QString attestationSubject() const;
};

} // namespace wharf
