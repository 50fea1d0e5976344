#include "OsvRecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

namespace wharf::scan {

using namespace Qt::StringLiterals;

namespace {

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

// RFC 3339 as OSV writes it. Qt reads at most millisecond precision, so longer fractions
// (Go emits nanoseconds) are cut to three digits first.
QDateTime parseTimestamp(const QString &text)
{
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (parsed.isValid())
        return parsed;
    const qsizetype dot = text.indexOf(u'.', text.indexOf(u'T'));
    if (dot < 0)
        return {};
    qsizetype end = dot + 1;
    while (end < text.size() && text[end].isDigit())
        ++end;
    if (end - dot - 1 <= 3)
        return {};
    const QString trimmed = text.first(dot + 4) + text.sliced(end);
    return QDateTime::fromString(trimmed, Qt::ISODateWithMs);
}

} // namespace

// Walks the JSON tree; the first type error stops the parse and is reported with its path.
class OsvRecordParser
{
public:
    bool parse(const QJsonObject &root, OsvRecord *record)
    {
        if (!requiredString(root, u"id", QStringLiteral("id"), &record->m_id))
            return false;
        if (record->m_id.isEmpty())
            return fail(QStringLiteral("id must not be empty"));
        QString modified;
        if (!requiredString(root, u"modified", QStringLiteral("modified"), &modified) ||
            !timestamp(modified, QStringLiteral("modified"), &record->m_modified))
            return false;
        QString published;
        QString withdrawn;
        if (!optionalString(root, u"schema_version", QStringLiteral("schema_version"),
                            &record->m_schemaVersion) ||
            !optionalString(root, u"summary", QStringLiteral("summary"), &record->m_summary) ||
            !optionalString(root, u"details", QStringLiteral("details"), &record->m_details) ||
            !optionalString(root, u"published", QStringLiteral("published"), &published) ||
            !optionalString(root, u"withdrawn", QStringLiteral("withdrawn"), &withdrawn) ||
            !stringArray(root, u"aliases", QStringLiteral("aliases"), &record->m_aliases) ||
            !stringArray(root, u"upstream", QStringLiteral("upstream"), &record->m_upstream) ||
            !stringArray(root, u"related", QStringLiteral("related"), &record->m_related) ||
            !object(root, u"database_specific", QStringLiteral("database_specific"),
                    &record->m_databaseSpecific) ||
            !severities(root, QString(), &record->m_severity))
            return false;
        if (!published.isEmpty() &&
            !timestamp(published, QStringLiteral("published"), &record->m_published))
            return false;
        if (!withdrawn.isEmpty() &&
            !timestamp(withdrawn, QStringLiteral("withdrawn"), &record->m_withdrawn))
            return false;

        QJsonArray affected;
        if (!array(root, u"affected", QStringLiteral("affected"), &affected))
            return false;
        record->m_affected.reserve(affected.size());
        for (qsizetype i = 0; i < affected.size(); ++i) {
            const QString path = QStringLiteral("affected[%1]").arg(i);
            if (!affected[i].isObject())
                return wrongType(path, QStringLiteral("an object"), affected[i]);
            OsvRecord::Affected entry;
            if (!affectedEntry(affected[i].toObject(), path, &entry))
                return false;
            record->m_affected.append(std::move(entry));
        }

        QJsonArray references;
        if (!array(root, u"references", QStringLiteral("references"), &references))
            return false;
        for (qsizetype i = 0; i < references.size(); ++i) {
            const QString path = QStringLiteral("references[%1]").arg(i);
            if (!references[i].isObject())
                return wrongType(path, QStringLiteral("an object"), references[i]);
            const QJsonObject ref = references[i].toObject();
            OsvRecord::Reference reference;
            if (!optionalString(ref, u"type", path + u".type"_s, &reference.type) ||
                !optionalString(ref, u"url", path + u".url"_s, &reference.url))
                return false;
            record->m_references.append(reference);
        }
        return true;
    }

