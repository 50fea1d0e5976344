#pragma once

#include "scan/service/ScanResult.h"
#include "scan/vuln/Severity.h"

#include <QColor>
#include <QCoreApplication>
#include <QPalette>
#include <QString>

namespace wharf::gui {

// How the app shows severities: badge colours, short count texts and the tag table's sort key.
//
// Badge fills are fixed colours chosen so that the badge text (black or white, whichever
// contrasts more) reaches WCAG AA (4.5:1) on them; Unknown has no colour of its own and uses
// the palette (base fill, text colour), so it follows light and dark themes like the rest.
class SeverityStyle
{
    Q_DECLARE_TR_FUNCTIONS(wharf::gui::SeverityStyle)

public:
    static QColor badgeColor(scan::Severity severity, const QPalette &palette);
    static QColor badgeTextColor(scan::Severity severity, const QPalette &palette);
    // WCAG 2 contrast ratio of two opaque colours, 1 to 21.
    static double contrastRatio(const QColor &a, const QColor &b);
    // Translated name: "Critical", "High", …
    static QString displayName(scan::Severity severity);

    // "1 C · 3 H · 1 L · 1 ?" (zero counts left out); "none found" when the total is 0.
    static QString shortCounts(const scan::SeverityCounts &counts);
    // Orders scanned images worst first when sorted descending: critical, then high, then
    // medium (each clamped to 999), so any critical outranks any number of highs. A clean
    // image gets 0, which still sorts above an unscanned one (-1).
    static int sortKey(const scan::SeverityCounts &counts);
    // Rich text with one coloured badge per severity, for the summary bar.
    static QString countsHtml(const scan::SeverityCounts &counts, const QPalette &palette);

private:
    static double luminance(const QColor &color);
};

} // namespace wharf::gui
