#pragma once

#include <QIcon>

namespace wharf::gui {

// Icons by role name ("registry", "tag", "error", …): the desktop theme's icon where the theme
// has a fitting one, else Wharf's own SVG from resources/icons/ (crisp at any DPI).
class WharfIcons
{
public:
    static QIcon icon(const QString &name);
};

} // namespace wharf::gui
