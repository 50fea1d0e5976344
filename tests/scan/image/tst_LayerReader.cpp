#include "FileLayerSource.h"
#include "LayerReader.h"
#include "StreamHasher.h"
#include "TestLayerBuilder.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;
using namespace wharf::scan::test;

Q_DECLARE_METATYPE(wharf::scan::LayerCompression)

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i + 4 <= size; i += 4) {
        const quint32 v = rng.generate();
        memcpy(out.data() + i, &v, 4);
    }
    for (qsizetype i = size - size % 4; i < size; ++i)
        out[i] = char(rng.bounded(256));
    return out;
}

const QByteArray kOsRelease = "ID=debian\nVERSION_ID=\"12\"\n";
const QByteArray kStatus = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n";

// A layer with files of every kind the reader distinguishes.
TestLayerBuilder sampleLayer()
{
    TestLayerBuilder b;
    b.dir(u"etc"_s)
        .file(u"etc/os-release"_s, kOsRelease)
        .file(u"etc/hostname"_s, "box\n")
        .file(u"usr/bin/big"_s, randomBytes(300000, 1))
        .dir(u"var/lib/dpkg/"_s)
        .file(u"var/lib/dpkg/status"_s, kStatus)
        .file(u"var/lib/dpkg/status-old"_s, "old")
        .file(u"var/lib/dpkg/status.d/base"_s, "Package: base\nVersion: 1\n")
        .file(u"var/lib/dpkg/status.d/base.md5sums"_s, "0123  /x\n")
        .file(u"var/lib/dpkg/status.d/sub/nested"_s, "Package: no\nVersion: 1\n")
        .file(u"var/lib/rpm/Packages"_s, "bdb")
        .whiteout(u"usr/share/doc/gone"_s) // cannot affect a tracked path: only counted
        .whiteout(u"var/lib/dpkg/status.d/gone"_s)
        .whiteout(u"lib/apk"_s)
        .opaque(u"var/cache"_s)
        .opaque(u"var/lib/rpm"_s)
        .file(u"var/cache/.wh..wh.plnk"_s, {}) // aufs bookkeeping, not a deletion
        .symlink(u"etc/lsb-release"_s, u"../usr/lib/lsb-release"_s)
        .symlink(u"lib"_s, u"usr/lib"_s)
        .dir(u"usr/lib"_s);
    return b;
}

} // namespace

class TestLayerReader : public QObject
{
    Q_OBJECT

private slots:
    void hasher();
    void compressions_data();
    void compressions();
    void shortReads();
    void fileSource();
    void pathNormalisation();
    void sizeBounds();
    void hardLinks();
    void mediaTypeMismatch_data();
    void mediaTypeMismatch();
    void wrongDigest();
    void wrongDiffId();
    void corruptBlob();
    void gzipTrailerCorruption();
    void sizeMismatch();
    void sourceError();
    void cancel();
    void progress();
    void multiMemberGzipAndTrailingBytes();
    void externalTools_data();
    void externalTools();
    void emptyAndGarbage();
};

