#include "TarLayer.h"

#include "MediaType.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

struct ArchiveDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};

la_ssize_t appendToByteArray(archive *, void *clientData, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(clientData)
        ->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

QString archiveError(archive *a, const char *what)
{
    return u"libarchive %1: %2"_s.arg(QLatin1String(what),
                                      QString::fromUtf8(archive_error_string(a)));
}

bool addFilter(archive *a, TarLayer::Compression compression, QString *error)
{
    int rc = ARCHIVE_OK;
    switch (compression) {
    case TarLayer::Compression::None:
        rc = archive_write_add_filter_none(a);
        break;
    case TarLayer::Compression::Gzip:
        rc = archive_write_add_filter_gzip(a);
        // The gzip header would otherwise carry the current time and change the digest.
        if (rc == ARCHIVE_OK)
            rc = archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);
        break;
    case TarLayer::Compression::Zstd:
        rc = archive_write_add_filter_zstd(a);
        break;
    }
    if (rc != ARCHIVE_OK) {
        *error = archiveError(a, "filter");
        return false;
    }
    return true;
}

// Writes the entries as an uncompressed tar into *out.
bool writeTar(const QList<TarEntry> &entries, QByteArray *out, QString *error)
{
    std::unique_ptr<archive, ArchiveDeleter> a(archive_write_new());
    // pax_restricted writes plain ustar headers unless an entry needs an extension.
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_none(a.get()) != ARCHIVE_OK) {
        *error = archiveError(a.get(), "format");
        return false;
    }
    // No padding to 10 KiB records: keeps layers small; the end-of-archive marker still follows.
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open2(a.get(), out, nullptr, appendToByteArray, nullptr, nullptr) !=
        ARCHIVE_OK) {
        *error = archiveError(a.get(), "open");
        return false;
    }

    for (const TarEntry &item : entries) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        const QByteArray path = item.path.toUtf8();
        archive_entry_set_pathname_utf8(entry.get(), path.constData());
        archive_entry_set_mtime(entry.get(), TarLayer::FixedMtime, 0);
        archive_entry_set_uid(entry.get(), item.uid);
        archive_entry_set_gid(entry.get(), item.gid);
        archive_entry_set_perm(entry.get(), mode_t(item.mode));
        const QByteArray target = item.linkTarget.toUtf8();
        qint64 size = 0;
        switch (item.type) {
        case TarEntry::Type::File:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            size = item.content.size();
            break;
        case TarEntry::Type::Directory:
            archive_entry_set_filetype(entry.get(), AE_IFDIR);
            break;
        case TarEntry::Type::Symlink:
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_symlink_utf8(entry.get(), target.constData());
            break;
        case TarEntry::Type::Hardlink:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_hardlink_utf8(entry.get(), target.constData());
            break;
        }
        archive_entry_set_size(entry.get(), size);
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK) {
            *error = archiveError(a.get(), "header") + u" ("_s + item.path + u')';
            return false;
        }
        if (size > 0 && archive_write_data(a.get(), item.content.constData(),
                                           size_t(item.content.size())) != size) {
            *error = archiveError(a.get(), "data") + u" ("_s + item.path + u')';
            return false;
        }
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        *error = archiveError(a.get(), "close");
        return false;
    }
    return true;
}

// Compresses the finished tar byte for byte (libarchive "raw" format = no container), so the
// compressed blob is guaranteed to unpack to exactly the tar whose digest is the diff_id.
bool compress(const QByteArray &tar, TarLayer::Compression compression, QByteArray *out,
              QString *error)
{
    std::unique_ptr<archive, ArchiveDeleter> a(archive_write_new());
    if (archive_write_set_format_raw(a.get()) != ARCHIVE_OK) {
        *error = archiveError(a.get(), "raw format");
        return false;
    }
    if (!addFilter(a.get(), compression, error))
        return false;
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open2(a.get(), out, nullptr, appendToByteArray, nullptr, nullptr) !=
        ARCHIVE_OK) {
        *error = archiveError(a.get(), "open");
        return false;
    }
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), "layer.tar");
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), tar.size());
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), tar.constData(), size_t(tar.size())) != tar.size() ||
        archive_write_close(a.get()) != ARCHIVE_OK) {
        *error = archiveError(a.get(), "compress");
        return false;
    }
    return true;
}

} // namespace

QString TarLayer::mediaTypeFor(Compression compression, Format format)
{
    const bool oci = format == Format::Oci;
    switch (compression) {
    case Compression::None:
        return oci ? MediaType::OciLayerTar : MediaType::DockerLayerTar;
    case Compression::Gzip:
        return oci ? MediaType::OciLayerGzip : MediaType::DockerLayerGzip;
    case Compression::Zstd:
        return oci ? MediaType::OciLayerZstd : MediaType::DockerLayerZstd;
    }
    return {};
}

TarLayer TarLayer::build(const QList<TarEntry> &entries, Compression compression, Format format,
                         QString *error)
{
    TarLayer layer;
    layer.compression = compression;
    QString message;
    QByteArray tar;
    if (!writeTar(entries, &tar, &message)) {
        if (error)
            *error = message;
        return layer;
    }
    QByteArray blob = tar;
    if (compression != Compression::None) {
        blob.clear();
        if (!compress(tar, compression, &blob, &message)) {
            if (error)
                *error = message;
            return layer;
        }
    }
    layer.uncompressed = tar;
    layer.diffId = Descriptor::sha256Digest(tar);
    layer.descriptor = Descriptor::of(mediaTypeFor(compression, format), blob);
    return layer;
}

} // namespace wharf::test
