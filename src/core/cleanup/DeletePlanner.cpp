#include "DeletePlanner.h"

#include "ManifestWalker.h"
#include "ReachableBlobs.h"
#include "client/RegistryClient.h"
#include "client/TagOrder.h"
#include "model/Format.h"
#include "oci/MediaTypes.h"
#include "reference/ImageReference.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString keyOf(const QString &repository, const Digest &digest)
{
    return repository + u'@' + digest.toString();
}

// One digest the selection touches in one repository.
struct Group
{
    QString repository;
    Digest digest;
    QStringList selectedTags;
    QList<DeleteSelection> selections;
    bool namedByDigest = false;
    bool wholeRepository = false;
    bool childOfRepository = false;
    QString mediaType;
    qint64 size = -1;
};

// Tags and images of one repository as the inventory saw them.
struct RepositoryView
{
    QMap<QString, Digest> tagDigest;                 // tag -> top digest
    QHash<QString, QStringList> digestTags;          // digest -> tags
    QHash<QString, const ResolvedImage *> images;    // top digest -> image
    QHash<QString, const ImagePlatform *> platforms; // manifest digest -> what it references
    QSet<QString> unreadableTags;                    // listed, but could not be resolved
    bool listed = false;
    QString error;
};

QString artifactKind(const QString &suffix)
{
    if (suffix.isEmpty())
        return u"referrer"_s; // the OCI referrers tag scheme: an index of artifacts
    if (suffix == u"sig"_s)
        return u"signature"_s;
    if (suffix == u"att"_s)
        return u"attestation"_s;
    if (suffix == u"sbom"_s)
        return u"sbom"_s;
    return u"artifact"_s;
}

// Every manifest below a tagged image, as the inventory resolved it.
QList<Digest> descendantsOf(const ResolvedImage &image)
{
    QList<Digest> out;
    if (!image.isIndex)
        return out;
    for (const Digest &d : image.childIndexes)
        out << d;
    for (const ImagePlatform &p : image.platforms)
        out << p.digest;
    for (const ImageAttestation &a : image.attestations)
        out << a.digest;
    return out;
}

} // namespace

DeletePlanner::DeletePlanner(RegistryClient *client, QList<DeleteSelection> selections,
                             DeleteOptions options, QObject *parent)
    : Job(tr("Planning a delete on %1").arg(client->config().hostPort()), parent)
    , m_client(client)
{
    m_facts.registry = client->config().url.toString(QUrl::StripTrailingSlash);
    m_facts.selections = std::move(selections);
    m_facts.options = options;
}

void DeletePlanner::setInventory(const Inventory &inventory)
{
    m_givenInventory = inventory;
}

QStringList DeletePlanner::affectedRepositories() const
{
    QStringList out;
    for (const DeleteSelection &s : m_facts.selections)
        out << s.repository;
    out.sort();
    out.removeDuplicates();
    return out;
}

void DeletePlanner::run()
{
    if (m_facts.selections.isEmpty()) {
        fail(Error::make(Error::Kind::InvalidInput, tr("Nothing was selected for deletion.")));
        return;
    }
    for (const DeleteSelection &s : std::as_const(m_facts.selections)) {
        QString why;
        if (!ImageReference::isValidRepository(s.repository, &why)) {
            fail(Error::make(Error::Kind::InvalidInput, u"“%1”: %2"_s.arg(s.repository, why)));
            return;
        }
        if (s.kind == DeleteSelection::Kind::Tag && !ImageReference::isValidTag(s.tag)) {
            fail(Error::make(Error::Kind::InvalidInput, tr("“%1” is not a valid tag").arg(s.tag)));
            return;
        }
        if (s.kind == DeleteSelection::Kind::Digest && !s.digest.isValid()) {
            fail(Error::make(Error::Kind::InvalidInput, tr("A selected digest is not valid.")));
            return;
        }
    }
    m_facts.now = QDateTime::currentDateTimeUtc();
    readHeads();
}

void DeletePlanner::abort()
{
    if (m_inventoryJob)
        m_inventoryJob->cancel();
    m_client->cancelFor(this);
}

