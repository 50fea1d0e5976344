#include "GcGuidance.h"

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString dryRunFlag(bool dryRun)
{
    return dryRun ? u" --dry-run"_s : QString();
}

} // namespace

QString GcGuidance::dockerCommand(bool dryRun, const QString &container)
{
    return u"docker exec "_s + container + u" bin/registry garbage-collect"_s + dryRunFlag(dryRun) +
           u" /etc/docker/registry/config.yml"_s;
}

QString GcGuidance::registryCommand(bool dryRun, const QString &configPath)
{
    return u"registry garbage-collect"_s + dryRunFlag(dryRun) + u' ' + configPath;
}

QString GcGuidance::debianCommand(bool dryRun, const QString &configPath)
{
    return u"docker-registry garbage-collect"_s + dryRunFlag(dryRun) + u' ' + configPath;
}

QString GcGuidance::whileItRuns()
{
    return tr("Run garbage collection with the registry stopped, or switched to read-only mode "
              "(storage.maintenance.readonly.enabled: true): a push during collection can lose "
              "blobs. Try it with --dry-run first; it lists what would be removed.");
}

QString GcGuidance::deleteUntaggedWarning()
{
    return tr("Do not add --delete-untagged on registry 2.x: it deletes the platform manifests "
              "of multi-arch images and the signatures and attestations stored next to them, "
              "which are all untagged (distribution issues 3178 and 3004, fixed in 3.0).");
}

QString GcGuidance::emptyRepositoryNote()
{
    return tr("A repository whose last tag was deleted stays in the catalog: garbage collection "
              "does not remove it. Delete its directory under "
              "<storage>/docker/registry/v2/repositories/ while the registry is stopped to make "
              "it disappear.");
}

QStringList GcGuidance::paragraphs()
{
    return {tr("Deleting frees no space by itself: the registry's garbage collector removes "
               "blobs that no manifest references any more."),
            tr("Official Docker image: %1").arg(dockerCommand(true)),
            tr("Installed binary: %1 (Debian package docker-registry: %2)")
                .arg(registryCommand(true), debianCommand(true)),
            whileItRuns(),
            deleteUntaggedWarning(),
            emptyRepositoryNote()};
}

} // namespace wharf
