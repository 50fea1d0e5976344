#pragma once

#include "ManifestNode.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace wharf {

// One manifest Wharf deleted (or found already gone), with what it referenced.
struct DeleteJournalEntry
{
    QDateTime time;
    QString registry; // URL, as in DeletePlan::registry
    QString repository;
    Digest digest;
    QString mediaType;
    qint64 size = 0;
    QStringList tags;     // tags that went with it
    QList<BlobRef> blobs; // config + layers it referenced
    // Manifests below a deleted index. They stay in storage unless deleted themselves and then
    // keep their blobs alive: a later estimate checks whether they still exist.
    QList<ManifestNode> children;
    bool placeholder = false; // pushed by Wharf to remove a single tag
    bool alreadyGone = false; // someone else deleted it before Wharf got there

    QJsonObject toJson() const;
    static std::optional<DeleteJournalEntry> fromJson(const QJsonObject &object);
};

// Per-registry record of deleted manifests, so that what garbage collection would free can be
// estimated in a later session (the registry API cannot list deleted manifests).
//
// Format: JSON lines, one entry per deleted manifest, appended and flushed as each delete
// succeeds. Chosen over SQLite because wharf_core does not link Qt Sql, appending a line is
// all a writer ever does (a crash can tear at most the last line, which reading skips), and a
// person can read or trim the file. A QLockFile serialises the app and wharfctl.
class DeleteJournal
{
public:
    explicit DeleteJournal(const QString &path);

    // <config dir>/delete-journal: next to the bookmarks (wharf.conf), not in the cache,
    // because it cannot be re-downloaded. $WHARF_CONFIG_DIR overrides the config dir.
    static QString defaultDirectory();
    static QString defaultPathFor(const QString &registryUrl);
    // "http_127.0.0.1_5000.jsonl": the registry URL made safe as a file name.
    static QString fileNameFor(const QString &registryUrl);

    QString path() const { return m_path; }

    bool append(const DeleteJournalEntry &entry, QString *error = nullptr);
    // Every readable entry in file order; unreadable lines are skipped and counted.
    QList<DeleteJournalEntry> entries(QString *error = nullptr, int *skippedLines = nullptr) const;
    // Drops entries written up to `time` (after a garbage collection collected them).
    bool removeUpTo(const QDateTime &time, QString *error = nullptr);
    bool clear(QString *error = nullptr);

private:
    QString m_path;
};

} // namespace wharf
