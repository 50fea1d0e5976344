#include "SessionManager.h"

#include "BookmarkStore.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

// Marks a stored secret as Wharf's JSON form rather than a password that looks like JSON.
const auto SecretMarker = u"wharfSecret"_s;
const auto TokenUsername = u"<token>"_s; // docker's username for identity tokens

// The JSON form's fields, or nullopt for a plain password.
std::optional<QJsonObject> encodedFields(const QString &stored)
{
    if (!stored.startsWith(u'{'))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(stored.toUtf8());
    if (!doc.isObject() || !doc.object().contains(SecretMarker))
        return std::nullopt;
    return doc.object();
}

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
        if (b.needsSecret())
            config.credentials = decodeSecret(b.username, secret);
        config.maxInFlight = m_maxInFlight;
        auto *client = new RegistryClient(config, m_pool, m_cache, this);
        connect(
            client, &RegistryClient::registryWarning, this,
            [this, bookmarkId](const QString &text) { emit registryWarning(bookmarkId, text); });
        connect(client, &RegistryClient::rateLimitChanged, this,
                [this, bookmarkId](qint64 limit, qint64 remaining, int window) {
                    emit rateLimitChanged(bookmarkId, limit, remaining, window);
                });
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

QString SessionManager::encodeSecret(const Credentials &credentials)
{
    const bool tokens =
        !credentials.identityToken.isEmpty() || !credentials.registryToken.isEmpty();
    // A password that happens to look like the JSON form is wrapped too, so it reads back
    // unchanged.
    if (!tokens && !encodedFields(credentials.secret))
        return credentials.secret;
    QJsonObject o;
    o.insert(SecretMarker, 1);
    if (!credentials.secret.isEmpty())
        o.insert(u"password"_s, credentials.secret);
    if (!credentials.identityToken.isEmpty())
        o.insert(u"identityToken"_s, credentials.identityToken);
    if (!credentials.registryToken.isEmpty())
        o.insert(u"registryToken"_s, credentials.registryToken);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Credentials SessionManager::decodeSecret(const QString &username, const QString &stored)
{
    Credentials c;
    c.username = username == TokenUsername ? QString() : username;
    if (const auto o = encodedFields(stored)) {
        c.secret = o->value(u"password"_s).toString();
        c.identityToken = o->value(u"identityToken"_s).toString();
        c.registryToken = o->value(u"registryToken"_s).toString();
        return c;
    }
    c.secret = stored;
    return c;
}

} // namespace wharf
