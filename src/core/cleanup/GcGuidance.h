#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wharf {

// What to tell a person about garbage collection, shared by wharfctl and the GC panel. Deleting
// a manifest frees nothing: only the registry's own garbage collector removes blobs.
class GcGuidance
{
    Q_DECLARE_TR_FUNCTIONS(wharf::GcGuidance)

public:
    // The official image: docker exec <container> bin/registry garbage-collect [--dry-run]
    // /etc/docker/registry/config.yml
    static QString dockerCommand(bool dryRun,
                                 const QString &container = QStringLiteral("<container>"));
    // A registry binary installed by hand: registry garbage-collect [--dry-run] <config.yml>
    static QString registryCommand(bool dryRun,
                                   const QString &configPath = QStringLiteral("<config.yml>"));
    // Debian/Ubuntu's docker-registry package.
    static QString
    debianCommand(bool dryRun,
                  const QString &configPath = QStringLiteral("/etc/docker/registry/config.yml"));
    // Stop the registry or switch it to read-only while collection runs.
    static QString whileItRuns();
    // --delete-untagged on distribution 2.8 destroys multi-arch images and signatures.
    static QString deleteUntaggedWarning();
    static QString emptyRepositoryNote();
    // Every paragraph above, in the order a panel shows them.
    static QStringList paragraphs();
};

} // namespace wharf
