#include "ApkInstalledParser.h"
#include "DpkgStatusParser.h"
#include "LayerMerger.h"
#include "PackageDbCollector.h"
#include "RpmDbParser.h"
#include "RpmHeaderParser.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace {

QByteArray readData(const QString &relative)
{
    QFile f(QStringLiteral(WHARF_TEST_DATA_DIR) + u'/' + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(f.fileName()));
    return f.readAll();
}

const InstalledPackage *find(const QList<InstalledPackage> &packages, const QString &name)
{
    for (const InstalledPackage &p : packages) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QSet<QString> sourceNames(const QList<InstalledPackage> &packages)
{
    QSet<QString> out;
    for (const InstalledPackage &p : packages)
        out.insert(p.sourceName);
    return out;
}

// A minimal RPM header blob (rpmdb.sqlite form): entries are {tag, type, payload, count}.
struct RpmEntry
{
    quint32 tag;
    quint32 type;
    QByteArray payload;
    quint32 count = 1;
};

QByteArray be32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToBigEndian(v, b.data());
    return b;
}

QByteArray rpmHeader(const QList<RpmEntry> &entries)
{
    QByteArray index;
    QByteArray store;
    for (const RpmEntry &e : entries) {
        if (e.type == 4) // INT32 is 4-byte aligned in the store
            while (store.size() % 4)
                store.append('\0');
        index += be32(e.tag) + be32(e.type) + be32(quint32(store.size())) + be32(e.count);
        store += e.payload;
    }
    return be32(quint32(entries.size())) + be32(quint32(store.size())) + index + store;
}

RpmEntry str(quint32 tag, const QByteArray &s)
{
    return {tag, 6, s + '\0'};
}

QByteArray rpmPackage(const QByteArray &name, const QByteArray &version, const QByteArray &release,
                      int epoch, const QByteArray &arch, const QByteArray &sourceRpm)
{
    QList<RpmEntry> entries{str(1000, name), str(1001, version), str(1002, release),
                            str(1022, arch)};
    if (epoch >= 0)
        entries.append({1003, 4, be32(quint32(epoch))});
    if (!sourceRpm.isEmpty())
        entries.append(str(1044, sourceRpm));
    return rpmHeader(entries);
}

} // namespace

class TestPackageParsers : public QObject
{
    Q_OBJECT

private slots:
    void realDatabases_data();
    void realDatabases();
    void ubuntuEntries();
    void debianEntries();
    void alpineEntries();
    void distrolessStatusDir();
    void dpkgStatusStates();
    void dpkgFormatVariants();
    void apkVariants();
    void truncatedInputs_data();
    void truncatedInputs();
    void garbageInputs();
    void oversizedInputRefused();
    void rpmHeader();
    void rpmHeaderGarbage();
    void rpmSourceRpmNames_data();
    void rpmSourceRpmNames();
    void rpmSqlite();
    void rpmSqliteGarbage();
};

void TestPackageParsers::realDatabases_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("packages");
    QTest::addColumn<int>("sources");
    QTest::newRow("ubuntu 22.04") << u"pkgdb/ubuntu-22.04-dpkg-status"_s << u"deb"_s << 117 << 79;
    QTest::newRow("debian 12") << u"pkgdb/debian-12-dpkg-status"_s << u"deb"_s << 140 << 99;
    QTest::newRow("alpine 3.20") << u"pkgdb/alpine-3.20-apk-installed"_s << u"apk"_s << 36 << 27;
}

void TestPackageParsers::realDatabases()
{
    QFETCH(QString, file);
    QFETCH(QString, kind);
    QFETCH(int, packages);
    QFETCH(int, sources);
    const QByteArray data = readData(file);
    QStringList warnings;
    const QList<InstalledPackage> list =
        kind == u"deb"
            ? DpkgStatusParser::parse(data, DpkgStatusParser::StatusField::Required, &warnings)
            : ApkInstalledParser::parse(data, &warnings);
    QCOMPARE(list.size(), packages);
    QCOMPARE(sourceNames(list).size(), sources);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u"; ")));
    for (const InstalledPackage &p : list) {
        QVERIFY(!p.name.isEmpty());
        QVERIFY(!p.version.isEmpty());
        QVERIFY(!p.sourceName.isEmpty());
        QVERIFY(!p.sourceVersion.isEmpty());
        QCOMPARE(p.layerIndex, -1);
        QCOMPARE(InstalledPackage::kindName(p.kind), kind);
    }
}

