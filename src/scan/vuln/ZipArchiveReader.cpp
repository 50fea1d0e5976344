#include "ZipArchiveReader.h"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace wharf::scan {

namespace {

struct ArchiveDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};

QString archiveError(archive *a)
{
    const char *message = archive_error_string(a);
    return message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown libarchive error");
}

} // namespace

ZipArchiveReader::ZipArchiveReader(QString path)
    : m_path(std::move(path))
{}

bool ZipArchiveReader::forEach(const EntryCallback &callback, const std::atomic_bool *cancel)
{
    return walk(true, callback, cancel);
}

qint64 ZipArchiveReader::countEntries(const std::atomic_bool *cancel)
{
    qint64 count = 0;
    const bool ok = walk(
        false,
        [&count](const Entry &) {
            ++count;
            return true;
        },
        cancel);
    return ok ? count : -1;
}

namespace {

quint64 littleEndian(const char *p, int bytes)
{
    quint64 value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | quint8(p[i]);
    return value;
}

} // namespace

qint64 ZipArchiveReader::declaredEntryCount() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
    constexpr qint64 kRecord = 22;
    const qint64 tail = qMin(file.size(), kRecord + 65535);
    if (tail < kRecord || !file.seek(file.size() - tail))
        return -1;
    const QByteArray data = file.read(tail);
    const QByteArrayView view(data);
    qsizetype at = data.size() - kRecord;
    while (at >= 0 && !view.sliced(at).startsWith("PK\x05\x06"))
        --at;
    if (at < 0)
        return -1;
    const quint64 entries = littleEndian(data.constData() + at + 10, 2);
    // A zip64 locator sits right before the classic record when counts overflow 16 bits.
    constexpr qint64 kLocator = 20;
    if (at >= kLocator && view.sliced(at - kLocator).startsWith("PK\x06\x07")) {
        const auto offset = qint64(littleEndian(data.constData() + at - kLocator + 8, 8));
        if (!file.seek(offset))
            return -1;
        const QByteArray record = file.read(56);
        if (record.size() < 56 || !record.startsWith("PK\x06\x06"))
            return -1;
        return qint64(littleEndian(record.constData() + 32, 8));
    }
    return qint64(entries);
}

bool ZipArchiveReader::walk(bool readData, const EntryCallback &callback,
                            const std::atomic_bool *cancel)
{
    m_error.clear();
    m_cancelled = false;
    std::unique_ptr<archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_format_zip_seekable(reader.get());
    const QByteArray nativePath = QFile::encodeName(m_path);
    if (archive_read_open_filename(reader.get(), nativePath.constData(), 64 * 1024) != ARCHIVE_OK) {
        m_error = QStringLiteral("cannot open %1 as a zip file: %2")
                      .arg(m_path, archiveError(reader.get()));
        return false;
    }

    archive_entry *header = nullptr;
    QByteArray buffer;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            m_cancelled = true;
            m_error = QStringLiteral("cancelled");
            return false;
        }
        const int status = archive_read_next_header(reader.get(), &header);
        if (status == ARCHIVE_EOF)
            break;
        if (status < ARCHIVE_WARN) {
            m_error = QStringLiteral("cannot read %1: %2").arg(m_path, archiveError(reader.get()));
            return false;
        }
        if (archive_entry_filetype(header) != AE_IFREG)
            continue;

        Entry entry;
        const char *utf8Name = archive_entry_pathname_utf8(header);
        entry.name = utf8Name ? QString::fromUtf8(utf8Name)
                              : QString::fromLocal8Bit(archive_entry_pathname(header));
        if (readData) {
            const bool sizeKnown = archive_entry_size_is_set(header);
            const qint64 declared = sizeKnown ? archive_entry_size(header) : -1;
            if (declared > m_maxEntryBytes) {
                entry.error = QStringLiteral("entry is %1 bytes, more than the %2-byte limit")
                                  .arg(declared)
                                  .arg(m_maxEntryBytes);
            } else {
                buffer.resize(declared >= 0 ? declared : 0);
                qint64 used = 0;
                for (;;) {
                    if (used == buffer.size())
                        buffer.resize(
                            qMin<qint64>(m_maxEntryBytes + 1, qMax<qint64>(used * 2, 64 * 1024)));
                    if (used > m_maxEntryBytes)
                        break;
                    const la_ssize_t n = archive_read_data(reader.get(), buffer.data() + used,
                                                           size_t(buffer.size() - used));
                    if (n < 0) {
                        entry.error =
                            QStringLiteral("cannot read entry: %1").arg(archiveError(reader.get()));
                        if (n == ARCHIVE_FATAL) {
                            m_error = QStringLiteral("cannot read %1: %2").arg(m_path, entry.error);
                            return false;
                        }
                        break;
                    }
                    if (n == 0)
                        break;
                    used += n;
                }
                if (entry.error.isEmpty() && used > m_maxEntryBytes) {
                    entry.error =
                        QStringLiteral("entry is more than the %1-byte limit").arg(m_maxEntryBytes);
                } else if (entry.error.isEmpty()) {
                    entry.data = QByteArray(buffer.constData(), used);
                }
            }
        }
        if (!callback(entry))
            break;
    }
    return true;
}

} // namespace wharf::scan