void DeletePlanner::readHeads()
{
    setProgress(0, 4, tr("Resolving the selected tags"));
    m_pending = 1; // released below, so an all-repository selection still moves on
    for (const DeleteSelection &s : std::as_const(m_facts.selections)) {
        if (s.kind == DeleteSelection::Kind::Repository)
            continue;
        ++m_pending;
        const QString reference =
            s.kind == DeleteSelection::Kind::Tag ? s.tag : s.digest.toString();
        const QString key = s.toString();
        m_client->headManifest(s.repository, reference, this,
                               [this, key](Expected<ManifestHead> head) {
                                   if (isFinished())
                                       return;
                                   if (head) {
                                       m_facts.heads.insert(key, *head);
                                   } else if (head.error().kind != Error::Kind::NotFound) {
                                       fail(head.error());
                                       return;
                                   }
                                   if (--m_pending == 0)
                                       readInventory(!m_givenInventory.has_value());
                               });
    }
    if (--m_pending == 0)
        readInventory(!m_givenInventory.has_value());
}

void DeletePlanner::readInventory(bool wholeRegistry)
{
    setProgress(1, 4,
                wholeRegistry ? tr("Inventory of the whole registry (what other repositories "
                                   "still reference)")
                              : tr("Reading the selected repositories again"));
    InventoryJob::Options options;
    if (!wholeRegistry)
        options.repositories = affectedRepositories();
    auto *job = new InventoryJob(m_client, options, this);
    m_inventoryJob = job;
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total, const QString &) {
        if (total > 0)
            setProgress(1, 4, tr("Inventory: %1 of %2 tags").arg(done).arg(total));
    });
    connect(job, &Job::finished, this, [this, job, wholeRegistry] {
        job->deleteLater();
        if (isFinished())
            return;
        inventoryRead(job, wholeRegistry);
    });
    job->start();
}

void DeletePlanner::inventoryRead(InventoryJob *job, bool wholeRegistry)
{
    if (job->state() != State::Succeeded) {
        const Error e = job->error().value_or(Error::make(Error::Kind::Network, tr("failed")));
        if (wholeRegistry && !m_givenInventory) {
            // No catalog (Docker Hub, GHCR…): plan from the selected repositories alone.
            m_facts.wholeRegistryInventory = false;
            m_givenInventory = Inventory();
            m_givenInventory->registry = m_facts.registry;
            m_givenInventory->errors << tr("The catalog could not be read: %1").arg(e.message);
            readInventory(false);
            return;
        }
        fail(e);
        return;
    }
    if (wholeRegistry) {
        m_facts.inventory = job->inventory();
    } else {
        // The given inventory, with the selected repositories replaced by what was just read.
        Inventory merged = *m_givenInventory;
        const Inventory &fresh = job->inventory();
        for (const InventoryRepository &repo : fresh.repositories) {
            auto it =
                std::find_if(merged.repositories.begin(), merged.repositories.end(),
                             [&repo](const InventoryRepository &r) { return r.name == repo.name; });
            if (it != merged.repositories.end())
                *it = repo;
            else
                merged.repositories << repo;
        }
        merged.errors.removeIf([&fresh](const QString &line) {
            for (const InventoryRepository &repo : fresh.repositories) {
                if (line.startsWith(repo.name + u':'))
                    return true;
            }
            return false;
        });
        merged.errors << fresh.errors;
        std::sort(merged.repositories.begin(), merged.repositories.end(),
                  [](const InventoryRepository &a, const InventoryRepository &b) {
                      return a.name < b.name;
                  });
        m_facts.inventory = merged;
    }
    readManifests();
}

void DeletePlanner::readManifests()
{
    // A first decision tells which manifests go; their full content (and their children's)
    // is what garbage collection would follow.
    const DeletePlan draft = compute(m_facts);
    setProgress(2, 4, tr("Reading %1 manifests").arg(draft.manifests.size()));
    m_pending = 1;
    for (const PlannedManifest &m : draft.manifests) {
        if (m_facts.nodes.contains(m.reference()))
            continue;
        ++m_pending;
        ManifestWalker::walk(m_client, m.repository, m.digest, this,
                             [this](Expected<ManifestTree> tree) {
                                 if (isFinished())
                                     return;
                                 // A manifest that vanished meanwhile is planned without its
                                 // content; the delete will report it as already gone.
                                 if (tree) {
                                     for (const ManifestNode &node : tree->nodes)
                                         m_facts.nodes.insert(node.key(), node);
                                 }
                                 if (--m_pending == 0)
                                     readReferrers();
                             });
    }
    if (--m_pending == 0)
        readReferrers();
}

