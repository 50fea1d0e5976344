#include "ImageConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wharf::test {

using namespace Qt::StringLiterals;

QString ImageConfig::formatTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QByteArray ImageConfig::toJson() const
{
    QJsonObject root;
    root.insert(u"architecture"_s, platform.architecture);
    root.insert(u"os"_s, platform.os);
    if (!platform.variant.isEmpty())
        root.insert(u"variant"_s, platform.variant);
    if (!platform.osVersion.isEmpty())
        root.insert(u"os.version"_s, platform.osVersion);
    if (created.isValid())
        root.insert(u"created"_s, formatTime(created));
    if (!author.isEmpty())
        root.insert(u"author"_s, author);

    QJsonObject config;
    if (!env.isEmpty())
        config.insert(u"Env"_s, QJsonArray::fromStringList(env));
    if (!entrypoint.isEmpty())
        config.insert(u"Entrypoint"_s, QJsonArray::fromStringList(entrypoint));
    if (!cmd.isEmpty())
        config.insert(u"Cmd"_s, QJsonArray::fromStringList(cmd));
    if (!workingDir.isEmpty())
        config.insert(u"WorkingDir"_s, workingDir);
    if (!user.isEmpty())
        config.insert(u"User"_s, user);
    if (!exposedPorts.isEmpty()) {
        QJsonObject ports;
        for (const QString &port : exposedPorts)
            ports.insert(port, QJsonObject());
        config.insert(u"ExposedPorts"_s, ports);
    }
    if (!labels.isEmpty()) {
        QJsonObject map;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            map.insert(it.key(), it.value());
        config.insert(u"Labels"_s, map);
    }
    root.insert(u"config"_s, config);

    root.insert(u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s},
                                         {u"diff_ids"_s, QJsonArray::fromStringList(diffIds)}});

    if (!history.isEmpty()) {
        QJsonArray entries;
        for (const History &item : history) {
            QJsonObject entry;
            if (item.created.isValid())
                entry.insert(u"created"_s, formatTime(item.created));
            if (!item.createdBy.isEmpty())
                entry.insert(u"created_by"_s, item.createdBy);
            if (!item.comment.isEmpty())
                entry.insert(u"comment"_s, item.comment);
            if (item.emptyLayer)
                entry.insert(u"empty_layer"_s, true);
            entries.append(entry);
        }
        root.insert(u"history"_s, entries);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace wharf::test
