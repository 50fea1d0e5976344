#include "Format.h"

#include <array>

using namespace Qt::StringLiterals;

namespace wharf::Format {

QString bytes(qint64 value)
{
    if (value < 0)
        return u"—"_s;
    if (value < 1024)
        return u"%1 B"_s.arg(value);
    static const std::array units{u"KiB"_s, u"MiB"_s, u"GiB"_s, u"TiB"_s, u"PiB"_s};
    double v = static_cast<double>(value);
    std::size_t unit = 0;
    v /= 1024.0;
    while (v >= 1024.0 && unit + 1 < units.size()) {
        v /= 1024.0;
        ++unit;
    }
    const int decimals = v < 10 ? 2 : (v < 100 ? 1 : 0);
    return QString::number(v, 'f', decimals) + u' ' + units.at(unit);
}

QString dateTime(const QDateTime &time)
{
    if (!time.isValid())
        return u"—"_s;
    return time.toUTC().toString(u"yyyy-MM-dd HH:mm"_s) + u" UTC"_s;
}

QString isoDateTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODate);
}

} // namespace wharf::Format
