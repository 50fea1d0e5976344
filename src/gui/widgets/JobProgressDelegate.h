#pragma once

#include <QStyledItemDelegate>

namespace wharf::gui {

// Paints a job's progress as the platform's progress bar (busy when the total is unknown),
// reading JobListModel::ProgressRole.
class JobProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace wharf::gui
