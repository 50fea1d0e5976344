#include "DeleteResultModel.h"

#include "cleanup/DeleteJob.h"
#include "main/WharfIcons.h"

#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace wharf::gui {

DeleteResultModel::DeleteResultModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_palette(QGuiApplication::palette())
{}

void DeleteResultModel::setJob(DeleteJob *job)
{
    if (m_job)
        disconnect(m_job, nullptr, this, nullptr);
    beginResetModel();
    m_job = job;
    m_rows.clear();
    m_rowOfItem.clear();
    m_counts.clear();
    endResetModel();
    if (!job)
        return;
    connect(job, &DeleteJob::itemFinished, this, &DeleteResultModel::addOrUpdate);
    connect(job, &Job::finished, this, &DeleteResultModel::syncAll);
    // Selections the plan left out are final before the job runs; so is everything once the
    // job is over.
    const QList<DeleteResult> &results = job->results();
    for (int item = 0; item < results.size(); ++item) {
        if (job->isFinished() || results.at(item).action == DeleteResult::Action::None)
            addOrUpdate(item);
    }
}

void DeleteResultModel::clear()
{
    setJob(nullptr);
}

void DeleteResultModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn));
}

void DeleteResultModel::addOrUpdate(int item)
{
    if (!m_job || item < 0 || item >= m_job->results().size())
        return;
    const DeleteResult &result = m_job->results().at(item);
    const auto it = m_rowOfItem.constFind(item);
    if (it != m_rowOfItem.cend()) {
        const DeleteResult &shown = m_rows.at(it.value()).result;
        if (shown.status == result.status && shown.message == result.message)
            return; // the final sync revisits every item
        --m_counts[int(m_rows.at(it.value()).result.status)];
        ++m_counts[int(result.status)];
        m_rows[it.value()].result = result;
        emit dataChanged(index(it.value(), 0), index(it.value(), ColumnCount - 1));
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows << Row{item, result};
    m_rowOfItem.insert(item, row);
    ++m_counts[int(result.status)];
    endInsertRows();
}

void DeleteResultModel::syncAll()
{
    if (!m_job)
        return;
    for (int item = 0; item < m_job->results().size(); ++item)
        addOrUpdate(item);
}

int DeleteResultModel::count(DeleteResult::Status status) const
{
    return m_counts.value(int(status));
}

QList<DeleteResult> DeleteResultModel::results() const
{
    QList<DeleteResult> out;
    out.reserve(m_rows.size());
    for (const Row &r : m_rows)
        out << r.result;
    return out;
}

QString DeleteResultModel::statusText(DeleteResult::Status status)
{
    switch (status) {
    case DeleteResult::Status::Deleted:
        return tr("Deleted");
    case DeleteResult::Status::AlreadyGone:
        return tr("Already gone");
    case DeleteResult::Status::Refused:
        return tr("Refused");
    case DeleteResult::Status::Failed:
        return tr("Failed");
    case DeleteResult::Status::Skipped:
        break;
    }
    return tr("Not sent");
}

StatusColors::Severity DeleteResultModel::severityOf(DeleteResult::Status status)
{
    switch (status) {
    case DeleteResult::Status::Deleted:
        return StatusColors::Severity::Success;
    case DeleteResult::Status::AlreadyGone:
        return StatusColors::Severity::Neutral;
    case DeleteResult::Status::Refused:
    case DeleteResult::Status::Failed:
        return StatusColors::Severity::Error;
    case DeleteResult::Status::Skipped:
        break;
    }
    return StatusColors::Severity::Warning;
}

QString DeleteResultModel::iconName(DeleteResult::Status status)
{
    switch (status) {
    case DeleteResult::Status::Deleted:
        return u"delete"_s;
    case DeleteResult::Status::AlreadyGone:
        return u"info"_s;
    case DeleteResult::Status::Refused:
    case DeleteResult::Status::Failed:
        return u"error"_s;
    case DeleteResult::Status::Skipped:
        break;
    }
    return u"cancel"_s;
}

QString DeleteResultModel::referenceText(const DeleteResult &r) const
{
    // A manifest is known to people by its tags; the digest has its own column.
    if (r.action == DeleteResult::Action::DeleteManifest) {
        return r.tags.isEmpty() ? tr("%1 (untagged)").arg(r.repository)
                                : r.repository + u':' + r.tags.join(u", "_s);
    }
    return r.reference;
}

int DeleteResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeleteResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeleteResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const DeleteResult &r = m_rows.at(index.row()).result;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ReferenceColumn:
            return referenceText(r);
        case DigestColumn:
            return r.digest.isValid() ? r.digest.shortForm() : QString();
        case StatusColumn:
            return statusText(r.status);
        case MessageColumn:
            return r.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ReferenceColumn:
            return r.reference;
        case DigestColumn:
            return r.digest.isValid() ? r.digest.toString() : QString();
        default:
            return r.message;
        }
    case Qt::DecorationRole:
        return index.column() == StatusColumn ? QVariant(WharfIcons::icon(iconName(r.status)))
                                              : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn &&
            severityOf(r.status) != StatusColors::Severity::Neutral)
            return StatusColors::color(severityOf(r.status), m_palette);
        return {};
    case StatusRole:
        return int(r.status);
    case ReferenceRole:
        return r.reference;
    case FullDigestRole:
        return r.digest.isValid() ? r.digest.toString() : QString();
    case ActionRole:
        return int(r.action);
    case SortRole:
        switch (index.column()) {
        case StatusColumn:
            return int(r.status);
        case ReferenceColumn:
            return referenceText(r);
        case DigestColumn:
            return r.digest.isValid() ? r.digest.toString() : QString();
        default:
            return r.message;
        }
    default:
        return {};
    }
}

QVariant DeleteResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ReferenceColumn:
        return tr("Item");
    case DigestColumn:
        return tr("Digest");
    case StatusColumn:
        return tr("Status");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace wharf::gui
