#pragma once

#include "cleanup/RetentionEvaluator.h"

#include <QAbstractTableModel>
#include <QPalette>

namespace wharf::gui {

// A retention dry run, one row per tag: what the policy decided (keep or delete) and why.
// Tags on one image share the image's decision; tags that could not be read are listed as
// kept. Sorted and filtered through a QSortFilterProxyModel on SortRole.
class RetentionDecisionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TagColumn,
        CreatedColumn,
        DecisionColumn,
        ReasonColumn,
        DigestColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        KeepRole = Qt::UserRole + 1, // bool
        ReferenceRole,               // "repo:tag"
        CreatedRole,                 // QDateTime, invalid when unknown
        SortRole,
    };
    Q_ENUM(Role)

    explicit RetentionDecisionModel(QObject *parent = nullptr);

    void setEvaluation(const RetentionEvaluation &evaluation);
    void clear();
    const RetentionEvaluation &evaluation() const { return m_evaluation; }
    void setPalette(const QPalette &palette);

    // "repo:tag" of the rows the policy deletes / keeps, in row order.
    QStringList referencesToDelete() const;
    QStringList referencesToKeep() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString reference;
        Digest digest;
        QDateTime created;
        QString createdText;
        bool keep = true;
        QString reason;
    };

    RetentionEvaluation m_evaluation;
    QList<Row> m_rows;
    QPalette m_palette;
};

} // namespace wharf::gui
