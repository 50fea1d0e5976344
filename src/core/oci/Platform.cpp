#include "Platform.h"

using namespace Qt::StringLiterals;

namespace wharf {

QString Platform::toString() const
{
    if (isEmpty())
        return u"unknown"_s;
    QString text = os + u'/' + architecture;
    if (!variant.isEmpty())
        text += u'/' + variant;
    if (!osVersion.isEmpty())
        text += u" ("_s + osVersion + u')';
    return text;
}

} // namespace wharf
