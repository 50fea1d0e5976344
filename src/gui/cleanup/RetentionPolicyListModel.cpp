#include "RetentionPolicyListModel.h"

#include "cleanup/RetentionPolicyStore.h"

namespace wharf::gui {

RetentionPolicyListModel::RetentionPolicyListModel(RetentionPolicyStore *store,
                                                   const QString &bookmarkId, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_bookmarkId(bookmarkId)
{
    connect(store, &RetentionPolicyStore::changed, this, &RetentionPolicyListModel::reload);
    m_policies = store->forBookmark(bookmarkId);
}

void RetentionPolicyListModel::reload()
{
    beginResetModel();
    m_policies = m_store ? m_store->forBookmark(m_bookmarkId) : QList<RetentionPolicy>();
    endResetModel();
}

int RetentionPolicyListModel::rowOf(const QString &policyId) const
{
    for (int row = 0; row < m_policies.size(); ++row) {
        if (m_policies.at(row).id == policyId)
            return row;
    }
    return -1;
}

int RetentionPolicyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_policies.size());
}

QVariant RetentionPolicyListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_policies.size())
        return {};
    const RetentionPolicy &p = m_policies.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return p.name.isEmpty() ? p.describe() : p.name;
    case Qt::ToolTipRole:
    case DescriptionRole:
        return p.describe();
    case PolicyIdRole:
        return p.id;
    default:
        return {};
    }
}

} // namespace wharf::gui
