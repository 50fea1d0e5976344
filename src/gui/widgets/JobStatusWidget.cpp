#include "JobStatusWidget.h"

#include "JobListModel.h"
#include "jobs/Job.h"
#include "ui_JobStatusWidget.h"

using namespace Qt::StringLiterals;

namespace wharf::gui {

JobStatusWidget::JobStatusWidget(JobListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::JobStatusWidget>())
    , m_model(model)
{
    m_ui->setupUi(this);
    m_ui->cancelButton->setIcon(
        QIcon::fromTheme(u"process-stop"_s, QIcon(u":/icons/cancel.svg"_s)));
    connect(m_ui->cancelButton, &QToolButton::clicked, this, [this] {
        if (m_current)
            m_current->cancel();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobStatusWidget::refresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobStatusWidget::refresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobStatusWidget::refresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &JobStatusWidget::refresh);
    connect(m_model, &JobListModel::activeCountChanged, this, &JobStatusWidget::refresh);
    refresh();
}

JobStatusWidget::~JobStatusWidget() = default;

void JobStatusWidget::refresh()
{
    const QList<Job *> active = m_model->activeJobs();
    if (active.isEmpty()) {
        m_current = nullptr;
        setVisible(false);
        return;
    }
    m_current = active.constLast();
    const qsizetype others = active.size() - 1;
    m_ui->titleLabel->setText(
        others > 0 ? tr("%1 (+%n more)", nullptr, int(others)).arg(m_current->title())
                   : m_current->title());
    m_ui->titleLabel->setToolTip(m_current->statusText());
    const int percent = JobListModel::progressPercent(m_current);
    m_ui->progressBar->setRange(0, percent < 0 ? 0 : 100); // 0..0: busy indicator
    m_ui->progressBar->setValue(percent < 0 ? 0 : percent);
    m_ui->progressBar->setToolTip(m_current->statusText());
    setVisible(true);
}

} // namespace wharf::gui
