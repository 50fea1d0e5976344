#pragma once

#include "scan/service/ScanResult.h"

#include <QAbstractTableModel>

namespace wharf::gui {

// The per-layer side of a scan result (the original API's `layers`): one row per layer of the
// scanned platform with the counts of the findings it introduced and the history line that
// made it. Selecting a layer narrows the findings table to it (ScanFilterProxyModel).
class ScanLayerModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IndexColumn,
        TotalColumn,
        CriticalColumn,
        HighColumn,
        MediumColumn,
        LowColumn,
        CreatedByColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,
        LayerIndexRole, // int: the layer's index in the image
    };
    Q_ENUM(Role)

    explicit ScanLayerModel(QObject *parent = nullptr);

    void setLayers(const QList<scan::ScanLayer> &layers);
    void clear();
    const scan::ScanLayer &layerAt(int row) const { return m_layers.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<scan::ScanLayer> m_layers;
};

} // namespace wharf::gui
