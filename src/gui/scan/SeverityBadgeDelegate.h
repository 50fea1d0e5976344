#pragma once

#include <QStyledItemDelegate>

namespace wharf::gui {

// Draws a severity cell as a rounded badge in the severity's colour (SeverityStyle) with the
// name inside, so the worst findings stand out while the name keeps it readable without colour.
// The severity comes from severityRole (int of scan::Severity), the text from DisplayRole.
class SeverityBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SeverityBadgeDelegate(int severityRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The badge inside a cell for a text of textWidth pixels: vertically centred, left aligned.
    static QRect badgeRect(const QRect &cell, int textWidth, int textHeight);

private:
    int m_severityRole;
};

} // namespace wharf::gui
