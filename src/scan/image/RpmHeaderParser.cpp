#include "RpmHeaderParser.h"

#include <QtEndian>

namespace wharf::scan {

namespace {

constexpr quint32 kTypeInt32 = 4;
constexpr quint32 kTypeString = 6;
constexpr quint32 kTypeStringArray = 8;
constexpr quint32 kTypeI18nString = 9;
// rpm itself refuses headers above these (hdrblob limits); they also bound our loops.
constexpr quint32 kMaxEntries = 0xffff;
constexpr quint32 kMaxData = 256 * 1024 * 1024;

quint32 be32(QByteArrayView data, qsizetype at)
{
    return qFromBigEndian<quint32>(data.constData() + at);
}

struct Entry
{
    quint32 type = 0;
    quint32 offset = 0;
    quint32 count = 0;
};

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// First string of a STRING / STRING_ARRAY / I18NSTRING entry, NUL-terminated inside the store.
std::optional<QString> stringAt(QByteArrayView store, const Entry &e)
{
    if (e.type != kTypeString && e.type != kTypeStringArray && e.type != kTypeI18nString)
        return std::nullopt;
    if (e.offset >= quint32(store.size()))
        return std::nullopt;
    const QByteArrayView rest = store.sliced(qsizetype(e.offset));
    const qsizetype nul = rest.indexOf('\0');
    if (nul < 0)
        return std::nullopt;
    return QString::fromUtf8(rest.first(nul));
}

std::optional<quint32> int32At(QByteArrayView store, const Entry &e)
{
    if (e.type != kTypeInt32 || e.count < 1)
        return std::nullopt;
    if (quint64(e.offset) + 4 > quint64(store.size()))
        return std::nullopt;
    return be32(store, qsizetype(e.offset));
}

} // namespace

std::optional<RpmHeaderParser::SourceRpm> RpmHeaderParser::parseSourceRpm(const QString &fileName)
{
    QString base = fileName;
    if (base.endsWith(u".src.rpm"))
        base.chop(8);
    else if (base.endsWith(u".nosrc.rpm"))
        base.chop(10);
    else
        return std::nullopt;
    // name-version-release: the name may contain dashes, version and release may not.
    const qsizetype relDash = base.lastIndexOf(u'-');
    if (relDash <= 0)
        return std::nullopt;
    const qsizetype verDash = base.lastIndexOf(u'-', relDash - 1);
    if (verDash <= 0 || verDash + 1 == relDash || relDash + 1 == base.size())
        return std::nullopt;
    return SourceRpm{base.left(verDash), base.mid(verDash + 1)};
}

std::optional<InstalledPackage> RpmHeaderParser::parse(QByteArrayView blob, QString *error)
{
    if (blob.size() < 8) {
        setError(error, QStringLiteral("RPM header shorter than its 8-byte preamble"));
        return std::nullopt;
    }
    const quint32 il = be32(blob, 0);
    const quint32 dl = be32(blob, 4);
    if (il < 1 || il > kMaxEntries || dl > kMaxData) {
        setError(error, u"RPM header with implausible sizes (" + QString::number(il) +
                            u" entries, " + QString::number(dl) + u" data bytes)");
        return std::nullopt;
    }
    const quint64 storeStart = 8 + quint64(il) * 16;
    if (storeStart + dl > quint64(blob.size())) {
        setError(error, u"RPM header truncated: needs " + QString::number(storeStart + dl) +
                            u" bytes, has " + QString::number(blob.size()));
        return std::nullopt;
    }
    const QByteArrayView store = blob.sliced(qsizetype(storeStart), qsizetype(dl));

    Entry name, version, release, epoch, arch, sourceRpm;
    bool hasEpoch = false;
    bool hasName = false, hasVersion = false, hasRelease = false, hasArch = false,
         hasSource = false;
    for (quint32 i = 0; i < il; ++i) {
        const qsizetype at = 8 + qsizetype(i) * 16;
        const quint32 tag = be32(blob, at);
        const Entry e{be32(blob, at + 4), be32(blob, at + 8), be32(blob, at + 12)};
        switch (tag) {
        case TagName:
            name = e;
            hasName = true;
            break;
        case TagVersion:
            version = e;
            hasVersion = true;
            break;
        case TagRelease:
            release = e;
            hasRelease = true;
            break;
        case TagEpoch:
            epoch = e;
            hasEpoch = true;
            break;
        case TagArch:
            arch = e;
            hasArch = true;
            break;
        case TagSourceRpm:
            sourceRpm = e;
            hasSource = true;
            break;
        default:
            break;
        }
    }
    const std::optional<QString> nameText = hasName ? stringAt(store, name) : std::nullopt;
    const std::optional<QString> versionText = hasVersion ? stringAt(store, version) : std::nullopt;
    if (!nameText || nameText->isEmpty() || !versionText || versionText->isEmpty()) {
        setError(error, QStringLiteral("RPM header without a readable NAME or VERSION"));
        return std::nullopt;
    }
    const std::optional<QString> releaseText = hasRelease ? stringAt(store, release) : std::nullopt;
    const std::optional<quint32> epochValue = hasEpoch ? int32At(store, epoch) : std::nullopt;

    InstalledPackage p;
    p.kind = InstalledPackage::Kind::Rpm;
    p.name = *nameText;
    const QString epochPrefix =
        epochValue && *epochValue > 0 ? QString::number(*epochValue) + u':' : QString();
    p.version = epochPrefix + *versionText +
                (releaseText && !releaseText->isEmpty() ? u'-' + *releaseText : QString());
    if (hasArch)
        p.architecture = stringAt(store, arch).value_or(QString());
    std::optional<SourceRpm> source;
    if (hasSource) {
        if (const auto file = stringAt(store, sourceRpm))
            source = parseSourceRpm(*file);
    }
    if (source) {
        p.sourceName = source->name;
        p.sourceVersion = epochPrefix + source->versionRelease;
    } else {
        p.sourceName = p.name;
        p.sourceVersion = p.version;
    }
    return p;
}

} // namespace wharf::scan
