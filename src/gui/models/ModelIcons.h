#pragma once

#include <QIcon>
#include <QString>

namespace wharf::gui {

// Decoration icons of the models, by Wharf's icon role names ("registry", "namespace",
// "repository", "tag", "platform", "attestation", "loading", "error", "warning", "info",
// "insecure"): the SVG in resources/icons/<name>.svg, or the desktop theme's icon for the
// generic ones. Same names and rules as WharfIcons, kept here so the models build without the
// main window's sources. Cached, because data() asks on every repaint.
class ModelIcons
{
public:
    static QIcon icon(const QString &name);
};

} // namespace wharf::gui
