#include "ModelIcons.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace wharf::gui {

QIcon ModelIcons::icon(const QString &name)
{
    static const QHash<QString, QString> themeNames{
        {u"error"_s, u"dialog-error"_s},
        {u"warning"_s, u"dialog-warning"_s},
        {u"info"_s, u"dialog-information"_s},
    };
    // Models live on the GUI thread, so a plain static cache is enough.
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(name);
    if (it != cache.constEnd())
        return it.value();
    const QIcon own(u":/icons/"_s + name + u".svg"_s);
    const QString theme = themeNames.value(name);
    const QIcon result = theme.isEmpty() ? own : QIcon::fromTheme(theme, own);
    cache.insert(name, result);
    return result;
}

} // namespace wharf::gui
