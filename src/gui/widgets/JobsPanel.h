#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class JobsPanel;
}

namespace wharf::gui {

class JobListModel;

// The dockable list of jobs: title, a progress bar, status or error in place; Cancel for the
// selected running jobs (also from the context menu) and Clear for the finished ones.
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(JobListModel *model, QWidget *parent = nullptr);
    ~JobsPanel() override;

    JobListModel *model() const { return m_model; }
    // Cancels every selected job that is still running; returns how many.
    int cancelSelected();

private:
    void updateButtons();
    void showContextMenu(const QPoint &pos);

    std::unique_ptr<Ui::JobsPanel> m_ui;
    JobListModel *m_model;
};

} // namespace wharf::gui
