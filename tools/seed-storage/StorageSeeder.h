#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace wharf::tools {

class LayerBuilder;
class RegistryStorageWriter;

// Fills a registry storage tree with repositories × tags multi-platform images, written
// directly in the distribution 2.8 layout (see RegistryStorageWriter) instead of pushed.
//
// Repository i is "<prefix>-<i>" (zero-padded so lexical order is numeric order), tag j is
// "1.<j>.0". Every tag has its own OCI index over `platforms` image manifests; every
// (tag, platform) has its own config. Layers of each image manifest, bottom to top:
//   base    one per platform shared by all repositories (sharedBase), else one per repository
//           and platform
//   middle  layers - 2 of them, one per repository and platform, shared by its tags
//   app     (layers >= 2) one per repository, tag and platform
// Output is deterministic: the same options produce the same digests.
class StorageSeeder
{
public:
    struct Options
    {
        QString root; // the filesystem driver's rootdirectory
        int repositories = 10;
        int tags = 3;
        int platforms = 2;
        int layers = 2;
        int layerBytes = 512; // random (incompressible) payload bytes per layer
        bool sharedBase = false;
        QString prefix = QStringLiteral("bench/app");
        int jobs = 1;
    };

    struct Summary
    {
        std::int64_t repositories = 0;
        std::int64_t tags = 0;      // over all repositories
        std::int64_t manifests = 0; // indexes + image manifests
        std::int64_t blobs = 0;     // distinct config and layer blobs
        std::int64_t uniqueBytes = 0;
        double seconds = 0;

        QJsonObject toJson() const;
    };

    static constexpr int MaxPlatforms = 8;

    explicit StorageSeeder(const Options &options);

    // Empty when the options are usable, else what is wrong with them.
    static QString validate(const Options &options);
    static QString repositoryName(const QString &prefix, int index, int count);
    static QString tagName(int index);

    bool run();
    Summary summary() const { return m_summary; }
    QString errorString() const { return m_error; }

private:
    struct Platform
    {
        const char *os;
        const char *architecture;
        const char *variant; // empty when the platform has none
    };

    struct BlobRef
    {
        QByteArray digest;
        std::int64_t size = 0;
    };

    struct LayerRef
    {
        BlobRef blob;
        QByteArray diffId;
    };

    // What one worker thread owns; merged into the summary at the end.
    struct WorkerState
    {
        std::unordered_map<std::string, std::int64_t> blobs; // digest -> size
        QString error;
    };

    static const Platform &platform(int index);
    static QByteArray payload(const QByteArray &identity, int size);
    static QByteArray platformJsonName(const Platform &p);

    bool seedRepository(int index, LayerBuilder &builder, RegistryStorageWriter &writer,
                        WorkerState &state) const;
    bool buildLayer(LayerBuilder &builder, const QByteArray &identity, const QByteArray &directory,
                    LayerRef *layer, QByteArray *blob, QString *error) const;
    static void countBlob(WorkerState &state, const BlobRef &blob);

    Options m_options;
    std::vector<LayerRef> m_sharedBase; // per platform, when sharedBase
    Summary m_summary;
    QString m_error;
};

} // namespace wharf::tools
