#include "FileLayerSource.h"
#include "ImageAnalyzer.h"
#include "TestLayerBuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;
using namespace wharf::scan::test;

namespace {

QByteArray readData(const QString &relative)
{
    QFile f(QStringLiteral(WHARF_TEST_DATA_DIR) + u'/' + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(f.fileName()));
    return f.readAll();
}

// The first count stanzas of a dpkg status file.
QByteArray firstStanzas(const QByteArray &status, int count)
{
    qsizetype pos = 0;
    for (int i = 0; i < count; ++i) {
        pos = status.indexOf("\n\n", pos);
        if (pos < 0)
            return status;
        pos += 2;
    }
    return status.first(pos);
}

struct Image
{
    QList<ImageLayer> layers;
    QList<QByteArray> blobs;

    void add(const TestLayerBuilder &builder, LayerCompression compression,
             const QString &createdBy)
    {
        const auto built = builder.build(compression);
        layers.append({built.digest, built.blob.size(), built.mediaType, built.diffId, createdBy});
        blobs.append(built.blob);
    }
    ImageAnalyzer::SourceFactory factory(QList<int> *opened = nullptr) const
    {
        return [this, opened](int index, const ImageLayer &layer,
                              QString *) -> std::unique_ptr<LayerSource> {
            if (opened)
                opened->append(index);
            if (layer.digest != layers[index].digest)
                return nullptr;
            return std::make_unique<BufferSource>(blobs[index], 8192);
        };
    }
};

Image ubuntuImage()
{
    const QByteArray status = readData(u"pkgdb/ubuntu-22.04-dpkg-status"_s);
    Image image;
    image.add(
        TestLayerBuilder()
            .file(u"usr/lib/os-release"_s,
                  "PRETTY_NAME=\"Ubuntu 22.04.5 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
                  "ID=ubuntu\nID_LIKE=debian\n")
            .symlink(u"etc/os-release"_s, u"../usr/lib/os-release"_s)
            .file(u"etc/debian_version"_s, "bookworm/sid\n")
            .file(u"etc/lsb-release"_s, "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n")
            .file(u"var/lib/dpkg/status"_s, firstStanzas(status, 100)),
        LayerCompression::Gzip, u"/bin/sh -c #(nop) ADD file:abc in / "_s);
    image.add(TestLayerBuilder().file(u"app/main.py"_s, "print('hi')\n"), LayerCompression::Tar,
              u"COPY app /app"_s);
    image.add(TestLayerBuilder().file(u"var/lib/dpkg/status"_s, status).whiteout(u"tmp/apt"_s),
              LayerCompression::Zstd, u"RUN apt-get install -y vim python3.10"_s);
    return image;
}

} // namespace

class TestImageAnalyzer : public QObject
{
    Q_OBJECT

private slots:
    void ubuntuImage();
    void alpineImageFromFiles();
    void distrolessImage();
    void wrongDiffIdFailsTheScan();
    void missingLayerSource();
    void cancel();
    void emptyImage();
};

void TestImageAnalyzer::ubuntuImage()
{
    const Image image = ::ubuntuImage();
    QList<int> opened;
    QList<int> started;
    qint64 lastTotal = 0;
    ImageAnalyzer analyzer(image.layers, image.factory(&opened));
    analyzer.setLayerStartedCallback([&](int index) { started.append(index); });
    analyzer.setProgressCallback([&](int, qint64, qint64 total) {
        QVERIFY(total >= lastTotal);
        lastTotal = total;
    });
    const auto inventory = analyzer.run();
    QVERIFY2(inventory, qPrintable(analyzer.errorString()));
    QCOMPARE(opened, (QList<int>{0, 1, 2}));
    QCOMPARE(started, (QList<int>{0, 1, 2}));
    QCOMPARE(lastTotal, image.blobs[0].size() + image.blobs[1].size() + image.blobs[2].size());

    QCOMPARE(inventory->os.id, u"ubuntu"_s);
    QCOMPARE(inventory->os.ecosystem, u"Ubuntu:22.04:LTS"_s);
    QCOMPARE(inventory->os.prettyName, u"Ubuntu 22.04.5 LTS"_s);
    QCOMPARE(inventory->packages.size(), 117);
    int fromBase = 0;
    int fromInstall = 0;
    for (const InstalledPackage &p : inventory->packages) {
        QVERIFY(p.layerIndex == 0 || p.layerIndex == 2);
        (p.layerIndex == 0 ? fromBase : fromInstall)++;
    }
    QCOMPARE(fromBase, 100);
    QCOMPARE(fromInstall, 17);

    QCOMPARE(inventory->layers.size(), 3);
    QCOMPARE(inventory->layers[0].packagesIntroduced, 100);
    QCOMPARE(inventory->layers[1].packagesIntroduced, 0);
    QCOMPARE(inventory->layers[2].packagesIntroduced, 17);
    for (int i = 0; i < 3; ++i) {
        const LayerSummary &s = inventory->layers[i];
        QCOMPARE(s.index, i);
        QCOMPARE(s.digest, image.layers[i].digest);
        QCOMPARE(s.diffId, image.layers[i].diffId);
        QCOMPARE(s.createdBy, image.layers[i].createdBy);
        QCOMPARE(s.compressedBytes, image.blobs[i].size());
        QVERIFY(s.uncompressedBytes > 0);
    }
    QCOMPARE(inventory->layers[2].compression, LayerCompression::Zstd);
    QVERIFY2(inventory->warnings.isEmpty(), qPrintable(inventory->warnings.join(u"; ")));
}

