#include "TagFilterProxyModel.h"

#include "models/TagTableModel.h"

using namespace Qt::StringLiterals;

namespace wharf::gui {

TagFilterProxyModel::TagFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TagTableModel::SortRole);
    setDynamicSortFilter(true);
    // The filter reads the tag and the digest: re-run it whenever any column of a row changes
    // (a digest arrives), not only when column 0 does.
    setFilterKeyColumn(-1);
}

void TagFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    m_tags = qobject_cast<TagTableModel *>(model);
    Q_ASSERT_X(!model || m_tags, "TagFilterProxyModel", "the source must be a TagTableModel");
    QSortFilterProxyModel::setSourceModel(model);
}

void TagFilterProxyModel::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    const QString trimmed = text.trimmed();
    QString pattern;
    m_regexMode = false;
    if (trimmed.startsWith(u"re:"_s, Qt::CaseInsensitive)) {
        m_regexMode = true;
        pattern = trimmed.mid(3);
    } else if (trimmed.startsWith(u'/') && trimmed.size() > 1) {
        m_regexMode = true;
        pattern = trimmed.mid(1);
        if (pattern.endsWith(u'/'))
            pattern.chop(1);
    }
    QString error;
    if (m_regexMode) {
        m_regex = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
        if (!m_regex.isValid()) {
            error = tr("Invalid pattern: %1 (at character %2)")
                        .arg(m_regex.errorString())
                        .arg(m_regex.patternErrorOffset());
            m_regex = QRegularExpression();
            m_regexMode = false;
            m_needle.clear();
        } else {
            m_regex.optimize(); // matched against every row on each keystroke
        }
    } else {
        m_needle = trimmed;
        m_digestNeedle = trimmed.toLower();
    }
    if (error != m_error) {
        m_error = error;
        emit filterErrorChanged(m_error);
    }
    invalidateFilter();
}

bool TagFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_tags || sourceParent.isValid())
        return true;
    if (m_regexMode)
        return m_regex.match(m_tags->tagAt(sourceRow)).hasMatch();
    if (m_needle.isEmpty())
        return true;
    if (m_tags->tagAt(sourceRow).contains(m_needle, Qt::CaseInsensitive))
        return true;
    const QString &digest = m_tags->digestAt(sourceRow);
    if (digest.isEmpty())
        return false;
    if (digest.startsWith(m_digestNeedle))
        return true;
    // Without the algorithm: compare from the hex part on.
    const qsizetype colon = digest.indexOf(u':');
    return colon >= 0 && QStringView(digest).mid(colon + 1).startsWith(m_digestNeedle);
}

bool TagFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_tags)
        return QSortFilterProxyModel::lessThan(left, right);
    return m_tags->rowLessThan(left.row(), right.row(), left.column());
}

QStringList TagFilterProxyModel::tagsForRows(const QModelIndexList &proxyIndexes) const
{
    if (!m_tags)
        return {};
    QModelIndexList source;
    source.reserve(proxyIndexes.size());
    for (const QModelIndex &index : proxyIndexes) {
        if (index.model() == this)
            source << mapToSource(index);
    }
    return m_tags->tagsForRows(source);
}

} // namespace wharf::gui
