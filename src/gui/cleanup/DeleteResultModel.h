#pragma once

#include "cleanup/DeleteJob.h"
#include "cleanup/DeleteResult.h"
#include "widgets/StatusColors.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPalette>
#include <QPointer>

namespace wharf::gui {

// One row per item of a DeleteJob, appended as items finish (the selections the plan left out
// are there from the start), with a coloured status and an icon. Rows hold copies of the
// results, so the model stays readable after the job is gone. When the job finishes, every
// item is brought up to date: cancelling marks waiting items without announcing each one.
class DeleteResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ReferenceColumn, DigestColumn, StatusColumn, MessageColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        StatusRole = Qt::UserRole + 1, // int of DeleteResult::Status
        ReferenceRole,                 // DeleteResult::reference ("repo@digest", "repo:tag")
        FullDigestRole,
        ActionRole, // int of DeleteResult::Action
        SortRole,
    };
    Q_ENUM(Role)

    explicit DeleteResultModel(QObject *parent = nullptr);

    // Follows job from now on (rows for what already finished come at once).
    void setJob(DeleteJob *job);
    DeleteJob *job() const { return m_job; }
    void clear();
    void setPalette(const QPalette &palette);

    const DeleteResult &resultAt(int row) const { return m_rows.at(row).result; }
    int count(DeleteResult::Status status) const;
    // Every result in row order (what arrived so far).
    QList<DeleteResult> results() const;

    static QString statusText(DeleteResult::Status status);
    static StatusColors::Severity severityOf(DeleteResult::Status status);
    static QString iconName(DeleteResult::Status status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int item = -1; // index into the job's results
        DeleteResult result;
    };

    void addOrUpdate(int item);
    void syncAll();
    QString referenceText(const DeleteResult &r) const;

    QPointer<DeleteJob> m_job;
    QList<Row> m_rows;
    QHash<int, int> m_rowOfItem;
    QHash<int, int> m_counts; // rows per status: asked after every item
    QPalette m_palette;
};

} // namespace wharf::gui
