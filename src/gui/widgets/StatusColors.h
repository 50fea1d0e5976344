#pragma once

#include <QColor>
#include <QPalette>

class QLabel;

namespace wharf::gui::StatusColors {

// Severity colours for inline messages, picked for contrast against the palette's window
// colour (dark shades on light themes, light shades on dark ones). The only colours the GUI
// sets itself; everything else comes from the palette.
enum class Severity { Neutral, Success, Warning, Error };

QColor color(Severity severity, const QPalette &palette);
// Shows text in label with the severity's colour (Neutral: the palette's own text colour).
void show(QLabel *label, const QString &text, Severity severity);

} // namespace wharf::gui::StatusColors
