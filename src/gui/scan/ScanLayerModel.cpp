#include "ScanLayerModel.h"

#include "model/Format.h"

using wharf::scan::ScanLayer;

namespace wharf::gui {

ScanLayerModel::ScanLayerModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ScanLayerModel::setLayers(const QList<ScanLayer> &layers)
{
    beginResetModel();
    m_layers = layers;
    endResetModel();
}

void ScanLayerModel::clear()
{
    setLayers({});
}

int ScanLayerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_layers.size());
}

int ScanLayerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScanLayerModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_layers.size())
        return {};
    const ScanLayer &l = m_layers.at(index.row());
    auto number = [&l](int column) -> int {
        switch (column) {
        case IndexColumn:
            return l.index;
        case TotalColumn:
            return l.counts.total;
        case CriticalColumn:
            return l.counts.critical;
        case HighColumn:
            return l.counts.high;
        case MediumColumn:
            return l.counts.medium;
        case LowColumn:
            return l.counts.low;
        default:
            return 0;
        }
    };
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == CreatedByColumn)
            return l.createdBy.simplified();
        return number(index.column());
    case Qt::ToolTipRole:
        return tr("Layer %1: %2, %3 packages\n%4\n%5")
            .arg(l.index)
            .arg(Format::bytes(l.size))
            .arg(l.packages)
            .arg(l.digest, l.createdBy);
    case Qt::TextAlignmentRole:
        if (index.column() != CreatedByColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SortRole:
        if (index.column() == CreatedByColumn)
            return l.createdBy;
        return number(index.column());
    case LayerIndexRole:
        return l.index;
    default:
        return {};
    }
}

QVariant ScanLayerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section >= CriticalColumn && section <= LowColumn)
        return tr("Findings of this severity introduced by the layer");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn:
        return tr("Layer");
    case TotalColumn:
        return tr("Total");
    case CriticalColumn:
        return tr("Critical");
    case HighColumn:
        return tr("High");
    case MediumColumn:
        return tr("Medium");
    case LowColumn:
        return tr("Low");
    case CreatedByColumn:
        return tr("Created by");
    default:
        return {};
    }
}

} // namespace wharf::gui