    QString error() const { return m_error; }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    bool wrongType(const QString &path, const QString &expected, const QJsonValue &actual)
    {
        return fail(QStringLiteral("%1 must be %2, not %3").arg(path, expected, typeName(actual)));
    }

    bool requiredString(const QJsonObject &obj, QStringView key, const QString &path, QString *out)
    {
        const QJsonValue value = obj.value(key);
        if (value.isUndefined())
            return fail(QStringLiteral("%1 is missing").arg(path));
        return optionalString(obj, key, path, out);
    }

    bool optionalString(const QJsonObject &obj, QStringView key, const QString &path, QString *out)
    {
        const QJsonValue value = obj.value(key);
        if (value.isUndefined() || value.isNull())
            return true;
        if (!value.isString())
            return wrongType(path, QStringLiteral("a string"), value);
        *out = value.toString();
        return true;
    }

    bool array(const QJsonObject &obj, QStringView key, const QString &path, QJsonArray *out)
    {
        const QJsonValue value = obj.value(key);
        if (value.isUndefined() || value.isNull())
            return true;
        if (!value.isArray())
            return wrongType(path, QStringLiteral("an array"), value);
        *out = value.toArray();
        return true;
    }

    bool object(const QJsonObject &obj, QStringView key, const QString &path, QJsonObject *out)
    {
        const QJsonValue value = obj.value(key);
        if (value.isUndefined() || value.isNull())
            return true;
        if (!value.isObject())
            return wrongType(path, QStringLiteral("an object"), value);
        *out = value.toObject();
        return true;
    }

