#include "CommandEnv.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace wharf::cli {

void CommandEnv::failWith(const QString &message, int code) const
{
    *err << "wharfctl: " << message << '\n';
    err->flush();
    finish(code);
}

void CommandEnv::printJson(const QJsonObject &object) const
{
    // In slices: an inventory of 10,000 tags is tens of MB, and one QString of it would double
    // that again in UTF-16. Slices end on a character boundary (never inside a UTF-8 sequence).
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Indented);
    constexpr qsizetype Slice = 1 << 20;
    for (qsizetype at = 0; at < json.size();) {
        qsizetype end = std::min(at + Slice, json.size());
        while (end < json.size() && (static_cast<unsigned char>(json.at(end)) & 0xC0) == 0x80)
            ++end;
        *out << QString::fromUtf8(json.constData() + at, end - at);
        at = end;
    }
    out->flush();
}

} // namespace wharf::cli
