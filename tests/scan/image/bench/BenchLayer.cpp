// wharf-scan-bench-layer: LayerReader throughput and memory on a large gzip layer, next to
// `gzip -dc | tar -t` on the same file. Prints one JSON object on stdout.
//
//   wharf-scan-bench-layer [--layer PATH] [--size-mb N]
//
// Without --layer (or when PATH does not exist) a layer of at least N MB (default 500)
// compressed is written first, by a child process so its memory use does not count.

#include "FileLayerSource.h"
#include "LayerReader.h"
#include "StreamHasher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <archive.h>
#include <archive_entry.h>

#include <sys/resource.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

constexpr double kMB = 1000.0 * 1000.0;

// Text-like content: words from a small vocabulary compress about 3:1 with gzip, like
// binaries and libraries do; every fourth file is incompressible (already compressed data).
void fillContent(QByteArray &buf, qsizetype size, QRandomGenerator &rng, bool random)
{
    buf.resize(size);
    if (random) {
        for (qsizetype i = 0; i + 4 <= size; i += 4) {
            const quint32 v = rng.generate();
            memcpy(buf.data() + i, &v, 4);
        }
        return;
    }
    static const char *const words[] = {"static",
                                        "const",
                                        "return",
                                        "0x7fff",
                                        "libc.so.6",
                                        "GLIBC_2.34",
                                        "malloc",
                                        "free",
                                        "\x7f"
                                        "ELF",
                                        "__cxa_finalize",
                                        "/usr/lib/x86_64-linux-gnu",
                                        "memcpy",
                                        "strlen",
                                        "printf",
                                        "error",
                                        "warning",
                                        "config",
                                        "value",
                                        "int",
                                        "char",
                                        "void",
                                        "struct",
                                        "\n",
                                        "\t",
                                        "\0\0\0\0",
                                        "\xff\xfe",
                                        "{",
                                        "}",
                                        "(",
                                        ")",
                                        ";",
                                        " "};
    constexpr int wordCount = int(sizeof(words) / sizeof(words[0]));
    qsizetype pos = 0;
    while (pos < size) {
        const quint32 r = rng.generate();
        const char *w = words[r % wordCount];
        qsizetype len = qsizetype(strlen(w));
        if (len == 0)
            len = 4; // the NUL run
        len = qMin(len, size - pos);
        memcpy(buf.data() + pos, w, size_t(len));
        pos += len;
        if (pos < size && (r >> 16) % 5 == 0)
            buf[pos++] = char(r >> 24); // noise keeps the ratio realistic
    }
}

la_ssize_t writeToFile(archive *, void *clientData, const void *buffer, size_t length)
{
    return la_ssize_t(fwrite(buffer, 1, length, static_cast<FILE *>(clientData)));
}

int createLayer(const QString &path, qint64 targetCompressed)
{
    FILE *out = fopen(QFile::encodeName(path).constData(), "wb");
    if (!out) {
        fprintf(stderr, "cannot create %s\n", qPrintable(path));
        return 1;
    }
    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, out, nullptr, &writeToFile, nullptr);
    QRandomGenerator rng(20240601);
    QByteArray buf;
    qint64 files = 0;
    auto addFile = [&](const QByteArray &name, const QByteArray &data) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name.constData());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, data.size());
        archive_entry_set_mtime(e, 1700000000, 0);
        archive_write_header(a, e);
        archive_write_data(a, data.constData(), size_t(data.size()));
        archive_entry_free(e);
        ++files;
    };
    QByteArray status;
    for (int i = 0; i < 400; ++i)
        status += "Package: pkg" + QByteArray::number(i) +
                  "\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1." +
                  QByteArray::number(i) + "-1\nDescription: benchmark package\n continued\n\n";
    addFile("var/lib/dpkg/status", status);
    addFile("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    while (archive_filter_bytes(a, -1) < targetCompressed) {
        // Sizes from 1 KiB to ~2 MiB, skewed towards small files as in real images (the
        // smallest of three draws: mean ~30 KB).
        const quint32 r = rng.generate();
        const quint32 shift = qMin(r % 12, qMin((r >> 4) % 12, (r >> 8) % 12));
        const qsizetype size = qsizetype(1024) << shift;
        fillContent(buf, size + qsizetype(r >> 20), rng, files % 4 == 3);
        addFile("usr/lib/bench/d" + QByteArray::number(files / 1000) + "/f" +
                    QByteArray::number(files),
                buf);
        if (files % 20000 == 0)
            fprintf(stderr, "  %lld files, %.0f MB compressed\n", static_cast<long long>(files),
                    double(archive_filter_bytes(a, -1)) / kMB);
    }
    archive_write_close(a);
    archive_write_free(a);
    fclose(out);
    fprintf(stderr, "  %lld files written\n", static_cast<long long>(files));
    return 0;
}

