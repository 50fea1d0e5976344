#include "LayerReader.h"

#include "StreamHasher.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <memory>

namespace wharf::scan {

namespace {

// Large enough that per-call overhead (hash update, callback, progress) is noise.
constexpr qint64 kChunkSize = 256 * 1024;

QString archiveError(archive *a)
{
    const char *msg = archive_error_string(a);
    return msg ? QString::fromLocal8Bit(msg) : QStringLiteral("unknown libarchive error");
}

// Names are taken as UTF-8 bytes whatever the locale; the converted form is a fallback for
// names libarchive only holds in another encoding.
QString entryString(const char *raw, const char *converted)
{
    return QString::fromUtf8(raw ? raw : converted);
}

// The expected digest in canonical form, and whether Wharf can check it.
struct Expectation
{
    QString digest;
    StreamHasher::Algorithm algorithm = StreamHasher::Algorithm::Sha256;
    bool verify = false;
};

Expectation expectationFor(const QString &given)
{
    Expectation e;
    e.digest = given.trimmed().toLower();
    if (const auto algorithm = StreamHasher::algorithmOf(e.digest)) {
        e.algorithm = *algorithm;
        e.verify = true;
    }
    return e;
}

} // namespace

struct LayerReader::Run
{
    Run(LayerReader &r, LayerSource &s, const ImageLayer &l)
        : reader(r)
        , source(s)
        , layer(l)
        , blobExpect(expectationFor(l.digest))
        , tarExpect(expectationFor(l.diffId))
        , blobHash(blobExpect.algorithm)
        , tarHash(tarExpect.algorithm)
    {}
    ~Run()
    {
        if (inner)
            archive_read_free(inner);
        if (outer)
            archive_read_free(outer);
    }

    std::optional<LayerContents> execute();

    bool cancelled() const { return reader.m_cancel && reader.m_cancel->load(); }
    void fail(ErrorKind kind, const QString &text)
    {
        // The first failure is the cause; later ones are consequences.
        if (failure == ErrorKind::None) {
            failure = kind;
            failureText = text;
        }
    }
    void warn(const QString &text)
    {
        if (contents.warnings.size() < reader.m_limits.maxWarnings)
            contents.warnings.append(text);
        else
            ++suppressedWarnings;
    }

    qint64 pullBlob(const char **data);
    qint64 pullTar(const void **data);
    bool readHead();
    void checkMediaType(LayerCompression sniffed);
    bool openArchives(LayerCompression compression);
    bool processEntries();
    bool processEntry(archive_entry *entry);
    bool keepRegularFile(archive_entry *entry, const QString &path, LayerPaths::Kind kind);
    void place(const QString &path);
    bool drainTar();
    bool drainBlob();
    std::optional<LayerContents> finishWithFailure();
    std::optional<LayerContents> finish();

    static la_ssize_t outerRead(archive *a, void *clientData, const void **buffer);
    static la_ssize_t innerRead(archive *a, void *clientData, const void **buffer);

    LayerReader &reader;
    LayerSource &source;
    const ImageLayer &layer;
    const Expectation blobExpect;
    const Expectation tarExpect;
    StreamHasher blobHash;
    StreamHasher tarHash;
    LayerContents contents;

