#pragma once

#include "Platform.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace wharf::test {

// The image configuration blob (OCI image-spec config / Docker container image v1).
struct ImageConfig
{
    struct History
    {
        QDateTime created;
        QString createdBy;
        bool emptyLayer = false;
        QString comment;
    };

    Platform platform{QStringLiteral("linux"), QStringLiteral("amd64"), {}, {}};
    QDateTime created; // invalid = absent
    QString author;
    QStringList env;
    QStringList entrypoint;
    QStringList cmd;
    QString workingDir;
    QString user;
    QStringList exposedPorts; // "8080/tcp"
    QMap<QString, QString> labels;
    QStringList diffIds; // rootfs.diff_ids, normally taken from the layers
    QList<History> history;

    // Compact JSON with sorted keys: deterministic, so digests are stable.
    QByteArray toJson() const;
    // RFC 3339 in UTC with a Z, the form BuildKit and Docker write.
    static QString formatTime(const QDateTime &time);
};

} // namespace wharf::test
