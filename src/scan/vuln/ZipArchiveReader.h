#pragma once

// Reads the entries of a zip file with libarchive, one at a time, with a size bound per entry.
//
// The file is opened with libarchive's *seekable* zip reader, which trusts the central
// directory; the streaming reader misreports sizes of entries written with data descriptors
// (as OSV's all.zip files are). Directories and non-regular entries are skipped. An entry
// larger than the bound is reported to the callback as an error without being read, and the
// walk goes on; only archive-level failures stop it.

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>

namespace wharf::scan {

class ZipArchiveReader
{
public:
    struct Entry
    {
        QString name;
        QByteArray data; // empty when error is set
        QString error;   // entry-level problem (too large, unreadable)
    };

    // Return false to stop the walk early (not an error).
    using EntryCallback = std::function<bool(const Entry &entry)>;

    explicit ZipArchiveReader(QString path);

    void setMaxEntryBytes(qint64 bytes) { m_maxEntryBytes = bytes; }
    qint64 maxEntryBytes() const { return m_maxEntryBytes; }

    // Walks every regular entry. False with error() set when the archive cannot be opened or
    // read, or when *cancel became true.
    bool forEach(const EntryCallback &callback, const std::atomic_bool *cancel = nullptr);
    // Number of regular entries, walking every header with libarchive; -1 with error() set on
    // failure. Doubles as the "is this a readable zip" check.
    qint64 countEntries(const std::atomic_bool *cancel = nullptr);
    // Entry count the end-of-central-directory record declares (zip64 aware), directories
    // included, without walking the archive; -1 when the record cannot be found. Cheap
    // enough for a progress total (libarchive converts every entry's DOS time with mktime(),
    // which stats /etc/localtime each time, so a full header walk is not free).
    qint64 declaredEntryCount() const;

    QString error() const { return m_error; }
    bool wasCancelled() const { return m_cancelled; }

private:
    bool walk(bool readData, const EntryCallback &callback, const std::atomic_bool *cancel);

    QString m_path;
    qint64 m_maxEntryBytes = 8 * 1024 * 1024;
    QString m_error;
    bool m_cancelled = false;
};

} // namespace wharf::scan