void TestPackageParsers::ubuntuEntries()
{
    const QList<InstalledPackage> list = DpkgStatusParser::parse(
        readData(u"pkgdb/ubuntu-22.04-dpkg-status"_s), DpkgStatusParser::StatusField::Required);
    // "Source: name (version)": the binary carries an epoch the source version does not.
    const InstalledPackage *bsdutils = find(list, u"bsdutils"_s);
    QVERIFY(bsdutils);
    QCOMPARE(bsdutils->version, u"1:2.37.2-4ubuntu3.4"_s);
    QCOMPARE(bsdutils->sourceName, u"util-linux"_s);
    QCOMPARE(bsdutils->sourceVersion, u"2.37.2-4ubuntu3.4"_s);
    QCOMPARE(bsdutils->architecture, u"amd64"_s);
    // No Source field: the binary is its own source.
    const InstalledPackage *baseFiles = find(list, u"base-files"_s);
    QVERIFY(baseFiles);
    QCOMPARE(baseFiles->version, u"12ubuntu4.7"_s);
    QCOMPARE(baseFiles->sourceName, u"base-files"_s);
    QCOMPARE(baseFiles->sourceVersion, u"12ubuntu4.7"_s);
    const InstalledPackage *apt = find(list, u"apt"_s);
    QVERIFY(apt);
    QCOMPARE(apt->version, u"2.4.14"_s);
    // "Source: name" without version: the binary version is the source version.
    const InstalledPackage *libssl = find(list, u"libssl3"_s);
    QVERIFY(libssl);
    QCOMPARE(libssl->sourceName, u"openssl"_s);
    QCOMPARE(libssl->sourceVersion, u"3.0.2-0ubuntu1.20"_s);
    const InstalledPackage *libc = find(list, u"libc6"_s);
    QVERIFY(libc);
    QCOMPARE(libc->sourceName, u"glibc"_s);
    QCOMPARE(libc->version, u"2.35-0ubuntu3.11"_s);
    const InstalledPackage *gpgv = find(list, u"gpgv"_s);
    QVERIFY(gpgv);
    QCOMPARE(gpgv->sourceName, u"gnupg2"_s);
    QCOMPARE(gpgv->sourceVersion, u"2.2.27-3ubuntu2.4"_s);
    const InstalledPackage *libcap = find(list, u"libcap2"_s);
    QVERIFY(libcap);
    QCOMPARE(libcap->version, u"1:2.44-1ubuntu0.22.04.2"_s);
    QCOMPARE(libcap->sourceVersion, u"1:2.44-1ubuntu0.22.04.2"_s);
}

void TestPackageParsers::debianEntries()
{
    const QList<InstalledPackage> list = DpkgStatusParser::parse(
        readData(u"pkgdb/debian-12-dpkg-status"_s), DpkgStatusParser::StatusField::Required);
    const InstalledPackage *bash = find(list, u"bash"_s);
    QVERIFY(bash);
    // binNMU: binary 5.2.15-2+b7 built from source 5.2.15-2.
    QCOMPARE(bash->version, u"5.2.15-2+b7"_s);
    QCOMPARE(bash->sourceName, u"bash"_s);
    QCOMPARE(bash->sourceVersion, u"5.2.15-2"_s);
    const InstalledPackage *baseFiles = find(list, u"base-files"_s);
    QVERIFY(baseFiles);
    QCOMPARE(baseFiles->version, u"12.4+deb12u9"_s);
    const InstalledPackage *libssl = find(list, u"libssl3"_s);
    QVERIFY(libssl);
    QCOMPARE(libssl->version, u"3.0.15-1~deb12u1"_s);
    QCOMPARE(libssl->sourceName, u"openssl"_s);
    const InstalledPackage *zlib = find(list, u"zlib1g"_s);
    QVERIFY(zlib);
    QCOMPARE(zlib->version, u"1:1.2.13.dfsg-1"_s);
    QCOMPARE(zlib->sourceName, u"zlib"_s);
    // Only the library of curl is installed; the README's "curl" is its source package.
    QVERIFY(!find(list, u"curl"_s));
    const InstalledPackage *curl = find(list, u"libcurl3-gnutls"_s);
    QVERIFY(curl);
    QCOMPARE(curl->version, u"7.88.1-10+deb12u8"_s);
    QCOMPARE(curl->sourceName, u"curl"_s);
    const InstalledPackage *git = find(list, u"git"_s);
    QVERIFY(git);
    QCOMPARE(git->version, u"1:2.39.5-0+deb12u2"_s);
}

