#include "SampleImages.h"

#include "CommandRunner.h"
#include "ImagePusher.h"
#include "MediaType.h"
#include "RepositoryCloner.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QTimeZone>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

using Compression = TarLayer::Compression;
using Format = OciLayout::Format;

QDateTime at(int year, int month, int day, int hour = 12, int minute = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), QTimeZone::utc());
}

// A tiny root file system; `flavour` changes the content so each platform gets its own blob.
QList<TarEntry> baseEntries(const QString &flavour)
{
    const QByteArray release = "ID=wharf-sample\nVERSION_ID=1\nPLATFORM=" + flavour.toUtf8() + "\n";
    return {TarEntry::directory(u"bin"_s),
            TarEntry::file(u"bin/sh"_s,
                           "\x7f"
                           "ELF fake shell for " +
                               flavour.toUtf8(),
                           0755),
            TarEntry::directory(u"etc"_s),
            TarEntry::file(u"etc/os-release"_s, release),
            TarEntry::file(u"etc/motd"_s, "Welcome to the Wharf sample image\n"),
            TarEntry::directory(u"usr"_s),
            TarEntry::directory(u"usr/bin"_s),
            TarEntry::symlink(u"usr/bin/sh"_s, u"/bin/sh"_s),
            TarEntry::directory(u"var"_s),
            TarEntry::directory(u"var/cache"_s),
            TarEntry::file(u"var/cache/old.txt"_s, "stale cache entry\n")};
}

QList<TarEntry> smallLayer(const QString &directory, const QString &name, const QByteArray &text)
{
    return {TarEntry::directory(directory), TarEntry::file(directory + u'/' + name, text)};
}

// Same blob, Docker layer media type: the registry stores it once for both families.
TarLayer asDocker(TarLayer layer)
{
    layer.descriptor.mediaType =
        TarLayer::mediaTypeFor(layer.compression, TarLayer::Format::Docker);
    return layer;
}

ImageConfig simpleConfig(const Platform &platform, const QDateTime &created, const QString &what)
{
    ImageConfig config;
    config.platform = platform;
    config.created = created;
    config.env = {u"PATH=/usr/local/bin:/usr/bin:/bin"_s};
    config.cmd = {u"/bin/sh"_s};
    config.labels = {{u"org.opencontainers.image.title"_s, what}};
    config.history = {{at(2024, 1, 1, 0, 0), u"ADD rootfs.tar /"_s, false, {}},
                      {created, u"COPY "_s + what + u" /"_s, false, {}}};
    return config;
}

const Platform LinuxAmd64{u"linux"_s, u"amd64"_s, {}, {}};
const Platform LinuxArm64{u"linux"_s, u"arm64"_s, u"v8"_s, {}};
const Platform LinuxArmV7{u"linux"_s, u"arm"_s, u"v7"_s, {}};
const Platform LinuxS390x{u"linux"_s, u"s390x"_s, {}, {}};

} // namespace

QList<Descriptor> SampleImages::Tag::allManifests() const
{
    QList<Descriptor> all{top};
    all << childIndexes;
    for (const OciLayout::Image &image : images) {
        if (image.manifest.digest != top.digest)
            all << image.manifest;
    }
    for (const OciLayout::Image &image : attestations)
        all << image.manifest;
    return all;
}

SampleImages::SampleImages()
    : m_dir(std::make_unique<QTemporaryDir>(QDir::temp().filePath(u"wharf-samples-XXXXXX"_s)))
    , m_layout(std::make_unique<OciLayout>(m_dir->filePath(u"layout"_s)))
{
    if (!m_dir->isValid()) {
        m_buildError = u"cannot create a temporary directory: "_s + m_dir->errorString();
        return;
    }
    build();
}

SampleImages::~SampleImages() = default;
SampleImages::SampleImages(SampleImages &&) noexcept = default;
SampleImages &SampleImages::operator=(SampleImages &&) noexcept = default;

SampleImages::Tag &SampleImages::addTag(const QString &repository, const QString &tag,
                                        const Descriptor &top)
{
    Tag entry;
    entry.repository = repository;
    entry.tag = tag;
    entry.top = top;
    entry.top.platform.reset();
    m_tags.append(entry);
    // Ref names in the layout must be unique; repository/tag pairs are.
    QString refName = repository + u'-' + tag;
    refName.replace(u'/', u'-');
    m_layout->tag(refName, entry.top);
    return m_tags.last();
}

