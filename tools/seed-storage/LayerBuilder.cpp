#include "LayerBuilder.h"

#include <QCryptographicHash>

#include <archive.h>
#include <archive_entry.h>

#define ZLIB_CONST
#include <zlib.h>

using namespace Qt::StringLiterals;

namespace wharf::tools {

namespace {

// 2024-01-01T00:00:00Z: a fixed mtime keeps layer digests reproducible.
constexpr time_t FixedMtime = 1704067200;

la_ssize_t appendToByteArray(archive *, void *clientData, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(clientData)
        ->append(static_cast<const char *>(buffer), static_cast<qsizetype>(length));
    return static_cast<la_ssize_t>(length);
}

} // namespace

struct LayerBuilder::ZStream
{
    z_stream stream{};
    bool initialised = false;
};

LayerBuilder::LayerBuilder()
    : m_zstream(std::make_unique<ZStream>())
{}

LayerBuilder::~LayerBuilder()
{
    if (m_zstream->initialised)
        deflateEnd(&m_zstream->stream);
}

QByteArray LayerBuilder::sha256Digest(const QByteArray &data)
{
    return "sha256:"_ba + QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

void LayerBuilder::addFile(const QByteArray &path, const QByteArray &content)
{
    m_files.push_back(File{path, content});
}

bool LayerBuilder::finish(Layer *layer)
{
    QByteArray tar;
    const bool ok = writeTar(&tar) && gzip(tar, &layer->blob);
    m_files.clear();
    if (!ok)
        return false;
    layer->diffId = sha256Digest(tar);
    layer->digest = sha256Digest(layer->blob);
    return true;
}

bool LayerBuilder::writeTar(QByteArray *tar)
{
    archive *writer = archive_write_new();
    // Restricted pax writes plain ustar headers for short ASCII names, which every reader takes.
    archive_write_set_format_pax_restricted(writer);
    // No padding to a 10 KiB record: layers stay small and the digest covers only real content.
    archive_write_set_bytes_in_last_block(writer, 1);
    bool ok = archive_write_open2(writer, tar, nullptr, appendToByteArray, nullptr, nullptr) ==
              ARCHIVE_OK;
    archive_entry *entry = archive_entry_new();
    for (const File &file : m_files) {
        if (!ok)
            break;
        archive_entry_clear(entry);
        archive_entry_set_pathname(entry, file.path.constData());
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, file.content.size());
        archive_entry_set_mtime(entry, FixedMtime, 0);
        archive_entry_set_uid(entry, 0);
        archive_entry_set_gid(entry, 0);
        ok = archive_write_header(writer, entry) == ARCHIVE_OK &&
             archive_write_data(writer, file.content.constData(),
                                static_cast<size_t>(file.content.size())) == file.content.size();
    }
    archive_entry_free(entry);
    if (ok)
        ok = archive_write_close(writer) == ARCHIVE_OK;
    if (!ok)
        m_error = u"libarchive: "_s + QString::fromUtf8(archive_error_string(writer));
    archive_write_free(writer);
    return ok;
}

bool LayerBuilder::gzip(const QByteArray &input, QByteArray *output)
{
    z_stream &zs = m_zstream->stream;
    if (!m_zstream->initialised) {
        // windowBits 15 + 16 asks zlib for a gzip wrapper; its header carries mtime 0.
        if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK) {
            m_error = u"zlib: deflateInit2 failed"_s;
            return false;
        }
        m_zstream->initialised = true;
    } else if (deflateReset(&zs) != Z_OK) {
        m_error = u"zlib: deflateReset failed"_s;
        return false;
    }
    output->resize(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(input.size()))));
    zs.next_in = reinterpret_cast<const Bytef *>(input.constData());
    zs.avail_in = static_cast<uInt>(input.size());
    zs.next_out = reinterpret_cast<Bytef *>(output->data());
    zs.avail_out = static_cast<uInt>(output->size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
        m_error = u"zlib: deflate did not finish"_s;
        return false;
    }
    output->resize(static_cast<qsizetype>(zs.total_out));
    return true;
}

} // namespace wharf::tools
