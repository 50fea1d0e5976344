#include "SeverityBadgeDelegate.h"

#include "SeverityStyle.h"

#include <QApplication>
#include <QPainter>

namespace wharf::gui {

namespace {

constexpr int HorizontalPadding = 6;
constexpr int VerticalPadding = 1;
constexpr int CellMargin = 3;

} // namespace

SeverityBadgeDelegate::SeverityBadgeDelegate(int severityRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_severityRole(severityRole)
{}

QRect SeverityBadgeDelegate::badgeRect(const QRect &cell, int textWidth, int textHeight)
{
    const int height = std::min(cell.height() - 2, textHeight + 2 * VerticalPadding);
    const int width = std::min(cell.width() - 2 * CellMargin, textWidth + 2 * HorizontalPadding);
    return QRect(cell.left() + CellMargin, cell.top() + (cell.height() - height) / 2, width,
                 height);
}

void SeverityBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QString text = opt.text;
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // selection, focus

    const auto severity = scan::Severity(index.data(m_severityRole).toInt());
    const QFontMetrics metrics(opt.font);
    const QRect badge = badgeRect(opt.rect, metrics.horizontalAdvance(text), metrics.height());
    if (badge.width() <= 0 || badge.height() <= 0)
        return;
    const QColor fill = SeverityStyle::badgeColor(severity, opt.palette);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(severity == scan::Severity::Unknown
                        ? QPen(opt.palette.color(QPalette::Mid), 1.0)
                        : QPen(Qt::NoPen));
    painter->setBrush(fill);
    const qreal radius = badge.height() / 2.0;
    painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
    painter->setFont(opt.font);
    painter->setPen(SeverityStyle::badgeTextColor(severity, opt.palette));
    painter->drawText(
        badge, Qt::AlignCenter,
        metrics.elidedText(text, Qt::ElideRight, badge.width() - 2 * HorizontalPadding + 2));
    painter->restore();
}

QSize SeverityBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics metrics(option.font);
    const int width = metrics.horizontalAdvance(index.data(Qt::DisplayRole).toString()) +
                      2 * (HorizontalPadding + CellMargin);
    size.setWidth(std::max(size.width(), width));
    size.setHeight(std::max(size.height(), metrics.height() + 2 * VerticalPadding + 2));
    return size;
}

} // namespace wharf::gui
