#include "AppContext.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cache/ContentCache.h"
#include "credentials/KeychainCredentialStore.h"
#include "transport/NetworkPool.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wharf::gui {

AppContext::AppContext(CredentialStore *primaryCredentials, QObject *parent)
    : QObject(parent)
    , m_bookmarks(new BookmarkStore(BookmarkStore::defaultSettingsPath(), this))
    , m_credentials(new SessionFallbackCredentialStore(
          primaryCredentials
              ? primaryCredentials
              : new KeychainCredentialStore(KeychainCredentialStore::defaultService()),
          this))
    , m_pool(std::make_shared<NetworkPool>(8))
    , m_cache(std::make_shared<ContentCache>(ContentCache::defaultDirectory()))
    , m_sessions(new SessionManager(m_bookmarks, m_credentials, m_pool, m_cache, this))
{}

AppContext::~AppContext()
{
    // Clients post work to the pool's threads: they go first.
    delete m_sessions;
}

QString AppContext::uiSettingsPath() const
{
    return QFileInfo(m_bookmarks->settingsPath()).absolutePath() + u"/ui.conf"_s;
}

} // namespace wharf::gui
