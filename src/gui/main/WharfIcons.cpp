#include "WharfIcons.h"

#include <QHash>

using namespace Qt::StringLiterals;

// Resources of a static library are only linked in when something references them.
static void initWharfResources()
{
    Q_INIT_RESOURCE(wharf);
}

namespace wharf::gui {

QIcon WharfIcons::icon(const QString &name)
{
    // Freedesktop names for the generic actions; domain objects always use Wharf's icons.
    static const QHash<QString, QString> themeNames{
        {u"add"_s, u"list-add"_s},           {u"remove"_s, u"list-remove"_s},
        {u"edit"_s, u"document-edit"_s},     {u"refresh"_s, u"view-refresh"_s},
        {u"copy"_s, u"edit-copy"_s},         {u"delete"_s, u"edit-delete"_s},
        {u"cancel"_s, u"process-stop"_s},    {u"error"_s, u"dialog-error"_s},
        {u"warning"_s, u"dialog-warning"_s}, {u"info"_s, u"dialog-information"_s},
    };
    static const bool resourcesReady = (initWharfResources(), true);
    Q_UNUSED(resourcesReady);
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(name);
    if (it != cache.constEnd())
        return *it;
    const QIcon own(u":/icons/"_s + name + u".svg"_s);
    const QString theme = themeNames.value(name);
    const QIcon result = theme.isEmpty() ? own : QIcon::fromTheme(theme, own);
    cache.insert(name, result);
    return result;
}

} // namespace wharf::gui
