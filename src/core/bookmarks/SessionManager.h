#pragma once

#include "Expected.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace wharf {

class BookmarkStore;
class ContentCache;
class CredentialStore;
class NetworkPool;
class RegistryClient;

// One RegistryClient per bookmark, created on first use with the bookmark's secret read from the
// credential store, sharing one network pool and one content cache. Editing a bookmark or its
// password resets its client (clientReset) so nothing keeps using stale settings.
class SessionManager : public QObject
{
    Q_OBJECT
public:
    using ClientCallback = std::function<void(Expected<RegistryClient *>)>;

    SessionManager(BookmarkStore *bookmarks, CredentialStore *credentials,
                   std::shared_ptr<NetworkPool> pool, std::shared_ptr<ContentCache> cache,
                   QObject *parent = nullptr);
    ~SessionManager() override;

    BookmarkStore *bookmarks() const { return m_bookmarks; }
    CredentialStore *credentials() const { return m_credentials; }
    ContentCache *cache() const { return m_cache.get(); }

    void client(const QString &bookmarkId, QObject *context, ClientCallback done);
    RegistryClient *existingClient(const QString &bookmarkId) const;
    void reset(const QString &bookmarkId);
    int maxInFlight() const { return m_maxInFlight; }
    void setMaxInFlight(int n) { m_maxInFlight = n; }

signals:
    void clientReset(const QString &bookmarkId);
    void registryWarning(const QString &bookmarkId, const QString &text);

private:
    void onBookmarksChanged();

    BookmarkStore *m_bookmarks;
    CredentialStore *m_credentials;
    std::shared_ptr<NetworkPool> m_pool;
    std::shared_ptr<ContentCache> m_cache;
    int m_maxInFlight = 32;
    QHash<QString, RegistryClient *> m_clients;
    struct Waiter
    {
        QPointer<QObject> context;
        ClientCallback done;
    };
    QHash<QString, QList<Waiter>> m_pending; // secrets being read
    QHash<QString, QString> m_configFingerprints;
};

} // namespace wharf