    bool stringArray(const QJsonObject &obj, QStringView key, const QString &path, QStringList *out)
    {
        QJsonArray items;
        if (!array(obj, key, path, &items))
            return false;
        out->reserve(items.size());
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items[i].isString())
                return wrongType(QStringLiteral("%1[%2]").arg(path).arg(i),
                                 QStringLiteral("a string"), items[i]);
            out->append(items[i].toString());
        }
        return true;
    }

    bool timestamp(const QString &text, const QString &path, QDateTime *out)
    {
        *out = parseTimestamp(text);
        if (!out->isValid())
            return fail(QStringLiteral("%1 is not an RFC 3339 timestamp: \"%2\"").arg(path, text));
        return true;
    }

    // prefix is "" for the top level, "affected[i]." inside an affected entry.
    bool severities(const QJsonObject &obj, const QString &prefix,
                    QList<OsvRecord::SeverityScore> *out)
    {
        const QString path = prefix + u"severity"_s;
        QJsonArray items;
        if (!array(obj, u"severity", path, &items))
            return false;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemPath = QStringLiteral("%1[%2]").arg(path).arg(i);
            if (!items[i].isObject())
                return wrongType(itemPath, QStringLiteral("an object"), items[i]);
            const QJsonObject item = items[i].toObject();
            OsvRecord::SeverityScore severity;
            if (!requiredString(item, u"type", itemPath + u".type"_s, &severity.type) ||
                !requiredString(item, u"score", itemPath + u".score"_s, &severity.score))
                return false;
            out->append(severity);
        }
        return true;
    }

    bool affectedEntry(const QJsonObject &obj, const QString &path, OsvRecord::Affected *out)
    {
        QJsonObject package;
        if (!object(obj, u"package", path + u".package"_s, &package) ||
            !optionalString(package, u"ecosystem", path + u".package.ecosystem"_s,
                            &out->package.ecosystem) ||
            !optionalString(package, u"name", path + u".package.name"_s, &out->package.name) ||
            !optionalString(package, u"purl", path + u".package.purl"_s, &out->package.purl) ||
            !severities(obj, path + u'.', &out->severity) ||
            !stringArray(obj, u"versions", path + u".versions"_s, &out->versions) ||
            !object(obj, u"ecosystem_specific", path + u".ecosystem_specific"_s,
                    &out->ecosystemSpecific) ||
            !object(obj, u"database_specific", path + u".database_specific"_s,
                    &out->databaseSpecific))
            return false;

        QJsonArray ranges;
        if (!array(obj, u"ranges", path + u".ranges"_s, &ranges))
            return false;
        for (qsizetype i = 0; i < ranges.size(); ++i) {
            const QString rangePath = QStringLiteral("%1.ranges[%2]").arg(path).arg(i);
            if (!ranges[i].isObject())
                return wrongType(rangePath, QStringLiteral("an object"), ranges[i]);
            OsvRecord::Range range;
            if (!rangeEntry(ranges[i].toObject(), rangePath, &range))
                return false;
            out->ranges.append(std::move(range));
        }
        return true;
    }

    bool rangeEntry(const QJsonObject &obj, const QString &path, OsvRecord::Range *out)
    {
        if (!requiredString(obj, u"type", path + u".type"_s, &out->type) ||
            !optionalString(obj, u"repo", path + u".repo"_s, &out->repo))
            return false;
        const QJsonValue eventsValue = obj.value(u"events");
        if (eventsValue.isUndefined())
            return fail(QStringLiteral("%1.events is missing").arg(path));
        if (!eventsValue.isArray())
            return wrongType(path + u".events"_s, QStringLiteral("an array"), eventsValue);
        const QJsonArray events = eventsValue.toArray();
        for (qsizetype i = 0; i < events.size(); ++i) {
            const QString eventPath = QStringLiteral("%1.events[%2]").arg(path).arg(i);
            if (!events[i].isObject())
                return wrongType(eventPath, QStringLiteral("an object"), events[i]);
            const QJsonObject event = events[i].toObject();
            struct KindKey
            {
                const char16_t *key;
                OsvRecord::Event::Kind kind;
            };
            static constexpr KindKey kKinds[] = {
                {u"introduced", OsvRecord::Event::Kind::Introduced},
                {u"fixed", OsvRecord::Event::Kind::Fixed},
                {u"last_affected", OsvRecord::Event::Kind::LastAffected},
                {u"limit", OsvRecord::Event::Kind::Limit},
            };
            int found = 0;
            OsvRecord::Event parsed;
            for (const KindKey &kk : kKinds) {
                const QJsonValue value = event.value(QStringView(kk.key));
                if (value.isUndefined())
                    continue;
                if (!value.isString())
                    return wrongType(eventPath + u'.' + QStringView(kk.key),
                                     QStringLiteral("a string"), value);
                ++found;
                parsed.kind = kk.kind;
                parsed.version = value.toString();
            }
            if (found != 1)
                return fail(QStringLiteral("%1 must have exactly one of introduced, fixed, "
                                           "last_affected or limit")
                                .arg(eventPath));
            out->events.append(parsed);
        }
        return true;
    }

    QString m_error;
};

std::optional<OsvRecord> OsvRecord::fromJson(const QByteArray &json, QString *error,
                                             qsizetype maxBytes)
{
    auto fail = [error](const QString &message) -> std::optional<OsvRecord> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (json.size() > maxBytes)
        return fail(QStringLiteral("record is %1 bytes, more than the %2-byte limit")
                        .arg(json.size())
                        .arg(maxBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid JSON at offset %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(QStringLiteral("the record must be a JSON object"));

    OsvRecord record;
    OsvRecordParser parser;
    if (!parser.parse(doc.object(), &record))
        return fail(parser.error());
    return record;
}

QStringList OsvRecord::identifiers() const
{
    QStringList ids;
    for (const QStringList *list : {&m_aliases, &m_upstream}) {
        for (const QString &id : *list) {
            if (!ids.contains(id))
                ids.append(id);
        }
    }
    return ids;
}

QString OsvRecord::primaryUrl() const
{
    for (const Reference &reference : m_references) {
        if (reference.type == u"ADVISORY")
            return reference.url;
    }
    return m_references.isEmpty() ? QString() : m_references.first().url;
}

} // namespace wharf::scan