void SampleImages::build()
{
    OciLayout &layout = *m_layout;
    QString error;
    auto layer = [&](const QList<TarEntry> &entries, Compression compression) {
        TarLayer built = layout.addLayer(entries, compression, Format::Oci, &error);
        if (!error.isEmpty() && m_buildError.isEmpty())
            m_buildError = error;
        return built;
    };

    const TarLayer base = layer(baseEntries(u"linux/amd64"_s), Compression::Gzip);

    // sample/app: the richly described single-platform OCI image.
    {
        const TarLayer app =
            layer({TarEntry::directory(u"app"_s),
                   TarEntry::file(u"app/server"_s, "#!/bin/sh\necho wharf sample app 1.0\n", 0755),
                   TarEntry::file(u"app/config.json"_s, "{\"listen\":8080}\n"),
                   TarEntry::hardlink(u"app/server-hardlink"_s, u"app/server"_s),
                   TarEntry::symlink(u"app/current"_s, u"server"_s)},
                  Compression::Gzip);
        const TarLayer cleanup = layer(
            {TarEntry::whiteout(u"etc"_s, u"motd"_s), TarEntry::opaqueWhiteout(u"var/cache"_s),
             TarEntry::file(u"var/cache/new.txt"_s, "fresh cache entry\n")},
            Compression::Gzip);
        ImageConfig config;
        config.platform = LinuxAmd64;
        config.created = at(2024, 3, 1);
        config.author = u"Wharf Tests <tests@wharf.invalid>"_s;
        config.env = {u"PATH=/usr/local/bin:/usr/bin:/bin"_s, u"APP_VERSION=1.0"_s};
        config.entrypoint = {u"/app/server"_s};
        config.cmd = {u"--port"_s, u"8080"_s};
        config.workingDir = u"/app"_s;
        config.user = u"1000:1000"_s;
        config.exposedPorts = {u"8080/tcp"_s, u"9090/udp"_s};
        config.labels = {{u"org.opencontainers.image.title"_s, u"sample-app"_s},
                         {u"org.opencontainers.image.version"_s, u"1.0"_s},
                         {u"org.opencontainers.image.vendor"_s, u"Wharf"_s}};
        config.history = {
            {at(2024, 1, 1, 0, 0), u"ADD rootfs.tar / # buildkit"_s, false, {}},
            {at(2024, 3, 1, 11, 58), u"ENV APP_VERSION=1.0"_s, true, {}},
            {at(2024, 3, 1, 11, 59), u"COPY app /app # buildkit"_s, false, {}},
            {at(2024, 3, 1, 12, 0),
             u"RUN rm /etc/motd && rm -rf /var/cache/* && touch /var/cache/new.txt"_s,
             false,
             {}},
            {at(2024, 3, 1, 12, 0), u"EXPOSE map[8080/tcp:{} 9090/udp:{}]"_s, true, {}},
            {at(2024, 3, 1, 12, 0), u"ENTRYPOINT [\"/app/server\"]"_s, true, {}}};
        const OciLayout::Image image = layout.addImage(config, {base, app, cleanup});
        for (const QString &tag : {u"1.0"_s, u"latest"_s})
            addTag(u"sample/app"_s, tag, image.manifest).images = {image};
    }

    // sample/multi: OCI index with two platforms and their attestations.
    OciLayout::Image multiAmd64;
    OciLayout::Image multiArm64;
    {
        const TarLayer baseArm = layer(baseEntries(u"linux/arm64/v8"_s), Compression::Gzip);
        const TarLayer amdLayer =
            layer(smallLayer(u"opt/multi"_s, u"arch"_s, "amd64\n"), Compression::Gzip);
        const TarLayer armLayer =
            layer(smallLayer(u"opt/multi"_s, u"arch"_s, "arm64\n"), Compression::Gzip);
        multiAmd64 = layout.addImage(simpleConfig(LinuxAmd64, at(2024, 4, 1), u"multi-amd64"_s),
                                     {base, amdLayer});
        multiArm64 = layout.addImage(simpleConfig(LinuxArm64, at(2024, 4, 1), u"multi-arm64"_s),
                                     {baseArm, armLayer});
        const OciLayout::Image attestAmd64 = layout.addAttestation(multiAmd64.manifest);
        const OciLayout::Image attestArm64 = layout.addAttestation(multiArm64.manifest);
        const Descriptor index = layout.addIndex(
            {multiAmd64.manifest, multiArm64.manifest, attestAmd64.manifest, attestArm64.manifest});
        Tag &tag = addTag(u"sample/multi"_s, u"2.0"_s, index);
        tag.images = {multiAmd64, multiArm64};
        tag.attestations = {attestAmd64, attestArm64};
    }

    // sample/docker: Docker schema2 image and a Docker manifest list.
    {
        const TarLayer dockerLayer = asDocker(
            layer(smallLayer(u"srv"_s, u"docker.txt"_s, "docker amd64\n"), Compression::Gzip));
        ImageConfig amdConfig = simpleConfig(LinuxAmd64, at(2024, 5, 1), u"docker-amd64"_s);
        const OciLayout::Image amd =
            layout.addImage(amdConfig, {asDocker(base), dockerLayer}, Format::Docker);
        addTag(u"sample/docker"_s, u"1.0"_s, amd.manifest).images = {amd};

        const TarLayer baseArmV7 =
            asDocker(layer(baseEntries(u"linux/arm/v7"_s), Compression::Gzip));
        const TarLayer armLayer = asDocker(
            layer(smallLayer(u"srv"_s, u"docker.txt"_s, "docker arm v7\n"), Compression::Gzip));
        const OciLayout::Image arm =
            layout.addImage(simpleConfig(LinuxArmV7, at(2024, 5, 1), u"docker-armv7"_s),
                            {baseArmV7, armLayer}, Format::Docker);
        const Descriptor list = layout.addIndex({amd.manifest, arm.manifest}, Format::Docker);
        addTag(u"sample/docker"_s, u"list"_s, list).images = {amd, arm};
    }

    // sample/compression: a zstd layer and an uncompressed layer.
    {
        const QByteArray text = QByteArray("compressible text line\n").repeated(64);
        const TarLayer zstd = layer(smallLayer(u"data"_s, u"zstd.txt"_s, text), Compression::Zstd);
        const TarLayer plain =
            layer(smallLayer(u"data"_s, u"plain.txt"_s, text), Compression::None);
        const OciLayout::Image zstdImage = layout.addImage(
            simpleConfig(LinuxAmd64, at(2024, 6, 1), u"compression-zstd"_s), {base, zstd});
        const OciLayout::Image plainImage = layout.addImage(
            simpleConfig(LinuxAmd64, at(2024, 6, 2), u"compression-plain"_s), {base, plain});
        addTag(u"sample/compression"_s, u"zstd"_s, zstdImage.manifest).images = {zstdImage};
        addTag(u"sample/compression"_s, u"plain"_s, plainImage.manifest).images = {plainImage};
    }

    // sample/nested: an index whose first entry is itself an index.
    {
        const TarLayer s390Layer =
            layer(smallLayer(u"opt/nested"_s, u"arch"_s, "s390x\n"), Compression::Gzip);
        const OciLayout::Image s390 = layout.addImage(
            simpleConfig(LinuxS390x, at(2024, 7, 1), u"nested-s390x"_s), {s390Layer});
        const Descriptor inner = layout.addIndex({multiAmd64.manifest, multiArm64.manifest});
        const Descriptor outer = layout.addIndex({inner, s390.manifest});
        Tag &tag = addTag(u"sample/nested"_s, u"1.0"_s, outer);
        tag.images = {multiAmd64, multiArm64, s390};
        tag.childIndexes = {inner};
    }

    // sample/versions: tags whose natural order differs from lexical order.
    {
        struct Version
        {
            QString tag;
            QDateTime created;
        };
        const QList<Version> versions{{u"1.2"_s, at(2023, 2, 1)},
                                      {u"1.10"_s, at(2023, 9, 1)},
                                      {u"1.9"_s, at(2023, 6, 1)},
                                      {u"v2.0.0-rc1"_s, at(2024, 1, 15)},
                                      {u"v2.0.0"_s, at(2024, 2, 1)}};
        for (const Version &version : versions) {
            const TarLayer versionLayer =
                layer(smallLayer(u"etc/sample"_s, u"VERSION"_s, version.tag.toUtf8() + '\n'),
                      Compression::Gzip);
            ImageConfig config =
                simpleConfig(LinuxAmd64, version.created, u"versions-"_s + version.tag);
            config.labels.insert(u"org.opencontainers.image.version"_s, version.tag);
            const OciLayout::Image image = layout.addImage(config, {base, versionLayer});
            addTag(u"sample/versions"_s, version.tag, image.manifest).images = {image};
            if (version.tag == u"v2.0.0"_s)
                addTag(u"sample/versions"_s, u"latest"_s, image.manifest).images = {image};
        }
    }

    // sample/artifact: an image, an OCI 1.1 artifact referring to it, a Helm-like manifest.
    {
        const TarLayer artLayer =
            layer(smallLayer(u"opt/artifact"_s, u"README"_s, "subject image\n"), Compression::Gzip);
        const OciLayout::Image subject = layout.addImage(
            simpleConfig(LinuxAmd64, at(2024, 8, 1), u"artifact-subject"_s), {base, artLayer});
        addTag(u"sample/artifact"_s, u"1.0"_s, subject.manifest).images = {subject};

        const Descriptor sbom = layout.addBlob(
            u"application/spdx+json"_s,
            QByteArrayLiteral("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"wharf-sample\"}"));
        const QString artifactType = u"application/vnd.example.sbom.v1+json"_s;
        const Descriptor artifact = layout.addArtifact(
            artifactType, {sbom}, subject.manifest,
            {{u"org.opencontainers.image.created"_s, u"2024-08-02T00:00:00Z"_s}});
        OciLayout::Image artifactImage;
        artifactImage.manifest = artifact;
        artifactImage.config = Descriptor::of(MediaType::OciEmpty, QByteArrayLiteral("{}"));
        artifactImage.layers = {sbom};
        addTag(u"sample/artifact"_s, u"sha256-"_s + subject.manifest.hex(), artifact).images = {
            artifactImage};

        const Descriptor chartConfig =
            layout.addBlob(u"application/vnd.cncf.helm.config.v1+json"_s,
                           QByteArrayLiteral("{\"apiVersion\":\"v2\",\"name\":\"wharf-sample\","
                                             "\"version\":\"0.1.0\"}"));
        const TarLayer chartContent =
            layer({TarEntry::directory(u"wharf-sample"_s),
                   TarEntry::file(u"wharf-sample/Chart.yaml"_s,
                                  "apiVersion: v2\nname: wharf-sample\nversion: 0.1.0\n")},
                  Compression::Gzip);
        Descriptor chartLayer = chartContent.descriptor;
        chartLayer.mediaType = u"application/vnd.cncf.helm.chart.content.v1.tar+gzip"_s;
        const Descriptor chart = layout.addManifest(chartConfig, {chartLayer});
        OciLayout::Image chartImage;
        chartImage.manifest = chart;
        chartImage.config = chartConfig;
        chartImage.layers = {chartLayer};
        addTag(u"sample/artifact"_s, u"chart-0.1.0"_s, chart).images = {chartImage};
    }

    if (m_buildError.isEmpty() && !layout.write(&error))
        m_buildError = error;
}