void TestPackageParsers::alpineEntries()
{
    const QList<InstalledPackage> list =
        ApkInstalledParser::parse(readData(u"pkgdb/alpine-3.20-apk-installed"_s));
    const InstalledPackage *rundeps = find(list, u".python-rundeps"_s);
    QVERIFY(rundeps);
    QCOMPARE(rundeps->sourceName, u".python-rundeps"_s); // no "o:" line
    QCOMPARE(rundeps->architecture, u"noarch"_s);
    const InstalledPackage *crypto = find(list, u"libcrypto3"_s);
    QVERIFY(crypto);
    QCOMPARE(crypto->version, u"3.3.2-r1"_s);
    QCOMPARE(crypto->sourceName, u"openssl"_s);
    QCOMPARE(crypto->sourceVersion, u"3.3.2-r1"_s);
    QCOMPARE(crypto->architecture, u"x86_64"_s);
    const InstalledPackage *ncurses = find(list, u"libncursesw"_s);
    QVERIFY(ncurses);
    QCOMPARE(ncurses->version, u"6.4_p20240420-r1"_s);
    QCOMPARE(ncurses->sourceName, u"ncurses"_s);
    const InstalledPackage *musl = find(list, u"musl"_s);
    QVERIFY(musl);
    QCOMPARE(musl->version, u"1.2.5-r0"_s);
    const InstalledPackage *busybox = find(list, u"ssl_client"_s);
    QVERIFY(busybox);
    QCOMPARE(busybox->sourceName, u"busybox"_s);
    QCOMPARE(busybox->version, u"1.36.1-r29"_s);
}

void TestPackageParsers::distrolessStatusDir()
{
    // As the layer reader would keep them: every status.d file except the md5sums.
    LayerContents layer;
    const QDir dir(QStringLiteral(WHARF_TEST_DATA_DIR) + u"/pkgdb/distroless-status.d"_s);
    const QStringList names = dir.entryList(QDir::Files);
    QCOMPARE(names.size(), 4);
    for (const QString &name : names) {
        const QString path = u"var/lib/dpkg/status.d/"_s + name;
        if (LayerPaths::classify(path.toUtf8()) == LayerPaths::Kind::PackageDb)
            layer.keptFiles.insert(path, readData(u"pkgdb/distroless-status.d/"_s + name));
    }
    QCOMPARE(layer.keptFiles.size(), 3);
    QVERIFY(!layer.keptFiles.contains(u"var/lib/dpkg/status.d/libc6.md5sums"_s));
    LayerMerger merger;
    merger.apply(layer);
    QStringList warnings;
    const QList<InstalledPackage> list = PackageDbCollector::collect(merger.tree(), &warnings);
    QCOMPARE(list.size(), 3);
    QVERIFY(warnings.isEmpty());
    const InstalledPackage *libc = find(list, u"libc6"_s);
    QVERIFY(libc);
    QCOMPARE(libc->version, u"2.36-9+deb12u7"_s);
    QCOMPARE(libc->sourceName, u"glibc"_s);
    QCOMPARE(libc->sourceVersion, u"2.36-9+deb12u7"_s);
    const InstalledPackage *libssl = find(list, u"libssl3"_s);
    QVERIFY(libssl);
    QCOMPARE(libssl->sourceName, u"openssl"_s);
    QCOMPARE(libssl->version, u"3.0.14-1~deb12u2"_s);
    const InstalledPackage *openssl = find(list, u"openssl"_s);
    QVERIFY(openssl);
    QCOMPARE(openssl->sourceName, u"openssl"_s);
}

