#pragma once

#include "CommandRunner.h"
#include "SkopeoOptions.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf::test {

// Thin wrapper over the skopeo CLI, the independent client used to seed and check registries.
// Errors carry skopeo's stderr; credentials are never part of an error message.
class Skopeo
{
public:
    // skopeo copy oci:<layoutDir>:<refName> <destination> (destination
    // "docker://host:port/repo:tag").
    static bool copy(const QString &layoutDir, const QString &refName, const QString &destination,
                     const SkopeoOptions &options, QString *error);
    // Same with any source transport reference ("dir:/path", "docker://...", "oci:/p:ref").
    static bool copyFrom(const QString &source, const QString &destination,
                         const SkopeoOptions &options, QString *error);
    // skopeo inspect --raw: the manifest bytes exactly as the registry serves them.
    static bool inspectRaw(const QString &reference, const SkopeoOptions &options, QByteArray *raw,
                           QString *error);
    // skopeo list-tags, in the order the registry returned them.
    static bool listTags(const QString &repositoryReference, const SkopeoOptions &options,
                         QStringList *tags, QString *error);
    // skopeo delete (resolves a tag to its digest and deletes the manifest).
    static bool deleteImage(const QString &reference, const SkopeoOptions &options, QString *error);

    // Building blocks, public for callers that batch copies through CommandRunner::runParallel.
    static QStringList copyArguments(const QString &source, const QString &destination,
                                     const SkopeoOptions &options);
    // A ready-to-run skopeo command (global flags, isolated auth file, timeout, secrets to
    // mask); nullopt with *error when skopeo is not installed.
    static std::optional<CommandRunner::Command>
    command(const QStringList &arguments, const SkopeoOptions &options, QString *error);
};

} // namespace wharf::test
