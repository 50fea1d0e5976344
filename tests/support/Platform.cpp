#include "Platform.h"

namespace wharf::test {

using namespace Qt::StringLiterals;

QJsonObject Platform::toJson() const
{
    QJsonObject object{{u"os"_s, os}, {u"architecture"_s, architecture}};
    if (!variant.isEmpty())
        object.insert(u"variant"_s, variant);
    if (!osVersion.isEmpty())
        object.insert(u"os.version"_s, osVersion);
    return object;
}

QString Platform::toString() const
{
    QString text = os + u'/' + architecture;
    if (!variant.isEmpty())
        text += u'/' + variant;
    return text;
}

} // namespace wharf::test