std::optional<SampleImages> SampleImages::pushStandardSet(const TestRegistry &registry,
                                                          QString *error)
{
    SampleImages images;
    if (!images.pushTo(registry, error))
        return std::nullopt;
    return images;
}

bool SampleImages::pushTo(const TestRegistry &registry, QString *error)
{
    return pushTo(registry.hostPort(), registry.skopeoOptions(), error);
}

bool SampleImages::pushTo(const QString &hostPort, const SkopeoOptions &options, QString *error)
{
    if (!m_buildError.isEmpty()) {
        *error = u"building the sample images failed: "_s + m_buildError;
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    for (const Tag &tag : std::as_const(m_tags)) {
        QString message;
        if (!ImagePusher::push(*m_layout, tag.top,
                               u"docker://"_s + hostPort + u'/' + tag.reference(), options,
                               &message)) {
            *error = u"pushing %1 failed: %2"_s.arg(tag.reference(), message);
            return false;
        }
    }
    m_lastPushMs = clock.elapsed();
    return true;
}

const SampleImages::Tag *SampleImages::find(const QString &repository, const QString &tag) const
{
    for (const Tag &entry : m_tags) {
        if (entry.repository == repository && entry.tag == tag)
            return &entry;
    }
    return nullptr;
}

QStringList SampleImages::repositories() const
{
    QStringList names;
    for (const Tag &tag : m_tags) {
        if (!names.contains(tag.repository))
            names << tag.repository;
    }
    names.sort();
    return names;
}

QStringList SampleImages::tagNames(const QString &repository) const
{
    QStringList names;
    for (const Tag &tag : m_tags) {
        if (tag.repository == repository)
            names << tag.tag;
    }
    return names;
}

qint64 SampleImages::naiveBytes(const QString &repository) const
{
    qint64 total = 0;
    for (const Tag &tag : m_tags) {
        if (!repository.isEmpty() && tag.repository != repository)
            continue;
        for (const OciLayout::Image &image : tag.images)
            total += image.compressedSize();
        for (const OciLayout::Image &image : tag.attestations)
            total += image.compressedSize();
    }
    return total;
}

qint64 SampleImages::uniqueBlobBytes(const QString &repository) const
{
    QSet<QString> seen;
    qint64 total = 0;
    auto count = [&](const Descriptor &blob) {
        if (!seen.contains(blob.digest)) {
            seen.insert(blob.digest);
            total += blob.size;
        }
    };
    for (const Tag &tag : m_tags) {
        if (!repository.isEmpty() && tag.repository != repository)
            continue;
        for (const QList<OciLayout::Image> *list : {&tag.images, &tag.attestations}) {
            for (const OciLayout::Image &image : *list) {
                count(image.config);
                for (const Descriptor &layer : image.layers)
                    count(layer);
            }
        }
    }
    return total;
}

QString SampleImages::manyRepositoryName(const QString &prefix, int index)
{
    return prefix + u"%1"_s.arg(index, 4, 10, QLatin1Char('0'));
}

namespace {

// The tiny image of seedManyRepositories(), built the same way every time.
OciLayout::Image addTinyImage(OciLayout &layout, QString *error)
{
    const TarLayer tiny = layout.addLayer(smallLayer(u"tiny"_s, u"hello.txt"_s, "hello\n"),
                                          Compression::Gzip, Format::Oci, error);
    return layout.addImage(simpleConfig(LinuxAmd64, at(2024, 1, 2), u"tiny"_s), {tiny});
}

} // namespace

QString SampleImages::manyRepositoryDigest()
{
    OciLayout layout(QString{});
    QString error;
    return addTinyImage(layout, &error).manifest.digest;
}

bool SampleImages::seedManyRepositories(const TestRegistry &registry, int count,
                                        const QString &prefix, QString *error, SeedMethod method,
                                        int parallel, qint64 *elapsedMs)
{
    QElapsedTimer clock;
    clock.start();
    if (count <= 0)
        return true;
    QTemporaryDir dir(QDir::temp().filePath(u"wharf-many-XXXXXX"_s));
    OciLayout layout(dir.filePath(u"layout"_s));
    QString message;
    const OciLayout::Image image = addTinyImage(layout, &message);
    layout.tag(u"tiny"_s, image.manifest);
    if (!message.isEmpty() || !layout.write(&message)) {
        *error = message;
        return false;
    }

    QStringList repositories;
    for (int i = 0; i < count; ++i)
        repositories << manyRepositoryName(prefix, i);
    const SkopeoOptions options = registry.skopeoOptions();
    const QString source = u"oci:"_s + layout.path() + u":tiny"_s;
    const QString tag = u"latest"_s;

    if (method == SeedMethod::SkopeoThenMount) {
        if (!Skopeo::copyFrom(source, registry.dockerReference(repositories.first() + u':' + tag),
                              options, error))
            return false;
        QList<Descriptor> blobs{image.config};
        blobs << image.layers;
        // Several parallel requests per repository step keep the registry busy without
        // exceeding Qt's six connections per host by much.
        if (!RepositoryCloner(registry).clone(repositories.first(), image.manifest, blobs,
                                              repositories.mid(1), tag, std::max(parallel, 8),
                                              error))
            return false;
    } else {
        QList<CommandRunner::Command> commands;
        for (const QString &repository : std::as_const(repositories)) {
            const auto command = Skopeo::command(
                Skopeo::copyArguments(source, registry.dockerReference(repository + u':' + tag),
                                      options),
                options, error);
            if (!command)
                return false;
            commands << *command;
        }
        const QList<CommandRunner::Result> results = CommandRunner::runParallel(commands, parallel);
        for (qsizetype i = 0; i < results.size(); ++i) {
            if (!results.at(i).succeeded()) {
                *error = CommandRunner::describe(commands.at(i), results.at(i));
                return false;
            }
        }
    }
    if (elapsedMs)
        *elapsedMs = clock.elapsed();
    return true;
}

} // namespace wharf::test
