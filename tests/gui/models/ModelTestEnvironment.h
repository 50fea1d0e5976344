#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace wharf {
class BookmarkStore;
class MemoryCredentialStore;
class NetworkPool;
class SessionManager;
} // namespace wharf

namespace wharf::gui::test {

// What the app gives its models, for tests: a BookmarkStore on a temporary file, secrets in
// memory, a small network pool and a SessionManager without a content cache (so every request
// really goes to the registry and can be counted).
class ModelTestEnvironment
{
public:
    // maxInFlight: requests each registry client keeps in flight (and the pool sized for it).
    explicit ModelTestEnvironment(int maxInFlight = 16);
    ~ModelTestEnvironment();

    bool isValid() const { return m_dir.isValid(); }
    BookmarkStore *bookmarks() const { return m_bookmarks.get(); }
    MemoryCredentialStore *credentials() const { return m_credentials.get(); }
    SessionManager *sessions() const { return m_sessions.get(); }

    // Adds a bookmark; returns its id, or an empty string with *error.
    QString addBookmark(const QString &name, const QString &url,
                        const QStringList &repositories = {}, QString *error = nullptr);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<BookmarkStore> m_bookmarks;
    std::unique_ptr<MemoryCredentialStore> m_credentials;
    std::shared_ptr<NetworkPool> m_pool;
    std::unique_ptr<SessionManager> m_sessions;
};

} // namespace wharf::gui::test
