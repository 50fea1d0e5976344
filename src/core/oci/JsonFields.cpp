#include "JsonFields.h"

#include "Expected.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wharf {

QString JsonFields::childPath(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void JsonFields::fail(const QString &problem)
{
    if (!m_problem)
        m_problem = problem;
}

Error JsonFields::error(const QString &what) const
{
    return Error::make(Error::Kind::Protocol, u"%1 is malformed: %2"_s.arg(
                                                  what, m_problem.value_or(u"unknown problem"_s)));
}

QString JsonFields::string(const QString &key, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(u"%1 is missing"_s.arg(childPath(key)));
        return {};
    }
    if (!v.isString()) {
        fail(u"%1 is not a string"_s.arg(childPath(key)));
        return {};
    }
    return v.toString();
}

qint64 JsonFields::nonNegativeInteger(const QString &key, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(u"%1 is missing"_s.arg(childPath(key)));
        return 0;
    }
    const double d = v.toDouble(-1);
    // 2^53: beyond it doubles stop being exact and a size would be silently wrong.
    if (!v.isDouble() || d < 0 || d != std::floor(d) || d > 9007199254740992.0) {
        fail(u"%1 is not a non-negative integer"_s.arg(childPath(key)));
        return 0;
    }
    return static_cast<qint64>(d);
}

int JsonFields::integer(const QString &key, int fallback)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isDouble()) {
        fail(u"%1 is not a number"_s.arg(childPath(key)));
        return fallback;
    }
    return v.toInt(fallback);
}

QStringList JsonFields::stringList(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isArray()) {
        fail(u"%1 is not an array"_s.arg(childPath(key)));
        return {};
    }
    QStringList out;
    const QJsonArray array = v.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            fail(u"%1[%2] is not a string"_s.arg(childPath(key)).arg(i));
            return {};
        }
        out << array.at(i).toString();
    }
    return out;
}

QMap<QString, QString> JsonFields::stringMap(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject()) {
        fail(u"%1 is not an object"_s.arg(childPath(key)));
        return {};
    }
    QMap<QString, QString> out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString()) {
            fail(u"%1.%2 is not a string"_s.arg(childPath(key), it.key()));
            return {};
        }
        out.insert(it.key(), it.value().toString());
    }
    return out;
}

QJsonObject JsonFields::object(const QString &key, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(u"%1 is missing"_s.arg(childPath(key)));
        return {};
    }
    if (!v.isObject()) {
        fail(u"%1 is not an object"_s.arg(childPath(key)));
        return {};
    }
    return v.toObject();
}

QJsonArray JsonFields::array(const QString &key, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(u"%1 is missing"_s.arg(childPath(key)));
        return {};
    }
    if (!v.isArray()) {
        fail(u"%1 is not an array"_s.arg(childPath(key)));
        return {};
    }
    return v.toArray();
}

bool JsonFields::boolean(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isBool()) {
        fail(u"%1 is not a boolean"_s.arg(childPath(key)));
        return false;
    }
    return v.toBool();
}

Expected<QJsonObject> parseJsonObject(const QByteArray &bytes, const QString &what, qint64 maxBytes)
{
    if (bytes.size() > maxBytes)
        return Error::make(Error::Kind::TooLarge,
                           u"%1 is %2 bytes, more than the %3 bytes Wharf accepts"_s.arg(what)
                               .arg(bytes.size())
                               .arg(maxBytes));
    if (bytes.trimmed().isEmpty())
        return Error::make(Error::Kind::Protocol, u"%1 is empty"_s.arg(what));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::make(Error::Kind::Protocol, u"%1 is not valid JSON: %2 at byte %3"_s
                                                      .arg(what, parseError.errorString())
                                                      .arg(parseError.offset));
    if (!doc.isObject())
        return Error::make(Error::Kind::Protocol, u"%1 is not a JSON object"_s.arg(what));
    return doc.object();
}

} // namespace wharf
