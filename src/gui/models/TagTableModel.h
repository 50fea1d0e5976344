#pragma once

#include "Error.h"
#include "model/ImageInfo.h"
#include "models/ResolvedImagePtr.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <optional>
#include <vector>

namespace wharf {
class Job;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

class TagTableLoadJob;

// The tags of one repository, one row each, in natural tag order (TagOrder).
//
// setRepository() lists the tags and shows every row at once (tag names only), then resolves
// each tag with its configs through a TagTableLoadJob (announced by loadStarted() so the jobs
// panel can show progress and Cancel). Resolved rows are announced with dataChanged in
// batches at most every 50 ms, nearby rows merged into one range, so 10,000 tags cost a few
// hundred signals (and proxy re-sorts), not 10,000. A tag that cannot be read keeps its row
// and shows the error.
//
// ResolvedImageRole holds a ResolvedImagePtr (std::shared_ptr<const ResolvedImage>): the row's
// image with every platform and its config (no raw manifest bytes: a detail panel that shows
// them re-resolves with keepRawManifests, served from the content cache). The pointer stays
// valid after the model moves on to another repository.
class TagTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TagColumn,
        DigestColumn,
        PlatformsColumn,
        SizeColumn,
        CreatedColumn,
        VulnerabilitiesColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // What to sort on: the tag's rank in TagOrder, the digest text, the platform text,
        // size in bytes (qint64, -1 unknown), created ms since the epoch (qint64, minimum when
        // unknown), the vulnerability sort key (int, -1 none).
        SortRole = Qt::UserRole + 1,
        DigestRole,        // full top-level digest, empty until resolved
        TagRole,           // the tag, on every column
        ResolvedImageRole, // ResolvedImagePtr, invalid QVariant until resolved
        UniqueBytesRole,   // qint64: distinct blobs over all platforms, -1 until resolved
        RowStateRole,      // RowState
        ErrorRole,         // why the tag could not be read, else empty
    };
    Q_ENUM(Role)

    enum class RowState { Pending, Resolved, Failed, NotLoaded };
    Q_ENUM(RowState)

    static constexpr int UpdateIntervalMs = 50;

    explicit TagTableModel(SessionManager *sessions, QObject *parent = nullptr);
    ~TagTableModel() override;

    // Cancels any load in progress, clears the rows and starts loading this repository.
    void setRepository(const QString &bookmarkId, const QString &repository);
    QString bookmarkId() const { return m_bookmarkId; }
    QString repository() const { return m_repository; }
    // The running or last load; it belongs to this model and is deleted (deleteLater) when a
    // later load replaces it, so hold it in a QPointer.
    TagTableLoadJob *currentJob() const;
    bool isLoading() const;
    // Why listing the tags failed (the rows are empty then).
    const std::optional<Error> &loadError() const { return m_loadError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Totals over the loaded rows.
    int tagCount() const { return int(m_rows.size()); }
    int resolvedCount() const { return m_resolvedCount; }
    int failedCount() const { return m_failedCount; }
    qint64 uniqueBytes() const { return m_blobs.totalBytes(); }
    const BlobSet &blobs() const { return m_blobs; }

    // Direct access for the proxy and bulk actions (no QVariant on hot paths).
    const QString &tagAt(int row) const { return m_rows[std::size_t(row)].tag; }
    const QString &digestAt(int row) const { return m_rows[std::size_t(row)].digest; }
    ResolvedImagePtr imageAt(int row) const { return m_rows[std::size_t(row)].image; }
    RowState stateAt(int row) const { return m_rows[std::size_t(row)].state; }
    int rowOfTag(const QString &tag) const;
    // Compares two rows on a column the way SortRole orders them (ties: tag order).
    bool rowLessThan(int left, int right, int column) const;
    // The tags of the rows the indexes touch, once each, in row order.
    QStringList tagsForRows(const QModelIndexList &indexes) const;

    // A scanner's verdict for an image: shown in the Vulnerabilities column of every row whose
    // top-level digest is `digest` (or, failing that, one of whose platform digests is).
    void setVulnerabilitySummary(const QString &digest, const QString &text, int sortKey);
    void clearVulnerabilitySummaries();

public slots:
    void reload();
    void clear();
    void cancelLoad();

signals:
    void loadStarted(wharf::Job *job);
    void loadFinished();
    void loadFailed(const wharf::Error &error);
    void totalsChanged();

private:
    struct Row
    {
        QString tag;
        RowState state = RowState::Pending;
        ResolvedImagePtr image;
        QString error;
        // Derived once when the image arrives; data() only reads them.
        QString digest;
        QString shortDigest;
        QString platforms;
        qint64 size = -1;
        qint64 uniqueBytes = -1;
        QString sizeText;
        QString sizeToolTip;
        QDateTime created;
        qint64 createdKey = 0;
        QString createdText;
        QString warning; // platforms that could not be read completely
    };
    struct Vulnerability
    {
        QString text;
        int sortKey = -1;
    };

    void startLoad();
    void onTagsListed(const QStringList &tags);
    void onTagResolved(int index, const ResolvedImage &image);
    void onTagFailed(int index, const Error &error);
    void onJobFinished();
    void markDirty(int row);
    void flushUpdates();
    void retireJob();
    const Vulnerability *vulnerabilityFor(const Row &row) const;

    QPointer<SessionManager> m_sessions;
    QString m_bookmarkId;
    QString m_repository;
    QPointer<TagTableLoadJob> m_job;
    std::optional<Error> m_loadError;
    std::vector<Row> m_rows;
    BlobSet m_blobs;
    int m_resolvedCount = 0;
    int m_failedCount = 0;
    QHash<QString, Vulnerability> m_vulnerabilities; // by digest
    QHash<QString, QList<int>> m_rowsByDigest;       // top-level and platform digests
    std::vector<int> m_dirtyRows;
    bool m_totalsDirty = false;
    QTimer m_updateTimer;
};

} // namespace wharf::gui