void DeletePlanner::readReferrers()
{
    const DeletePlan draft = compute(m_facts);
    if (draft.manifests.isEmpty()) {
        finishPlan();
        return;
    }
    setProgress(3, 4, tr("Looking for signatures and other referrers"));
    // One probe first: registries without the API (distribution 2.8) answer 404, and then
    // the tag scheme is all there is.
    const PlannedManifest first = draft.manifests.first();
    m_client->listReferrers(
        first.repository, first.digest, this, [this, draft](Expected<QList<Descriptor>> probe) {
            if (isFinished())
                return;
            if (!probe) {
                finishPlan();
                return;
            }
            m_facts.referrers.insert(draft.manifests.first().reference(), *probe);
            m_pending = 1;
            for (qsizetype i = 1; i < draft.manifests.size(); ++i) {
                const PlannedManifest &m = draft.manifests.at(i);
                ++m_pending;
                const QString key = m.reference();
                m_client->listReferrers(m.repository, m.digest, this,
                                        [this, key](Expected<QList<Descriptor>> list) {
                                            if (isFinished())
                                                return;
                                            if (list)
                                                m_facts.referrers.insert(key, *list);
                                            if (--m_pending == 0)
                                                finishPlan();
                                        });
            }
            if (--m_pending == 0)
                finishPlan();
        });
}

void DeletePlanner::finishPlan()
{
    m_plan = compute(m_facts);
    setProgress(4, 4, tr("Plan ready"));
    succeed();
}

