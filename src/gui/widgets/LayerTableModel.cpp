#include "LayerTableModel.h"

#include "model/Format.h"
#include "oci/MediaTypes.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::gui {

LayerTableModel::LayerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void LayerTableModel::setPlatform(const ImagePlatform &platform)
{
    beginResetModel();
    m_layers = platform.layers;
    m_history =
        platform.configDetails ? platform.configDetails->layerHistory() : QList<HistoryEntry>();
    m_configBytes = platform.config.size;
    m_maxBytes = 0;
    for (const Descriptor &d : std::as_const(m_layers))
        m_maxBytes = std::max(m_maxBytes, d.size);
    endResetModel();
}

void LayerTableModel::clear()
{
    beginResetModel();
    m_layers.clear();
    m_history.clear();
    m_configBytes = 0;
    m_maxBytes = 0;
    endResetModel();
}

qint64 LayerTableModel::layerBytes() const
{
    qint64 total = 0;
    for (const Descriptor &d : m_layers)
        total += d.size;
    return total;
}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LayerTableModel::createdBy(int row) const
{
    return row < m_history.size() ? m_history.at(row).createdBy : QString();
}

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Descriptor &d = m_layers.at(row);
    const bool foreign = d.isForeignLayer();

    switch (role) {
    case BytesRole:
        return d.size;
    case MaxBytesRole:
        return m_maxBytes;
    case DigestRole:
        return d.digest.toString();
    case ForeignRole:
        return foreign;
    case Qt::FontRole:
        if (foreign) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    default:
        break;
    }

    switch (index.column()) {
    case IndexColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return row + 1;
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case DigestColumn:
        if (role == Qt::DisplayRole)
            return d.digest.shortForm();
        if (role == Qt::ToolTipRole || role == SortRole)
            return d.digest.toString();
        break;
    case MediaTypeColumn:
        if (role == Qt::DisplayRole || role == SortRole) {
            return foreign ? tr("foreign layer") : MediaTypes::displayName(d.mediaType);
        }
        if (role == Qt::ToolTipRole) {
            if (!foreign)
                return d.mediaType;
            const QString where =
                d.urls.isEmpty() ? tr("from its vendor") : tr("from %1").arg(d.urls.join(u", "_s));
            return tr("%1\nForeign layer: not stored in this registry; clients download it %2.")
                .arg(d.mediaType, where);
        }
        break;
    case SizeColumn:
        if (role == Qt::DisplayRole)
            return Format::bytes(d.size);
        if (role == Qt::ToolTipRole)
            return tr("%1 bytes (compressed)").arg(QLocale().toString(d.size));
        if (role == SortRole)
            return d.size;
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case CreatedByColumn: {
        const QString text = createdBy(row);
        if (role == Qt::DisplayRole)
            return text.simplified(); // one line per row; the tooltip keeps the original
        if (role == Qt::ToolTipRole || role == SortRole)
            return text;
        break;
    }
    default:
        break;
    }
    return {};
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && (section == IndexColumn || section == SizeColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn:
        return tr("#");
    case DigestColumn:
        return tr("Digest");
    case MediaTypeColumn:
        return tr("Media type");
    case SizeColumn:
        return tr("Size");
    case CreatedByColumn:
        return tr("Created by");
    default:
        return {};
    }
}

} // namespace wharf::gui