void TestPackageParsers::dpkgStatusStates()
{
    const QByteArray data = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
                            "Package: b\nStatus: deinstall ok config-files\nVersion: 2\n\n"
                            "Package: c\nStatus: install ok half-installed\nVersion: 3\n\n"
                            "Package: d\nStatus: hold ok installed\nVersion: 4\n\n"
                            "Package: e\nVersion: 5\n\n"
                            "Package: f\nStatus: install ok unpacked\nVersion: 6\n";
    const QList<InstalledPackage> status =
        DpkgStatusParser::parse(data, DpkgStatusParser::StatusField::Required);
    QStringList names;
    for (const InstalledPackage &p : status)
        names << p.name;
    QCOMPARE(names, (QStringList{u"a"_s, u"d"_s}));
    // In status.d a stanza without Status is installed; a Status field still counts.
    const QList<InstalledPackage> statusD =
        DpkgStatusParser::parse(data, DpkgStatusParser::StatusField::Optional);
    names.clear();
    for (const InstalledPackage &p : statusD)
        names << p.name;
    QCOMPARE(names, (QStringList{u"a"_s, u"d"_s, u"e"_s}));
}

void TestPackageParsers::dpkgFormatVariants()
{
    // CRLF, lower-case field names, continuation lines that look like fields, whitespace-only
    // separator lines, several blank lines, no trailing newline.
    const QByteArray data = "package: one\r\nstatus: install ok installed\r\n"
                            "Description: first\r\n Package: fake\r\n Version: 9\r\n"
                            "version: 1.0-1\r\nSOURCE: src-one (0.9-1)\r\n"
                            "Architecture: arm64\r\n  \t \r\n\n\n"
                            "Package: two\nStatus: install ok installed\nVersion: 2:3.4\n"
                            "Source: src-two\nArchitecture: all";
    QStringList warnings;
    const QList<InstalledPackage> list =
        DpkgStatusParser::parse(data, DpkgStatusParser::StatusField::Required, &warnings);
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0].name, u"one"_s);
    QCOMPARE(list[0].version, u"1.0-1"_s);
    QCOMPARE(list[0].sourceName, u"src-one"_s);
    QCOMPARE(list[0].sourceVersion, u"0.9-1"_s);
    QCOMPARE(list[0].architecture, u"arm64"_s);
    QCOMPARE(list[1].name, u"two"_s);
    QCOMPARE(list[1].version, u"2:3.4"_s);
    QCOMPARE(list[1].sourceName, u"src-two"_s);
    QCOMPARE(list[1].sourceVersion, u"2:3.4"_s);
    QVERIFY(warnings.isEmpty());

    // An installed stanza without Version is reported, not invented.
    warnings.clear();
    const QList<InstalledPackage> partial = DpkgStatusParser::parse(
        "Package: x\nStatus: install ok installed\n\nPackage: y\nStatus: install ok installed\n"
        "Version: 1\n",
        DpkgStatusParser::StatusField::Required, &warnings);
    QCOMPARE(partial.size(), 1);
    QCOMPARE(partial[0].name, u"y"_s);
    QCOMPARE(warnings.size(), 1);
}

void TestPackageParsers::apkVariants()
{
    const QByteArray data = "C:Q1abc=\nP:first\nV:1.0-r0\nA:aarch64\no:origin-a\n\n\n"
                            "P:second\r\nV:2.0-r1\r\n\r\n"
                            "P:noversion\n\n"
                            "garbage line\nX\n:\nP:third\nV:3_rc1-r2\no:\n";
    QStringList warnings;
    const QList<InstalledPackage> list = ApkInstalledParser::parse(data, &warnings);
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0].name, u"first"_s);
    QCOMPARE(list[0].sourceName, u"origin-a"_s);
    QCOMPARE(list[0].architecture, u"aarch64"_s);
    QCOMPARE(list[1].name, u"second"_s);
    QCOMPARE(list[1].version, u"2.0-r1"_s);
    QCOMPARE(list[1].sourceName, u"second"_s);
    QCOMPARE(list[2].name, u"third"_s);
    QCOMPARE(list[2].version, u"3_rc1-r2"_s);
    QCOMPARE(list[2].sourceName, u"third"_s); // empty origin = no origin
    QCOMPARE(warnings.size(), 1);             // "noversion"
}

