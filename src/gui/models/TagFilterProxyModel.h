#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace wharf::gui {

class TagTableModel;

// Filter and sort for a TagTableModel.
//
// Filter text (setFilterText, typically bound to the filter box):
//   plain text   a row matches when its tag contains the text (case-insensitive) or its digest
//                starts with it ("sha256:ab12…" or just the hex "ab12…")
//   re:PATTERN   a row matches when PATTERN (case-insensitive) matches anywhere in its tag
//   /PATTERN[/]  the same, for people used to /.../ (a closing slash is optional)
// An invalid pattern filters nothing and reports why through filterError().
//
// Sorting works on every column: tags in natural order, sizes and dates numerically, ties in
// tag order. Filtering and sorting read the source rows directly rather than through data(),
// which keeps a keystroke over 10,000 rows at a few milliseconds.
class TagFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TagFilterProxyModel(QObject *parent = nullptr);

    // Must be a TagTableModel.
    void setSourceModel(QAbstractItemModel *model) override;
    TagTableModel *tagModel() const { return m_tags; }

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);
    bool isRegexFilter() const { return m_regexMode; }
    // Why the pattern could not be used; empty when it is fine.
    QString filterError() const { return m_error; }

    // The tags of the rows the (proxy) indexes touch, once each, in source order: what bulk
    // actions on a multi-selection act on.
    QStringList tagsForRows(const QModelIndexList &proxyIndexes) const;

signals:
    void filterErrorChanged(const QString &error);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    TagTableModel *m_tags = nullptr;
    QString m_text;
    QString m_needle;       // plain mode: trimmed text
    QString m_digestNeedle; // plain mode: lower-case text for digest prefixes
    bool m_regexMode = false;
    QRegularExpression m_regex;
    QString m_error;
};

} // namespace wharf::gui
