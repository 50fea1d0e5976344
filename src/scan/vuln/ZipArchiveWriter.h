#pragma once

// Writes a deflate-compressed zip file entry by entry with libarchive. Used to build OSV bulk
// archives (one JSON record per entry) for tests and the matching benchmark, so no binary
// fixtures need to be checked in.

#include <QByteArray>
#include <QString>

struct archive;

namespace wharf::scan {

class ZipArchiveWriter
{
public:
    ZipArchiveWriter() = default;
    ~ZipArchiveWriter();
    ZipArchiveWriter(const ZipArchiveWriter &) = delete;
    ZipArchiveWriter &operator=(const ZipArchiveWriter &) = delete;

    bool open(const QString &path);
    bool addFile(const QString &name, const QByteArray &data);
    // Writes the central directory; the file is incomplete (unreadable) until this returns.
    bool close();

    QString error() const { return m_error; }

private:
    archive *m_archive = nullptr;
    QString m_error;
};

} // namespace wharf::scan
