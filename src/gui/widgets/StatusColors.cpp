#include "StatusColors.h"

#include <QLabel>

namespace wharf::gui::StatusColors {

QColor color(Severity severity, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightnessF() < 0.5;
    switch (severity) {
    case Severity::Success:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20);
    case Severity::Warning:
        return dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8a, 0x4b, 0x00);
    case Severity::Error:
        return dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xb7, 0x1c, 0x1c);
    case Severity::Neutral:
        break;
    }
    return palette.color(QPalette::WindowText);
}

void show(QLabel *label, const QString &text, Severity severity)
{
    QPalette palette = label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    palette.setColor(QPalette::WindowText, color(severity, palette));
    label->setPalette(palette);
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace wharf::gui::StatusColors
