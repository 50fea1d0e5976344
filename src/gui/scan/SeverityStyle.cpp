#include "SeverityStyle.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using wharf::scan::Severity;

namespace wharf::gui {

QColor SeverityStyle::badgeColor(Severity severity, const QPalette &palette)
{
    switch (severity) {
    case Severity::Critical:
        return QColor(0x7f, 0x1d, 0x1d); // deep red
    case Severity::High:
        return QColor(0xb4, 0x3c, 0x0c); // red-orange
    case Severity::Medium:
        return QColor(0xf2, 0xb1, 0x2c); // amber (dark text)
    case Severity::Low:
        return QColor(0x1e, 0x4f, 0xa8); // blue
    case Severity::Negligible:
        return QColor(0x5f, 0x63, 0x68); // grey
    case Severity::Unknown:
        break;
    }
    return palette.color(QPalette::Active, QPalette::AlternateBase);
}

QColor SeverityStyle::badgeTextColor(Severity severity, const QPalette &palette)
{
    if (severity == Severity::Unknown)
        return palette.color(QPalette::Active, QPalette::Text);
    const QColor fill = badgeColor(severity, palette);
    const QColor white(Qt::white);
    const QColor black(Qt::black);
    return contrastRatio(fill, white) >= contrastRatio(fill, black) ? white : black;
}

double SeverityStyle::luminance(const QColor &color)
{
    auto channel = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) +
           0.0722 * channel(rgb.blueF());
}

double SeverityStyle::contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString SeverityStyle::displayName(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
        return tr("Critical");
    case Severity::High:
        return tr("High");
    case Severity::Medium:
        return tr("Medium");
    case Severity::Low:
        return tr("Low");
    case Severity::Negligible:
        return tr("Negligible");
    case Severity::Unknown:
        break;
    }
    return tr("Unknown");
}

QString SeverityStyle::shortCounts(const scan::SeverityCounts &counts)
{
    if (counts.total == 0)
        return tr("none found");
    QStringList parts;
    auto add = [&parts](int n, const QString &format) {
        if (n > 0)
            parts << format.arg(n);
    };
    //: Count of critical vulnerabilities in the tag table, e.g. "2 C"
    add(counts.critical, tr("%1 C"));
    //: Count of high-severity vulnerabilities, e.g. "5 H"
    add(counts.high, tr("%1 H"));
    //: Count of medium-severity vulnerabilities, e.g. "11 M"
    add(counts.medium, tr("%1 M"));
    //: Count of low-severity vulnerabilities, e.g. "3 L"
    add(counts.low, tr("%1 L"));
    //: Count of vulnerabilities of unknown severity, e.g. "1 ?"
    add(counts.unknown, tr("%1 ?"));
    return parts.join(u" · "_s);
}

int SeverityStyle::sortKey(const scan::SeverityCounts &counts)
{
    auto clamp = [](int n) { return std::clamp(n, 0, 999); };
    return clamp(counts.critical) * 1000000 + clamp(counts.high) * 1000 + clamp(counts.medium);
}

QString SeverityStyle::countsHtml(const scan::SeverityCounts &counts, const QPalette &palette)
{
    struct Part
    {
        Severity severity;
        int count;
    };
    const Part parts[] = {{Severity::Critical, counts.critical},
                          {Severity::High, counts.high},
                          {Severity::Medium, counts.medium},
                          {Severity::Low, counts.low},
                          {Severity::Unknown, counts.unknown}};
    QString html = tr("<b>Total: %1</b>").arg(counts.total);
    for (const Part &p : parts) {
        html += u"&nbsp;&nbsp;<span style=\"background-color:%1; color:%2;\">&nbsp;%3&nbsp;%4&nbsp;"
                u"</span>"_s.arg(badgeColor(p.severity, palette).name(),
                                 badgeTextColor(p.severity, palette).name(),
                                 QString::number(p.count), displayName(p.severity).toHtmlEscaped());
    }
    return html;
}

} // namespace wharf::gui
