#pragma once

#include "scan/service/ScanResult.h"

#include <QAbstractTableModel>

namespace wharf::gui {

// The findings of one scan result, one row each, in the result's order (worst first).
// Sorting and filtering go through ScanFilterProxyModel; SortRole gives every column a key
// that sorts the way people expect (severity by rank, then CVSS score; layers by index).
class ScanResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        IdColumn,
        PackageColumn,
        InstalledColumn,
        FixedColumn,
        LayerColumn,
        TitleColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,
        SeverityRole,   // int of scan::Severity, on every column
        UrlRole,        // the finding's primary URL (may be empty), on every column
        FixableRole,    // bool: a fixed version exists
        LayerIndexRole, // int, -1 when unknown
        SearchTextRole, // id, aliases, packages and title, for the text filter
    };
    Q_ENUM(Role)

    explicit ScanResultModel(QObject *parent = nullptr);

    void setResult(const scan::ScanResult &result);
    void clear();
    bool hasResult() const { return m_hasResult; }
    const scan::ScanResult &result() const { return m_result; }
    const scan::ScanFinding &findingAt(int row) const { return m_result.findings.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "1: /bin/sh -c apt-get install -y gpgv" (index and the history line that made it).
    static QString layerText(const scan::ScanFinding &finding);
    // Severity rank with the CVSS score as a tie-breaker: what the severity column sorts by.
    static int severitySortKey(const scan::ScanFinding &finding);

private:
    scan::ScanResult m_result;
    bool m_hasResult = false;
};

} // namespace wharf::gui
