#include "JobProgressDelegate.h"

#include "JobListModel.h"
#include "jobs/Job.h"

#include <QApplication>
#include <QPainter>

namespace wharf::gui {

void JobProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    const QWidget *widget = item.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Selection background as usual, then the bar inside the cell.
    item.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, widget);

    // A failed or cancelled job has no meaningful progress: its status says what happened.
    const auto state = static_cast<Job::State>(index.data(JobListModel::StateRole).toInt());
    if (state == Job::State::Failed || state == Job::State::Cancelled)
        return;
    const int percent = index.data(JobListModel::ProgressRole).toInt();
    QStyleOptionProgressBar bar;
    if (widget)
        bar.initFrom(widget);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.palette = option.palette;
    bar.fontMetrics = option.fontMetrics;
    bar.minimum = 0;
    bar.maximum = percent < 0 ? 0 : 100; // 0..0 is the style's "busy" bar
    bar.progress = percent < 0 ? 0 : percent;
    bar.textVisible = percent >= 0;
    bar.text = percent >= 0 ? tr("%1%").arg(percent) : QString();
    bar.textAlignment = Qt::AlignCenter;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace wharf::gui