void TestImageAnalyzer::alpineImageFromFiles()
{
    // Blobs as files on disk (an OCI layout), read through FileLayerSource.
    Image image;
    image.add(
        TestLayerBuilder()
            .file(u"etc/os-release"_s, "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n")
            .file(u"etc/alpine-release"_s, "3.20.3\n")
            .file(u"lib/apk/db/installed"_s, readData(u"pkgdb/alpine-3.20-apk-installed"_s)),
        LayerCompression::Gzip, u"ADD alpine-minirootfs.tar.gz /"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList paths;
    for (int i = 0; i < image.blobs.size(); ++i) {
        QFile f(dir.filePath(QString::number(i)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(image.blobs[i]);
        paths << f.fileName();
    }
    ImageAnalyzer analyzer(
        image.layers,
        [&](int index, const ImageLayer &, QString *error) -> std::unique_ptr<LayerSource> {
            auto source = std::make_unique<FileLayerSource>(paths[index]);
            if (!source->open()) {
                *error = source->errorString();
                return nullptr;
            }
            return source;
        });
    const auto inventory = analyzer.run();
    QVERIFY2(inventory, qPrintable(analyzer.errorString()));
    QCOMPARE(inventory->os.ecosystem, u"Alpine:v3.20"_s);
    QCOMPARE(inventory->packages.size(), 36);
    for (const InstalledPackage &p : inventory->packages) {
        QCOMPARE(p.kind, InstalledPackage::Kind::Apk);
        QCOMPARE(p.layerIndex, 0);
    }
}

void TestImageAnalyzer::distrolessImage()
{
    Image image;
    TestLayerBuilder base;
    base.file(u"etc/os-release"_s, "PRETTY_NAME=\"Distroless\"\nID=debian\nVERSION_ID=\"12\"\n");
    for (const QString &name : {u"libc6"_s, u"libc6.md5sums"_s, u"libssl3"_s, u"openssl"_s})
        base.file(u"var/lib/dpkg/status.d/"_s + name,
                  readData(u"pkgdb/distroless-status.d/"_s + name));
    image.add(base, LayerCompression::Gzip, u"bazel build"_s);
    ImageAnalyzer analyzer(image.layers, image.factory());
    const auto inventory = analyzer.run();
    QVERIFY2(inventory, qPrintable(analyzer.errorString()));
    QCOMPARE(inventory->os.ecosystem, u"Debian:12"_s);
    QCOMPARE(inventory->packages.size(), 3);
    QStringList names;
    for (const InstalledPackage &p : inventory->packages)
        names << p.name + u'/' + p.sourceName;
    QCOMPARE(names, (QStringList{u"libc6/glibc"_s, u"libssl3/openssl"_s, u"openssl/openssl"_s}));
}

void TestImageAnalyzer::wrongDiffIdFailsTheScan()
{
    Image image = ::ubuntuImage();
    image.layers[1].diffId = image.layers[0].diffId;
    ImageAnalyzer analyzer(image.layers, image.factory());
    QVERIFY(!analyzer.run());
    QCOMPARE(analyzer.error(), LayerReader::ErrorKind::DiffIdMismatch);
    QCOMPARE(analyzer.failedLayer(), 1);
    QVERIFY(analyzer.errorString().startsWith(u"layer 2/3"));
    QVERIFY(analyzer.errorString().contains(image.layers[0].diffId));
}

void TestImageAnalyzer::missingLayerSource()
{
    const Image image = ::ubuntuImage();
    ImageAnalyzer analyzer(
        image.layers,
        [](int index, const ImageLayer &, QString *error) -> std::unique_ptr<LayerSource> {
            if (index == 2) {
                *error = u"blob unknown to registry"_s;
                return nullptr;
            }
            return std::make_unique<BufferSource>(QByteArray());
        });
    QVERIFY(!analyzer.run());
    // Layer 0's empty source fails its digest before layer 2 is even asked for.
    QCOMPARE(analyzer.failedLayer(), 0);
    QCOMPARE(analyzer.error(), LayerReader::ErrorKind::DigestMismatch);

    ImageAnalyzer second(
        image.layers,
        [&](int index, const ImageLayer &, QString *error) -> std::unique_ptr<LayerSource> {
            if (index == 2) {
                *error = u"blob unknown to registry"_s;
                return nullptr;
            }
            return std::make_unique<BufferSource>(image.blobs[index]);
        });
    QVERIFY(!second.run());
    QCOMPARE(second.failedLayer(), 2);
    QCOMPARE(second.error(), LayerReader::ErrorKind::Source);
    QVERIFY(second.errorString().contains(u"blob unknown to registry"));
}

void TestImageAnalyzer::cancel()
{
    const Image image = ::ubuntuImage();
    std::atomic_bool cancel{false};
    ImageAnalyzer analyzer(image.layers, image.factory());
    analyzer.setCancelFlag(&cancel);
    analyzer.setLayerStartedCallback([&](int index) {
        if (index == 1)
            cancel = true;
    });
    QVERIFY(!analyzer.run());
    QCOMPARE(analyzer.error(), LayerReader::ErrorKind::Cancelled);
    QCOMPARE(analyzer.failedLayer(), 1);
}

void TestImageAnalyzer::emptyImage()
{
    ImageAnalyzer analyzer({}, {});
    const auto inventory = analyzer.run();
    QVERIFY(inventory);
    QVERIFY(inventory->packages.isEmpty());
    QVERIFY(!inventory->os.isKnown());
    QCOMPARE(inventory->warnings.size(), 2);
}

QTEST_GUILESS_MAIN(TestImageAnalyzer)
#include "tst_ImageAnalyzer.moc"
