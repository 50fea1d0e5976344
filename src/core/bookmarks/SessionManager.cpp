#include "SessionManager.h"

#include "BookmarkStore.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString fingerprint(const Bookmark &b)
{
    return b.url.toString() + u'|' + Bookmark::authModeName(b.authMode) + u'|' + b.username + u'|' +
           (b.skipTlsVerify ? u"1"_s : u"0"_s) + u'|' + b.caCertificateFile;
}

} // namespace

SessionManager::SessionManager(BookmarkStore *bookmarks, CredentialStore *credentials,
                               std::shared_ptr<NetworkPool> pool,
                               std::shared_ptr<ContentCache> cache, QObject *parent)
    : QObject(parent)
    , m_bookmarks(bookmarks)
    , m_credentials(credentials)
    , m_pool(std::move(pool))
    , m_cache(std::move(cache))
{
    connect(m_bookmarks, &BookmarkStore::changed, this, &SessionManager::onBookmarksChanged);
}

SessionManager::~SessionManager()
{
    qDeleteAll(m_clients);
}

RegistryClient *SessionManager::existingClient(const QString &bookmarkId) const
{
    return m_clients.value(bookmarkId);
}

void SessionManager::reset(const QString &bookmarkId)
{
    if (RegistryClient *c = m_clients.take(bookmarkId))
        c->deleteLater();
    m_configFingerprints.remove(bookmarkId);
    emit clientReset(bookmarkId);
}

void SessionManager::onBookmarksChanged()
{
    // A bookmark that changed how we connect (or vanished) gets a fresh client.
    const QStringList ids = m_clients.keys();
    for (const QString &id : ids) {
        const auto b = m_bookmarks->byId(id);
        if (!b || fingerprint(*b) != m_configFingerprints.value(id))
            reset(id);
    }
}

void SessionManager::client(const QString &bookmarkId, QObject *context, ClientCallback done)
{
    if (RegistryClient *c = m_clients.value(bookmarkId)) {
        done(c);
        return;
    }
    const auto bookmark = m_bookmarks->byId(bookmarkId);
    if (!bookmark) {
        done(Error::make(Error::Kind::NotFound, tr("That registry bookmark no longer exists.")));
        return;
    }
    auto &waiters = m_pending[bookmarkId];
    waiters.append({context, std::move(done)});
    if (waiters.size() > 1)
        return;

    auto create = [this, bookmarkId](const Bookmark &b, const QString &secret) {
        RegistryConfig config = b.toConfig();
        config.credentials.secret = secret;
        config.maxInFlight = m_maxInFlight;
        auto *client = new RegistryClient(config, m_pool, m_cache, this);
        connect(
            client, &RegistryClient::registryWarning, this,
            [this, bookmarkId](const QString &text) { emit registryWarning(bookmarkId, text); });
        m_clients.insert(bookmarkId, client);
        m_configFingerprints.insert(bookmarkId, fingerprint(b));
        const QList<Waiter> waiting = m_pending.take(bookmarkId);
        for (const Waiter &w : waiting) {
            if (w.context)
                w.done(client);
        }
    };
    if (!bookmark->needsSecret()) {
        create(*bookmark, QString());
        return;
    }
    m_credentials->readSecret(
        bookmarkId, this, [this, bookmarkId, create](Expected<std::optional<QString>> secret) {
            const auto b = m_bookmarks->byId(bookmarkId);
            if (!b || !secret) {
                const Error e = !b ? Error::make(Error::Kind::NotFound,
                                                 tr("That registry bookmark no longer exists."))
                                   : secret.error();
                const QList<Waiter> waiting = m_pending.take(bookmarkId);
                for (const Waiter &w : waiting) {
                    if (w.context)
                        w.done(e);
                }
                return;
            }
            // No stored password: connect without one; the registry's 401 explains the rest.
            create(*b, secret->value_or(QString()));
        });
}

} // namespace wharf
