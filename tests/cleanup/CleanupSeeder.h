#pragma once

#include "TestRegistry.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>
#include <QTemporaryDir>

#include <optional>

namespace wharf::test {

// Seeds the images the cleanup suites delete, independently of Wharf: OCI layouts pushed with
// skopeo, and for bulk content plain distribution API calls (blob upload + manifest PUT).
class CleanupSeeder
{
public:
    explicit CleanupSeeder(const TestRegistry &registry);

    // A single-platform image whose content (and digest) depends on `flavour`, created at
    // `created` (invalid: no date in the config). Pushed to the first tag with skopeo; the
    // other tags get the very same manifest. Returns the manifest digest, or empty.
    QString pushImage(const QString &repository, const QStringList &tags, const QString &flavour,
                      const QDateTime &created, QString *error);

    // One manifest per tag, all on distinct digests (they differ by an annotation) over one
    // shared config and layer: hundreds of tags in a second. Returns tag -> digest.
    QMap<QString, QString> pushVariants(const QString &repository, const QStringList &tags,
                                        QString *error);

    struct Index
    {
        QString digest;
        QStringList children; // linux/amd64, linux/arm64/v8
    };
    // A two-platform OCI index under `tag`, pushed with skopeo --all.
    std::optional<Index> pushIndex(const QString &repository, const QString &tag,
                                   const QString &flavour, QString *error);

    bool uploadBlob(const QString &repository, const QByteArray &bytes, QString *error);
    bool putManifest(const QString &repository, const QString &reference, const QString &mediaType,
                     const QByteArray &bytes, QString *error);

private:
    QString newLayoutDir();

    const TestRegistry &m_registry;
    QTemporaryDir m_dir;
    int m_layouts = 0;
};

} // namespace wharf::test
