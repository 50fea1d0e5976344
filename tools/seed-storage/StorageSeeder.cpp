#include "StorageSeeder.h"

#include "LayerBuilder.h"
#include "RegistryStorageWriter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

using namespace Qt::StringLiterals;

namespace wharf::tools {

namespace {

const QString IndexType = u"application/vnd.oci.image.index.v1+json"_s;
const QString ManifestType = u"application/vnd.oci.image.manifest.v1+json"_s;
const QString ConfigType = u"application/vnd.oci.image.config.v1+json"_s;
const QString LayerType = u"application/vnd.oci.image.layer.v1.tar+gzip"_s;

std::uint64_t fnv1a(const QByteArray &data)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (char ch : data) {
        hash ^= static_cast<unsigned char>(ch);
        hash *= 1099511628211ull;
    }
    return hash;
}

QJsonObject descriptor(const QString &mediaType, const QByteArray &digest, std::int64_t size)
{
    return QJsonObject{{u"mediaType"_s, mediaType},
                       {u"digest"_s, QString::fromLatin1(digest)},
                       {u"size"_s, static_cast<qint64>(size)}};
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

QJsonObject StorageSeeder::Summary::toJson() const
{
    return QJsonObject{{u"repositories"_s, static_cast<qint64>(repositories)},
                       {u"tags"_s, static_cast<qint64>(tags)},
                       {u"manifests"_s, static_cast<qint64>(manifests)},
                       {u"blobs"_s, static_cast<qint64>(blobs)},
                       {u"uniqueBytes"_s, static_cast<qint64>(uniqueBytes)},
                       {u"seconds"_s, std::round(seconds * 1000) / 1000}};
}

StorageSeeder::StorageSeeder(const Options &options)
    : m_options(options)
{}

const StorageSeeder::Platform &StorageSeeder::platform(int index)
{
    static const Platform platforms[MaxPlatforms] = {
        {"linux", "amd64", ""},   {"linux", "arm64", ""}, {"linux", "arm", "v7"},
        {"linux", "ppc64le", ""}, {"linux", "s390x", ""}, {"linux", "386", ""},
        {"linux", "riscv64", ""}, {"linux", "arm", "v6"},
    };
    return platforms[index];
}

QByteArray StorageSeeder::platformJsonName(const Platform &p)
{
    QByteArray name = QByteArray(p.os) + '/' + p.architecture;
    if (*p.variant)
        name += '/' + QByteArray(p.variant);
    return name;
}

QString StorageSeeder::repositoryName(const QString &prefix, int index, int count)
{
    const int width = std::max(3, static_cast<int>(QString::number(std::max(count - 1, 0)).size()));
    return prefix + u'-' + u"%1"_s.arg(index, width, 10, QLatin1Char('0'));
}

QString StorageSeeder::tagName(int index)
{
    return u"1.%1.0"_s.arg(index);
}

QString StorageSeeder::validate(const Options &options)
{
    if (options.root.isEmpty())
        return u"--root is required"_s;
    if (options.repositories < 1 || options.repositories > 1'000'000)
        return u"--repos must be between 1 and 1000000"_s;
    if (options.tags < 1 || options.tags > 100'000)
        return u"--tags must be between 1 and 100000"_s;
    if (options.platforms < 1 || options.platforms > MaxPlatforms)
        return u"--platforms must be between 1 and %1"_s.arg(MaxPlatforms);
    if (options.layers < 1 || options.layers > 64)
        return u"--layers must be between 1 and 64"_s;
    if (options.layerBytes < 0 || options.layerBytes > 64 * 1024 * 1024)
        return u"--layer-bytes must be between 0 and 67108864"_s;
    if (options.jobs < 1 || options.jobs > 64)
        return u"--jobs must be between 1 and 64"_s;
    // The repository name grammar of the distribution spec; the registry 404s anything else.
    static const QRegularExpression namePattern(
        u"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"_s);
    const QString longest =
        repositoryName(options.prefix, options.repositories - 1, options.repositories);
    if (!namePattern.match(longest).hasMatch() || longest.size() > 255)
        return u"--prefix gives an invalid repository name: "_s + longest;
    return {};
}

QByteArray StorageSeeder::payload(const QByteArray &identity, int size)
{
    // splitmix64 seeded from the identity: incompressible, so blob sizes stay close to the
    // requested size, yet reproducible.
    std::uint64_t state = fnv1a(identity);
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; i += 8) {
        state += 0x9e3779b97f4a7c15ull;
        std::uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (int k = 0; k < 8 && i + k < size; ++k)
            bytes[i + k] = static_cast<char>((z >> (8 * k)) & 0xff);
    }
    return bytes;
}

bool StorageSeeder::buildLayer(LayerBuilder &builder, const QByteArray &identity,
                               const QByteArray &directory, LayerRef *layer, QByteArray *blob,
                               QString *error) const
{
    builder.addFile(directory + "/IDENTITY", identity + '\n');
    builder.addFile(directory + "/payload.bin", payload(identity, m_options.layerBytes));
    LayerBuilder::Layer built;
    if (!builder.finish(&built)) {
        *error = builder.errorString();
        return false;
    }
    layer->blob = BlobRef{built.digest, built.blob.size()};
    layer->diffId = built.diffId;
    *blob = built.blob;
    return true;
}

void StorageSeeder::countBlob(WorkerState &state, const BlobRef &blob)
{
    state.blobs.emplace(blob.digest.toStdString(), blob.size);
}

bool StorageSeeder::run()
{
    m_error = validate(m_options);
    if (!m_error.isEmpty())
        return false;
    QElapsedTimer timer;
    timer.start();

    WorkerState shared;
    {
        LayerBuilder builder;
        RegistryStorageWriter writer(m_options.root);
        m_sharedBase.clear();
        if (m_options.sharedBase) {
            for (int p = 0; p < m_options.platforms; ++p) {
                LayerRef layer;
                QByteArray blob;
                const QByteArray identity = "wharf-bench base " + platformJsonName(platform(p));
                if (!buildLayer(builder, identity, "usr/share/wharf-base", &layer, &blob, &m_error))
                    return false;
                if (!writer.putBlob(layer.blob.digest, blob)) {
                    m_error = writer.errorString();
                    return false;
                }
                countBlob(shared, layer.blob);
                m_sharedBase.push_back(layer);
            }
        }
    }

    // Repositories share nothing but the base layers written above, so workers can take
    // interleaved repositories without coordinating; each keeps its own distinct-blob set.
    const int jobs = std::min(m_options.jobs, m_options.repositories);
    std::vector<WorkerState> states(static_cast<std::size_t>(jobs));
    std::atomic<bool> failed{false};
    auto work = [&](int worker) {
        LayerBuilder builder;
        RegistryStorageWriter writer(m_options.root);
        WorkerState &state = states[static_cast<std::size_t>(worker)];
        for (int r = worker; r < m_options.repositories && !failed.load(); r += jobs) {
            if (!seedRepository(r, builder, writer, state)) {
                failed.store(true);
                return;
            }
        }
    };
    if (jobs == 1) {
        work(0);
    } else {
        std::vector<std::thread> threads;
        for (int w = 0; w < jobs; ++w)
            threads.emplace_back(work, w);
        for (std::thread &thread : threads)
            thread.join();
    }

    for (const WorkerState &state : states) {
        if (!state.error.isEmpty()) {
            m_error = state.error;
            return false;
        }
        shared.blobs.insert(state.blobs.begin(), state.blobs.end());
    }
    std::int64_t uniqueBytes = 0;
    for (const auto &blob : shared.blobs)
        uniqueBytes += blob.second;

    m_summary = {};
    m_summary.repositories = m_options.repositories;
    m_summary.tags = std::int64_t{m_options.repositories} * m_options.tags;
    m_summary.manifests = m_summary.tags * (1 + m_options.platforms);
    m_summary.blobs = static_cast<std::int64_t>(shared.blobs.size());
    m_summary.uniqueBytes = uniqueBytes;
    m_summary.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return true;
}

bool StorageSeeder::seedRepository(int index, LayerBuilder &builder, RegistryStorageWriter &writer,
                                   WorkerState &state) const
{
    const QByteArray repository =
        repositoryName(m_options.prefix, index, m_options.repositories).toUtf8();
    auto storeBlob = [&](const BlobRef &ref, const QByteArray &content) {
        if (!writer.putBlob(ref.digest, content) || !writer.linkBlob(repository, ref.digest)) {
            state.error = writer.errorString();
            return false;
        }
        countBlob(state, ref);
        return true;
    };
    auto makeLayer = [&](const QByteArray &identity, const QByteArray &directory, LayerRef *layer) {
        QByteArray blob;
        if (!buildLayer(builder, identity, directory, layer, &blob, &state.error))
            return false;
        return storeBlob(layer->blob, blob);
    };

    // Layers every tag of this repository shares, per platform.
    std::vector<std::vector<LayerRef>> repositoryLayers(
        static_cast<std::size_t>(m_options.platforms));
    const int middleCount = std::max(0, m_options.layers - 2);
    for (int p = 0; p < m_options.platforms; ++p) {
        auto &layers = repositoryLayers[static_cast<std::size_t>(p)];
        const QByteArray platformName = platformJsonName(platform(p));
        if (m_options.sharedBase) {
            const LayerRef &base = m_sharedBase[static_cast<std::size_t>(p)];
            if (!writer.linkBlob(repository, base.blob.digest)) {
                state.error = writer.errorString();
                return false;
            }
            countBlob(state, base.blob);
            layers.push_back(base);
        } else {
            LayerRef base;
            if (!makeLayer("wharf-bench base " + platformName + ' ' + repository,
                           "usr/share/wharf-base", &base))
                return false;
            layers.push_back(base);
        }
        for (int m = 0; m < middleCount; ++m) {
            LayerRef middle;
            if (!makeLayer("wharf-bench middle " + QByteArray::number(m) + ' ' + platformName +
                               ' ' + repository,
                           "opt/wharf/lib" + QByteArray::number(m), &middle))
                return false;
            layers.push_back(middle);
        }
    }

    const QDateTime epoch(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::utc());
    for (int t = 0; t < m_options.tags; ++t) {
        const QByteArray tag = tagName(t).toUtf8();
        const QString created =
            epoch.addSecs(std::int64_t{t} * 86400 + index).toString(Qt::ISODate);
        QJsonArray indexEntries;
        for (int p = 0; p < m_options.platforms; ++p) {
            const Platform &pf = platform(p);
            std::vector<LayerRef> layers = repositoryLayers[static_cast<std::size_t>(p)];
            if (m_options.layers >= 2) {
                LayerRef app;
                if (!makeLayer("wharf-bench app " + platformJsonName(pf) + ' ' + repository + ':' +
                                   tag,
                               "app", &app))
                    return false;
                layers.push_back(app);
            }

            QJsonArray diffIds;
            QJsonArray history;
            QJsonArray layerDescriptors;
            for (std::size_t i = 0; i < layers.size(); ++i) {
                diffIds.append(QString::fromLatin1(layers[i].diffId));
                history.append(
                    QJsonObject{{u"created"_s, created},
                                {u"created_by"_s, u"wharf-seed-storage layer %1"_s.arg(i)}});
                layerDescriptors.append(
                    descriptor(LayerType, layers[i].blob.digest, layers[i].blob.size));
            }
            QJsonObject config{
                {u"architecture"_s, QString::fromLatin1(pf.architecture)},
                {u"os"_s, QString::fromLatin1(pf.os)},
                {u"created"_s, created},
                {u"config"_s,
                 QJsonObject{
                     {u"Env"_s,
                      QJsonArray{
                          u"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"_s}},
                     {u"Cmd"_s, QJsonArray{u"/app/run"_s}},
                     {u"Labels"_s,
                      QJsonObject{
                          {u"org.opencontainers.image.title"_s, QString::fromUtf8(repository)},
                          {u"org.opencontainers.image.version"_s, QString::fromUtf8(tag)}}}}},
                {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}},
                {u"history"_s, history}};
            QJsonObject platformJson{{u"architecture"_s, QString::fromLatin1(pf.architecture)},
                                     {u"os"_s, QString::fromLatin1(pf.os)}};
            if (*pf.variant) {
                config.insert(u"variant"_s, QString::fromLatin1(pf.variant));
                platformJson.insert(u"variant"_s, QString::fromLatin1(pf.variant));
            }
            const QByteArray configBytes = compactJson(config);
            const BlobRef configRef{LayerBuilder::sha256Digest(configBytes), configBytes.size()};
            if (!storeBlob(configRef, configBytes))
                return false;

            const QByteArray manifestBytes = compactJson(
                QJsonObject{{u"schemaVersion"_s, 2},
                            {u"mediaType"_s, ManifestType},
                            {u"config"_s, descriptor(ConfigType, configRef.digest, configRef.size)},
                            {u"layers"_s, layerDescriptors}});
            const QByteArray manifestDigest = LayerBuilder::sha256Digest(manifestBytes);
            if (!writer.putBlob(manifestDigest, manifestBytes) ||
                !writer.linkManifest(repository, manifestDigest)) {
                state.error = writer.errorString();
                return false;
            }
            QJsonObject entry = descriptor(ManifestType, manifestDigest, manifestBytes.size());
            entry.insert(u"platform"_s, platformJson);
            indexEntries.append(entry);
        }

        const QByteArray indexBytes = compactJson(QJsonObject{
            {u"schemaVersion"_s, 2}, {u"mediaType"_s, IndexType}, {u"manifests"_s, indexEntries}});
        const QByteArray indexDigest = LayerBuilder::sha256Digest(indexBytes);
        if (!writer.putBlob(indexDigest, indexBytes) ||
            !writer.linkManifest(repository, indexDigest) ||
            !writer.tagManifest(repository, tag, indexDigest)) {
            state.error = writer.errorString();
            return false;
        }
    }
    return true;
}

} // namespace wharf::tools
