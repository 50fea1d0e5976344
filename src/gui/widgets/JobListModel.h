#pragma once

#include "Error.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace wharf {
class Job;
}

namespace wharf::gui {

// Every long operation of the session, running and finished, for the jobs panel and the status
// bar. Takes no ownership: a row disappears when its Job is destroyed. Finished jobs stay as a
// history (so a failure can still be read) until clearFinished() or the history limit.
class JobListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TitleColumn, ProgressColumn, StatusColumn, ColumnCount };
    enum Role {
        JobRole = Qt::UserRole + 1, // QObject* of the Job
        StateRole,                  // int of Job::State
        ProgressRole,               // int 0..100, or -1 while the total is unknown
        ErrorRole,                  // the error message of a failed job, else empty
        FinishedRole,               // bool
    };

    explicit JobListModel(QObject *parent = nullptr);

    // Shows job from now on (any state). Adding the same job twice does nothing.
    void addJob(Job *job);
    Job *jobAt(int row) const;
    Job *jobFor(const QModelIndex &index) const;
    int rowOf(const Job *job) const;
    // Running or pending jobs, oldest first.
    QList<Job *> activeJobs() const;
    int activeCount() const;

    void clearFinished();
    // Finished jobs kept at most; the oldest finished go first. Default 50.
    void setHistoryLimit(int limit);
    int historyLimit() const { return m_historyLimit; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "Check the username and password…": what a person can do about a failure.
    static QString adviceFor(const Error &error);
    static int progressPercent(const Job *job);

signals:
    void activeCountChanged(int count);

private:
    void onProgress(Job *job);
    void onFinished(Job *job);
    void onDestroyed(QObject *object);
    void flushUpdates();
    void trimHistory();
    void noteActiveCount();
    QString statusText(const Job *job) const;

    struct Row
    {
        const QObject *identity; // compared only; the Job may already be gone
        QPointer<Job> job;
    };
    QList<Row> m_rows;
    QSet<const QObject *> m_dirty; // rows whose progress changed since the last repaint
    QTimer m_updateTimer;
    int m_historyLimit = 50;
    int m_lastActiveCount = 0;
};

} // namespace wharf::gui
