#pragma once

#include "ManifestNode.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace wharf {

// What the user picked: a tag, a manifest by digest, or a whole repository.
struct DeleteSelection
{
    enum class Kind { Tag, Digest, Repository };

    Kind kind = Kind::Tag;
    QString repository;
    QString tag;
    Digest digest;

    static DeleteSelection forTag(const QString &repository, const QString &tag);
    static DeleteSelection forDigest(const QString &repository, const Digest &digest);
    static DeleteSelection forRepository(const QString &repository);
    // "repo:tag", "repo@sha256:…" or "repo" (whole repository).
    QString toString() const;

    friend bool operator==(const DeleteSelection &a, const DeleteSelection &b) = default;
};

// What to do about tags the user did not name that share a digest with one they did.
struct DeleteOptions
{
    // Remove only the named tags where their digest carries other tags (OCI tag delete, or a
    // placeholder pushed to the tag and deleted); digests carrying only named tags are deleted.
    bool untagOnly = false;
    // Delete such digests anyway, taking the other tags with them.
    bool force = false;
    // Leave such digests (and their named tags) alone.
    bool skipCollateral = false;
};

// A tag that disappears.
struct PlannedTag
{
    QString repository;
    QString tag;
    Digest digest;
    bool collateral = false; // not named: it goes because its digest goes

    QString reference() const { return repository + u':' + tag; }
};

// A manifest deleted by digest (DELETE /v2/<repo>/manifests/<digest>).
struct PlannedManifest
{
    QString repository;
    Digest digest;
    QString mediaType;
    qint64 size = -1; // of the manifest itself; -1 when unknown
    bool isIndex = false;
    QStringList tags;                // every tag on it now: all of them disappear
    QStringList selectedTags;        // the ones named
    QStringList collateralTags;      // the others
    QString reason;                  // why it is in the plan, for a person
    ManifestNode node;               // what it references (empty digest when it could not be read)
    QList<ManifestNode> descendants; // every manifest below an index, as read for the plan

    QString reference() const { return repository + u'@' + digest.toString(); }
};

// A tag removed without deleting its manifest, because other tags still use it.
struct PlannedUntag
{
    QString repository;
    QString tag;
    Digest digest;
    QStringList remainingTags; // stay on the digest
    // Listed by the registry but pointing at a manifest that is gone (a delete interrupted
    // between removing the manifest and its tags): digest is unknown, only the tag is left.
    bool dangling = false;

    QString reference() const { return repository + u':' + tag; }
};

// An index that stays but lists a manifest the plan deletes: pulling it will fail.
struct BrokenIndex
{
    QString repository;
    Digest digest;
    QStringList tags;
    QList<Digest> missingChildren;

    QString reference() const;
};

// A signature, attestation, SBOM or other artifact whose subject the plan deletes.
struct OrphanedArtifact
{
    QString repository;
    QString tag; // cosign-style sha256-<hex>[.sig|.att|.sbom]; empty when found by referrers
    Digest digest;
    Digest subject;
    QString kind; // "signature", "attestation", "sbom", "referrer", "artifact"

    QString reference() const;
};

// A manifest that stays in storage without a tag (a child of a deleted index).
struct UntaggedManifest
{
    QString repository;
    Digest digest;
    Digest parent;
};

// A selection that is not in the plan, and why.
struct SkippedSelection
{
    enum class Why { AlreadyGone, SharesDigest };

    DeleteSelection selection;
    Why why = Why::AlreadyGone;
    Digest digest;
    QString message;
};

// Everything a delete would do, decided right before doing it. Plain data: the GUI shows it in
// a confirmation dialog, wharfctl prints it, DeleteJob carries it out.
struct DeletePlan
{
    QString registry;
    DeleteOptions options;
    QList<DeleteSelection> selections;
    QDateTime createdAt;

    QList<PlannedTag> tags;           // every tag that disappears (named and collateral)
    QList<PlannedManifest> manifests; // in the order they are deleted
    QList<PlannedUntag> untags;       // tags removed while their digest stays
    QList<BrokenIndex> brokenIndexes;
    QList<OrphanedArtifact> orphanedArtifacts;
    QList<UntaggedManifest> untaggedManifests;
    QList<SkippedSelection> skipped;

    // What `registry garbage-collect` would free afterwards: blobs no remaining manifest in any
    // repository references. Needs the whole registry's inventory; see notes.
    QList<BlobRef> reclaimableBlobs;
    qint64 reclaimableBytes = 0;
    bool wholeRegistryInventory = false; // false: other repositories could not be listed
    int repositoriesSeen = 0;
    QStringList notes;

    QStringList collateralTags() const; // "repo:tag", every tag that goes without being named
    QStringList deletedDigests() const; // "repo@digest"
    // Deleting would remove tags that were not named or leave an index broken, and force was
    // not given: DeleteJob refuses such a plan, wharfctl exits with 3.
    bool needsConfirmation() const;
    // Why, one sentence per reason (empty when no confirmation is needed).
    QStringList confirmationReasons() const;
    bool hasWork() const { return !manifests.isEmpty() || !untags.isEmpty(); }
};

} // namespace wharf
