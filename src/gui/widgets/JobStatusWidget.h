#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

namespace Ui {
class JobStatusWidget;
}

namespace wharf {
class Job;
}

namespace wharf::gui {

class JobListModel;

// The status bar's view of the jobs: the newest running job's title, its progress and a
// Cancel button; "+N more" when several run. Hidden while nothing runs.
class JobStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit JobStatusWidget(JobListModel *model, QWidget *parent = nullptr);
    ~JobStatusWidget() override;

    // The job the widget shows (and Cancel stops), or null when idle.
    Job *currentJob() const { return m_current; }

private:
    void refresh();

    std::unique_ptr<Ui::JobStatusWidget> m_ui;
    JobListModel *m_model;
    QPointer<Job> m_current;
};

} // namespace wharf::gui
