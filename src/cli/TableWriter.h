#pragma once

#include <QList>
#include <QStringList>
#include <QTextStream>

namespace wharf::cli {

// Aligned plain-text columns for human output: header row, then rows.
class TableWriter
{
public:
    explicit TableWriter(QStringList headers)
        : m_headers(std::move(headers))
    {}
    void addRow(QStringList cells) { m_rows.append(std::move(cells)); }
    // Columns listed here are right-aligned (numbers, sizes).
    void setRightAligned(QList<int> columns) { m_right = std::move(columns); }
    void write(QTextStream &out) const;
    bool isEmpty() const { return m_rows.isEmpty(); }

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
    QList<int> m_right;
};

} // namespace wharf::cli
