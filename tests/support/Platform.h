#pragma once

#include <QJsonObject>
#include <QString>

namespace wharf::test {

// The platform object of an index entry (and the matching fields of an image config).
struct Platform
{
    QString os;
    QString architecture;
    QString variant;   // empty = absent
    QString osVersion; // "os.version"; empty = absent

    bool isEmpty() const { return os.isEmpty() && architecture.isEmpty(); }
    QJsonObject toJson() const;
    // "linux/arm64/v8"
    QString toString() const;

    friend bool operator==(const Platform &, const Platform &) = default;
};

} // namespace wharf::test
