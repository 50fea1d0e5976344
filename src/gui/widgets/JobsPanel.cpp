#include "JobsPanel.h"

#include "JobListModel.h"
#include "JobProgressDelegate.h"
#include "jobs/Job.h"
#include "ui_JobsPanel.h"

#include <QHeaderView>
#include <QMenu>

using namespace Qt::StringLiterals;

namespace wharf::gui {

JobsPanel::JobsPanel(JobListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::JobsPanel>())
    , m_model(model)
{
    m_ui->setupUi(this);
    m_ui->cancelButton->setIcon(
        QIcon::fromTheme(u"process-stop"_s, QIcon(u":/icons/cancel.svg"_s)));
    m_ui->clearButton->setIcon(QIcon::fromTheme(u"edit-clear"_s, QIcon(u":/icons/remove.svg"_s)));

    m_ui->jobsView->setModel(m_model);
    m_ui->jobsView->setItemDelegateForColumn(JobListModel::ProgressColumn,
                                             new JobProgressDelegate(m_ui->jobsView));
    m_ui->jobsView->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *header = m_ui->jobsView->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(JobListModel::TitleColumn, QHeaderView::Interactive);
    header->resizeSection(JobListModel::TitleColumn, 220);
    header->resizeSection(JobListModel::ProgressColumn, 120);

    connect(m_ui->cancelButton, &QPushButton::clicked, this, [this] { cancelSelected(); });
    connect(m_ui->clearButton, &QPushButton::clicked, m_model, &JobListModel::clearFinished);
    connect(m_ui->jobsView, &QWidget::customContextMenuRequested, this,
            &JobsPanel::showContextMenu);
    connect(m_ui->jobsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &JobsPanel::updateButtons);
    connect(m_model, &JobListModel::activeCountChanged, this, &JobsPanel::updateButtons);
    updateButtons();
}

JobsPanel::~JobsPanel() = default;

int JobsPanel::cancelSelected()
{
    // Collect first: cancelling changes rows (finished jobs may be trimmed from the history).
    QList<Job *> jobs;
    const QModelIndexList rows = m_ui->jobsView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        if (Job *job = m_model->jobFor(index); job && !job->isFinished())
            jobs << job;
    }
    for (Job *job : std::as_const(jobs))
        job->cancel();
    updateButtons();
    return static_cast<int>(jobs.size());
}

void JobsPanel::updateButtons()
{
    bool anyRunningSelected = false;
    const QModelIndexList rows = m_ui->jobsView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const Job *job = m_model->jobFor(index);
        if (job && !job->isFinished()) {
            anyRunningSelected = true;
            break;
        }
    }
    m_ui->cancelButton->setEnabled(anyRunningSelected);
    const int active = m_model->activeCount();
    m_ui->clearButton->setEnabled(m_model->rowCount() > active);
    m_ui->summaryLabel->setText(active == 0 ? tr("No jobs running")
                                            : tr("%n job(s) running", nullptr, active));
}

void JobsPanel::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    QAction *cancel = menu.addAction(m_ui->cancelButton->icon(), tr("Cancel"));
    cancel->setEnabled(m_ui->cancelButton->isEnabled());
    connect(cancel, &QAction::triggered, this, [this] { cancelSelected(); });
    QAction *clear = menu.addAction(m_ui->clearButton->icon(), tr("Clear Finished"));
    clear->setEnabled(m_ui->clearButton->isEnabled());
    connect(clear, &QAction::triggered, m_model, &JobListModel::clearFinished);
    menu.exec(m_ui->jobsView->viewport()->mapToGlobal(pos));
}

} // namespace wharf::gui
