#include "ScanFilterProxyModel.h"

#include "ScanResultModel.h"

#include <QRegularExpression>

namespace wharf::gui {

ScanFilterProxyModel::ScanFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ScanResultModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void ScanFilterProxyModel::setFilterText(const QString &text)
{
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    const QStringList words = text.split(spaces, Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    m_words = words;
    invalidateFilter();
}

void ScanFilterProxyModel::setFixableOnly(bool fixableOnly)
{
    if (fixableOnly == m_fixableOnly)
        return;
    m_fixableOnly = fixableOnly;
    invalidateFilter();
}

void ScanFilterProxyModel::setMinimumSeverity(scan::Severity severity)
{
    if (severity == m_minimum)
        return;
    m_minimum = severity;
    invalidateFilter();
}

void ScanFilterProxyModel::setLayerIndex(int layerIndex)
{
    if (layerIndex == m_layer)
        return;
    m_layer = layerIndex;
    invalidateFilter();
}

bool ScanFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_fixableOnly && !index.data(ScanResultModel::FixableRole).toBool())
        return false;
    if (m_minimum != scan::Severity::Unknown &&
        index.data(ScanResultModel::SeverityRole).toInt() < int(m_minimum))
        return false;
    if (m_layer >= 0 && index.data(ScanResultModel::LayerIndexRole).toInt() != m_layer)
        return false;
    if (!m_words.isEmpty()) {
        const QString text = index.data(ScanResultModel::SearchTextRole).toString();
        for (const QString &word : m_words) {
            if (!text.contains(word, Qt::CaseInsensitive))
                return false;
        }
    }
    return true;
}

} // namespace wharf::gui
