#include "TableWriter.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::cli {

void TableWriter::write(QTextStream &out) const
{
    QList<qsizetype> widths(m_headers.size(), 0);
    auto measure = [&widths](const QStringList &cells) {
        for (qsizetype i = 0; i < cells.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], cells.at(i).size());
    };
    measure(m_headers);
    for (const QStringList &row : m_rows)
        measure(row);
    auto emitRow = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            const QString cell = cells.value(i);
            const bool last = i + 1 == widths.size();
            if (m_right.contains(static_cast<int>(i)))
                line += cell.rightJustified(widths.at(i));
            else
                line += last ? cell : cell.leftJustified(widths.at(i));
            if (!last)
                line += u"  "_s;
        }
        while (line.endsWith(u' '))
            line.chop(1);
        out << line << '\n';
    };
    emitRow(m_headers);
    for (const QStringList &row : m_rows)
        emitRow(row);
}

} // namespace wharf::cli
