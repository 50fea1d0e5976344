#include "ModelTestEnvironment.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "credentials/CredentialStore.h"
#include "transport/NetworkPool.h"

using namespace Qt::StringLiterals;

namespace wharf::gui::test {

ModelTestEnvironment::ModelTestEnvironment(int maxInFlight)
    : m_bookmarks(std::make_unique<BookmarkStore>(m_dir.filePath(u"wharf.conf"_s)))
    , m_credentials(std::make_unique<MemoryCredentialStore>())
    , m_pool(std::make_shared<NetworkPool>(NetworkPool::threadsFor(maxInFlight)))
    , m_sessions(
          std::make_unique<SessionManager>(m_bookmarks.get(), m_credentials.get(), m_pool, nullptr))
{
    m_sessions->setMaxInFlight(maxInFlight);
}

ModelTestEnvironment::~ModelTestEnvironment()
{
    // Clients first: they hold the pool and point at the stores.
    m_sessions.reset();
}

QString ModelTestEnvironment::addBookmark(const QString &name, const QString &url,
                                          const QStringList &repositories, QString *error)
{
    Bookmark b;
    b.name = name;
    b.url = QUrl(url);
    b.repositories = repositories;
    auto added = m_bookmarks->add(b);
    if (!added) {
        if (error)
            *error = added.error().message;
        return {};
    }
    return added->id;
}

} // namespace wharf::gui::test
