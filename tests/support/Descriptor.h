#pragma once

#include "Platform.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace wharf::test {

// An OCI content descriptor together with the exact bytes it describes, so a test can check a
// registry answer byte for byte and compute expected sizes itself.
struct Descriptor
{
    QString mediaType;
    QString digest; // "sha256:<hex>"
    qint64 size = 0;
    std::optional<Platform> platform;
    QMap<QString, QString> annotations;
    QString artifactType; // empty = absent
    QByteArray bytes;

    // Descriptor of bytes (digest and size computed here).
    static Descriptor of(const QString &mediaType, const QByteArray &bytes);
    static QString sha256Digest(const QByteArray &bytes);

    // The JSON form used inside manifests and indexes (no bytes).
    QJsonObject toJson() const;
    // Copies with extra fields, for index entries.
    Descriptor withPlatform(const Platform &platform) const;
    Descriptor withAnnotation(const QString &key, const QString &value) const;

    QString hex() const { return digest.mid(7); }
    bool isIndex() const;
};

} // namespace wharf::test
