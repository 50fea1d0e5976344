#pragma once

#include "Job.h"
#include "model/ImageInfo.h"

#include <QList>
#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace wharf {

class RegistryClient;

struct InventoryTag
{
    QString tag;
    std::optional<ResolvedImage> image;
    QString error;
};

struct InventoryRepository
{
    QString name;
    QList<InventoryTag> tags;
    QString error;
    qint64 uniqueBytes = 0; // distinct blobs of every tag in this repository
};

struct Inventory
{
    QString registry;
    QList<InventoryRepository> repositories;
    qint64 uniqueBytes = 0; // distinct blobs across the registry
    qint64 requests = 0;    // sent over the network by this job
    qint64 cacheHits = 0;
    double seconds = 0;
    QStringList errors; // one line per repository or tag that could not be read
};

// Walks a registry: catalog (or a given repository list) → tags → manifests of every tag and
// every platform, all concurrently within the client's limits. Tags whose last digest is in the
// content cache are re-validated with a HEAD and nothing else is downloaded for them.
class InventoryJob : public Job
{
    Q_OBJECT
public:
    struct Options
    {
        QString repositoryGlob;   // shell-style pattern on the repository name; empty = all
        QStringList repositories; // skip the catalog and inventory just these
        bool fetchConfigs = false;
        bool keepRawManifests = false;
        bool revalidateCachedTags = true;
    };

    InventoryJob(RegistryClient *client, Options options, QObject *parent = nullptr);

    const Inventory &inventory() const { return m_inventory; }

    static bool globMatches(const QString &glob, const QString &name);

signals:
    void repositoryListed(const QStringList &repositories);
    void repositoryFinished(const QString &repository);

protected:
    void run() override;
    void abort() override;

private:
    void startRepositories(const QStringList &names);
    void startRepository(int index);
    void resolveTags(int repoIndex, const QStringList &tags, const QStringList &hints);
    void tagDone();
    void repositoryDone(int repoIndex);
    void maybeFinish();

    RegistryClient *m_client;
    Options m_options;
    Inventory m_inventory;
    qint64 m_requestsAtStart = 0;
    qint64 m_cacheHitsAtStart = 0;
    int m_pendingRepositories = 0;
    QList<int> m_pendingTagsPerRepo;
    qint64 m_tagsKnown = 0;
    qint64 m_tagsDone = 0;
    bool m_listingDone = false;
};

} // namespace wharf