    QByteArray head; // sniffed bytes, handed to libarchive before any fresh read
    qsizetype headPos = 0;
    QByteArray buffer;
    bool sourceEof = false;
    archive *outer = nullptr; // decompression filter + "raw" format: yields the tar bytes
    archive *inner = nullptr; // tar format, fed from outer without copying
    bool outerEof = false;
    qint64 streamEnd = -1; // where the compressed stream ended, once known
    qint64 keptBytes = 0;
    int suppressedWarnings = 0;
    ErrorKind failure = ErrorKind::None;
    QString failureText;
};

qint64 LayerReader::Run::pullBlob(const char **data)
{
    if (failure != ErrorKind::None)
        return -1;
    if (cancelled()) {
        fail(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        return -1;
    }
    qint64 n = 0;
    if (headPos < head.size()) {
        *data = head.constData() + headPos;
        n = head.size() - headPos;
        headPos = head.size();
    } else {
        if (sourceEof)
            return 0;
        if (buffer.isEmpty())
            buffer.resize(kChunkSize);
        n = source.read(buffer.data(), buffer.size());
        if (n < 0) {
            const QString why = source.errorString();
            fail(ErrorKind::Source, u"reading the layer blob failed: " +
                                        (why.isEmpty() ? QStringLiteral("unknown error") : why));
            return -1;
        }
        if (n == 0) {
            sourceEof = true;
            return 0;
        }
        *data = buffer.constData();
    }
    blobHash.addData(*data, n);
    contents.compressedBytes += n;
    if (layer.size >= 0 && contents.compressedBytes > layer.size) {
        fail(ErrorKind::SizeMismatch, u"the layer blob is longer than the " +
                                          QString::number(layer.size) +
                                          u" bytes its descriptor declares");
        return -1;
    }
    if (reader.m_progress)
        reader.m_progress(contents.compressedBytes);
    return n;
}

qint64 LayerReader::Run::pullTar(const void **data)
{
    if (failure != ErrorKind::None)
        return -1;
    while (!outerEof) {
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(outer, data, &size, &offset);
        if (r == ARCHIVE_EOF) {
            outerEof = true;
            break;
        }
        if (r < ARCHIVE_WARN) {
            if (failure == ErrorKind::None)
                fail(ErrorKind::Format, u"decompression failed: " + archiveError(outer));
            return -1;
        }
        if (size == 0)
            continue;
        tarHash.addData(static_cast<const char *>(*data), qsizetype(size));
        contents.uncompressedBytes += qint64(size);
        const qint64 cap = reader.m_limits.maxUncompressedBytes;
        if (cap > 0 && contents.uncompressedBytes > cap) {
            fail(ErrorKind::TooLarge,
                 u"the layer decompresses to more than " + QString::number(cap) + u" bytes");
            return -1;
        }
        return qint64(size);
    }
    return 0;
}

la_ssize_t LayerReader::Run::outerRead(archive *a, void *clientData, const void **buffer)
{
    auto *run = static_cast<Run *>(clientData);
    const char *data = nullptr;
    const qint64 n = run->pullBlob(&data);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", run->failureText.toUtf8().constData());
        return -1;
    }
    *buffer = data;
    return la_ssize_t(n);
}

la_ssize_t LayerReader::Run::innerRead(archive *a, void *clientData, const void **buffer)
{
    auto *run = static_cast<Run *>(clientData);
    const qint64 n = run->pullTar(buffer);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", run->failureText.toUtf8().constData());
        return -1;
    }
    return la_ssize_t(n);
}

bool LayerReader::Run::readHead()
{
    // Reads may be short: collect enough for sniffing, then hand these bytes over first.
    head.resize(LayerFormat::SniffBytes);
    qsizetype got = 0;
    while (got < head.size()) {
        if (cancelled()) {
            fail(ErrorKind::Cancelled, QStringLiteral("cancelled"));
            return false;
        }
        const qint64 n = source.read(head.data() + got, head.size() - got);
        if (n < 0) {
            const QString why = source.errorString();
            fail(ErrorKind::Source, u"reading the layer blob failed: " +
                                        (why.isEmpty() ? QStringLiteral("unknown error") : why));
            return false;
        }
        if (n == 0) {
            sourceEof = true;
            break;
        }
        got += qsizetype(n);
    }
    head.truncate(got);
    return true;
}

void LayerReader::Run::checkMediaType(LayerCompression sniffed)
{
    const std::optional<LayerCompression> declared = LayerFormat::fromMediaType(layer.mediaType);
    if (!declared) {
        if (!layer.mediaType.isEmpty())
            warn(u"media type \"" + layer.mediaType +
                 u"\" is not a known layer type; the content looks like " +
                 LayerFormat::name(sniffed));
        return;
    }
    if (sniffed == LayerCompression::Unknown) {
        warn(u"no gzip/zstd magic and no ustar header: reading the layer as a plain (pre-POSIX) "
             u"tar, "
             u"media type says " +
             LayerFormat::name(*declared));
        return;
    }
    if (*declared != sniffed)
        warn(u"media type \"" + layer.mediaType + u"\" declares " + LayerFormat::name(*declared) +
             u" but the content is " + LayerFormat::name(sniffed) + u"; reading it as " +
             LayerFormat::name(sniffed));
}

