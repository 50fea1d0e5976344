#pragma once

#include "scan/vuln/Severity.h"

#include <QSortFilterProxyModel>

namespace wharf::gui {

// Sorts and filters a ScanResultModel: free text (id, aliases, packages, title; every word
// must match, case-insensitive), "fixable only", a minimum severity and one layer. Sorting uses
// ScanResultModel::SortRole, so the severity column sorts by rank, not by name.
class ScanFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ScanFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_words.join(u' '); }
    void setFixableOnly(bool fixableOnly);
    bool fixableOnly() const { return m_fixableOnly; }
    // Unknown shows everything; otherwise findings below the severity are hidden (Unknown
    // severity among them).
    void setMinimumSeverity(scan::Severity severity);
    scan::Severity minimumSeverity() const { return m_minimum; }
    // -1 shows every layer.
    void setLayerIndex(int layerIndex);
    int layerIndex() const { return m_layer; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
    bool m_fixableOnly = false;
    scan::Severity m_minimum = scan::Severity::Unknown;
    int m_layer = -1;
};

} // namespace wharf::gui
