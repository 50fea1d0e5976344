#pragma once

#include <QObject>

#include <memory>

namespace wharf {
class BookmarkStore;
class ContentCache;
class CredentialStore;
class NetworkPool;
class SessionFallbackCredentialStore;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

// Everything the app shares, created once in main() and injected: bookmarks, the keychain
// (with a session-only fallback), the network pool, the content cache and the per-bookmark
// sessions built from them.
class AppContext : public QObject
{
    Q_OBJECT
public:
    // primaryCredentials: where secrets go (the OS keychain when null; tests pass memory).
    explicit AppContext(CredentialStore *primaryCredentials = nullptr, QObject *parent = nullptr);
    ~AppContext() override;

    BookmarkStore *bookmarks() const { return m_bookmarks; }
    SessionFallbackCredentialStore *credentials() const { return m_credentials; }
    SessionManager *sessions() const { return m_sessions; }
    // UI state (geometry, splitters, last selection): not secret, kept apart from bookmarks.
    QString uiSettingsPath() const;

private:
    BookmarkStore *m_bookmarks;
    SessionFallbackCredentialStore *m_credentials;
    std::shared_ptr<NetworkPool> m_pool;
    std::shared_ptr<ContentCache> m_cache;
    SessionManager *m_sessions;
};

} // namespace wharf::gui
