#pragma once

#include "Expected.h"
#include "Platform.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QStringList>

namespace wharf {

// One entry of the config's history: the build step that made a layer (or an empty one).
struct HistoryEntry
{
    QDateTime created;
    QString createdBy;
    QString comment;
    QString author;
    bool emptyLayer = false;
};

// The image configuration blob (OCI image config / Docker container image v1).
class ImageConfig
{
public:
    static constexpr qint64 MaxBytes = 8 * 1024 * 1024;

    static Expected<ImageConfig> parse(const QByteArray &body);

    Platform platform;
    QDateTime created; // invalid when the config does not say
    QString author;
    QStringList env;
    QStringList entrypoint;
    QStringList cmd;
    QString workingDir;
    QString user;
    QStringList exposedPorts;
    QStringList volumes;
    QString stopSignal;
    QMap<QString, QString> labels;
    QStringList diffIds;
    QList<HistoryEntry> history;

    // The history entry that produced each layer, by layer index (entries with empty_layer
    // produce none). Shorter than the layer list when the history is incomplete.
    QList<HistoryEntry> layerHistory() const;
};

} // namespace wharf