void TestPackageParsers::truncatedInputs_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("ubuntu") << u"pkgdb/ubuntu-22.04-dpkg-status"_s;
    QTest::newRow("debian") << u"pkgdb/debian-12-dpkg-status"_s;
    QTest::newRow("alpine") << u"pkgdb/alpine-3.20-apk-installed"_s;
}

void TestPackageParsers::truncatedInputs()
{
    QFETCH(QString, file);
    const QByteArray data = readData(file);
    const bool apk = file.contains(u"apk");
    auto parse = [&](QByteArrayView bytes) {
        return apk ? ApkInstalledParser::parse(bytes)
                   : DpkgStatusParser::parse(bytes, DpkgStatusParser::StatusField::Required);
    };
    const QList<InstalledPackage> full = parse(data);
    // Every cut: the packages before the cut are exactly the full list's first ones; only the
    // last one may differ (its Version line may be cut short).
    int lastCount = 0;
    for (qsizetype cut = 0; cut <= data.size(); cut += (cut < 4096 ? 13 : 997)) {
        const QList<InstalledPackage> part = parse(QByteArrayView(data).first(cut));
        QVERIFY(part.size() <= full.size());
        QVERIFY2(part.size() >= lastCount, "a longer prefix lost packages");
        for (qsizetype i = 0; i + 1 < part.size(); ++i)
            QCOMPARE(part[i], full[i]);
        if (!part.isEmpty())
            QCOMPARE(part.last().name, full[part.size() - 1].name);
        lastCount = int(part.size());
    }
    QCOMPARE(parse(data).size(), full.size());
}

void TestPackageParsers::garbageInputs()
{
    QRandomGenerator rng(42);
    for (int round = 0; round < 200; ++round) {
        QByteArray junk(int(rng.bounded(1, 4096)), Qt::Uninitialized);
        for (char &c : junk) {
            // Mix in the structural bytes the parsers look for.
            static const char alphabet[] = "P:V:o:\n\n :()Package:Version:Status installed\r\t";
            c = rng.bounded(3) == 0 ? alphabet[rng.bounded(int(sizeof(alphabet) - 1))]
                                    : char(rng.bounded(256));
        }
        const QList<InstalledPackage> deb =
            DpkgStatusParser::parse(junk, DpkgStatusParser::StatusField::Optional);
        const QList<InstalledPackage> apk = ApkInstalledParser::parse(junk);
        for (const InstalledPackage &p : deb + apk) {
            QVERIFY(!p.name.isEmpty());
            QVERIFY(!p.version.isEmpty());
        }
        QString error;
        if (const auto rpm = RpmHeaderParser::parse(junk, &error))
            QVERIFY(!rpm->name.isEmpty());
        else
            QVERIFY(!error.isEmpty());
    }
    QVERIFY(DpkgStatusParser::parse({}, DpkgStatusParser::StatusField::Required).isEmpty());
    QVERIFY(ApkInstalledParser::parse(QByteArray(100000, '\0')).isEmpty());
}

void TestPackageParsers::oversizedInputRefused()
{
    const QByteArray data = readData(u"pkgdb/debian-12-dpkg-status"_s);
    QStringList warnings;
    QVERIFY(DpkgStatusParser::parse(data, DpkgStatusParser::StatusField::Required, &warnings, 1000)
                .isEmpty());
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0].contains(u"1000"));
    warnings.clear();
    QVERIFY(ApkInstalledParser::parse(readData(u"pkgdb/alpine-3.20-apk-installed"_s), &warnings, 10)
                .isEmpty());
    QCOMPARE(warnings.size(), 1);
}

