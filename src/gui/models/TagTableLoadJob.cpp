#include "TagTableLoadJob.h"

#include "bookmarks/SessionManager.h"
#include "cache/ContentCache.h"
#include "client/ImageResolver.h"
#include "client/RegistryClient.h"
#include "client/TagOrder.h"
#include "jobs/Background.h"
#include "transport/RequestScheduler.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {
// Progress signals for every tag would swamp the jobs panel on a 10,000-tag repository.
constexpr qint64 ProgressIntervalMs = 100;
} // namespace

TagTableLoadJob::TagTableLoadJob(SessionManager *sessions, const QString &bookmarkId,
                                 const QString &repository, QObject *parent)
    : Job(tr("Loading tags of %1").arg(repository), parent)
    , m_sessions(sessions)
    , m_bookmarkId(bookmarkId)
    , m_repository(repository)
{}

RegistryClient *TagTableLoadJob::client() const
{
    return m_client;
}

void TagTableLoadJob::run()
{
    if (!m_sessions) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No registry session is available.")));
        return;
    }
    setProgress(0, 0, tr("Connecting…"));
    m_sessions->client(m_bookmarkId, this, [this](Expected<RegistryClient *> client) {
        if (isFinished())
            return;
        if (!client) {
            fail(client.error());
            return;
        }
        m_client = *client;
        // Editing the bookmark replaces its client, and the old one takes our requests with it.
        connect(m_client, &QObject::destroyed, this, [this] {
            fail(Error::make(Error::Kind::Cancelled,
                             tr("The registry's connection settings changed while the tags were "
                                "loading. Load the repository again.")));
        });
        listTags();
    });
}

void TagTableLoadJob::listTags()
{
    setProgress(0, 0, tr("Listing tags…"));
    m_client->listTags(m_repository, this, [this](Expected<QStringList> tags) {
        if (isFinished())
            return;
        if (!tags) {
            fail(tags.error());
            return;
        }
        m_tags = std::move(*tags);
        TagOrder::sort(m_tags);
        emit tagsListed(m_tags);
        if (m_tags.isEmpty()) {
            setProgress(0, 0, tr("No tags"));
            succeed();
            return;
        }
        ContentCache *cache = m_client->cache();
        if (!cache) {
            startResolving({});
            return;
        }
        // Which tags have a known digest in the cache? File I/O, so off the GUI thread.
        const QString key = m_client->repositoryKey(m_repository);
        const QStringList tagList = m_tags;
        runInBackground<QStringList>(
            this,
            [cache, key, tagList] {
                QStringList hints;
                hints.reserve(tagList.size());
                for (const QString &tag : tagList) {
                    const QString hint = cache->tagHint(key, tag);
                    auto digest = Digest::parse(hint);
                    hints << (digest && cache->contains(*digest) ? hint : QString());
                }
                return hints;
            },
            [this](QStringList hints) {
                if (!isFinished())
                    startResolving(hints);
            });
    });
}

void TagTableLoadJob::startResolving(const QStringList &hints)
{
    m_hints = hints;
    if (m_window <= 0)
        m_window = std::max(8, 2 * m_client->scheduler()->maxInFlight());
    m_sinceProgress.start();
    reportProgress(true);
    pump();
}

void TagTableLoadJob::pump()
{
    // Resolutions that fail synchronously (an invalid tag name) come back inside this loop;
    // they must not start a nested pump per tag.
    if (m_pumping)
        return;
    m_pumping = true;
    while (!isFinished() && m_inFlight < m_window && m_next < m_tags.size()) {
        const int index = m_next++;
        ++m_inFlight;
        ImageResolver::Options options;
        options.fetchConfigs = true; // the Created column needs every platform's config
        options.cachedDigestHint = m_hints.value(index);
        ImageResolver::resolve(m_client, m_repository, m_tags.at(index), options, this,
                               [this, index](Expected<ResolvedImage> image) {
                                   if (isFinished())
                                       return;
                                   --m_inFlight;
                                   if (image) {
                                       ++m_resolved;
                                       emit tagResolved(index, *image);
                                   } else {
                                       ++m_failed;
                                       emit tagFailed(index, image.error());
                                   }
                                   tagDone();
                               });
    }
    m_pumping = false;
}

void TagTableLoadJob::tagDone()
{
    if (m_resolved + m_failed == m_tags.size()) {
        reportProgress(true);
        succeed();
        return;
    }
    reportProgress(false);
    pump();
}

void TagTableLoadJob::reportProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < ProgressIntervalMs)
        return;
    m_sinceProgress.restart();
    const qint64 done = m_resolved + m_failed;
    const qint64 total = m_tags.size();
    QString text = tr("%1 of %2 tags resolved").arg(done).arg(total);
    if (m_failed > 0)
        text += u' ' + tr("(%n could not be read)", nullptr, m_failed);
    setProgress(done, total, text);
}

void TagTableLoadJob::abort()
{
    if (m_client)
        m_client->cancelFor(this);
}

} // namespace wharf::gui
