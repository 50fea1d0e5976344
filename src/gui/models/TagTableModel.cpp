#include "TagTableModel.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "model/Format.h"
#include "models/ModelIcons.h"
#include "models/TagTableLoadJob.h"

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {
constexpr qint64 UnknownCreated = std::numeric_limits<qint64>::min();
// Dirty rows at most this far apart are announced in one dataChanged range.
constexpr int MergeGap = 256;
} // namespace

TagTableModel::TagTableModel(SessionManager *sessions, QObject *parent)
    : QAbstractTableModel(parent)
    , m_sessions(sessions)
{
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(UpdateIntervalMs);
    connect(&m_updateTimer, &QTimer::timeout, this, &TagTableModel::flushUpdates);
    if (m_sessions) {
        // Editing the bookmark replaces its client, which drops our requests: start over.
        connect(m_sessions, &SessionManager::clientReset, this, [this](const QString &id) {
            if (id == m_bookmarkId && isLoading())
                reload();
        });
        connect(m_sessions->bookmarks(), &BookmarkStore::changed, this, [this] {
            if (!m_bookmarkId.isEmpty() && !m_sessions->bookmarks()->byId(m_bookmarkId))
                clear();
        });
    }
}

TagTableModel::~TagTableModel()
{
    if (m_job && !m_job->isFinished()) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
}

TagTableLoadJob *TagTableModel::currentJob() const
{
    return m_job;
}

bool TagTableModel::isLoading() const
{
    return m_job && !m_job->isFinished();
}

void TagTableModel::setRepository(const QString &bookmarkId, const QString &repository)
{
    m_bookmarkId = bookmarkId;
    m_repository = repository;
    startLoad();
}

void TagTableModel::reload()
{
    startLoad();
}

void TagTableModel::clear()
{
    m_bookmarkId.clear();
    m_repository.clear();
    startLoad();
}

void TagTableModel::cancelLoad()
{
    if (isLoading())
        m_job->cancel();
}

void TagTableModel::retireJob()
{
    if (!m_job)
        return;
    disconnect(m_job, nullptr, this, nullptr);
    if (!m_job->isFinished())
        m_job->cancel();
    m_job->deleteLater();
    m_job = nullptr;
}

void TagTableModel::startLoad()
{
    retireJob();
    m_updateTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_rowsByDigest.clear();
    m_blobs = BlobSet();
    m_resolvedCount = 0;
    m_failedCount = 0;
    m_dirtyRows.clear();
    m_totalsDirty = false;
    m_loadError.reset();
    endResetModel();
    emit totalsChanged();
    if (m_repository.isEmpty() || !m_sessions)
        return;

    auto *job = new TagTableLoadJob(m_sessions, m_bookmarkId, m_repository, this);
    m_job = job;
    connect(job, &TagTableLoadJob::tagsListed, this, &TagTableModel::onTagsListed);
    connect(job, &TagTableLoadJob::tagResolved, this, &TagTableModel::onTagResolved);
    connect(job, &TagTableLoadJob::tagFailed, this, &TagTableModel::onTagFailed);
    connect(job, &Job::finished, this, &TagTableModel::onJobFinished);
    emit loadStarted(job);
    job->start();
}

void TagTableModel::onTagsListed(const QStringList &tags)
{
    if (tags.isEmpty())
        return;
    beginInsertRows({}, 0, int(tags.size()) - 1);
    m_rows.resize(std::size_t(tags.size()));
    for (int i = 0; i < tags.size(); ++i)
        m_rows[std::size_t(i)].tag = tags.at(i);
    endInsertRows();
    emit totalsChanged();
}

void TagTableModel::onTagResolved(int index, const ResolvedImage &image)
{
    if (index < 0 || std::size_t(index) >= m_rows.size())
        return;
    Row &row = m_rows[std::size_t(index)];
    auto resolved = std::make_shared<const ResolvedImage>(image);
    row.image = resolved;
    row.state = RowState::Resolved;
    row.error.clear();
    row.digest = image.digest.toString();
    row.shortDigest = image.digest.shortForm();
    m_rowsByDigest[row.digest].append(index);

    QStringList platforms;
    QStringList sizeLines;
    QStringList problems;
    QDateTime newest;
    for (const ImagePlatform &p : image.platforms) {
        const QString name = p.platform.isEmpty() ? tr("unknown") : p.platform.toString();
        platforms << name;
        sizeLines << tr("%1: %2").arg(name, Format::bytes(p.size()));
        if (!p.error.isEmpty())
            problems << tr("%1: %2").arg(name, p.error);
        const QDateTime created = p.created();
        if (created.isValid() && (!newest.isValid() || created > newest))
            newest = created;
        if (p.digest != image.digest)
            m_rowsByDigest[p.digest.toString()].append(index);
    }
    row.platforms = platforms.join(u", "_s);
    row.uniqueBytes = image.uniqueBytes();
    if (image.platforms.size() > 1) {
        row.size = row.uniqueBytes;
        row.sizeText = tr("%1 (all platforms)").arg(Format::bytes(row.size));
        row.sizeToolTip = sizeLines.join(u'\n') + u"\n\n"_s +
                          tr("Total %1: layers shared between platforms count once.")
                              .arg(Format::bytes(row.size));
    } else {
        row.size = image.platforms.isEmpty() ? -1 : image.platforms.constFirst().size();
        row.sizeText = Format::bytes(row.size);
        row.sizeToolTip = sizeLines.join(u'\n');
    }
    row.warning = problems.join(u'\n');
    row.created = newest;
    row.createdKey = newest.isValid() ? newest.toMSecsSinceEpoch() : UnknownCreated;
    row.createdText = Format::dateTime(newest);

    m_blobs.addImage(image);
    ++m_resolvedCount;
    m_totalsDirty = true;
    markDirty(index);
}

