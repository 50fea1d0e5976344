#include "InventoryJob.h"

#include "Background.h"
#include "cache/ContentCache.h"
#include "client/ImageResolver.h"
#include "client/RegistryClient.h"

using namespace Qt::StringLiterals;

namespace wharf {

InventoryJob::InventoryJob(RegistryClient *client, Options options, QObject *parent)
    : Job(tr("Inventory of %1").arg(client->config().hostPort()), parent)
    , m_client(client)
    , m_options(std::move(options))
{}

bool InventoryJob::globMatches(const QString &glob, const QString &name)
{
    if (glob.isEmpty())
        return true;
    const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(
        glob, QRegularExpression::UnanchoredWildcardConversion));
    return QRegularExpression(u"^(?:"_s + re.pattern() + u")$"_s).match(name).hasMatch();
}

void InventoryJob::run()
{
    m_inventory.registry = m_client->config().url.toString(QUrl::StripTrailingSlash);
    m_requestsAtStart = m_client->networkRequests();
    m_cacheHitsAtStart = m_client->cacheHits();
    if (!m_options.repositories.isEmpty()) {
        startRepositories(m_options.repositories);
        return;
    }
    setProgress(0, 0, tr("Reading the catalog"));
    m_client->listRepositories(
        this,
        [this](const QStringList &page) {
            setProgress(0, 0, tr("Reading the catalog: %1 more repositories").arg(page.size()));
        },
        [this](Expected<QStringList> names) {
            if (!names) {
                fail(names.error());
                return;
            }
            QStringList selected;
            for (const QString &name : *names) {
                if (globMatches(m_options.repositoryGlob, name))
                    selected << name;
            }
            startRepositories(selected);
        });
}

void InventoryJob::abort()
{
    m_client->cancelFor(this);
}

void InventoryJob::startRepositories(const QStringList &names)
{
    QStringList sorted = names;
    sorted.sort();
    sorted.removeDuplicates();
    emit repositoryListed(sorted);
    for (const QString &name : std::as_const(sorted))
        m_inventory.repositories.append(InventoryRepository{name, {}, {}, 0});
    m_pendingTagsPerRepo.fill(0, sorted.size());
    m_pendingRepositories = static_cast<int>(sorted.size());
    m_listingDone = true;
    for (int i = 0; i < sorted.size(); ++i)
        startRepository(i);
    maybeFinish();
}

void InventoryJob::startRepository(int index)
{
    const QString name = m_inventory.repositories.at(index).name;
    m_client->listTags(name, this, [this, index, name](Expected<QStringList> tags) {
        if (!tags) {
            m_inventory.repositories[index].error = tags.error().message;
            m_inventory.errors << name + u": "_s + tags.error().message;
            repositoryDone(index);
            return;
        }
        ContentCache *cache = m_client->cache();
        if (!cache || !m_options.revalidateCachedTags || tags->isEmpty()) {
            resolveTags(index, *tags, {});
            return;
        }
        // Which tags have a known digest already in the cache? (file I/O: off this thread)
        const QString key = m_client->repositoryKey(name);
        const QStringList tagList = *tags;
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
            [this, index, tagList](QStringList hints) { resolveTags(index, tagList, hints); });
    });
}

void InventoryJob::resolveTags(int repoIndex, const QStringList &tags, const QStringList &hints)
{
    InventoryRepository &repo = m_inventory.repositories[repoIndex];
    repo.tags.reserve(tags.size());
    for (const QString &tag : tags)
        repo.tags.append(InventoryTag{tag, std::nullopt, {}});
    m_pendingTagsPerRepo[repoIndex] = static_cast<int>(tags.size());
    m_tagsKnown += tags.size();
    setProgress(m_tagsDone, m_tagsKnown);
    if (tags.isEmpty()) {
        repositoryDone(repoIndex);
        return;
    }
    const QString name = repo.name;
    for (int t = 0; t < tags.size(); ++t) {
        ImageResolver::Options options;
        options.fetchConfigs = m_options.fetchConfigs;
        options.keepRawManifests = m_options.keepRawManifests;
        options.cachedDigestHint = hints.value(t);
        ImageResolver::resolve(m_client, name, tags.at(t), options, this,
                               [this, repoIndex, t, name](Expected<ResolvedImage> image) {
                                   InventoryTag &slot = m_inventory.repositories[repoIndex].tags[t];
                                   if (image) {
                                       slot.image = std::move(*image);
                                   } else {
                                       slot.error = image.error().message;
                                       m_inventory.errors << name + u':' + slot.tag + u": "_s +
                                                                 image.error().message;
                                   }
                                   tagDone();
                                   if (--m_pendingTagsPerRepo[repoIndex] == 0)
                                       repositoryDone(repoIndex);
                               });
    }
}

void InventoryJob::tagDone()
{
    ++m_tagsDone;
    // Progress signals for every tag would swamp a GUI on 10,000-tag repositories.
    if (m_tagsDone % 64 == 0 || m_tagsDone == m_tagsKnown)
        setProgress(m_tagsDone, m_tagsKnown);
}

void InventoryJob::repositoryDone(int repoIndex)
{
    InventoryRepository &repo = m_inventory.repositories[repoIndex];
    BlobSet blobs;
    for (const InventoryTag &tag : std::as_const(repo.tags)) {
        if (tag.image)
            blobs.addImage(*tag.image);
    }
    repo.uniqueBytes = blobs.totalBytes();
    --m_pendingRepositories;
    emit repositoryFinished(repo.name);
    maybeFinish();
}

void InventoryJob::maybeFinish()
{
    if (!m_listingDone || m_pendingRepositories > 0 || isFinished())
        return;
    BlobSet all;
    for (const InventoryRepository &repo : std::as_const(m_inventory.repositories)) {
        for (const InventoryTag &tag : repo.tags) {
            if (tag.image)
                all.addImage(*tag.image);
        }
    }
    m_inventory.uniqueBytes = all.totalBytes();
    m_inventory.requests = m_client->networkRequests() - m_requestsAtStart;
    m_inventory.cacheHits = m_client->cacheHits() - m_cacheHitsAtStart;
    m_inventory.seconds = elapsedSeconds();
    setProgress(m_tagsDone, m_tagsKnown);
    succeed();
}

} // namespace wharf
