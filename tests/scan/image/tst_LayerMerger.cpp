#include "LayerMerger.h"
#include "LayerReader.h"
#include "OsDetector.h"
#include "PackageAttributor.h"
#include "PackageDbCollector.h"
#include "TestLayerBuilder.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::scan;
using namespace wharf::scan::test;

namespace {

QByteArray stanza(const QByteArray &name, const QByteArray &version)
{
    return "Package: " + name + "\nStatus: install ok installed\nVersion: " + version + "\n\n";
}

// Through the real reader, as the analyzer does it.
LayerContents readLayer(const TestLayerBuilder &builder)
{
    const auto layer = builder.build(LayerCompression::Gzip);
    BufferSource source(layer.blob);
    LayerReader reader;
    const auto contents =
        reader.read(source, {layer.digest, -1, layer.mediaType, layer.diffId, {}});
    if (!contents)
        qFatal("layer read failed: %s", qPrintable(reader.errorString()));
    return *contents;
}

QStringList names(const QList<InstalledPackage> &packages)
{
    QStringList out;
    for (const InstalledPackage &p : packages)
        out << p.name + u'=' + p.version + u'@' + QString::number(p.layerIndex);
    return out;
}

QList<InstalledPackage> attributed(const LayerMerger &merger)
{
    PackageAttributor attributor;
    for (int i = 0; i < merger.layerCount(); ++i)
        attributor.addLayer(PackageDbCollector::collect(merger.treeAfter(i)));
    QList<InstalledPackage> packages = PackageDbCollector::collect(merger.tree());
    attributor.attribute(packages);
    return packages;
}

} // namespace

class TestLayerMerger : public QObject
{
    Q_OBJECT

private slots:
    void whiteoutRemovesDpkgStatus();
    void whiteoutOfDirectory();
    void opaqueDirectory();
    void opaqueMarkerAfterOwnEntries();
    void whiteoutThenReAddInSameLayer();
    void rootOpaque();
    void replaceFileWithOther();
    void symlinkedOsRelease();
    void symlinkedDirectory();
    void symlinkLoop();
    void upgradeAttribution();
    void removeAndReinstall();
    void distrolessStatusDir();
    void historySnapshots();
};

void TestLayerMerger::whiteoutRemovesDpkgStatus()
{
    LayerMerger merger;
    merger.apply(
        readLayer(TestLayerBuilder()
                      .file(u"etc/os-release"_s, "ID=debian\nVERSION_ID=12\n")
                      .file(u"var/lib/dpkg/status"_s, stanza("a", "1") + stanza("b", "2"))));
    QCOMPARE(PackageDbCollector::collect(merger.tree()).size(), 2);
    merger.apply(readLayer(TestLayerBuilder().whiteout(u"var/lib/dpkg/status"_s)));
    QVERIFY(!merger.tree().files().contains(u"var/lib/dpkg/status"_s));
    QVERIFY(PackageDbCollector::collect(merger.tree()).isEmpty());
    // Other files are untouched.
    QCOMPARE(merger.tree().read(u"etc/os-release"_s),
             std::optional<QByteArray>("ID=debian\nVERSION_ID=12\n"));
    // The lower state is still available for attribution.
    QCOMPARE(PackageDbCollector::collect(merger.treeAfter(0)).size(), 2);
}

void TestLayerMerger::whiteoutOfDirectory()
{
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder()
                               .file(u"var/lib/dpkg/status"_s, stanza("a", "1"))
                               .file(u"var/lib/dpkg/status.d/x"_s, stanza("x", "1"))
                               .file(u"var/lib/dpkgX/unrelated"_s, "keep")
                               .file(u"etc/debian_version"_s, "12.1\n")));
    merger.apply(readLayer(TestLayerBuilder().whiteout(u"var/lib/dpkg"_s)));
    QVERIFY(!merger.tree().contains(u"var/lib/dpkg/status"_s));
    QVERIFY(!merger.tree().contains(u"var/lib/dpkg/status.d/x"_s));
    QVERIFY(merger.tree().contains(u"etc/debian_version"_s));
    QVERIFY(PackageDbCollector::collect(merger.tree()).isEmpty());
}

void TestLayerMerger::opaqueDirectory()
{
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder()
                               .file(u"var/lib/dpkg/status.d/a"_s, stanza("a", "1"))
                               .file(u"var/lib/dpkg/status.d/b"_s, stanza("b", "1"))
                               .file(u"var/lib/dpkg/status"_s, stanza("s", "1"))));
    merger.apply(readLayer(TestLayerBuilder()
                               .opaque(u"var/lib/dpkg/status.d"_s)
                               .file(u"var/lib/dpkg/status.d/c"_s, stanza("c", "1"))));
    QCOMPARE(names(attributed(merger)), (QStringList{u"c=1@1"_s, u"s=1@0"_s}));
}