void TagTableModel::onTagFailed(int index, const Error &error)
{
    if (index < 0 || std::size_t(index) >= m_rows.size())
        return;
    Row &row = m_rows[std::size_t(index)];
    row.state = RowState::Failed;
    row.error = error.message;
    ++m_failedCount;
    m_totalsDirty = true;
    markDirty(index);
}

void TagTableModel::onJobFinished()
{
    TagTableLoadJob *job = m_job;
    if (!job)
        return;
    if (job->isCancelled() || job->state() == Job::State::Failed) {
        // Rows that were still waiting will not be resolved by this load.
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].state == RowState::Pending) {
                m_rows[i].state = RowState::NotLoaded;
                m_dirtyRows.push_back(int(i));
            }
        }
    }
    flushUpdates();
    if (job->state() == Job::State::Failed && job->error()) {
        m_loadError = *job->error();
        emit loadFailed(*m_loadError);
    }
    emit loadFinished();
}

void TagTableModel::markDirty(int row)
{
    m_dirtyRows.push_back(row);
    // Not restarted by later rows: an update is never more than one interval late.
    if (!m_updateTimer.isActive())
        m_updateTimer.start();
}

void TagTableModel::flushUpdates()
{
    m_updateTimer.stop();
    if (!m_dirtyRows.empty()) {
        std::sort(m_dirtyRows.begin(), m_dirtyRows.end());
        m_dirtyRows.erase(std::unique(m_dirtyRows.begin(), m_dirtyRows.end()), m_dirtyRows.end());
        // Tags finish out of order within the resolving window, so a batch is a ragged
        // cluster of rows: nearby rows go into one range (re-reading a few unchanged rows is
        // cheaper than a signal, and a proxy re-sort, per run); distant ones stay apart.
        std::size_t i = 0;
        while (i < m_dirtyRows.size()) {
            std::size_t j = i;
            while (j + 1 < m_dirtyRows.size() && m_dirtyRows[j + 1] - m_dirtyRows[j] <= MergeGap)
                ++j;
            emit dataChanged(index(m_dirtyRows[i], 0), index(m_dirtyRows[j], ColumnCount - 1));
            i = j + 1;
        }
        m_dirtyRows.clear();
    }
    if (m_totalsDirty) {
        m_totalsDirty = false;
        emit totalsChanged();
    }
}

int TagTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TagTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TagColumn:
        return tr("Tag");
    case DigestColumn:
        return tr("Digest");
    case PlatformsColumn:
        return tr("Platforms");
    case SizeColumn:
        return tr("Size");
    case CreatedColumn:
        return tr("Created");
    case VulnerabilitiesColumn:
        return tr("Vulnerabilities");
    default:
        return {};
    }
}

const TagTableModel::Vulnerability *TagTableModel::vulnerabilityFor(const Row &row) const
{
    if (m_vulnerabilities.isEmpty() || !row.image)
        return nullptr;
    auto it = m_vulnerabilities.constFind(row.digest);
    if (it != m_vulnerabilities.constEnd())
        return &it.value();
    for (const ImagePlatform &p : row.image->platforms) {
        it = m_vulnerabilities.constFind(p.digest.toString());
        if (it != m_vulnerabilities.constEnd())
            return &it.value();
    }
    return nullptr;
}

