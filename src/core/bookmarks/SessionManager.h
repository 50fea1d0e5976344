#pragma once

#include "Expected.h"
#include "credentials/Credentials.h"

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
//
// The stored secret is one string per bookmark id. A plain password is kept as it is (what
// earlier versions and `wharfctl bookmark login` write). Anything else – an identity token or
// registry token taken over from Docker's credentials – is kept as a small JSON object with a
// marker, {"identityToken":"…","wharfSecret":1}; see encodeSecret()/decodeSecret().
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

    // The string to keep in the credential store for these credentials (username excluded: it
    // lives in the bookmark). Empty when there is nothing secret.
    static QString encodeSecret(const Credentials &credentials);
    // The credentials a bookmark with this username and stored secret connects with. Docker's
    // "<token>" username (identity tokens) is not sent as an account name.
    static Credentials decodeSecret(const QString &username, const QString &stored);

signals:
    void clientReset(const QString &bookmarkId);
    void registryWarning(const QString &bookmarkId, const QString &text);
    // RegistryClient::rateLimitChanged of that bookmark's client (Docker Hub's pull quota).
    void rateLimitChanged(const QString &bookmarkId, qint64 limit, qint64 remaining,
                          int windowSeconds);

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
