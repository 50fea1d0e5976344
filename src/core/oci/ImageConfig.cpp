#include "ImageConfig.h"

#include "JsonFields.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QDateTime parseTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid()) {
        // Go writes nanoseconds ("2024-01-02T03:04:05.123456789Z"), more than Qt reads.
        static const QRegularExpression fraction(uR"(\.(\d{3})\d+)"_s);
        QString trimmed = text;
        trimmed.replace(fraction, u".\\1"_s);
        t = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    }
    return t.isValid() ? t.toUTC() : QDateTime();
}

QStringList objectKeys(JsonFields &f, const QString &key)
{
    const QJsonObject o = f.object(key);
    return o.keys();
}

} // namespace

Expected<ImageConfig> ImageConfig::parse(const QByteArray &body)
{
    auto object = parseJsonObject(body, u"The image config"_s, MaxBytes);
    if (!object)
        return object.error();
    JsonFields f(*object, QString());
    ImageConfig c;
    c.platform.os = f.string(u"os"_s);
    c.platform.architecture = f.string(u"architecture"_s);
    c.platform.variant = f.string(u"variant"_s);
    c.platform.osVersion = f.string(u"os.version"_s);
    c.platform.osFeatures = f.stringList(u"os.features"_s);
    c.created = parseTime(f.string(u"created"_s));
    c.author = f.string(u"author"_s);

    const QJsonObject runtime = f.object(u"config"_s);
    JsonFields rf(runtime, u"config"_s);
    c.env = rf.stringList(u"Env"_s);
    c.entrypoint = rf.stringList(u"Entrypoint"_s);
    c.cmd = rf.stringList(u"Cmd"_s);
    c.workingDir = rf.string(u"WorkingDir"_s);
    c.user = rf.string(u"User"_s);
    c.exposedPorts = objectKeys(rf, u"ExposedPorts"_s);
    c.volumes = objectKeys(rf, u"Volumes"_s);
    c.stopSignal = rf.string(u"StopSignal"_s);
    c.labels = rf.stringMap(u"Labels"_s);
    if (!rf.ok())
        f.fail(rf.problem());

    const QJsonObject rootfs = f.object(u"rootfs"_s);
    JsonFields rootfsFields(rootfs, u"rootfs"_s);
    c.diffIds = rootfsFields.stringList(u"diff_ids"_s);
    if (!rootfsFields.ok())
        f.fail(rootfsFields.problem());

    const QJsonArray history = f.array(u"history"_s);
    for (qsizetype i = 0; i < history.size() && f.ok(); ++i) {
        if (!history.at(i).isObject()) {
            f.fail(u"history[%1] is not an object"_s.arg(i));
            break;
        }
        JsonFields hf(history.at(i).toObject(), u"history[%1]"_s.arg(i));
        HistoryEntry h;
        h.created = parseTime(hf.string(u"created"_s));
        h.createdBy = hf.string(u"created_by"_s);
        h.comment = hf.string(u"comment"_s);
        h.author = hf.string(u"author"_s);
        h.emptyLayer = hf.boolean(u"empty_layer"_s);
        if (!hf.ok())
            f.fail(hf.problem());
        c.history << h;
    }
    if (!f.ok())
        return f.error(u"The image config"_s);
    return c;
}

QList<HistoryEntry> ImageConfig::layerHistory() const
{
    QList<HistoryEntry> out;
    for (const HistoryEntry &h : history) {
        if (!h.emptyLayer)
            out << h;
    }
    return out;
}

} // namespace wharf
