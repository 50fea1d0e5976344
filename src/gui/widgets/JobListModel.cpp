#include "JobListModel.h"

#include "jobs/Job.h"

#include <QIcon>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

// Progress signals can arrive thousands of times a second during an inventory; views only
// need a few repaints per second.
constexpr int UpdateIntervalMs = 100;

QIcon errorIcon()
{
    return QIcon::fromTheme(u"dialog-error"_s, QIcon(u":/icons/error.svg"_s));
}

} // namespace

JobListModel::JobListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(UpdateIntervalMs);
    connect(&m_updateTimer, &QTimer::timeout, this, &JobListModel::flushUpdates);
}

void JobListModel::addJob(Job *job)
{
    if (!job || rowOf(job) >= 0)
        return;
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Row{job, job});
    endInsertRows();
    connect(job, &Job::progressChanged, this, [this, job] { onProgress(job); });
    connect(job, &Job::finished, this, [this, job] { onFinished(job); });
    connect(job, &QObject::destroyed, this, &JobListModel::onDestroyed);
    noteActiveCount();
    trimHistory();
}

Job *JobListModel::jobAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).job.data() : nullptr;
}

Job *JobListModel::jobFor(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this ? jobAt(index.row()) : nullptr;
}

int JobListModel::rowOf(const Job *job) const
{
    const QObject *identity = job;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).identity == identity)
            return i;
    }
    return -1;
}

QList<Job *> JobListModel::activeJobs() const
{
    QList<Job *> out;
    for (const Row &r : m_rows) {
        if (r.job && !r.job->isFinished())
            out << r.job.data();
    }
    return out;
}

int JobListModel::activeCount() const
{
    return static_cast<int>(activeJobs().size());
}

void JobListModel::clearFinished()
{
    // Remove contiguous runs from the end so each removal is one signal pair.
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        const Job *job = m_rows.at(i).job;
        if (job && !job->isFinished())
            continue;
        int first = i;
        while (first > 0) {
            const Job *previous = m_rows.at(first - 1).job;
            if (previous && !previous->isFinished())
                break;
            --first;
        }
        beginRemoveRows({}, first, i);
        for (int k = i; k >= first; --k) {
            m_dirty.remove(m_rows.at(k).identity);
            m_rows.removeAt(k);
        }
        endRemoveRows();
        i = first;
    }
}

void JobListModel::setHistoryLimit(int limit)
{
    m_historyLimit = std::max(0, limit);
    trimHistory();
}

void JobListModel::trimHistory()
{
    int finished = 0;
    for (const Row &r : std::as_const(m_rows)) {
        if (!r.job || r.job->isFinished())
            ++finished;
    }
    for (int i = 0; i < m_rows.size() && finished > m_historyLimit;) {
        const Job *job = m_rows.at(i).job;
        if (job && !job->isFinished()) {
            ++i;
            continue;
        }
        beginRemoveRows({}, i, i);
        m_dirty.remove(m_rows.at(i).identity);
        m_rows.removeAt(i);
        endRemoveRows();
        --finished;
    }
}

void JobListModel::onProgress(Job *job)
{
    m_dirty.insert(job);
    if (!m_updateTimer.isActive())
        m_updateTimer.start();
}

void JobListModel::onFinished(Job *job)
{
    const int row = rowOf(job);
    if (row < 0)
        return;
    m_dirty.remove(job);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    noteActiveCount();
    trimHistory();
}

void JobListModel::onDestroyed(QObject *object)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).identity == object) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
            break;
        }
    }
    m_dirty.remove(object);
    noteActiveCount();
}

void JobListModel::flushUpdates()
{
    const QSet<const QObject *> dirty = std::exchange(m_dirty, {});
    for (int i = 0; i < m_rows.size(); ++i) {
        if (dirty.contains(m_rows.at(i).identity))
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
}

void JobListModel::noteActiveCount()
{
    const int count = activeCount();
    if (count == m_lastActiveCount)
        return;
    m_lastActiveCount = count;
    emit activeCountChanged(count);
}

int JobListModel::progressPercent(const Job *job)
{
    if (!job)
        return 0;
    if (job->state() == Job::State::Succeeded)
        return 100;
    if (job->total() <= 0)
        return job->isFinished() ? 0 : -1;
    return static_cast<int>(std::clamp(job->done() * 100 / job->total(), qint64(0), qint64(100)));
}

QString JobListModel::adviceFor(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Unauthorized:
        return tr("Check the username and password of this registry's bookmark, then run it "
                  "again.");
    case Error::Kind::Forbidden:
        return tr("Your account lacks the permission; ask the registry's administrator.");
    case Error::Kind::ConnectionRefused:
    case Error::Kind::HostNotFound:
        return tr("Check that the registry is running and the bookmark's address is right.");
    case Error::Kind::Timeout:
    case Error::Kind::Network:
    case Error::Kind::ServerError:
        return tr("The registry or the network had a problem; try again in a moment.");
    case Error::Kind::TooManyRequests:
        return tr("The registry limits requests; wait a while before trying again.");
    case Error::Kind::Tls:
        return tr("Add the registry's CA certificate to the bookmark, or, for a test registry, "
                  "enable “Skip TLS verification”.");
    case Error::Kind::Cancelled:
        return {};
    default:
        return tr("Run it again; if it keeps failing, the details above say what the registry "
                  "answered.");
    }
}

QString JobListModel::statusText(const Job *job) const
{
    switch (job->state()) {
    case Job::State::Pending:
        return tr("Waiting");
    case Job::State::Running:
        return job->statusText().isEmpty() ? tr("Running…") : job->statusText();
    case Job::State::Succeeded: {
        const QString took = tr("Done in %1 s").arg(job->elapsedSeconds(), 0, 'f', 1);
        return job->statusText().isEmpty() ? took : took + u" — "_s + job->statusText();
    }
    case Job::State::Cancelled:
        return tr("Cancelled");
    case Job::State::Failed:
        return job->error() ? tr("Failed: %1").arg(job->error()->message) : tr("Failed");
    }
    return {};
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job *job = m_rows.at(index.row()).job;
    if (!job)
        return {};
    const bool failed = job->state() == Job::State::Failed;

    switch (role) {
    case JobRole:
        return QVariant::fromValue(static_cast<QObject *>(const_cast<Job *>(job)));
    case StateRole:
        return static_cast<int>(job->state());
    case ProgressRole:
        return progressPercent(job);
    case ErrorRole:
        return failed && job->error() ? job->error()->message : QString();
    case FinishedRole:
        return job->isFinished();
    case Qt::ToolTipRole:
        if (failed && job->error()) {
            const QString advice = adviceFor(*job->error());
            return advice.isEmpty() ? job->error()->message
                                    : job->error()->message + u"\n\n"_s + advice;
        }
        if (index.column() == ProgressColumn && job->total() > 0)
            return tr("%1 of %2").arg(job->done()).arg(job->total());
        return index.column() == TitleColumn ? job->title() : statusText(job);
    default:
        break;
    }

    switch (index.column()) {
    case TitleColumn:
        if (role == Qt::DisplayRole)
            return job->title();
        break;
    case ProgressColumn:
        if (role == Qt::DisplayRole) {
            const int percent = progressPercent(job);
            return percent < 0 ? tr("…") : tr("%1%").arg(percent);
        }
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole)
            return statusText(job);
        if (role == Qt::DecorationRole && failed)
            return errorIcon();
        break;
    default:
        break;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TitleColumn:
        return tr("Job");
    case ProgressColumn:
        return tr("Progress");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace wharf::gui
