#include "DeletePlan.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace wharf {

DeleteSelection DeleteSelection::forTag(const QString &repository, const QString &tag)
{
    DeleteSelection s;
    s.kind = Kind::Tag;
    s.repository = repository;
    s.tag = tag;
    return s;
}

DeleteSelection DeleteSelection::forDigest(const QString &repository, const Digest &digest)
{
    DeleteSelection s;
    s.kind = Kind::Digest;
    s.repository = repository;
    s.digest = digest;
    return s;
}

DeleteSelection DeleteSelection::forRepository(const QString &repository)
{
    DeleteSelection s;
    s.kind = Kind::Repository;
    s.repository = repository;
    return s;
}

QString DeleteSelection::toString() const
{
    switch (kind) {
    case Kind::Tag:
        return repository + u':' + tag;
    case Kind::Digest:
        return repository + u'@' + digest.toString();
    case Kind::Repository:
        break;
    }
    return repository;
}

QString BrokenIndex::reference() const
{
    return tags.isEmpty() ? repository + u'@' + digest.toString()
                          : repository + u':' + tags.first();
}

QString OrphanedArtifact::reference() const
{
    return tag.isEmpty() ? repository + u'@' + digest.toString() : repository + u':' + tag;
}

QStringList DeletePlan::collateralTags() const
{
    QStringList out;
    for (const PlannedTag &t : tags) {
        if (t.collateral)
            out << t.reference();
    }
    return out;
}

QStringList DeletePlan::deletedDigests() const
{
    QStringList out;
    for (const PlannedManifest &m : manifests)
        out << m.reference();
    return out;
}

bool DeletePlan::needsConfirmation() const
{
    return !confirmationReasons().isEmpty();
}

QStringList DeletePlan::confirmationReasons() const
{
    QStringList reasons;
    if (options.force)
        return reasons;
    const QStringList collateral = collateralTags();
    if (!collateral.isEmpty())
        reasons << QCoreApplication::translate("wharf::DeletePlan",
                                               "it would also remove tags that were not named: "
                                               "%1")
                       .arg(collateral.join(u", "_s));
    QStringList broken;
    for (const BrokenIndex &b : brokenIndexes)
        broken << b.repository + u'@' + b.digest.toString() +
                      (b.tags.isEmpty() ? QString() : u" ("_s + b.tags.join(u", "_s) + u')');
    if (!broken.isEmpty())
        reasons << QCoreApplication::translate("wharf::DeletePlan",
                                               "it would leave indexes that list a deleted "
                                               "manifest broken: %1")
                       .arg(broken.join(u", "_s));
    return reasons;
}

} // namespace wharf