void TestPackageParsers::rpmHeader()
{
    QString error;
    const auto p = RpmHeaderParser::parse(
        rpmPackage("openssl-libs", "3.0.7", "24.el9", 1, "x86_64", "openssl-3.0.7-24.el9.src.rpm"),
        &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(p->kind, InstalledPackage::Kind::Rpm);
    QCOMPARE(p->name, u"openssl-libs"_s);
    QCOMPARE(p->version, u"1:3.0.7-24.el9"_s);
    QCOMPARE(p->architecture, u"x86_64"_s);
    QCOMPARE(p->sourceName, u"openssl"_s);
    QCOMPARE(p->sourceVersion, u"1:3.0.7-24.el9"_s);

    // Epoch 0 and absent epoch print alike; no SOURCERPM = own source.
    const auto noEpoch =
        RpmHeaderParser::parse(rpmPackage("bash", "5.1.8", "6.el9", 0, "x86_64", {}));
    QVERIFY(noEpoch);
    QCOMPARE(noEpoch->version, u"5.1.8-6.el9"_s);
    QCOMPARE(noEpoch->sourceName, u"bash"_s);
    QCOMPARE(noEpoch->sourceVersion, u"5.1.8-6.el9"_s);

    // Entries in any order, a STRING_ARRAY and unrelated tags in between.
    const QByteArray shuffled = ::rpmHeader({{1022, 6, "noarch\0"_ba},
                                             {100, 8, "C\0en\0"_ba, 2},
                                             str(1001, "2.1"),
                                             str(1000, "dash-name-pkg"),
                                             str(1044, "dash-name-pkg-2.1-3.fc39.src.rpm"),
                                             str(1002, "3.fc39")});
    const auto s = RpmHeaderParser::parse(shuffled);
    QVERIFY(s);
    QCOMPARE(s->name, u"dash-name-pkg"_s);
    QCOMPARE(s->version, u"2.1-3.fc39"_s);
    QCOMPARE(s->sourceName, u"dash-name-pkg"_s);
    QCOMPARE(s->sourceVersion, u"2.1-3.fc39"_s);
    QCOMPARE(s->architecture, u"noarch"_s);
}

void TestPackageParsers::rpmHeaderGarbage()
{
    const QByteArray good =
        rpmPackage("zlib", "1.2.11", "40.el9", -1, "x86_64", "zlib-1.2.11-40.el9.src.rpm");
    QVERIFY(RpmHeaderParser::parse(good));
    // Every truncation fails cleanly (the data store is at the end, so any cut breaks it).
    for (qsizetype cut = 0; cut < good.size(); ++cut) {
        QString error;
        QVERIFY(!RpmHeaderParser::parse(QByteArrayView(good).first(cut), &error));
        QVERIFY(!error.isEmpty());
    }
    // Offsets outside the store, a string without NUL, huge counts, wrong types.
    QVERIFY(!RpmHeaderParser::parse(::rpmHeader({str(1001, "1"), {1000, 6, "abc"_ba}})));
    QByteArray badOffset = good;
    qToBigEndian(quint32(0x7fffffff), badOffset.data() + 8 + 8); // entry 0 offset
    QVERIFY(!RpmHeaderParser::parse(badOffset));
    QByteArray hugeIndex = good;
    qToBigEndian(quint32(0xffffffff), hugeIndex.data());
    QVERIFY(!RpmHeaderParser::parse(hugeIndex));
    QByteArray hugeData = good;
    qToBigEndian(quint32(0x7ffffff0), hugeData.data() + 4);
    QVERIFY(!RpmHeaderParser::parse(hugeData));
    QVERIFY(!RpmHeaderParser::parse(::rpmHeader({{1000, 4, be32(7)}, str(1001, "1")})));
    // An EPOCH whose INT32 would run past the store is ignored, not read out of bounds.
    const auto shortEpoch =
        RpmHeaderParser::parse(::rpmHeader({str(1000, "n"), str(1001, "1"), {1003, 4, "\0\0"_ba}}));
    QVERIFY(shortEpoch);
    QCOMPARE(shortEpoch->version, u"1"_s);
    // Random mutations of a valid header never crash.
    QRandomGenerator rng(7);
    for (int i = 0; i < 2000; ++i) {
        QByteArray mutated = good;
        for (int k = 0; k < 4; ++k)
            mutated[rng.bounded(int(mutated.size()))] = char(rng.bounded(256));
        const auto p = RpmHeaderParser::parse(mutated);
        if (p)
            QVERIFY(!p->name.isEmpty());
    }
}

void TestPackageParsers::rpmSourceRpmNames_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("versionRelease");
    QTest::newRow("simple") << u"glibc-2.34-60.el9.src.rpm"_s << u"glibc"_s << u"2.34-60.el9"_s;
    QTest::newRow("dashes") << u"python-setuptools-53.0.0-12.el9.src.rpm"_s
                            << u"python-setuptools"_s << u"53.0.0-12.el9"_s;
    QTest::newRow("nosrc") << u"foo-1-2.nosrc.rpm"_s << u"foo"_s << u"1-2"_s;
    QTest::newRow("no release") << u"foo-1.src.rpm"_s << QString() << QString();
    QTest::newRow("not srpm") << u"foo-1-2.x86_64.rpm"_s << QString() << QString();
    QTest::newRow("empty parts") << u"-1-2.src.rpm"_s << QString() << QString();
    QTest::newRow("trailing dash") << u"foo-1-.src.rpm"_s << QString() << QString();
}

