#pragma once

#include "Descriptor.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace wharf::test {

class TestRegistry;

// Copies an image that is already in the registry into more repositories using only the
// distribution API: a cross-repository blob mount per blob, then a PUT of the very same
// manifest bytes. Used to seed hundreds of repositories in about a second, where one skopeo
// process per repository needs ~70 ms each even when run in parallel on two cores.
class RepositoryCloner
{
public:
    explicit RepositoryCloner(const TestRegistry &registry);

    // For every repository: mount each of `blobs` from `sourceRepository`, then PUT `manifest`
    // (its exact bytes and media type) under `tag`. Up to `parallel` repositories at a time.
    bool clone(const QString &sourceRepository, const Descriptor &manifest,
               const QList<Descriptor> &blobs, const QStringList &repositories, const QString &tag,
               int parallel, QString *error);

private:
    const TestRegistry &m_registry;
};

} // namespace wharf::test
