#include "Manifest.h"

#include "JsonFields.h"
#include "MediaTypes.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

// The JSON path of a descriptor is only spelled out when something is wrong with it: building
// "layers[12]" for every healthy descriptor is measurable in an inventory of 30,000 manifests.
std::optional<Descriptor> readDescriptor(const QJsonObject &object,
                                         const std::function<QString()> &path, JsonFields &outer)
{
    JsonFields f(object, QString());
    Descriptor d;
    d.mediaType = f.string(u"mediaType"_s);
    const QString digestText = f.string(u"digest"_s, true);
    d.size = f.nonNegativeInteger(u"size"_s, true);
    d.urls = f.stringList(u"urls"_s);
    d.annotations = f.stringMap(u"annotations"_s);
    d.artifactType = f.string(u"artifactType"_s);
    if (object.contains(u"platform"_s)) {
        const QJsonObject p = f.object(u"platform"_s);
        JsonFields pf(p, u"platform"_s);
        Platform platform;
        platform.os = pf.string(u"os"_s);
        platform.architecture = pf.string(u"architecture"_s);
        platform.variant = pf.string(u"variant"_s);
        platform.osVersion = pf.string(u"os.version"_s);
        platform.osFeatures = pf.stringList(u"os.features"_s);
        if (!pf.ok())
            f.fail(pf.problem());
        d.platform = platform;
    }
    if (f.ok() && !digestText.isEmpty()) {
        auto digest = Digest::parse(digestText);
        if (!digest)
            f.fail(u"digest: %1"_s.arg(digest.error().message));
        else
            d.digest = *digest;
    }
    if (!f.ok()) {
        outer.fail(path() + u'.' + f.problem());
        return std::nullopt;
    }
    return d;
}

bool readDescriptorList(JsonFields &f, const QString &key, QList<Descriptor> &out)
{
    const QJsonArray array = f.array(key, true);
    if (!f.ok())
        return false;
    if (array.size() > Manifest::MaxEntries) {
        f.fail(u"%1 has %2 entries, more than the %3 Wharf accepts"_s.arg(f.childPath(key))
                   .arg(array.size())
                   .arg(Manifest::MaxEntries));
        return false;
    }
    out.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const auto path = [&f, &key, i] { return u"%1[%2]"_s.arg(f.childPath(key)).arg(i); };
        if (!array.at(i).isObject()) {
            f.fail(u"%1 is not an object"_s.arg(path()));
            return false;
        }
        auto d = readDescriptor(array.at(i).toObject(), path, f);
        if (!d)
            return false;
        out << *d;
    }
    return true;
}

QString normalisedContentType(const QString &contentType)
{
    return contentType.section(u';', 0, 0).trimmed().toLower();
}

} // namespace

Expected<Manifest> Manifest::parse(const QByteArray &body, const QString &contentType)
{
    auto object = parseJsonObject(body, u"The manifest"_s, MaxBytes);
    if (!object)
        return object.error();

    JsonFields f(*object, QString());
    Manifest m;
    const int schemaVersion = f.integer(u"schemaVersion"_s, 0);
    const QString bodyType = f.string(u"mediaType"_s);
    m.m_artifactType = f.string(u"artifactType"_s);
    m.m_annotations = f.stringMap(u"annotations"_s);
    if (!f.ok())
        return f.error(u"The manifest"_s);

    const QString headerType = normalisedContentType(contentType);
    if (MediaTypes::isSchema1(bodyType) || MediaTypes::isSchema1(headerType) || schemaVersion == 1)
        return Error::make(Error::Kind::Protocol,
                           u"This is a Docker schema 1 manifest, a format deprecated since 2017 "
                           u"that Wharf does not read. Re-push the image with a current client."_s);
    if (schemaVersion != 2)
        return Error::make(
            Error::Kind::Protocol,
            u"The manifest is malformed: schemaVersion is %1, expected 2"_s.arg(schemaVersion));

    // The body's own mediaType is authoritative; the header helps when the body omits it.
    m.m_mediaType = !bodyType.isEmpty() ? bodyType : headerType;
    const bool hasManifests = object->contains(u"manifests"_s);
    const bool hasConfig = object->contains(u"config"_s);
    if (MediaTypes::isIndex(m.m_mediaType) ||
        (!MediaTypes::isImageManifest(m.m_mediaType) && hasManifests && !hasConfig)) {
        m.m_kind = Kind::Index;
        if (!MediaTypes::isIndex(m.m_mediaType) && bodyType.isEmpty())
            m.m_mediaType = QString::fromUtf16(MediaTypes::OciIndex);
        readDescriptorList(f, u"manifests"_s, m.m_manifests);
    } else if (MediaTypes::isImageManifest(m.m_mediaType) || hasConfig) {
        m.m_kind = Kind::Image;
        if (!MediaTypes::isImageManifest(m.m_mediaType) && bodyType.isEmpty())
            m.m_mediaType = QString::fromUtf16(MediaTypes::OciManifest);
        const QJsonObject config = f.object(u"config"_s, true);
        if (f.ok()) {
            if (auto d = readDescriptor(
                    config, [] { return u"config"_s; }, f))
                m.m_config = *d;
        }
        if (f.ok() && object->contains(u"layers"_s))
            readDescriptorList(f, u"layers"_s, m.m_layers);
        else if (f.ok() && m.m_artifactType.isEmpty())
            f.fail(u"layers is missing"_s);
    } else {
        return Error::make(
            Error::Kind::Protocol,
            u"The manifest has media type “%1”, which is neither an image manifest "
            u"nor an index"_s.arg(m.m_mediaType.isEmpty() ? u"(none)"_s : m.m_mediaType));
    }
    if (f.ok() && object->contains(u"subject"_s)) {
        const QJsonObject subject = f.object(u"subject"_s);
        if (f.ok())
            m.m_subject = readDescriptor(
                subject, [] { return u"subject"_s; }, f);
    }
    if (!f.ok())
        return f.error(u"The manifest"_s);
    return m;
}

qint64 Manifest::imageSize() const
{
    qint64 total = m_config.size;
    for (const Descriptor &layer : m_layers)
        total += layer.size;
    return total;
}

QList<Descriptor> Manifest::platformManifests() const
{
    QList<Descriptor> out;
    for (const Descriptor &d : m_manifests) {
        if (!d.isAttestation())
            out << d;
    }
    return out;
}

QList<Descriptor> Manifest::attestationManifests() const
{
    QList<Descriptor> out;
    for (const Descriptor &d : m_manifests) {
        if (d.isAttestation())
            out << d;
    }
    return out;
}

} // namespace wharf
