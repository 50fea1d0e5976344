#include "DeleteJournal.h"

#include "bookmarks/BookmarkStore.h"
#include "oci/MediaTypes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr int LockTimeoutMs = 10000;
constexpr int FormatVersion = 1;

QJsonArray blobsToJson(const QList<BlobRef> &blobs)
{
    QJsonArray out;
    for (const BlobRef &b : blobs)
        out.append(QJsonObject{{u"digest"_s, b.digest.toString()}, {u"size"_s, b.size}});
    return out;
}

QList<BlobRef> blobsFromJson(const QJsonArray &array, bool *ok)
{
    QList<BlobRef> out;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        auto digest = Digest::parse(o.value(u"digest"_s).toString());
        if (!digest) {
            *ok = false;
            continue;
        }
        out << BlobRef{*digest, o.value(u"size"_s).toInteger()};
    }
    return out;
}

QJsonObject nodeToJson(const ManifestNode &node)
{
    QJsonObject o{{u"digest"_s, node.digest.toString()},
                  {u"mediaType"_s, node.mediaType},
                  {u"size"_s, node.size}};
    if (!node.blobs.isEmpty())
        o.insert(u"blobs"_s, blobsToJson(node.blobs));
    if (!node.children.isEmpty())
        o.insert(u"children"_s, blobsToJson(node.children));
    return o;
}

std::optional<ManifestNode> nodeFromJson(const QString &repository, const QJsonObject &o)
{
    auto digest = Digest::parse(o.value(u"digest"_s).toString());
    if (!digest)
        return std::nullopt;
    bool ok = true;
    ManifestNode node;
    node.repository = repository;
    node.digest = *digest;
    node.mediaType = o.value(u"mediaType"_s).toString();
    node.size = o.value(u"size"_s).toInteger();
    node.blobs = blobsFromJson(o.value(u"blobs"_s).toArray(), &ok);
    node.children = blobsFromJson(o.value(u"children"_s).toArray(), &ok);
    node.isIndex = MediaTypes::isIndex(node.mediaType) || !node.children.isEmpty();
    if (!ok)
        return std::nullopt;
    return node;
}

} // namespace

QJsonObject DeleteJournalEntry::toJson() const
{
    QJsonObject o{{u"v"_s, FormatVersion},
                  {u"time"_s, time.toUTC().toString(Qt::ISODateWithMs)},
                  {u"registry"_s, registry},
                  {u"repository"_s, repository},
                  {u"digest"_s, digest.toString()},
                  {u"mediaType"_s, mediaType},
                  {u"size"_s, size},
                  {u"tags"_s, QJsonArray::fromStringList(tags)},
                  {u"blobs"_s, blobsToJson(blobs)}};
    if (!children.isEmpty()) {
        QJsonArray array;
        for (const ManifestNode &child : children)
            array.append(nodeToJson(child));
        o.insert(u"children"_s, array);
    }
    if (placeholder)
        o.insert(u"placeholder"_s, true);
    if (alreadyGone)
        o.insert(u"alreadyGone"_s, true);
    return o;
}

std::optional<DeleteJournalEntry> DeleteJournalEntry::fromJson(const QJsonObject &o)
{
    if (o.value(u"v"_s).toInt() != FormatVersion)
        return std::nullopt;
    DeleteJournalEntry e;
    e.time = QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs);
    e.registry = o.value(u"registry"_s).toString();
    e.repository = o.value(u"repository"_s).toString();
    auto digest = Digest::parse(o.value(u"digest"_s).toString());
    if (!digest || !e.time.isValid() || e.repository.isEmpty())
        return std::nullopt;
    e.digest = *digest;
    e.mediaType = o.value(u"mediaType"_s).toString();
    e.size = o.value(u"size"_s).toInteger();
    for (const QJsonValue &t : o.value(u"tags"_s).toArray())
        e.tags << t.toString();
    bool ok = true;
    e.blobs = blobsFromJson(o.value(u"blobs"_s).toArray(), &ok);
    for (const QJsonValue &c : o.value(u"children"_s).toArray()) {
        auto node = nodeFromJson(e.repository, c.toObject());
        if (!node)
            return std::nullopt;
        e.children << *node;
    }
    e.placeholder = o.value(u"placeholder"_s).toBool();
    e.alreadyGone = o.value(u"alreadyGone"_s).toBool();
    if (!ok)
        return std::nullopt;
    return e;
}

DeleteJournal::DeleteJournal(const QString &path)
    : m_path(path)
{}

QString DeleteJournal::defaultDirectory()
{
    return QFileInfo(BookmarkStore::defaultSettingsPath()).absolutePath() + u"/delete-journal"_s;
}

QString DeleteJournal::fileNameFor(const QString &registryUrl)
{
    QString name = registryUrl;
    while (name.endsWith(u'/'))
        name.chop(1);
    name.replace(u"://"_s, u"_"_s);
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != u'.' && c != u'-')
            c = u'_';
    }
    return name + u".jsonl"_s;
}

QString DeleteJournal::defaultPathFor(const QString &registryUrl)
{
    return defaultDirectory() + u'/' + fileNameFor(registryUrl);
}

bool DeleteJournal::append(const DeleteJournalEntry &entry, QString *error)
{
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        if (error)
            *error = u"cannot create the directory of %1"_s.arg(m_path);
        return false;
    }
    QLockFile lock(m_path + u".lock"_s);
    if (!lock.tryLock(LockTimeoutMs)) {
        if (error)
            *error = u"%1 is locked by another Wharf process"_s.arg(m_path);
        return false;
    }
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    // A torn line from an earlier crash must not swallow this one.
    QByteArray line;
    if (file.size() > 0) {
        QFile reader(m_path);
        if (reader.open(QIODevice::ReadOnly) && reader.seek(file.size() - 1) &&
            reader.read(1) != "\n")
            line += '\n';
    }
    line += QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (file.write(line) != line.size() || !file.flush()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return true;
}

QList<DeleteJournalEntry> DeleteJournal::entries(QString *error, int *skippedLines) const
{
    QList<DeleteJournalEntry> out;
    int skipped = 0;
    QFile file(m_path);
    if (!file.exists()) {
        if (skippedLines)
            *skippedLines = 0;
        return out;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(m_path, file.errorString());
        return out;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        auto entry = doc.isObject() ? DeleteJournalEntry::fromJson(doc.object()) : std::nullopt;
        if (entry)
            out << *entry;
        else
            ++skipped;
    }
    if (skippedLines)
        *skippedLines = skipped;
    return out;
}

bool DeleteJournal::removeUpTo(const QDateTime &time, QString *error)
{
    QLockFile lock(m_path + u".lock"_s);
    if (!lock.tryLock(LockTimeoutMs)) {
        if (error)
            *error = u"%1 is locked by another Wharf process"_s.arg(m_path);
        return false;
    }
    const QList<DeleteJournalEntry> all = entries(error);
    QByteArray kept;
    for (const DeleteJournalEntry &e : all) {
        if (e.time > time)
            kept += QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(kept) != kept.size() || !file.commit()) {
        if (error)
            *error = u"cannot rewrite %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool DeleteJournal::clear(QString *error)
{
    QLockFile lock(m_path + u".lock"_s);
    if (!lock.tryLock(LockTimeoutMs)) {
        if (error)
            *error = u"%1 is locked by another Wharf process"_s.arg(m_path);
        return false;
    }
    if (QFile::exists(m_path) && !QFile::remove(m_path)) {
        if (error)
            *error = u"cannot remove "_s + m_path;
        return false;
    }
    return true;
}

} // namespace wharf