void TestLayerMerger::opaqueMarkerAfterOwnEntries()
{
    // The marker hides lower children only, even when the tar lists it after the new ones.
    LayerMerger merger;
    merger.apply(
        readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status.d/a"_s, stanza("a", "1"))));
    merger.apply(readLayer(TestLayerBuilder()
                               .file(u"var/lib/dpkg/status.d/c"_s, stanza("c", "2"))
                               .opaque(u"var/lib/dpkg/status.d"_s)));
    QCOMPARE(names(attributed(merger)), QStringList{u"c=2@1"_s});
}

void TestLayerMerger::whiteoutThenReAddInSameLayer()
{
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder().file(u"etc/alpine-release"_s, "3.19.0\n")));
    merger.apply(readLayer(TestLayerBuilder()
                               .file(u"etc/alpine-release"_s, "3.20.3\n")
                               .whiteout(u"etc/alpine-release"_s)));
    QCOMPARE(merger.tree().read(u"etc/alpine-release"_s), std::optional<QByteArray>("3.20.3\n"));
    QCOMPARE(OsDetector::detect(merger.tree().resolvedFiles()).ecosystem, u"Alpine:v3.20"_s);
}

void TestLayerMerger::rootOpaque()
{
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder()
                               .file(u"etc/os-release"_s, "ID=debian\n")
                               .file(u"var/lib/dpkg/status"_s, stanza("a", "1"))));
    merger.apply(
        readLayer(TestLayerBuilder().opaque({}).file(u"etc/alpine-release"_s, "3.20.0\n")));
    QCOMPARE(merger.tree().files().keys(), QStringList{u"etc/alpine-release"_s});
}

void TestLayerMerger::replaceFileWithOther()
{
    // A lower file replaced by an over-size one (not read) is gone, not stale.
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status"_s, stanza("a", "1"))));
    LayerContents upper;
    upper.otherFiles.insert(u"var/lib/dpkg/status"_s, 999999999);
    merger.apply(upper);
    QVERIFY(!merger.tree().read(u"var/lib/dpkg/status"_s));
    QVERIFY(PackageDbCollector::collect(merger.tree()).isEmpty());
    // A non-directory where a directory was hides everything below it.
    merger.apply(
        readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status.d/z"_s, stanza("z", "1"))));
    merger.apply(readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status.d"_s, "not a dir")));
    QVERIFY(!merger.tree().contains(u"var/lib/dpkg/status.d/z"_s));
}

void TestLayerMerger::symlinkedOsRelease()
{
    // Debian and Ubuntu: etc/os-release -> ../usr/lib/os-release, even across layers.
    LayerMerger merger;
    merger.apply(readLayer(
        TestLayerBuilder().file(u"usr/lib/os-release"_s, "ID=ubuntu\nVERSION_ID=\"22.04\"\n")));
    merger.apply(readLayer(TestLayerBuilder()
                               .symlink(u"etc/os-release"_s, u"../usr/lib/os-release"_s)
                               .file(u"etc/debian_version"_s, "bookworm/sid\n")));
    QCOMPARE(merger.tree().read(u"etc/os-release"_s),
             std::optional<QByteArray>("ID=ubuntu\nVERSION_ID=\"22.04\"\n"));
    const OsInfo os = OsDetector::detect(merger.tree().resolvedFiles());
    QCOMPARE(os.ecosystem, u"Ubuntu:22.04:LTS"_s);
    // Absolute targets resolve from the root; a dangling link reads as nothing.
    MergedTree tree;
    tree.setFile(u"usr/lib/os-release"_s, "ID=a\n");
    tree.setSymlink(u"etc/os-release"_s, u"/usr/lib/os-release"_s);
    QCOMPARE(tree.read(u"etc/os-release"_s), std::optional<QByteArray>("ID=a\n"));
    tree.setSymlink(u"etc/lsb-release"_s, u"/nowhere"_s);
    QVERIFY(!tree.read(u"etc/lsb-release"_s));
}

void TestLayerMerger::symlinkedDirectory()
{
    // Merged /usr: lib -> usr/lib, the apk database only under usr/lib.
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder()
                               .symlink(u"lib"_s, u"usr/lib"_s)
                               .file(u"usr/lib/apk/db/installed"_s, "P:musl\nV:1.2.5-r0\n")));
    const QMap<QString, QByteArray> files = merger.tree().resolvedFiles();
    QCOMPARE(files.value(u"lib/apk/db/installed"_s), "P:musl\nV:1.2.5-r0\n"_ba);
    // Both paths name one database: the package is listed once.
    QCOMPARE(PackageDbCollector::collect(merger.tree()).size(), 1);
}

