#include "SizeBarDelegate.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>

namespace wharf::gui {

namespace {

constexpr qreal HorizontalMargin = 3.0;
constexpr qreal VerticalMargin = 3.0;
constexpr int MinimumBarWidth = 60; // room for a readable bar next to short texts

} // namespace

SizeBarDelegate::SizeBarDelegate(int valueRole, int maximumRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_valueRole(valueRole)
    , m_maximumRole(maximumRole)
{}

double SizeBarDelegate::fraction(qint64 value, qint64 maximum)
{
    if (maximum <= 0 || value <= 0)
        return 0.0;
    return std::clamp(static_cast<double>(value) / static_cast<double>(maximum), 0.0, 1.0);
}

QRectF SizeBarDelegate::barRect(const QRectF &cell, double fraction)
{
    const QRectF inner =
        cell.adjusted(HorizontalMargin, VerticalMargin, -HorizontalMargin, -VerticalMargin);
    if (inner.width() <= 0 || inner.height() <= 0 || fraction <= 0)
        return {};
    // A tiny but non-zero value still gets a visible sliver.
    const qreal width = std::max<qreal>(1.0, inner.width() * fraction);
    return QRectF(inner.left(), inner.top(), width, inner.height());
}

void SizeBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background, selection and focus first, without the text: the bar goes between them.
    // (The text rectangle is laid out while the option still has its text.)
    const QString text = opt.text;
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double f =
        fraction(index.data(m_valueRole).toLongLong(), index.data(m_maximumRole).toLongLong());
    const QRectF bar = barRect(opt.rect, f);
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    const QPalette::ColorGroup group =
        !opt.state.testFlag(QStyle::State_Enabled)
            ? QPalette::Disabled
            : (opt.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive);
    if (!bar.isEmpty()) {
        // Palette colours, translucent so the text stays readable in light and dark themes.
        QColor color =
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Highlight);
        color.setAlphaF(selected ? 0.30f : 0.40f);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->fillRect(bar, color);
        painter->restore();
    }

    if (!text.isEmpty()) {
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
        const QString elided =
            opt.fontMetrics.elidedText(text, opt.textElideMode, textRect.width());
        painter->drawText(textRect, static_cast<int>(opt.displayAlignment), elided);
        painter->restore();
    }
}

QSize SizeBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), MinimumBarWidth + 2 * static_cast<int>(HorizontalMargin)));
    return size;
}

} // namespace wharf::gui
