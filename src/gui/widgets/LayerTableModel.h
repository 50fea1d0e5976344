#pragma once

#include "model/ImageInfo.h"

#include <QAbstractTableModel>

namespace wharf::gui {

// The layers of one platform image: position, digest, media type, compressed size and the
// history step (created_by) that made each layer. Sizes are exact; the footer total is
// config + layers, i.e. ImagePlatform::size().
class LayerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IndexColumn,
        DigestColumn,
        MediaTypeColumn,
        SizeColumn,
        CreatedByColumn,
        ColumnCount
    };
    enum Role {
        BytesRole = Qt::UserRole + 1, // qint64 compressed size of the row's layer
        MaxBytesRole,                 // qint64 largest layer of the image (for size bars)
        DigestRole,                   // full digest string
        ForeignRole,                  // bool: not stored in this registry
        SortRole,                     // a value that sorts naturally in every column
    };

    explicit LayerTableModel(QObject *parent = nullptr);

    void setPlatform(const ImagePlatform &platform);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Descriptor &layer(int row) const { return m_layers.at(row); }
    qint64 configBytes() const { return m_configBytes; }
    qint64 layerBytes() const;
    qint64 largestLayerBytes() const { return m_maxBytes; }
    // config + every layer: the documented image size formula.
    qint64 totalBytes() const { return m_configBytes + layerBytes(); }

private:
    QString createdBy(int row) const;

    QList<Descriptor> m_layers;
    QList<HistoryEntry> m_history; // aligned with m_layers by index; may be shorter
    qint64 m_configBytes = 0;
    qint64 m_maxBytes = 0;
};

} // namespace wharf::gui
