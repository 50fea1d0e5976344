#include "CommandEnv.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace wharf::cli {

void CommandEnv::failWith(const QString &message, int code) const
{
    *err << "wharfctl: " << message << '\n';
    err->flush();
    finish(code);
}

void CommandEnv::printJson(const QJsonObject &object) const
{
    *out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    out->flush();
}

} // namespace wharf::cli