bool LayerReader::Run::openArchives(LayerCompression compression)
{
    outer = archive_read_new();
    inner = archive_read_new();
    if (!outer || !inner) {
        fail(ErrorKind::Format, QStringLiteral("libarchive could not allocate a reader"));
        return false;
    }
    // The sniffed filter is forced (no bidding), so decompressed bytes that happen to look
    // compressed are never decompressed a second time.
    int filter = ARCHIVE_FILTER_NONE;
    if (compression == LayerCompression::Gzip)
        filter = ARCHIVE_FILTER_GZIP;
    else if (compression == LayerCompression::Zstd)
        filter = ARCHIVE_FILTER_ZSTD;
    if (filter != ARCHIVE_FILTER_NONE && archive_read_append_filter(outer, filter) != ARCHIVE_OK) {
        fail(ErrorKind::Format, u"libarchive cannot decompress " + LayerFormat::name(compression) +
                                    u": " + archiveError(outer));
        return false;
    }
    archive_read_support_format_raw(outer);
    archive_read_support_format_empty(outer); // "raw" refuses a stream that decompresses to nothing
    if (archive_read_open(outer, this, nullptr, &Run::outerRead, nullptr) != ARCHIVE_OK) {
        if (failure == ErrorKind::None)
            fail(ErrorKind::Format, u"cannot open the layer: " + archiveError(outer));
        return false;
    }
    archive_entry *rawEntry = nullptr;
    const int r = archive_read_next_header(outer, &rawEntry);
    if (r == ARCHIVE_EOF) {
        outerEof = true;
    } else if (r < ARCHIVE_WARN) {
        if (failure == ErrorKind::None)
            fail(ErrorKind::Format, u"cannot decompress the layer: " + archiveError(outer));
        return false;
    }

    archive_read_support_format_tar(inner);
    archive_read_support_format_empty(inner);
    if (archive_read_open(inner, this, nullptr, &Run::innerRead, nullptr) != ARCHIVE_OK) {
        if (failure == ErrorKind::None)
            fail(ErrorKind::Format, u"the layer is not a tar archive: " + archiveError(inner));
        return false;
    }
    return true;
}

void LayerReader::Run::place(const QString &path)
{
    // A later entry for the same path replaces the earlier one, whatever its type.
    contents.keptFiles.remove(path);
    contents.symlinks.remove(path);
    contents.otherFiles.remove(path);
}

bool LayerReader::Run::keepRegularFile(archive_entry *entry, const QString &path,
                                       LayerPaths::Kind kind)
{
    const qint64 size = archive_entry_size(entry);
    const qint64 bound = kind == LayerPaths::Kind::ReleaseFile ? reader.m_limits.maxReleaseFileBytes
                                                               : reader.m_limits.maxPackageDbBytes;
    if (size > bound) {
        warn(path + u" is " + QString::number(size) + u" bytes, over the " +
             QString::number(bound) + u"-byte bound: not read");
        contents.otherFiles.insert(path, size);
        return true;
    }
    if (keptBytes + size > reader.m_limits.maxKeptBytes) {
        warn(path + u" not read: the files kept from this layer would exceed " +
             QString::number(reader.m_limits.maxKeptBytes) + u" bytes");
        contents.otherFiles.insert(path, size);
        return true;
    }
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < data.size()) {
        const la_ssize_t n = archive_read_data(inner, data.data() + got, size_t(data.size() - got));
        if (n < 0) {
            fail(ErrorKind::Format, u"cannot read " + path + u": " + archiveError(inner));
            return false;
        }
        if (n == 0)
            break;
        got += qsizetype(n);
    }
    data.truncate(got);
    keptBytes += got;
    contents.keptFiles.insert(path, data);
    return true;
}