DeletePlan DeletePlanner::compute(const Facts &facts)
{
    DeletePlan plan;
    plan.registry = facts.registry;
    plan.options = facts.options;
    plan.selections = facts.selections;
    plan.createdAt = facts.now;
    plan.wholeRegistryInventory = facts.wholeRegistryInventory;
    plan.repositoriesSeen = static_cast<int>(facts.inventory.repositories.size());

    // What each repository looks like now.
    QHash<QString, RepositoryView> views;
    for (const InventoryRepository &repo : facts.inventory.repositories) {
        RepositoryView &view = views[repo.name];
        view.listed = repo.error.isEmpty();
        view.error = repo.error;
        for (const InventoryTag &tag : repo.tags) {
            if (!tag.image) {
                view.unreadableTags.insert(tag.tag);
                continue;
            }
            view.tagDigest.insert(tag.tag, tag.image->digest);
            view.images.insert(tag.image->digest.toString(), &*tag.image);
            for (const ImagePlatform &p : tag.image->platforms)
                view.platforms.insert(p.digest.toString(), &p);
        }
    }
    // The HEADs just made are the newest word on where a selected tag points.
    for (const DeleteSelection &s : facts.selections) {
        if (s.kind == DeleteSelection::Kind::Tag && facts.heads.contains(s.toString()))
            views[s.repository].tagDigest.insert(s.tag, facts.heads.value(s.toString()).digest);
    }
    for (auto it = views.begin(); it != views.end(); ++it) {
        RepositoryView &view = it.value();
        for (auto t = view.tagDigest.cbegin(); t != view.tagDigest.cend(); ++t)
            view.digestTags[t.value().toString()] << t.key();
        for (QStringList &tags : view.digestTags)
            TagOrder::sort(tags);
    }

    // Group the selection by digest.
    QMap<QString, Group> groups; // "repo@digest", sorted for a stable plan
    auto groupFor = [&groups](const QString &repository, const Digest &digest) -> Group & {
        Group &g = groups[keyOf(repository, digest)];
        g.repository = repository;
        g.digest = digest;
        return g;
    };
    for (const DeleteSelection &s : facts.selections) {
        switch (s.kind) {
        case DeleteSelection::Kind::Tag:
        case DeleteSelection::Kind::Digest: {
            const auto head = facts.heads.constFind(s.toString());
            if (head == facts.heads.cend() && s.kind == DeleteSelection::Kind::Tag &&
                views.value(s.repository).unreadableTags.contains(s.tag)) {
                PlannedUntag untag{s.repository, s.tag, Digest(), {}};
                untag.dangling = true;
                plan.untags << untag;
                plan.tags << PlannedTag{s.repository, s.tag, Digest(), false};
                plan.notes << tr("The tag %1 is listed but its manifest is gone (a delete was "
                                 "interrupted midway): only the tag is removed.")
                                  .arg(s.toString());
                break;
            }
            if (head == facts.heads.cend()) {
                SkippedSelection skip;
                skip.selection = s;
                skip.why = SkippedSelection::Why::AlreadyGone;
                skip.digest = s.digest;
                skip.message = s.kind == DeleteSelection::Kind::Tag
                                   ? tr("The tag %1 no longer exists.").arg(s.toString())
                                   : tr("The manifest %1 no longer exists.").arg(s.toString());
                plan.skipped << skip;
                break;
            }
            Group &g = groupFor(s.repository, head->digest);
            if (s.kind == DeleteSelection::Kind::Tag) {
                if (!g.selectedTags.contains(s.tag))
                    g.selectedTags << s.tag;
            } else {
                g.namedByDigest = true;
            }
            g.selections << s;
            g.mediaType = head->mediaType;
            g.size = head->size > 0 ? head->size : g.size;
            break;
        }
        case DeleteSelection::Kind::Repository: {
            const RepositoryView view = views.value(s.repository);
            if (view.tagDigest.isEmpty()) {
                SkippedSelection skip;
                skip.selection = s;
                skip.message =
                    view.error.isEmpty()
                        ? tr("The repository %1 has no tags. Untagged manifests cannot be "
                             "listed through the registry API.")
                              .arg(s.repository)
                        : tr("The repository %1 could not be read: %2")
                              .arg(s.repository, view.error);
                plan.skipped << skip;
                break;
            }
            for (auto t = view.tagDigest.cbegin(); t != view.tagDigest.cend(); ++t) {
                Group &g = groupFor(s.repository, t.value());
                if (!g.selectedTags.contains(t.key()))
                    g.selectedTags << t.key();
                g.wholeRepository = true;
                if (!g.selections.contains(s))
                    g.selections << s;
                // Everything below an index goes too: nothing is left behind untagged.
                if (const ResolvedImage *image = view.images.value(t.value().toString())) {
                    for (const Digest &child : descendantsOf(*image)) {
                        Group &c = groupFor(s.repository, child);
                        c.childOfRepository = true;
                        if (!c.selections.contains(s))
                            c.selections << s;
                    }
                }
            }
            break;
        }
        }
    }

    // Decide per digest.
    QSet<QString> deleted;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        const Group &g = it.value();
        const RepositoryView &view = views[g.repository];
        QStringList allTags = view.digestTags.value(g.digest.toString());
        QStringList collateral;
        for (const QString &tag : std::as_const(allTags)) {
            if (!g.selectedTags.contains(tag) && !g.wholeRepository)
                collateral << tag;
        }
        if (!collateral.isEmpty() && facts.options.untagOnly && !g.namedByDigest) {
            for (const QString &tag : g.selectedTags) {
                plan.untags << PlannedUntag{g.repository, tag, g.digest, collateral};
                plan.tags << PlannedTag{g.repository, tag, g.digest, false};
            }
            continue;
        }
        if (!collateral.isEmpty() && (facts.options.skipCollateral || facts.options.untagOnly)) {
            for (const DeleteSelection &s : g.selections) {
                SkippedSelection skip;
                skip.selection = s;
                skip.why = SkippedSelection::Why::SharesDigest;
                skip.digest = g.digest;
                skip.message = tr("Skipped: %1 also carries %2, which were not selected.")
                                   .arg(keyOf(g.repository, g.digest), collateral.join(u", "_s));
                plan.skipped << skip;
            }
            continue;
        }
        PlannedManifest m;
        m.repository = g.repository;
        m.digest = g.digest;
        m.tags = allTags;
        m.selectedTags = g.selectedTags;
        TagOrder::sort(m.selectedTags);
        m.collateralTags = collateral;
        m.node = facts.nodes.value(it.key());
        if (m.node.isIndex) {
            QList<BlobRef> queue = m.node.children;
            QSet<QString> seen;
            while (!queue.isEmpty()) {
                const BlobRef child = queue.takeFirst();
                const QString childKey = keyOf(g.repository, child.digest);
                if (seen.contains(childKey) || !facts.nodes.contains(childKey))
                    continue;
                seen.insert(childKey);
                const ManifestNode node = facts.nodes.value(childKey);
                m.descendants << node;
                queue << node.children;
            }
        }
        const ResolvedImage *image = view.images.value(g.digest.toString());
        m.mediaType = !g.mediaType.isEmpty()    ? g.mediaType
                      : m.node.digest.isValid() ? m.node.mediaType
                      : image                   ? image->mediaType
                                                : QString();
        m.isIndex = MediaTypes::isIndex(m.mediaType) || (m.node.digest.isValid() && m.node.isIndex);
        m.size = m.node.digest.isValid() ? m.node.size : g.size;
        if (g.namedByDigest)
            m.reason = tr("digest selected");
        else if (!g.selectedTags.isEmpty())
            m.reason = g.wholeRepository ? tr("whole repository") : tr("tag selected");
        else if (g.childOfRepository)
            m.reason = tr("child of an index (whole repository)");
        plan.manifests << m;
        deleted.insert(it.key());
        for (const QString &tag : std::as_const(allTags))
            plan.tags << PlannedTag{g.repository, tag, g.digest, collateral.contains(tag)};
    }

    // Parents before children: an interruption then leaves untagged children, never a broken
    // index.
    auto rank = [&views](const PlannedManifest &m) {
        if (!m.isIndex)
            return 2;
        return views.value(m.repository).digestTags.contains(m.digest.toString()) ? 0 : 1;
    };
    std::stable_sort(plan.manifests.begin(), plan.manifests.end(),
                     [&rank](const PlannedManifest &a, const PlannedManifest &b) {
                         if (a.repository != b.repository)
                             return a.repository < b.repository;
                         return rank(a) < rank(b);
                     });
    std::stable_sort(plan.tags.begin(), plan.tags.end(),
                     [](const PlannedTag &a, const PlannedTag &b) {
                         if (a.repository != b.repository)
                             return a.repository < b.repository;
                         return TagOrder::lessThan(a.tag, b.tag);
                     });

    // Indexes that stay but list something that goes.
    QSet<QString> touchedRepositories;
    for (const PlannedManifest &m : std::as_const(plan.manifests))
        touchedRepositories.insert(m.repository);
    for (const QString &repository : std::as_const(touchedRepositories)) {
        const RepositoryView &view = views[repository];
        for (auto it = view.images.cbegin(); it != view.images.cend(); ++it) {
            const ResolvedImage *image = it.value();
            if (!image->isIndex || deleted.contains(keyOf(repository, image->digest)))
                continue;
            BrokenIndex broken;
            for (const Digest &child : descendantsOf(*image)) {
                if (deleted.contains(keyOf(repository, child)) &&
                    !broken.missingChildren.contains(child))
                    broken.missingChildren << child;
            }
            if (broken.missingChildren.isEmpty())
                continue;
            broken.repository = repository;
            broken.digest = image->digest;
            broken.tags = view.digestTags.value(image->digest.toString());
            plan.brokenIndexes << broken;
        }
    }
    std::sort(
        plan.brokenIndexes.begin(), plan.brokenIndexes.end(),
        [](const BrokenIndex &a, const BrokenIndex &b) { return a.reference() < b.reference(); });

    // Children of deleted indexes that stay behind without a tag.
    QSet<QString> listedUntagged;
    for (const PlannedManifest &m : std::as_const(plan.manifests)) {
        if (!m.isIndex)
            continue;
        QList<Digest> children;
        if (m.node.digest.isValid()) {
            for (const BlobRef &c : m.node.children)
                children << c.digest;
        } else if (const ResolvedImage *image =
                       views[m.repository].images.value(m.digest.toString())) {
            children = descendantsOf(*image);
        }
        for (const Digest &child : std::as_const(children)) {
            const QString key = keyOf(m.repository, child);
            if (deleted.contains(key) || listedUntagged.contains(key) ||
                views[m.repository].digestTags.contains(child.toString()))
                continue;
            listedUntagged.insert(key);
            plan.untaggedManifests << UntaggedManifest{m.repository, child, m.digest};
        }
    }

    // Artifacts whose subject goes: cosign-style tags, and what the referrers API listed.
    static const QRegularExpression artifactTag(uR"(^([a-z0-9]+)-([a-f0-9]{32,})(?:\.(.+))?$)"_s);
    QSet<QString> orphanKeys;
    for (const PlannedManifest &m : std::as_const(plan.manifests)) {
        const RepositoryView &view = views[m.repository];
        for (auto t = view.tagDigest.cbegin(); t != view.tagDigest.cend(); ++t) {
            const auto match = artifactTag.match(t.key());
            if (!match.hasMatch() || match.captured(1) != m.digest.algorithm() ||
                match.captured(2) != m.digest.encoded())
                continue;
            if (deleted.contains(keyOf(m.repository, t.value())))
                continue;
            const QString key = m.repository + u':' + t.key();
            if (orphanKeys.contains(key))
                continue;
            orphanKeys.insert(key);
            orphanKeys.insert(keyOf(m.repository, t.value()));
            plan.orphanedArtifacts << OrphanedArtifact{m.repository, t.key(), t.value(), m.digest,
                                                       artifactKind(match.captured(3))};
        }
        for (const Descriptor &d : facts.referrers.value(m.reference())) {
            const QString key = keyOf(m.repository, d.digest);
            if (deleted.contains(key) || orphanKeys.contains(key))
                continue;
            orphanKeys.insert(key);
            const QStringList tags = view.digestTags.value(d.digest.toString());
            plan.orphanedArtifacts
                << OrphanedArtifact{m.repository, tags.value(0), d.digest, m.digest, u"referrer"_s};
        }
    }

    // What garbage collection would free: blobs of deleted manifests that no remaining
    // manifest in any repository references.
    ReachableBlobs alive;
    alive.addInventory(facts.inventory, deleted);
    for (auto it = facts.nodes.cbegin(); it != facts.nodes.cend(); ++it) {
        if (!deleted.contains(it.key()))
            alive.addNode(it.value());
    }
    QMap<QString, qint64> reclaimable;
    bool unknownSize = false;
    for (const PlannedManifest &m : std::as_const(plan.manifests)) {
        if (!alive.contains(m.digest)) {
            reclaimable.insert(m.digest.toString(), std::max<qint64>(m.size, 0));
            unknownSize = unknownSize || m.size < 0;
        }
        QList<BlobRef> blobs = m.node.blobs;
        if (!m.node.digest.isValid()) {
            // Not read for the plan: what the inventory knows of it, if anything.
            if (const ImagePlatform *p = views[m.repository].platforms.value(m.digest.toString())) {
                for (const Descriptor &d : QList<Descriptor>{p->config} + p->layers) {
                    if (d.digest.isValid() && !d.isForeignLayer())
                        blobs << BlobRef{d.digest, d.size};
                }
            }
        }
        for (const BlobRef &blob : std::as_const(blobs)) {
            if (!alive.contains(blob.digest))
                reclaimable.insert(blob.digest.toString(), blob.size);
        }
    }
    for (auto it = reclaimable.cbegin(); it != reclaimable.cend(); ++it) {
        auto digest = Digest::parse(it.key());
        if (!digest)
            continue;
        plan.reclaimableBlobs << BlobRef{*digest, it.value()};
        plan.reclaimableBytes += it.value();
    }

    if (!plan.manifests.isEmpty()) {
        plan.notes << (plan.wholeRegistryInventory
                           ? tr("Reclaimable space is computed from an inventory of all %1 "
                                "repositories: a blob counts only when no remaining manifest in "
                                "any repository references it. Nothing is freed until garbage "
                                "collection runs.")
                                 .arg(plan.repositoriesSeen)
                           : tr("Only the selected repositories could be inventoried (no "
                                "catalog): blobs that other repositories share may be counted "
                                "as reclaimable. Nothing is freed until garbage collection "
                                "runs."));
    }
    if (!facts.inventory.errors.isEmpty())
        plan.notes << tr("%1 repositories or tags could not be read; blobs only they reference "
                         "may be counted as reclaimable.")
                          .arg(facts.inventory.errors.size());
    if (unknownSize)
        plan.notes << tr("Some manifests could not be read; their size is not counted.");
    if (!plan.untaggedManifests.isEmpty())
        plan.notes << tr("%1 child manifests of deleted indexes stay in storage without a tag; "
                         "garbage collection keeps them.")
                          .arg(plan.untaggedManifests.size());
    if (!plan.untags.isEmpty())
        plan.notes << tr("Where the registry cannot delete a single tag, untagging pushes a tiny "
                         "placeholder manifest to the tag and deletes it (needs push "
                         "permission); the placeholder is left for garbage collection.");
    for (const DeleteSelection &s : facts.selections) {
        if (s.kind == DeleteSelection::Kind::Repository) {
            plan.notes << tr("A repository stays in the catalog after its last tag is gone, "
                             "until its storage is cleaned up.");
            break;
        }
    }
    return plan;
}

} // namespace wharf
