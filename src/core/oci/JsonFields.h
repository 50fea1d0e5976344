#pragma once

#include "Expected.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf {

// Typed reads from a JSON object that remember the first problem with its JSON path
// ("layers[2].size is not a non-negative integer"), so parsers stay linear and errors exact.
class JsonFields
{
public:
    JsonFields(const QJsonObject &object, QString path)
        : m_object(object)
        , m_path(std::move(path))
    {}

    QString string(const QString &key, bool required = false);
    qint64 nonNegativeInteger(const QString &key, bool required = false);
    int integer(const QString &key, int fallback);
    QStringList stringList(const QString &key);
    QMap<QString, QString> stringMap(const QString &key);
    QJsonObject object(const QString &key, bool required = false);
    QJsonArray array(const QString &key, bool required = false);
    bool boolean(const QString &key);

    QString childPath(const QString &key) const;
    QString path() const { return m_path; }

    bool ok() const { return !m_problem.has_value(); }
    QString problem() const { return m_problem.value_or(QString()); }
    // Keeps the first problem only: later ones are usually consequences.
    void fail(const QString &problem);
    Error error(const QString &what) const;

private:
    QJsonObject m_object;
    QString m_path;
    std::optional<QString> m_problem;
};

// Parses bytes into a JSON object with a bound and a clear error ("what" names the document).
Expected<QJsonObject> parseJsonObject(const QByteArray &bytes, const QString &what,
                                      qint64 maxBytes);

} // namespace wharf
