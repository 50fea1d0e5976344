#include "JsonOutput.h"

#include "model/Format.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace wharf::cli {

QJsonObject JsonOutput::descriptor(const Descriptor &d)
{
    QJsonObject o{
        {u"digest"_s, d.digest.toString()}, {u"mediaType"_s, d.mediaType}, {u"size"_s, d.size}};
    if (!d.urls.isEmpty())
        o.insert(u"urls"_s, QJsonArray::fromStringList(d.urls));
    return o;
}

QJsonObject JsonOutput::inspect(const ResolvedImage &image)
{
    QJsonArray platforms;
    for (const ImagePlatform &p : image.platforms) {
        QJsonArray layers;
        for (const Descriptor &layer : p.layers)
            layers.append(descriptor(layer));
        QJsonObject o{{u"os"_s, p.platform.os},
                      {u"architecture"_s, p.platform.architecture},
                      {u"variant"_s, p.platform.variant},
                      {u"digest"_s, p.digest.toString()},
                      {u"mediaType"_s, p.mediaType},
                      {u"size"_s, p.size()},
                      {u"created"_s, Format::isoDateTime(p.created())},
                      {u"config"_s, QJsonObject{{u"digest"_s, p.config.digest.toString()},
                                                {u"size"_s, p.config.size},
                                                {u"mediaType"_s, p.config.mediaType}}},
                      {u"layers"_s, layers}};
        if (!p.platform.osVersion.isEmpty())
            o.insert(u"osVersion"_s, p.platform.osVersion);
        if (!p.error.isEmpty())
            o.insert(u"error"_s, p.error);
        platforms.append(o);
    }
    QJsonArray attestations;
    for (const ImageAttestation &a : image.attestations)
        attestations.append(QJsonObject{{u"digest"_s, a.digest.toString()}, {u"for"_s, a.subject}});
    return QJsonObject{{u"repository"_s, image.repository},
                       {u"reference"_s, image.reference},
                       {u"digest"_s, image.digest.toString()},
                       {u"mediaType"_s, image.mediaType},
                       {u"platforms"_s, platforms},
                       {u"attestations"_s, attestations},
                       {u"uniqueBytes"_s, image.uniqueBytes()}};
}

QJsonObject JsonOutput::inventory(const Inventory &inventory)
{
    QJsonArray repositories;
    for (const InventoryRepository &repo : inventory.repositories) {
        QJsonArray tags;
        for (const InventoryTag &tag : repo.tags) {
            QJsonObject t{{u"tag"_s, tag.tag}};
            if (tag.image) {
                QJsonArray platforms;
                for (const ImagePlatform &p : tag.image->platforms) {
                    QJsonObject po{{u"os"_s, p.platform.os},
                                   {u"architecture"_s, p.platform.architecture},
                                   {u"variant"_s, p.platform.variant},
                                   {u"digest"_s, p.digest.toString()},
                                   {u"size"_s, p.size()}};
                    if (!p.error.isEmpty())
                        po.insert(u"error"_s, p.error);
                    platforms.append(po);
                }
                t.insert(u"digest"_s, tag.image->digest.toString());
                t.insert(u"mediaType"_s, tag.image->mediaType);
                t.insert(u"platforms"_s, platforms);
                t.insert(u"attestations"_s, static_cast<qint64>(tag.image->attestations.size()));
            } else {
                t.insert(u"error"_s, tag.error);
            }
            tags.append(t);
        }
        QJsonObject r{
            {u"name"_s, repo.name}, {u"tags"_s, tags}, {u"uniqueBytes"_s, repo.uniqueBytes}};
        if (!repo.error.isEmpty())
            r.insert(u"error"_s, repo.error);
        repositories.append(r);
    }
    QJsonObject out{{u"registry"_s, inventory.registry},
                    {u"repositories"_s, repositories},
                    {u"uniqueBytes"_s, inventory.uniqueBytes},
                    {u"stats"_s, QJsonObject{{u"requests"_s, inventory.requests},
                                             {u"seconds"_s, inventory.seconds},
                                             {u"cacheHits"_s, inventory.cacheHits}}}};
    if (!inventory.errors.isEmpty())
        out.insert(u"errors"_s, QJsonArray::fromStringList(inventory.errors));
    return out;
}

} // namespace wharf::cli
