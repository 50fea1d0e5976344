#include "CleanupSeeder.h"

#include "Descriptor.h"
#include "ImagePusher.h"
#include "MediaType.h"
#include "OciLayout.h"
#include "Skopeo.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimeZone>
#include <QUrlQuery>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

struct Answer
{
    int status = 0;
    QByteArray location;
    QString text;
};

Answer exchange(const QByteArray &method, const QUrl &url, const QByteArray &contentType,
                const QByteArray &body)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Answer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.location = reply->rawHeader("Location");
    a.text = QString::fromUtf8(method) + u' ' + url.toString() + u" -> "_s +
             QString::number(a.status) + u' ' + QString::fromUtf8(reply->readAll());
    delete reply;
    return a;
}

} // namespace

CleanupSeeder::CleanupSeeder(const TestRegistry &registry)
    : m_registry(registry)
    , m_dir(QDir::temp().filePath(u"wharf-cleanup-seed-XXXXXX"_s))
{}

QString CleanupSeeder::newLayoutDir()
{
    return m_dir.filePath(u"layout-%1"_s.arg(m_layouts++));
}

bool CleanupSeeder::uploadBlob(const QString &repository, const QByteArray &bytes, QString *error)
{
    const QString digest = Descriptor::sha256Digest(bytes);
    const Answer post = exchange(
        "POST", QUrl(m_registry.url() + u"/v2/"_s + repository + u"/blobs/uploads/"_s), {}, {});
    if (post.status != 202) {
        *error = post.text;
        return false;
    }
    QUrl location = QUrl(m_registry.url()).resolved(QUrl::fromEncoded(post.location));
    QUrlQuery query(location);
    query.addQueryItem(u"digest"_s, digest);
    location.setQuery(query);
    const Answer put = exchange("PUT", location, "application/octet-stream", bytes);
    if (put.status != 201) {
        *error = put.text;
        return false;
    }
    return true;
}

bool CleanupSeeder::putManifest(const QString &repository, const QString &reference,
                                const QString &mediaType, const QByteArray &bytes, QString *error)
{
    const Answer put = exchange(
        "PUT", QUrl(m_registry.url() + u"/v2/"_s + repository + u"/manifests/"_s + reference),
        mediaType.toUtf8(), bytes);
    if (put.status != 201) {
        *error = put.text;
        return false;
    }
    return true;
}

QString CleanupSeeder::pushImage(const QString &repository, const QStringList &tags,
                                 const QString &flavour, const QDateTime &created, QString *error)
{
    OciLayout layout(newLayoutDir());
    QString fileName = flavour;
    fileName.replace(u'/', u'-');
    const TarLayer layer = layout.addLayer(
        {TarEntry::directory(u"data"_s), TarEntry::file(u"data/"_s + fileName + u".txt"_s,
                                                        "content of " + flavour.toUtf8() + '\n')},
        TarLayer::Compression::Gzip, OciLayout::Format::Oci, error);
    if (layer.descriptor.digest.isEmpty())
        return {};
    ImageConfig config;
    config.created = created;
    config.cmd = {u"/bin/sh"_s};
    config.labels = {{u"flavour"_s, flavour}};
    const OciLayout::Image image = layout.addImage(config, {layer});
    layout.tag(u"img"_s, image.manifest);
    if (!layout.write(error))
        return {};
    if (!Skopeo::copy(layout.path(), u"img"_s,
                      m_registry.dockerReference(repository + u':' + tags.first()),
                      m_registry.skopeoOptions(), error))
        return {};
    for (qsizetype i = 1; i < tags.size(); ++i) {
        if (!putManifest(repository, tags.at(i), image.manifest.mediaType, image.manifest.bytes,
                         error))
            return {};
    }
    return image.manifest.digest;
}

QMap<QString, QString> CleanupSeeder::pushVariants(const QString &repository,
                                                   const QStringList &tags, QString *error)
{
    const QByteArray layer = "variant layer of " + repository.toUtf8();
    const QByteArray config =
        R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
    if (!uploadBlob(repository, layer, error) || !uploadBlob(repository, config, error))
        return {};
    const Descriptor configDescriptor = Descriptor::of(QString(MediaType::OciConfig), config);
    const Descriptor layerDescriptor = Descriptor::of(u"application/octet-stream"_s, layer);
    QMap<QString, QString> digests;
    for (const QString &tag : tags) {
        const QJsonObject manifest{{u"schemaVersion"_s, 2},
                                   {u"mediaType"_s, QString(MediaType::OciManifest)},
                                   {u"config"_s, configDescriptor.toJson()},
                                   {u"layers"_s, QJsonArray{layerDescriptor.toJson()}},
                                   {u"annotations"_s, QJsonObject{{u"variant"_s, tag}}}};
        const QByteArray bytes = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
        if (!putManifest(repository, tag, QString(MediaType::OciManifest), bytes, error))
            return {};
        digests.insert(tag, Descriptor::sha256Digest(bytes));
    }
    return digests;
}

std::optional<CleanupSeeder::Index> CleanupSeeder::pushIndex(const QString &repository,
                                                             const QString &tag,
                                                             const QString &flavour, QString *error)
{
    OciLayout layout(newLayoutDir());
    QList<Descriptor> entries;
    Index index;
    const Platform platforms[] = {{u"linux"_s, u"amd64"_s, {}, {}},
                                  {u"linux"_s, u"arm64"_s, u"v8"_s, {}}};
    for (const Platform &platform : platforms) {
        const TarLayer layer = layout.addLayer(
            {TarEntry::file(u"arch.txt"_s, (flavour + u' ' + platform.toString()).toUtf8())},
            TarLayer::Compression::Gzip, OciLayout::Format::Oci, error);
        if (layer.descriptor.digest.isEmpty())
            return std::nullopt;
        ImageConfig config;
        config.platform = platform;
        config.created = QDateTime(QDate(2024, 6, 1), QTime(12, 0), QTimeZone::utc());
        const OciLayout::Image image = layout.addImage(config, {layer});
        entries << image.manifest;
        index.children << image.manifest.digest;
    }
    const Descriptor top = layout.addIndex(entries);
    index.digest = top.digest;
    layout.tag(tag, top);
    if (!layout.write(error))
        return std::nullopt;
    if (!ImagePusher::push(layout, top, m_registry.dockerReference(repository + u':' + tag),
                           m_registry.skopeoOptions(), error))
        return std::nullopt;
    return index;
}

} // namespace wharf::test