QVariant TagTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TagColumn:
            return row.tag;
        case DigestColumn:
            return row.shortDigest;
        case PlatformsColumn:
            if (row.state == RowState::Failed)
                return tr("Error: %1").arg(row.error);
            if (row.state == RowState::NotLoaded)
                return tr("not loaded");
            return row.platforms;
        case SizeColumn:
            return row.sizeText;
        case CreatedColumn:
            return row.state == RowState::Resolved ? row.createdText : QString();
        case VulnerabilitiesColumn: {
            const Vulnerability *v = vulnerabilityFor(row);
            return v ? v->text : QString();
        }
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        if (row.state == RowState::Failed)
            return tr("%1:%2 could not be read: %3").arg(m_repository, row.tag, row.error);
        if (row.state == RowState::Pending)
            return tr("%1:%2 (resolving…)").arg(m_repository, row.tag);
        if (row.state == RowState::NotLoaded)
            return tr("%1:%2 was not resolved: loading stopped early.").arg(m_repository, row.tag);
        QString text;
        switch (column) {
        case TagColumn:
            text = m_repository + u':' + row.tag;
            break;
        case DigestColumn:
            text = row.digest;
            break;
        case PlatformsColumn:
            text = row.platforms;
            break;
        case SizeColumn:
            text = row.sizeToolTip;
            break;
        case CreatedColumn:
            text = row.created.isValid() ? row.created.toUTC().toString(Qt::ISODate) : QString();
            break;
        case VulnerabilitiesColumn: {
            const Vulnerability *v = vulnerabilityFor(row);
            text = v ? v->text : tr("Not scanned");
            break;
        }
        default:
            break;
        }
        if (!row.warning.isEmpty())
            text += u"\n\n"_s + tr("Incomplete: %1").arg(row.warning);
        return text;
    }
    case Qt::DecorationRole:
        if (column == TagColumn && (row.state == RowState::Failed || !row.warning.isEmpty()))
            return ModelIcons::icon(u"warning"_s);
        return {};
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SortRole:
        switch (column) {
        case TagColumn:
            return index.row(); // rows are kept in TagOrder
        case DigestColumn:
            return row.digest;
        case PlatformsColumn:
            return row.platforms;
        case SizeColumn:
            return row.size;
        case CreatedColumn:
            return row.state == RowState::Resolved ? row.createdKey : UnknownCreated;
        case VulnerabilitiesColumn: {
            const Vulnerability *v = vulnerabilityFor(row);
            return v ? v->sortKey : -1;
        }
        default:
            return {};
        }
    case DigestRole:
        return row.digest;
    case TagRole:
        return row.tag;
    case ResolvedImageRole:
        return row.image ? QVariant::fromValue(row.image) : QVariant();
    case UniqueBytesRole:
        return row.image ? row.uniqueBytes : qint64(-1);
    case RowStateRole:
        return QVariant::fromValue(row.state);
    case ErrorRole:
        return row.error;
    default:
        return {};
    }
}

int TagTableModel::rowOfTag(const QString &tag) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].tag == tag)
            return int(i);
    }
    return -1;
}

bool TagTableModel::rowLessThan(int left, int right, int column) const
{
    const Row &a = m_rows[std::size_t(left)];
    const Row &b = m_rows[std::size_t(right)];
    switch (column) {
    case DigestColumn:
        if (a.digest != b.digest)
            return a.digest < b.digest;
        break;
    case PlatformsColumn:
        if (a.platforms != b.platforms)
            return a.platforms < b.platforms;
        break;
    case SizeColumn:
        if (a.size != b.size)
            return a.size < b.size;
        break;
    case CreatedColumn: {
        const qint64 ka = a.state == RowState::Resolved ? a.createdKey : UnknownCreated;
        const qint64 kb = b.state == RowState::Resolved ? b.createdKey : UnknownCreated;
        if (ka != kb)
            return ka < kb;
        break;
    }
    case VulnerabilitiesColumn: {
        const Vulnerability *va = vulnerabilityFor(a);
        const Vulnerability *vb = vulnerabilityFor(b);
        const int ka = va ? va->sortKey : -1;
        const int kb = vb ? vb->sortKey : -1;
        if (ka != kb)
            return ka < kb;
        break;
    }
    default:
        break;
    }
    return left < right; // tag order
}

QStringList TagTableModel::tagsForRows(const QModelIndexList &indexes) const
{
    std::vector<int> rows;
    rows.reserve(std::size_t(indexes.size()));
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && index.model() == this && index.row() < int(m_rows.size()))
            rows.push_back(index.row());
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QStringList tags;
    tags.reserve(qsizetype(rows.size()));
    for (int row : rows)
        tags << m_rows[std::size_t(row)].tag;
    return tags;
}

void TagTableModel::setVulnerabilitySummary(const QString &digest, const QString &text, int sortKey)
{
    m_vulnerabilities.insert(digest, Vulnerability{text, sortKey});
    const QList<int> rows = m_rowsByDigest.value(digest);
    for (int row : rows)
        markDirty(row);
}

void TagTableModel::clearVulnerabilitySummaries()
{
    m_vulnerabilities.clear();
    if (!m_rows.empty())
        emit dataChanged(index(0, VulnerabilitiesColumn),
                         index(int(m_rows.size()) - 1, VulnerabilitiesColumn));
}

} // namespace wharf::gui