bool LayerReader::Run::processEntry(archive_entry *entry)
{
    const char *raw = archive_entry_pathname(entry);
    QByteArray normalized;
    if (raw) {
        normalized = LayerPaths::normalize(QByteArrayView(raw));
    } else if (const char *utf8 = archive_entry_pathname_utf8(entry)) {
        normalized = LayerPaths::normalize(QByteArrayView(utf8));
    } else {
        warn(QStringLiteral("a tar entry has no usable path name; skipped"));
        return true;
    }

    const qsizetype slash = normalized.lastIndexOf('/');
    const QByteArrayView base = QByteArrayView(normalized).sliced(slash + 1);
    if (base.startsWith(".wh.")) {
        // Only whiteouts that can touch a tracked path are kept: a layer deleting half a
        // million files must not cost memory for each.
        const QByteArrayView dir = QByteArrayView(normalized).first(slash < 0 ? 0 : slash);
        if (base == ".wh..wh..opq") {
            ++contents.whiteoutCount;
            if (dir.isEmpty() ||
                LayerPaths::classifyWithAncestors(dir) != LayerPaths::Kind::Ignored)
                contents.opaqueDirs.append(QString::fromUtf8(dir));
        } else if (!base.startsWith(".wh..wh.")) {
            // Other ".wh..wh." names are aufs bookkeeping (hard-link dirs), not deletions.
            ++contents.whiteoutCount;
            const QByteArrayView name = base.sliced(4);
            const QByteArray target = LayerPaths::normalize(QByteArrayView(
                dir.isEmpty() ? name.toByteArray() : dir.toByteArray() + '/' + name.toByteArray()));
            if (LayerPaths::classifyWithAncestors(target) != LayerPaths::Kind::Ignored)
                contents.whiteouts.append(QString::fromUtf8(target));
        }
        return true;
    }

    const LayerPaths::Kind kind = LayerPaths::classifyWithAncestors(normalized);
    if (kind == LayerPaths::Kind::Ignored)
        return true; // libarchive reads past the data, so it is still hashed
    const auto type = archive_entry_filetype(entry);
    const char *link = archive_entry_hardlink(entry);
    const char *linkUtf8 = link ? nullptr : archive_entry_hardlink_utf8(entry);
    const bool hardLink = link || linkUtf8;
    if (kind == LayerPaths::Kind::Ancestor && type == AE_IFDIR && !hardLink)
        return true; // an ordinary directory on the way to a file of interest
    const QString path = QString::fromUtf8(normalized);
    place(path);

    if (type == AE_IFLNK && !hardLink) {
        const char *target = archive_entry_symlink(entry);
        contents.symlinks.insert(
            path, entryString(target, target ? nullptr : archive_entry_symlink_utf8(entry)));
        return true;
    }
    if (hardLink) {
        const QString target = LayerPaths::normalize(entryString(link, linkUtf8));
        const auto it = contents.keptFiles.constFind(target);
        if (kind != LayerPaths::Kind::Ancestor && it != contents.keptFiles.cend()) {
            contents.keptFiles.insert(path, it.value());
        } else {
            if (kind != LayerPaths::Kind::Ancestor)
                warn(path + u" is a hard link to " + target +
                     u", whose data this layer did not keep: ignored");
            contents.otherFiles.insert(path, 0);
        }
        return true;
    }
    if (type == AE_IFREG &&
        (kind == LayerPaths::Kind::ReleaseFile || kind == LayerPaths::Kind::PackageDb))
        return keepRegularFile(entry, path, kind);
    // rpm BDB/NDB databases, and a directory or device where a file of interest would be (or
    // a file where one of their directories would be): present, hiding lower versions.
    contents.otherFiles.insert(path, type == AE_IFREG ? archive_entry_size(entry) : 0);
    return true;
}

bool LayerReader::Run::processEntries()
{
    int retries = 0;
    for (;;) {
        if (cancelled()) {
            fail(ErrorKind::Cancelled, QStringLiteral("cancelled"));
            return false;
        }
        archive_entry *entry = nullptr;
        const int r = archive_read_next_header(inner, &entry);
        if (r == ARCHIVE_EOF)
            return true;
        if (r == ARCHIVE_RETRY && ++retries < 100) {
            warn(u"tar: " + archiveError(inner));
            continue;
        }
        if (r < ARCHIVE_WARN) {
            if (failure == ErrorKind::None)
                fail(ErrorKind::Format, u"the layer is not a valid tar: " + archiveError(inner));
            return false;
        }
        if (r == ARCHIVE_WARN)
            warn(u"tar: " + archiveError(inner));
        ++contents.entryCount;
        if (!processEntry(entry))
            return false;
    }
}

bool LayerReader::Run::drainTar()
{
    const void *data = nullptr;
    qint64 n = 0;
    while ((n = pullTar(&data)) > 0) {
    }
    return n == 0;
}

bool LayerReader::Run::drainBlob()
{
    const char *data = nullptr;
    qint64 n = 0;
    while ((n = pullBlob(&data)) > 0) {
    }
    return n == 0;
}

std::optional<LayerContents> LayerReader::Run::finishWithFailure()
{
    // Corrupt data usually means a corrupt download: hash the rest of the blob so the error
    // names the digest mismatch, the real cause, when there is one.
    if (failure == ErrorKind::Format && blobExpect.verify) {
        const QString formatText = failureText;
        failure = ErrorKind::None;
        if (drainBlob()) {
            const QString computed = blobHash.finish();
            if (computed != blobExpect.digest) {
                reader.m_error = ErrorKind::DigestMismatch;
                reader.m_errorString = u"layer digest mismatch: expected " + blobExpect.digest +
                                       u", the downloaded blob (" +
                                       QString::number(contents.compressedBytes) +
                                       u" bytes) hashes to " + computed + u" (" + formatText + u')';
                return std::nullopt;
            }
        }
        // The digest could not be finished or matched: the format error stands.
        if (failure != ErrorKind::Cancelled) {
            failure = ErrorKind::Format;
            failureText = formatText;
        }
    }
    reader.m_error = failure == ErrorKind::None ? ErrorKind::Format : failure;
    reader.m_errorString =
        failureText.isEmpty() ? QStringLiteral("the layer could not be read") : failureText;
    return std::nullopt;
}

