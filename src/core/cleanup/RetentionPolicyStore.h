#pragma once

#include "Expected.h"
#include "RetentionPolicy.h"
#include "bookmarks/BookmarkStore.h"

#include <QList>
#include <QObject>

#include <memory>

class QSettings;

namespace wharf {

// Retention policies in the settings file the bookmarks live in (BookmarkStore's wharf.conf),
// group "retention", so a policy and its bookmark travel together.
class RetentionPolicyStore : public QObject
{
    Q_OBJECT
public:
    explicit RetentionPolicyStore(
        const QString &settingsPath = BookmarkStore::defaultSettingsPath(),
        QObject *parent = nullptr);
    ~RetentionPolicyStore() override;

    const QList<RetentionPolicy> &policies() const { return m_policies; }
    QList<RetentionPolicy> forBookmark(const QString &bookmarkId) const;
    std::optional<RetentionPolicy> byId(const QString &id) const;

    // Validates and saves; add() assigns the id.
    Expected<RetentionPolicy> add(RetentionPolicy policy);
    Expected<RetentionPolicy> update(const RetentionPolicy &policy);
    bool remove(const QString &id);
    // Policies of a bookmark that was deleted.
    int removeForBookmark(const QString &bookmarkId);
    void reload();

signals:
    void changed();

private:
    void save();

    std::unique_ptr<QSettings> m_settings;
    QList<RetentionPolicy> m_policies;
};

} // namespace wharf
