#include "ZipArchiveWriter.h"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

namespace wharf::scan {

namespace {

QString archiveError(archive *a)
{
    const char *message = archive_error_string(a);
    return message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown libarchive error");
}

} // namespace

ZipArchiveWriter::~ZipArchiveWriter()
{
    if (m_archive)
        archive_write_free(m_archive);
}

bool ZipArchiveWriter::open(const QString &path)
{
    if (m_archive)
        archive_write_free(m_archive);
    m_archive = archive_write_new();
    archive_write_set_format_zip(m_archive);
    if (archive_write_open_filename(m_archive, QFile::encodeName(path).constData()) != ARCHIVE_OK) {
        m_error = QStringLiteral("cannot create %1: %2").arg(path, archiveError(m_archive));
        archive_write_free(m_archive);
        m_archive = nullptr;
        return false;
    }
    return true;
}

bool ZipArchiveWriter::addFile(const QString &name, const QByteArray &data)
{
    if (!m_archive) {
        m_error = QStringLiteral("archive is not open");
        return false;
    }
    archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname_utf8(entry, name.toUtf8().constData());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, data.size());
    bool ok = archive_write_header(m_archive, entry) == ARCHIVE_OK;
    if (ok && !data.isEmpty())
        ok = archive_write_data(m_archive, data.constData(), size_t(data.size())) == data.size();
    archive_entry_free(entry);
    if (!ok)
        m_error = QStringLiteral("cannot add %1: %2").arg(name, archiveError(m_archive));
    return ok;
}

bool ZipArchiveWriter::close()
{
    if (!m_archive)
        return true;
    const bool ok = archive_write_close(m_archive) == ARCHIVE_OK;
    if (!ok)
        m_error = QStringLiteral("cannot finish the zip file: %1").arg(archiveError(m_archive));
    archive_write_free(m_archive);
    m_archive = nullptr;
    return ok;
}

} // namespace wharf::scan