void TestLayerMerger::symlinkLoop()
{
    MergedTree tree;
    tree.setSymlink(u"etc/os-release"_s, u"os-release2"_s);
    tree.setSymlink(u"etc/os-release2"_s, u"os-release"_s);
    QVERIFY(!tree.read(u"etc/os-release"_s));
    tree.setSymlink(u"usr"_s, u"usr"_s);
    QVERIFY(!tree.read(u"usr/lib/os-release"_s));
    QVERIFY(tree.resolvedFiles().isEmpty());
}

void TestLayerMerger::upgradeAttribution()
{
    LayerMerger merger;
    merger.apply(readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status"_s,
                                                   stanza("a", "1.0") + stanza("b", "1.0"))));
    merger.apply(readLayer(TestLayerBuilder().file(u"usr/bin/tool"_s, "binary")));
    merger.apply(readLayer(TestLayerBuilder().file(
        u"var/lib/dpkg/status"_s, stanza("a", "1.1") + stanza("b", "1.0") + stanza("c", "3"))));
    merger.apply(readLayer(TestLayerBuilder().file(u"etc/motd"_s, "hi")));
    QCOMPARE(names(attributed(merger)), (QStringList{u"a=1.1@2"_s, u"b=1.0@0"_s, u"c=3@2"_s}));
}

void TestLayerMerger::removeAndReinstall()
{
    // Removed in layer 1, installed again (same version) in layer 2: layer 2 introduced it.
    LayerMerger merger;
    merger.apply(readLayer(
        TestLayerBuilder().file(u"var/lib/dpkg/status"_s, stanza("a", "1") + stanza("keep", "1"))));
    merger.apply(readLayer(TestLayerBuilder().file(u"var/lib/dpkg/status"_s, stanza("keep", "1"))));
    merger.apply(readLayer(
        TestLayerBuilder().file(u"var/lib/dpkg/status"_s, stanza("a", "1") + stanza("keep", "1"))));
    QCOMPARE(names(attributed(merger)), (QStringList{u"a=1@2"_s, u"keep=1@0"_s}));
}

void TestLayerMerger::distrolessStatusDir()
{
    // distroless: one file per package, the md5sums next to them, added layer by layer.
    LayerMerger merger;
    merger.apply(readLayer(
        TestLayerBuilder()
            .file(u"etc/os-release"_s, "ID=debian\nVERSION_ID=\"12\"\n")
            .file(u"var/lib/dpkg/status.d/base-files"_s, "Package: base-files\nVersion: 12.4\n")
            .file(u"var/lib/dpkg/status.d/base-files.md5sums"_s, "abc  etc/issue\n")));
    merger.apply(readLayer(
        TestLayerBuilder()
            .file(u"var/lib/dpkg/status.d/libssl3"_s,
                  "Package: libssl3\nVersion: 3.0.14-1~deb12u2\nSource: openssl\n")
            .file(u"var/lib/dpkg/status.d/libssl3.md5sums"_s, "abc  usr/lib/libssl.so.3\n")));
    const QList<InstalledPackage> packages = attributed(merger);
    QCOMPARE(names(packages),
             (QStringList{u"base-files=12.4@0"_s, u"libssl3=3.0.14-1~deb12u2@1"_s}));
    QCOMPARE(packages[1].sourceName, u"openssl"_s);
    QCOMPARE(OsDetector::detect(merger.tree().resolvedFiles()).ecosystem, u"Debian:12"_s);
}

void TestLayerMerger::historySnapshots()
{
    LayerMerger merger;
    QCOMPARE(merger.layerCount(), 0);
    merger.apply(readLayer(TestLayerBuilder().file(u"etc/debian_version"_s, "11.0\n")));
    merger.apply(readLayer(TestLayerBuilder().file(u"etc/debian_version"_s, "12.0\n")));
    QCOMPARE(merger.layerCount(), 2);
    QCOMPARE(merger.treeAfter(0).read(u"etc/debian_version"_s),
             std::optional<QByteArray>("11.0\n"));
    QCOMPARE(merger.treeAfter(1).read(u"etc/debian_version"_s),
             std::optional<QByteArray>("12.0\n"));
    QCOMPARE(merger.treeAfter(1), merger.tree());
    merger.clear();
    QCOMPARE(merger.layerCount(), 0);
    QVERIFY(merger.tree().files().isEmpty());
}

QTEST_GUILESS_MAIN(TestLayerMerger)
#include "tst_LayerMerger.moc"
