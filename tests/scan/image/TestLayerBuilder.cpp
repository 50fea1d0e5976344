#include "TestLayerBuilder.h"

#include <QCryptographicHash>

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <stdexcept>

namespace wharf::scan::test {

namespace {

la_ssize_t appendToByteArray(archive *, void *clientData, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(clientData)
        ->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

void check(archive *a, int r)
{
    if (r < ARCHIVE_WARN)
        throw std::runtime_error(archive_error_string(a) ? archive_error_string(a) : "libarchive");
}

} // namespace

TestLayerBuilder &TestLayerBuilder::file(const QString &path, const QByteArray &data)
{
    m_entries.append({Type::File, path, data, {}});
    return *this;
}

TestLayerBuilder &TestLayerBuilder::dir(const QString &path)
{
    m_entries.append({Type::Dir, path, {}, {}});
    return *this;
}

TestLayerBuilder &TestLayerBuilder::symlink(const QString &path, const QString &target)
{
    m_entries.append({Type::Symlink, path, {}, target});
    return *this;
}

TestLayerBuilder &TestLayerBuilder::hardlink(const QString &path, const QString &target)
{
    m_entries.append({Type::Hardlink, path, {}, target});
    return *this;
}

TestLayerBuilder &TestLayerBuilder::whiteout(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    const QString dir = slash < 0 ? QString() : path.left(slash + 1);
    return file(dir + u".wh." + path.mid(slash + 1), {});
}

TestLayerBuilder &TestLayerBuilder::opaque(const QString &dir)
{
    return file(dir.isEmpty() ? QStringLiteral(".wh..wh..opq") : dir + u"/.wh..wh..opq", {});
}

QByteArray TestLayerBuilder::tar() const
{
    QByteArray out;
    archive *a = archive_write_new();
    check(a, archive_write_set_format_pax_restricted(a));
    check(a, archive_write_open(a, &out, nullptr, &appendToByteArray, nullptr));
    for (const Entry &e : m_entries) {
        archive_entry *entry = archive_entry_new();
        const QByteArray path = e.path.toUtf8();
        archive_entry_set_pathname(entry, path.constData());
        archive_entry_set_mtime(entry, 1700000000, 0);
        switch (e.type) {
        case Type::File:
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_perm(entry, 0644);
            archive_entry_set_size(entry, e.data.size());
            break;
        case Type::Dir:
            archive_entry_set_filetype(entry, AE_IFDIR);
            archive_entry_set_perm(entry, 0755);
            break;
        case Type::Symlink:
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_perm(entry, 0777);
            archive_entry_set_symlink(entry, e.target.toUtf8().constData());
            break;
        case Type::Hardlink:
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_perm(entry, 0644);
            archive_entry_set_hardlink(entry, e.target.toUtf8().constData());
            archive_entry_set_size(entry, 0);
            break;
        }
        check(a, archive_write_header(a, entry));
        if (e.type == Type::File && !e.data.isEmpty())
            archive_write_data(a, e.data.constData(), size_t(e.data.size()));
        archive_entry_free(entry);
    }
    check(a, archive_write_close(a));
    archive_write_free(a);
    return out;
}

QByteArray TestLayerBuilder::compress(const QByteArray &data, LayerCompression compression)
{
    if (compression == LayerCompression::Tar || compression == LayerCompression::Unknown)
        return data;
    QByteArray out;
    archive *a = archive_write_new();
    check(a, archive_write_set_format_raw(a));
    check(a, compression == LayerCompression::Gzip ? archive_write_add_filter_gzip(a)
                                                   : archive_write_add_filter_zstd(a));
    // No zero padding after the compressed stream.
    check(a, archive_write_set_bytes_in_last_block(a, 1));
    check(a, archive_write_open(a, &out, nullptr, &appendToByteArray, nullptr));
    archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname(entry, "layer.tar");
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_size(entry, data.size());
    check(a, archive_write_header(a, entry));
    if (!data.isEmpty())
        archive_write_data(a, data.constData(), size_t(data.size()));
    archive_entry_free(entry);
    check(a, archive_write_close(a));
    archive_write_free(a);
    return out;
}

QString TestLayerBuilder::sha256(const QByteArray &data)
{
    return u"sha256:" +
           QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString TestLayerBuilder::mediaTypeFor(LayerCompression compression)
{
    switch (compression) {
    case LayerCompression::Gzip:
        return QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip");
    case LayerCompression::Zstd:
        return QStringLiteral("application/vnd.oci.image.layer.v1.tar+zstd");
    default:
        break;
    }
    return QStringLiteral("application/vnd.oci.image.layer.v1.tar");
}

TestLayerBuilder::Layer TestLayerBuilder::build(LayerCompression compression) const
{
    Layer layer;
    layer.tar = tar();
    layer.blob = compress(layer.tar, compression);
    layer.digest = sha256(layer.blob);
    layer.diffId = sha256(layer.tar);
    layer.mediaType = mediaTypeFor(compression);
    return layer;
}

BufferSource::BufferSource(QByteArray data, qint64 chunk, qint64 failAt)
    : m_data(std::move(data))
    , m_chunk(chunk)
    , m_failAt(failAt)
{}

qint64 BufferSource::read(char *buf, qint64 maxSize)
{
    qint64 n = qMin(maxSize, qint64(m_data.size()) - m_pos);
    if (m_chunk > 0 && n > 0) {
        m_state = m_state * 1103515245u + 12345u;
        n = qMin(n, qint64(1 + (m_state >> 8) % quint32(m_chunk)));
    }
    if (m_failAt >= 0 && m_pos + n > m_failAt) {
        m_error = QStringLiteral("connection reset by test");
        return -1;
    }
    if (n > 0)
        memcpy(buf, m_data.constData() + m_pos, size_t(n));
    m_pos += n;
    return n;
}

} // namespace wharf::scan::test