std::optional<LayerContents> LayerReader::Run::finish()
{
    contents.digest = blobHash.finish();
    contents.diffId = tarHash.finish();
    if (suppressedWarnings > 0)
        contents.warnings.append(QString::number(suppressedWarnings) +
                                 u" more warnings suppressed");

    if (blobExpect.verify && contents.digest != blobExpect.digest) {
        reader.m_error = ErrorKind::DigestMismatch;
        QString sizeNote;
        if (layer.size >= 0 && layer.size != contents.compressedBytes)
            sizeNote = u"; the descriptor declares " + QString::number(layer.size) + u" bytes";
        reader.m_errorString = u"layer digest mismatch: expected " + blobExpect.digest +
                               u", the downloaded blob (" +
                               QString::number(contents.compressedBytes) + u" bytes) hashes to " +
                               contents.digest + sizeNote;
        return std::nullopt;
    }
    if (layer.size >= 0 && layer.size != contents.compressedBytes) {
        reader.m_error = ErrorKind::SizeMismatch;
        reader.m_errorString = u"layer size mismatch: the descriptor declares " +
                               QString::number(layer.size) + u" bytes, the blob has " +
                               QString::number(contents.compressedBytes);
        return std::nullopt;
    }
    if (streamEnd >= 0 && streamEnd < contents.compressedBytes) {
        // libarchive ends a gzip stream quietly at a bad member header, so an unreadable
        // stream can look like a short one. Docker's and containerd's decompressors reject
        // trailing bytes too.
        reader.m_error = ErrorKind::Format;
        reader.m_errorString = u"the " + LayerFormat::name(contents.compression) +
                               u" stream ends (or stops being readable) after " +
                               QString::number(streamEnd) + u" of the blob's " +
                               QString::number(contents.compressedBytes) + u" bytes";
        return std::nullopt;
    }
    if (tarExpect.verify && contents.diffId != tarExpect.digest) {
        reader.m_error = ErrorKind::DiffIdMismatch;
        reader.m_errorString = u"layer diff_id mismatch: the config's rootfs.diff_ids entry is " +
                               tarExpect.digest + u", the decompressed tar (" +
                               QString::number(contents.uncompressedBytes) + u" bytes) hashes to " +
                               contents.diffId;
        return std::nullopt;
    }
    reader.m_error = ErrorKind::None;
    reader.m_errorString.clear();
    return std::move(contents);
}

std::optional<LayerContents> LayerReader::Run::execute()
{
    if (!layer.digest.isEmpty() && !blobExpect.verify)
        warn(u"digest " + layer.digest + u" uses an algorithm Wharf cannot compute: not verified");
    if (!layer.diffId.isEmpty() && !tarExpect.verify)
        warn(u"diff_id " + layer.diffId + u" uses an algorithm Wharf cannot compute: not verified");

    if (!readHead())
        return finishWithFailure();
    const LayerCompression sniffed = LayerFormat::sniff(head);
    contents.compression = sniffed;
    if (head.isEmpty()) {
        warn(QStringLiteral("the layer blob is empty"));
        return finish();
    }
    checkMediaType(sniffed);
    const LayerCompression effective =
        sniffed == LayerCompression::Unknown ? LayerCompression::Tar : sniffed;

    if (!openArchives(effective) || !processEntries())
        return finishWithFailure();
    // The tar reader stops at the end-of-archive blocks; the digests cover every byte.
    if (!drainTar())
        return finishWithFailure();
    // Blob bytes the decompressor consumed; what follows is not part of the stream.
    streamEnd = archive_filter_bytes(outer, -1);
    if (!drainBlob())
        return finishWithFailure();
    return finish();
}

LayerReader::LayerReader() = default;

std::optional<LayerContents> LayerReader::read(LayerSource &source, const ImageLayer &layer)
{
    m_error = ErrorKind::None;
    m_errorString.clear();
    Run run(*this, source, layer);
    return run.execute();
}

} // namespace wharf::scan
