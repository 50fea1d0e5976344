#pragma once

#include "cleanup/RetentionPolicy.h"

#include <QAbstractListModel>
#include <QPointer>

namespace wharf {
class RetentionPolicyStore;
}

namespace wharf::gui {

// The retention policies of one bookmark, in the order the store keeps them; follows every
// change of the store.
class RetentionPolicyListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        PolicyIdRole = Qt::UserRole + 1,
        DescriptionRole, // RetentionPolicy::describe()
    };
    Q_ENUM(Role)

    RetentionPolicyListModel(RetentionPolicyStore *store, const QString &bookmarkId,
                             QObject *parent = nullptr);

    QString bookmarkId() const { return m_bookmarkId; }
    RetentionPolicy policyAt(int row) const { return m_policies.at(row); }
    int rowOf(const QString &policyId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    void reload();

    QPointer<RetentionPolicyStore> m_store;
    QString m_bookmarkId;
    QList<RetentionPolicy> m_policies;
};

} // namespace wharf::gui
