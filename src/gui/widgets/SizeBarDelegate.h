#pragma once

#include <QStyledItemDelegate>

namespace wharf::gui {

// Draws a size cell as a horizontal bar behind the size text, its length proportional to the
// row's value relative to the column's largest value, so the big layers stand out at a glance.
// The model supplies both numbers through roles; text and tooltip come from the usual roles.
class SizeBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // valueRole: this row's bytes (qint64); maximumRole: the largest value of the column.
    SizeBarDelegate(int valueRole, int maximumRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // value / maximum clamped to [0, 1]; 0 when there is nothing to compare with.
    static double fraction(qint64 value, qint64 maximum);
    // Where the bar goes inside a cell: full height minus a margin, width by fraction.
    static QRectF barRect(const QRectF &cell, double fraction);

private:
    int m_valueRole;
    int m_maximumRole;
};

} // namespace wharf::gui