void TestPackageParsers::rpmSourceRpmNames()
{
    QFETCH(QString, file);
    QFETCH(QString, name);
    QFETCH(QString, versionRelease);
    const auto parsed = RpmHeaderParser::parseSourceRpm(file);
    QCOMPARE(bool(parsed), !name.isEmpty());
    if (parsed) {
        QCOMPARE(parsed->name, name);
        QCOMPARE(parsed->versionRelease, versionRelease);
    }
}

void TestPackageParsers::rpmSqlite()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"rpmdb.sqlite"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"writer"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(
            u"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)"_s));
        const QList<QByteArray> blobs{
            rpmPackage("bash", "5.1.8", "6.el9_1", -1, "x86_64", "bash-5.1.8-6.el9_1.src.rpm"),
            rpmPackage("openssl-libs", "3.0.7", "24.el9", 1, "x86_64",
                       "openssl-3.0.7-24.el9.src.rpm"),
            rpmPackage("gpg-pubkey", "fd431d51", "4ae0493b", -1, {}, {}),
            "definitely not an rpm header"_ba,
            rpmPackage("tzdata", "2024a", "1.el9", -1, "noarch", "tzdata-2024a-1.el9.src.rpm"),
        };
        for (const QByteArray &blob : blobs) {
            QVERIFY(q.prepare(u"INSERT INTO Packages (blob) VALUES (?)"_s));
            q.addBindValue(blob);
            QVERIFY(q.exec());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"writer"_s);

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QStringList warnings;
    const QList<InstalledPackage> list = RpmDbParser::parse(bytes, &warnings);
    QCOMPARE(list.size(), 3); // gpg-pubkey skipped, garbage reported
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0].startsWith(u"1 unreadable"));
    QCOMPARE(list[0].name, u"bash"_s);
    QCOMPARE(list[0].sourceVersion, u"5.1.8-6.el9_1"_s);
    QCOMPARE(list[1].version, u"1:3.0.7-24.el9"_s);
    QCOMPARE(list[1].sourceName, u"openssl"_s);
    QCOMPARE(list[2].architecture, u"noarch"_s);

    // Through the collector, as it would come out of a layer.
    MergedTree tree;
    tree.setFile(u"var/lib/rpm/rpmdb.sqlite"_s, bytes);
    tree.setOther(u"var/lib/rpm/Packages"_s, 0);
    warnings.clear();
    QCOMPARE(PackageDbCollector::collect(tree, &warnings).size(), 3);
    QCOMPARE(warnings.size(), 1); // the garbage row; BDB is not mentioned when sqlite exists
}

void TestPackageParsers::rpmSqliteGarbage()
{
    QStringList warnings;
    QVERIFY(RpmDbParser::parse("SQLite format 3\0 but then nothing"_ba, &warnings).isEmpty());
    QCOMPARE(warnings.size(), 1);
    warnings.clear();
    QVERIFY(RpmDbParser::parse(QByteArray(5000, 'x'), &warnings).isEmpty());
    QCOMPARE(warnings.size(), 1);
    // A BDB database alone is reported as unsupported.
    MergedTree tree;
    tree.setOther(u"var/lib/rpm/Packages"_s, 123);
    warnings.clear();
    QVERIFY(PackageDbCollector::collect(tree, &warnings).isEmpty());
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0].contains(u"var/lib/rpm/Packages"));
}

QTEST_GUILESS_MAIN(TestPackageParsers)
#include "tst_PackageParsers.moc"
