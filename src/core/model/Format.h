#pragma once

#include <QDateTime>
#include <QString>

namespace wharf::Format {

// "512 B", "12.3 KiB", "1.50 GiB" – binary units, as registries and docker report sizes.
QString bytes(qint64 bytes);
// "2024-05-01 12:34 UTC", or "—" when unknown.
QString dateTime(const QDateTime &time);
// ISO 8601 in UTC for machine output, or an empty string.
QString isoDateTime(const QDateTime &time);

} // namespace wharf::Format