double runShell(const QString &command)
{
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(u"/bin/sh"_s, {u"-c"_s, command});
    p.waitForFinished(-1);
    if (p.exitCode() != 0)
        return -1;
    return double(t.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"LayerReader throughput benchmark"_s);
    parser.addHelpOption();
    const QCommandLineOption layerOption(u"layer"_s, u"Layer file to read (created if missing)"_s,
                                         u"path"_s);
    const QCommandLineOption sizeOption(u"size-mb"_s, u"Compressed size of a created layer"_s,
                                        u"MB"_s, u"500"_s);
    const QCommandLineOption createOption(u"create-only"_s, u"Internal: only write the layer"_s,
                                          u"path"_s);
    parser.addOption(layerOption);
    parser.addOption(sizeOption);
    parser.addOption(createOption);
    parser.process(app);
    const qint64 target = qint64(parser.value(sizeOption).toDouble() * kMB);
    if (parser.isSet(createOption))
        return createLayer(parser.value(createOption), target);

    QTemporaryDir tempDir;
    QString path = parser.value(layerOption);
    if (path.isEmpty())
        path = tempDir.filePath(u"layer.tar.gz"_s);
    QJsonObject result;
    result[u"layer"_s] = path;
    if (!QFileInfo::exists(path)) {
        fprintf(stderr, "creating %s (>= %lld MB compressed)\n", qPrintable(path),
                static_cast<long long>(target / qint64(kMB)));
        QElapsedTimer t;
        t.start();
        const int rc =
            QProcess::execute(QCoreApplication::applicationFilePath(),
                              {u"--create-only"_s, path, u"--size-mb"_s, parser.value(sizeOption)});
        if (rc != 0)
            return 1;
        result[u"createSeconds"_s] = double(t.elapsed()) / 1000.0;
    }

    // (a) LayerReader: both digests, tar parsing, the files of interest.
    FileLayerSource source(path);
    if (!source.open()) {
        fprintf(stderr, "%s\n", qPrintable(source.errorString()));
        return 1;
    }
    LayerReader reader;
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    QElapsedTimer t;
    t.start();
    const auto contents =
        reader.read(source, {{}, -1, u"application/vnd.oci.image.layer.v1.tar+gzip"_s, {}, {}});
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (!contents) {
        fprintf(stderr, "read failed: %s\n", qPrintable(reader.errorString()));
        return 1;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    // CPU time as well: on a shared machine wall time depends on the neighbours.
    auto cpu = [](const rusage &u) {
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };

    QJsonObject readerJson;
    readerJson[u"seconds"_s] = seconds;
    readerJson[u"cpuSeconds"_s] = cpu(usage) - cpu(before);
    readerJson[u"compressedMBps"_s] = double(contents->compressedBytes) / kMB / seconds;
    readerJson[u"uncompressedMBps"_s] = double(contents->uncompressedBytes) / kMB / seconds;
    readerJson[u"digest"_s] = contents->digest;
    readerJson[u"diffId"_s] = contents->diffId;
    readerJson[u"keptFiles"_s] = QJsonValue(qint64(contents->keptFiles.size()));
    readerJson[u"sha256"_s] = StreamHasher::usesOpenSsl() ? u"openssl"_s : u"qt"_s;
    result[u"layerReader"_s] = readerJson;
    result[u"compressedBytes"_s] = QJsonValue(contents->compressedBytes);
    result[u"uncompressedBytes"_s] = QJsonValue(contents->uncompressedBytes);
    result[u"entries"_s] = QJsonValue(contents->entryCount);
    result[u"peakRssKiB"_s] = QJsonValue(qint64(usage.ru_maxrss));

    // (b) the reference pipeline (two processes, so two cores) on the same, now cached, file.
    const QString quoted = u'\'' + QString(path).replace(u"'"_s, u"'\\''"_s) + u'\'';
    const double gzipTar = runShell(u"gzip -dc "_s + quoted + u" | tar -t >/dev/null"_s);
    const double gzipOnly = runShell(u"gzip -dc "_s + quoted + u" >/dev/null"_s);
    result[u"gzipTarSeconds"_s] = gzipTar;
    result[u"gzipOnlySeconds"_s] = gzipOnly;
    result[u"readerVsGzipTar"_s] = gzipTar > 0 ? seconds / gzipTar : -1.0;
    printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    return 0;
}