void TestLayerReader::hasher()
{
    // FIPS 180-2 vectors, whichever backend (libcrypto or Qt) the build uses.
    StreamHasher sha256;
    sha256.addData("a", 1);
    sha256.addData("bc", 2);
    QCOMPARE(sha256.finish(),
             u"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s);
    StreamHasher sha512(StreamHasher::Algorithm::Sha512);
    sha512.addData("abc", 3);
    QCOMPARE(sha512.finish(),
             u"sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
             u"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"_s);
    QCOMPARE(StreamHasher::algorithmOf(u"sha512:00"_s), StreamHasher::Algorithm::Sha512);
    QVERIFY(!StreamHasher::algorithmOf(u"md5:00"_s));
    QVERIFY(!StreamHasher::algorithmOf(u"sha256"_s));
}

void TestLayerReader::compressions_data()
{
    QTest::addColumn<LayerCompression>("compression");
    QTest::newRow("gzip") << LayerCompression::Gzip;
    QTest::newRow("zstd") << LayerCompression::Zstd;
    QTest::newRow("plain tar") << LayerCompression::Tar;
}

void TestLayerReader::compressions()
{
    QFETCH(LayerCompression, compression);
    const auto layer = sampleLayer().build(compression);
    BufferSource source(layer.blob);
    LayerReader reader;
    const auto contents =
        reader.read(source, {layer.digest, layer.blob.size(), layer.mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::None);
    QCOMPARE(contents->compression, compression);
    QCOMPARE(contents->digest, layer.digest);
    QCOMPARE(contents->diffId, layer.diffId);
    QCOMPARE(contents->compressedBytes, layer.blob.size());
    QCOMPARE(contents->uncompressedBytes, layer.tar.size());
    QCOMPARE(contents->entryCount, 20);
    QVERIFY2(contents->warnings.isEmpty(), qPrintable(contents->warnings.join(u"; ")));

    QCOMPARE(contents->keptFiles.keys(), (QStringList{u"etc/os-release"_s, u"var/lib/dpkg/status"_s,
                                                      u"var/lib/dpkg/status.d/base"_s}));
    QCOMPARE(contents->keptFiles.value(u"etc/os-release"_s), kOsRelease);
    QCOMPARE(contents->keptFiles.value(u"var/lib/dpkg/status"_s), kStatus);
    QCOMPARE(contents->symlinks,
             (QMap<QString, QString>{{u"etc/lsb-release"_s, u"../usr/lib/lsb-release"_s},
                                     {u"lib"_s, u"usr/lib"_s}}));
    QCOMPARE(contents->otherFiles, (QMap<QString, qint64>{{u"var/lib/rpm/Packages"_s, 3}}));
    QCOMPARE(contents->whiteouts, (QStringList{u"var/lib/dpkg/status.d/gone"_s, u"lib/apk"_s}));
    QCOMPARE(contents->opaqueDirs, QStringList{u"var/lib/rpm"_s});
    QCOMPARE(contents->whiteoutCount, 5);
}

void TestLayerReader::shortReads()
{
    // A network source hands out odd-sized pieces; results must not depend on it.
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    for (qint64 chunk : {1, 7, 511, 4096}) {
        BufferSource source(layer.blob, chunk);
        LayerReader reader;
        const auto contents = reader.read(
            source, {layer.digest, layer.blob.size(), layer.mediaType, layer.diffId, {}});
        QVERIFY2(contents, qPrintable(reader.errorString()));
        QCOMPARE(contents->diffId, layer.diffId);
        QCOMPARE(contents->keptFiles.size(), 3);
        QCOMPARE(contents->whiteouts.size(), 2);
    }
}

void TestLayerReader::fileSource()
{
    const auto layer = sampleLayer().build(LayerCompression::Zstd);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(u"blob"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(layer.blob);
    f.close();
    FileLayerSource source(f.fileName());
    QVERIFY(source.open());
    LayerReader reader;
    const auto contents =
        reader.read(source, {layer.digest, layer.blob.size(), layer.mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->keptFiles.value(u"etc/os-release"_s), kOsRelease);

    FileLayerSource missing(dir.filePath(u"nope"_s));
    QVERIFY(!missing.open());
    QVERIFY(missing.errorString().contains(u"nope"));
    QVERIFY(!reader.read(missing, {}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::Source);
    QVERIFY(reader.errorString().contains(u"nope"));
}

void TestLayerReader::pathNormalisation()
{
    TestLayerBuilder b;
    b.file(u"./etc/os-release"_s, "ID=alpine\n")
        .file(u"/etc/alpine-release"_s, "3.20.3\n")
        .file(u".//usr/./lib/../lib/os-release"_s, "ID=x\n")
        .file(u"./var/lib/dpkg/./status.d/./pkg"_s, "Package: p\nVersion: 1\n")
        .file(u"./lib/apk/.wh.db"_s, {})
        .file(u"./.wh..wh..opq"_s, {});
    const auto layer = b.build(LayerCompression::Gzip);
    BufferSource source(layer.blob);
    LayerReader reader;
    const auto contents =
        reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->keptFiles.keys(),
             (QStringList{u"etc/alpine-release"_s, u"etc/os-release"_s, u"usr/lib/os-release"_s,
                          u"var/lib/dpkg/status.d/pkg"_s}));
    QCOMPARE(contents->whiteouts, QStringList{u"lib/apk/db"_s});
    QCOMPARE(contents->opaqueDirs, QStringList{QString()}); // the root
}

void TestLayerReader::sizeBounds()
{
    TestLayerBuilder b;
    b.file(u"etc/os-release"_s, QByteArray(2000, 'x'))
        .file(u"etc/debian_version"_s, "12.4\n")
        .file(u"var/lib/dpkg/status"_s, QByteArray(5000, 'y'))
        .file(u"lib/apk/db/installed"_s, QByteArray(3000, 'z'));
    const auto layer = b.build(LayerCompression::Gzip);
    LayerReader::Limits limits;
    limits.maxReleaseFileBytes = 1000;
    limits.maxPackageDbBytes = 4000;
    LayerReader reader;
    reader.setLimits(limits);
    BufferSource source(layer.blob);
    const auto contents =
        reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->keptFiles.keys(),
             (QStringList{u"etc/debian_version"_s, u"lib/apk/db/installed"_s}));
    // Over-size files are not read but still recorded: they hide lower copies.
    QCOMPARE(contents->otherFiles.value(u"etc/os-release"_s), 2000);
    QCOMPARE(contents->otherFiles.value(u"var/lib/dpkg/status"_s), 5000);
    QCOMPARE(contents->warnings.size(), 2);
    QCOMPARE(contents->diffId, layer.diffId); // skipped data is still hashed

    // The per-layer total bound.
    limits = {};
    limits.maxKeptBytes = 4000;
    reader.setLimits(limits);
    BufferSource again(layer.blob);
    const auto capped = reader.read(again, {layer.digest, -1, layer.mediaType, layer.diffId, {}});
    QVERIFY(capped);
    QCOMPARE(capped->keptFiles.keys(), (QStringList{u"etc/debian_version"_s, u"etc/os-release"_s}));
    QVERIFY(capped->otherFiles.contains(u"var/lib/dpkg/status"_s));
    QVERIFY(capped->otherFiles.contains(u"lib/apk/db/installed"_s));

    // An uncompressed-size cap turns a decompression bomb into an error.
    limits = {};
    limits.maxUncompressedBytes = 4096;
    reader.setLimits(limits);
    BufferSource bomb(layer.blob);
    QVERIFY(!reader.read(bomb, {layer.digest, -1, layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::TooLarge);
}

void TestLayerReader::hardLinks()
{
    TestLayerBuilder b;
    b.file(u"usr/lib/os-release"_s, "ID=ubuntu\n")
        .hardlink(u"etc/os-release"_s, u"usr/lib/os-release"_s)
        .file(u"usr/share/thing"_s, "x")
        .hardlink(u"var/lib/dpkg/status"_s, u"usr/share/thing"_s);
    const auto layer = b.build(LayerCompression::Tar);
    BufferSource source(layer.blob);
    LayerReader reader;
    const auto contents =
        reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->keptFiles.value(u"etc/os-release"_s), "ID=ubuntu\n"_ba);
    QVERIFY(!contents->keptFiles.contains(u"var/lib/dpkg/status"_s));
    QVERIFY(contents->otherFiles.contains(u"var/lib/dpkg/status"_s));
    QCOMPARE(contents->warnings.size(), 1);
}

void TestLayerReader::mediaTypeMismatch_data()
{
    QTest::addColumn<LayerCompression>("actual");
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<bool>("warns");
    QTest::newRow("gzip declared tar")
        << LayerCompression::Gzip << u"application/vnd.oci.image.layer.v1.tar"_s << true;
    QTest::newRow("tar declared gzip")
        << LayerCompression::Tar << u"application/vnd.oci.image.layer.v1.tar+gzip"_s << true;
    QTest::newRow("zstd declared docker gzip")
        << LayerCompression::Zstd << u"application/vnd.docker.image.rootfs.diff.tar.gzip"_s << true;
    QTest::newRow("gzip declared zstd")
        << LayerCompression::Gzip << u"application/vnd.oci.image.layer.v1.tar+zstd"_s << true;
    QTest::newRow("unknown type") << LayerCompression::Gzip << u"application/octet-stream"_s
                                  << true;
    QTest::newRow("docker gzip") << LayerCompression::Gzip
                                 << u"application/vnd.docker.image.rootfs.diff.tar.gzip"_s << false;
    QTest::newRow("foreign gzip") << LayerCompression::Gzip
                                  << u"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"_s
                                  << false;
    QTest::newRow("non-distributable zstd")
        << LayerCompression::Zstd
        << u"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"_s << false;
    QTest::newRow("non-distributable tar")
        << LayerCompression::Tar << u"application/vnd.oci.image.layer.nondistributable.v1.tar"_s
        << false;
}

void TestLayerReader::mediaTypeMismatch()
{
    QFETCH(LayerCompression, actual);
    QFETCH(QString, mediaType);
    QFETCH(bool, warns);
    const auto layer = sampleLayer().build(actual);
    BufferSource source(layer.blob);
    LayerReader reader;
    const auto contents = reader.read(source, {layer.digest, -1, mediaType, layer.diffId, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->compression, actual); // the sniffed format wins
    QCOMPARE(contents->keptFiles.size(), 3);
    QCOMPARE(contents->warnings.size(), warns ? 1 : 0);
    if (warns)
        QVERIFY(contents->warnings[0].contains(LayerFormat::name(actual)));
}

void TestLayerReader::wrongDigest()
{
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    const QString wrong = TestLayerBuilder::sha256("something else");
    BufferSource source(layer.blob);
    LayerReader reader;
    QVERIFY(!reader.read(source, {wrong, layer.blob.size(), layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DigestMismatch);
    QVERIFY(reader.errorString().contains(wrong));
    QVERIFY(reader.errorString().contains(layer.digest));
    // Upper-case hex in a manifest is the same digest.
    BufferSource again(layer.blob);
    const QString upper = u"sha256:"_s + layer.digest.mid(7).toUpper();
    QVERIFY(reader.read(again, {upper, layer.blob.size(), layer.mediaType, layer.diffId, {}}));
}

void TestLayerReader::wrongDiffId()
{
    const auto layer = sampleLayer().build(LayerCompression::Zstd);
    const QString wrong = TestLayerBuilder::sha256(layer.blob); // the blob digest, a typical mix-up
    BufferSource source(layer.blob);
    LayerReader reader;
    QVERIFY(!reader.read(source, {layer.digest, layer.blob.size(), layer.mediaType, wrong, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DiffIdMismatch);
    QVERIFY(reader.errorString().contains(wrong));
    QVERIFY(reader.errorString().contains(layer.diffId));

    // sha512 diff_ids are verified too.
    BufferSource sha512(layer.blob);
    const QString wrong512 = u"sha512:"_s + QString(128, u'0');
    QVERIFY(!reader.read(sha512, {layer.digest, -1, layer.mediaType, wrong512, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DiffIdMismatch);
    QVERIFY(reader.errorString().contains(u"sha512:"));

    // An algorithm Wharf cannot compute is not silently accepted: it is reported.
    BufferSource unknown(layer.blob);
    const auto contents =
        reader.read(unknown, {layer.digest, -1, layer.mediaType, u"md5:abc"_s, {}});
    QVERIFY(contents);
    QCOMPARE(contents->warnings.size(), 1);
    QVERIFY(contents->warnings[0].contains(u"md5:abc"));
}

void TestLayerReader::corruptBlob()
{
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    QByteArray corrupt = layer.blob;
    for (qsizetype i = corrupt.size() / 3; i < corrupt.size() / 3 + 64; ++i)
        corrupt[i] = char(corrupt[i] ^ 0x5a);
    // With the manifest digest known, the root cause (a bad download) is what is reported.
    BufferSource source(corrupt);
    LayerReader reader;
    QVERIFY(
        !reader.read(source, {layer.digest, corrupt.size(), layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DigestMismatch);
    QVERIFY(reader.errorString().contains(layer.digest));
    QCOMPARE(source.position(), corrupt.size()); // the whole blob was hashed
    // libarchive does not check the gzip CRC: without the blob digest it is the diff_id (or,
    // when the damage breaks the deflate stream, decompression) that catches it.
    BufferSource again(corrupt);
    QVERIFY(!reader.read(again, {{}, -1, layer.mediaType, layer.diffId, {}}));
    QVERIFY(reader.error() == LayerReader::ErrorKind::Format ||
            reader.error() == LayerReader::ErrorKind::DiffIdMismatch);
    QVERIFY(!reader.errorString().isEmpty());
}

void TestLayerReader::gzipTrailerCorruption()
{
    // libarchive 3.6 does not check the gzip CRC-32 / ISIZE trailer: the blob digest has to.
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    QByteArray corrupt = layer.blob;
    corrupt[corrupt.size() - 6] = char(corrupt[corrupt.size() - 6] ^ 0xff);
    LayerReader reader;
    BufferSource source(corrupt);
    QVERIFY(
        !reader.read(source, {layer.digest, corrupt.size(), layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DigestMismatch);
}

void TestLayerReader::sizeMismatch()
{
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    LayerReader reader;
    BufferSource longer(layer.blob);
    QVERIFY(!reader.read(
        longer, {layer.digest, layer.blob.size() - 10, layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::SizeMismatch);
    QVERIFY(longer.position() <= layer.blob.size()); // stopped early, not read to the end
    BufferSource shorter(layer.blob);
    QVERIFY(!reader.read(
        shorter, {layer.digest, layer.blob.size() + 10, layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::SizeMismatch);
    QVERIFY(reader.errorString().contains(QString::number(layer.blob.size() + 10)));
}

void TestLayerReader::sourceError()
{
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    for (qint64 failAt : {qint64(0), qint64(100), layer.blob.size() / 2, layer.blob.size() - 1}) {
        BufferSource source(layer.blob, 1000, failAt);
        LayerReader reader;
        QVERIFY(!reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}}));
        QCOMPARE(reader.error(), LayerReader::ErrorKind::Source);
        QVERIFY2(reader.errorString().contains(u"connection reset by test"),
                 qPrintable(reader.errorString()));
    }
}

void TestLayerReader::cancel()
{
    TestLayerBuilder b;
    for (int i = 0; i < 40; ++i)
        b.file(u"data/file"_s + QString::number(i), randomBytes(100000, quint32(i)));
    const auto layer = b.build(LayerCompression::Gzip);
    std::atomic_bool cancel{false};
    qint64 lastProgress = 0;
    LayerReader reader;
    reader.setCancelFlag(&cancel);
    reader.setProgressCallback([&](qint64 bytes) {
        lastProgress = bytes;
        if (bytes > 500000)
            cancel = true;
    });
    BufferSource source(layer.blob, 65536);
    QVERIFY(!reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::Cancelled);
    QVERIFY(lastProgress < layer.blob.size());
    QVERIFY(source.position() < layer.blob.size());

    // Cancelled before the start: nothing is read.
    BufferSource untouched(layer.blob);
    QVERIFY(!reader.read(untouched, {}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::Cancelled);
    QCOMPARE(untouched.position(), 0);
}

void TestLayerReader::progress()
{
    const auto layer = sampleLayer().build(LayerCompression::Zstd);
    QList<qint64> seen;
    LayerReader reader;
    reader.setProgressCallback([&](qint64 bytes) { seen.append(bytes); });
    BufferSource source(layer.blob, 3000);
    QVERIFY(reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}}));
    QVERIFY(seen.size() > 2);
    QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
    QCOMPARE(seen.last(), layer.blob.size());
}

void TestLayerReader::multiMemberGzipAndTrailingBytes()
{
    // A tar split across two gzip members (what parallel compressors emit).
    const QByteArray tar = sampleLayer().tar();
    const qsizetype half = tar.size() / 2 + 123;
    const QByteArray blob = TestLayerBuilder::compress(tar.first(half), LayerCompression::Gzip) +
                            TestLayerBuilder::compress(tar.sliced(half), LayerCompression::Gzip);
    BufferSource source(blob);
    LayerReader reader;
    const auto contents =
        reader.read(source, {TestLayerBuilder::sha256(blob),
                             blob.size(),
                             TestLayerBuilder::mediaTypeFor(LayerCompression::Gzip),
                             TestLayerBuilder::sha256(tar),
                             {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->keptFiles.size(), 3);
    QCOMPARE(contents->uncompressedBytes, tar.size());

    // Zero bytes after the end-of-archive blocks belong to the diff_id too.
    const QByteArray padded = tar + QByteArray(4096, '\0');
    const QByteArray zst = TestLayerBuilder::compress(padded, LayerCompression::Zstd);
    BufferSource zsource(zst);
    const auto zcontents = reader.read(
        zsource,
        {TestLayerBuilder::sha256(zst), zst.size(), {}, TestLayerBuilder::sha256(padded), {}});
    QVERIFY2(zcontents, qPrintable(reader.errorString()));
    QCOMPARE(zcontents->uncompressedBytes, padded.size());
}

void TestLayerReader::externalTools_data()
{
    QTest::addColumn<QString>("compressor");
    QTest::addColumn<LayerCompression>("compression");
    QTest::newRow("gzip -n") << u"gzip"_s << LayerCompression::Gzip;
    QTest::newRow("zstd") << u"zstd"_s << LayerCompression::Zstd;
}

void TestLayerReader::externalTools()
{
    // Layers written by GNU tar and the reference compressors, not by libarchive.
    QFETCH(QString, compressor);
    QFETCH(LayerCompression, compression);
    const QString tarTool = QStandardPaths::findExecutable(u"tar"_s);
    const QString compressTool = QStandardPaths::findExecutable(compressor);
    QVERIFY2(!tarTool.isEmpty() && !compressTool.isEmpty(), "GNU tar, gzip and zstd are required");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir root(dir.filePath(u"root"_s));
    QVERIFY(root.mkpath(u"etc"_s));
    QVERIFY(root.mkpath(u"var/lib/dpkg"_s));
    QVERIFY(root.mkpath(u"usr/lib"_s));
    auto write = [&](const QString &path, const QByteArray &data) {
        QFile f(root.filePath(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    };
    write(u"usr/lib/os-release"_s, kOsRelease);
    QVERIFY(QFile::link(u"../usr/lib/os-release"_s, root.filePath(u"etc/os-release"_s)));
    write(u"var/lib/dpkg/status"_s, kStatus);
    // A name longer than 100 bytes needs a GNU long-name or pax record.
    write(u"usr/lib/"_s + QString(150, u'n'), randomBytes(70000, 3));

    QProcess tar;
    tar.setWorkingDirectory(root.path());
    tar.setStandardOutputFile(dir.filePath(u"layer.tar"_s));
    tar.start(tarTool, {u"--format=gnu"_s, u"-cf"_s, u"-"_s, u"."_s});
    QVERIFY(tar.waitForFinished() && tar.exitCode() == 0);
    QProcess compress;
    compress.setStandardInputFile(dir.filePath(u"layer.tar"_s));
    compress.setStandardOutputFile(dir.filePath(u"layer.blob"_s));
    compress.start(compressTool, compressor == u"gzip" ? QStringList{u"-n"_s, u"-c"_s}
                                                       : QStringList{u"-q"_s, u"-c"_s});
    QVERIFY(compress.waitForFinished() && compress.exitCode() == 0);

    QFile tarFile(dir.filePath(u"layer.tar"_s));
    QVERIFY(tarFile.open(QIODevice::ReadOnly));
    const QString diffId = TestLayerBuilder::sha256(tarFile.readAll());
    QFile blobFile(dir.filePath(u"layer.blob"_s));
    QVERIFY(blobFile.open(QIODevice::ReadOnly));
    const QByteArray blob = blobFile.readAll();

    FileLayerSource source(blobFile.fileName());
    LayerReader reader;
    const auto contents = reader.read(source, {TestLayerBuilder::sha256(blob),
                                               blob.size(),
                                               TestLayerBuilder::mediaTypeFor(compression),
                                               diffId,
                                               {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->compression, compression);
    QCOMPARE(contents->keptFiles.value(u"usr/lib/os-release"_s), kOsRelease);
    QCOMPARE(contents->keptFiles.value(u"var/lib/dpkg/status"_s), kStatus);
    QCOMPARE(contents->symlinks.value(u"etc/os-release"_s), u"../usr/lib/os-release"_s);
}

void TestLayerReader::emptyAndGarbage()
{
    LayerReader reader;
    BufferSource empty(QByteArray{});
    const auto contents = reader.read(empty, {TestLayerBuilder::sha256({}), 0, {}, {}, {}});
    QVERIFY2(contents, qPrintable(reader.errorString()));
    QCOMPARE(contents->compressedBytes, 0);
    QCOMPARE(contents->warnings.size(), 1);

    // Random bytes are neither compressed nor a tar.
    const QByteArray junk = randomBytes(20000, 9);
    BufferSource garbage(junk);
    QVERIFY(!reader.read(
        garbage,
        {TestLayerBuilder::sha256(junk), -1, u"application/vnd.oci.image.layer.v1.tar"_s, {}, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::Format);

    // gzip magic followed by garbage: libarchive quietly yields nothing, the reader does not
    // take that for an empty layer (the digests alone would not catch it, they match).
    QByteArray fakeGzip = "\x1f\x8b\x08\x00"_ba + junk;
    BufferSource badGzip(fakeGzip);
    QVERIFY(!reader.read(badGzip, {TestLayerBuilder::sha256(fakeGzip), -1, {}, {}, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::Format);
    QVERIFY2(reader.errorString().contains(QString::number(fakeGzip.size())),
             qPrintable(reader.errorString()));

    // Bytes after a complete gzip stream are rejected (as Docker and containerd do).
    const auto sample = sampleLayer().build(LayerCompression::Gzip);
    for (const QByteArray &tail : {QByteArray(512, '\0'), "garbage"_ba}) {
        const QByteArray trailing = sample.blob + tail;
        BufferSource source(trailing);
        QVERIFY(!reader.read(source, {TestLayerBuilder::sha256(trailing),
                                      trailing.size(),
                                      sample.mediaType,
                                      sample.diffId,
                                      {}}));
        QCOMPARE(reader.error(), LayerReader::ErrorKind::Format);
    }

    // A compressed empty stream is an empty layer, not an error.
    const QByteArray gzipOfNothing = TestLayerBuilder::compress({}, LayerCompression::Gzip);
    BufferSource nothing(gzipOfNothing);
    const auto none = reader.read(
        nothing,
        {TestLayerBuilder::sha256(gzipOfNothing), -1, {}, TestLayerBuilder::sha256({}), {}});
    QVERIFY2(none, qPrintable(reader.errorString()));
    QCOMPARE(none->entryCount, 0);
    QCOMPARE(none->uncompressedBytes, 0);

    // The "empty layer" images use: 1024 zero bytes (two end-of-archive blocks), gzipped.
    const QByteArray zeros(1024, '\0');
    const QByteArray emptyLayer = TestLayerBuilder::compress(zeros, LayerCompression::Gzip);
    BufferSource emptySource(emptyLayer);
    const auto emptyContents =
        reader.read(emptySource, {TestLayerBuilder::sha256(emptyLayer),
                                  emptyLayer.size(),
                                  TestLayerBuilder::mediaTypeFor(LayerCompression::Gzip),
                                  TestLayerBuilder::sha256(zeros),
                                  {}});
    QVERIFY2(emptyContents, qPrintable(reader.errorString()));
    QCOMPARE(emptyContents->entryCount, 0);
    QCOMPARE(emptyContents->uncompressedBytes, 1024);
    QVERIFY(emptyContents->warnings.isEmpty());
    BufferSource plainEmpty(zeros);
    const auto plainContents =
        reader.read(plainEmpty, {TestLayerBuilder::sha256(zeros),
                                 zeros.size(),
                                 TestLayerBuilder::mediaTypeFor(LayerCompression::Tar),
                                 TestLayerBuilder::sha256(zeros),
                                 {}});
    QVERIFY2(plainContents, qPrintable(reader.errorString()));
    QCOMPARE(plainContents->compression, LayerCompression::Tar);
    QVERIFY(plainContents->warnings.isEmpty());

    // A truncated gzip layer: the digest (of the full blob) catches it.
    const auto layer = sampleLayer().build(LayerCompression::Gzip);
    BufferSource truncated(layer.blob.first(layer.blob.size() / 2));
    QVERIFY(!reader.read(truncated, {layer.digest, -1, layer.mediaType, layer.diffId, {}}));
    QCOMPARE(reader.error(), LayerReader::ErrorKind::DigestMismatch);
}

QTEST_GUILESS_MAIN(TestLayerReader)
#include "tst_LayerReader.moc"
