#pragma once

#include "oci/ImageConfig.h"
#include "oci/Manifest.h"
#include "reference/Digest.h"

#include <QByteArray>
#include <QString>

namespace wharf {

struct PingResult
{
    QString authScheme;         // "none", "basic", "bearer"
    bool authenticated = false; // credentials were presented and accepted
};

struct ManifestResult
{
    Digest digest; // verified: sha256 of raw
    QString mediaType;
    Manifest manifest;
    QByteArray raw;
    bool fromCache = false;
};

struct ManifestHead
{
    Digest digest;
    QString mediaType;
    qint64 size = 0;
};

struct ConfigResult
{
    Digest digest;
    ImageConfig config;
    QByteArray raw;
};

enum class DeleteOutcome { Deleted, AlreadyGone };

} // namespace wharf
