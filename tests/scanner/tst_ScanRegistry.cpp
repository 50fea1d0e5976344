// The scan service end to end against real registries: images built here from the real package
// databases in tests/data/pkgdb (and hand-made layers), pushed with skopeo, streamed back through
// RegistryLayerSource and matched against the real Ubuntu OSV records plus synthetic Alpine and
// Debian records. Every expected finding below was worked out by hand from the records (CVSS
// base scores computed from their vectors) and the installed versions.

#include "ScanFixtures.h"
#include "Skopeo.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include "client/RegistryClient.h"
#include "scan/service/RegistryLayerSource.h"
#include "scan/service/ScanJob.h"
#include "scan/service/ScanQueue.h"
#include "scan/service/ScanResultJson.h"
#include "scan/service/ScanResultStore.h"
#include "scan/service/TrivyEngine.h"
#include "scan/vuln/VulnerabilityDatabase.h"
#include "transport/NetworkPool.h"
#include "transport/RequestScheduler.h"
#include "transport/StreamFlow.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::scan;
namespace t = wharf::test;
using Fx = t::ScanFixtures;
using Compression = t::TarLayer::Compression;

namespace {

// What a test expects of one finding.
struct ExpectedFinding
{
    QString id;
    QString package;
    QString sourcePackage;
    QString installedVersion;
    QString fixedVersion;
    Severity severity;
    double cvss; // -1: none
    int layer;
};

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

bool runJob(Job *job, int timeoutMs = 120000)
{
    job->start();
    return waitFor([job] { return job->isFinished(); }, timeoutMs);
}

QString describe(const ScanResult &r)
{
    QStringList lines;
    for (const ScanFinding &f : r.findings)
        lines << u"%1 %2 [%3] %4 -> %5 %6 %7 L%8"_s
                     .arg(f.id, f.package, f.sourcePackage, f.installedVersion, f.fixedVersion,
                          severityName(f.severity),
                          f.cvssScore ? QString::number(*f.cvssScore) : u"-"_s)
                     .arg(f.layerIndex);
    return lines.join(u'\n');
}

// Compares findings (in the result's order: severity, then CVSS score) with the expectation.
void compareFindings(const ScanResult &r, const QList<ExpectedFinding> &expected)
{
    QVERIFY2(r.findings.size() == expected.size(), qPrintable(describe(r)));
    for (int i = 0; i < expected.size(); ++i) {
        const ScanFinding &f = r.findings[i];
        const ExpectedFinding &e = expected[i];
        const QByteArray where = u"finding %1 (%2)\n%3"_s.arg(i).arg(e.id, describe(r)).toUtf8();
        QVERIFY2(f.id == e.id, where.constData());
        QVERIFY2(f.package == e.package, where.constData());
        QVERIFY2(f.sourcePackage == e.sourcePackage, where.constData());
        QVERIFY2(f.installedVersion == e.installedVersion, where.constData());
        QVERIFY2(f.fixedVersion == e.fixedVersion, where.constData());
        QVERIFY2(f.severity == e.severity, where.constData());
        if (e.cvss < 0)
            QVERIFY2(!f.cvssScore, where.constData());
        else
            QVERIFY2(f.cvssScore && qFuzzyCompare(*f.cvssScore, e.cvss), where.constData());
        QVERIFY2(f.layerIndex == e.layer, where.constData());
        QVERIFY2(f.layerIndex < 0 || f.layerDigest == r.layers[f.layerIndex].digest,
                 where.constData());
        QVERIFY2(f.layerIndex < 0 || f.createdBy == r.layers[f.layerIndex].createdBy,
                 where.constData());
    }
}

const QString kUbuntuPretty = u"Ubuntu 22.04.5 LTS"_s;

// The Ubuntu image of tests/data/pkgdb/ubuntu-22.04-dpkg-status: the base layer without gpgv,
// a second layer installing it (so gnupg2's finding belongs to layer 1).
const QList<ExpectedFinding> kUbuntuFindings = {
    // openssl 3.0.2-0ubuntu1.20 < fixed …21; CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H = 9.8.
    {u"UBUNTU-CVE-2025-15467"_s, u"libssl3"_s, u"openssl"_s, u"3.0.2-0ubuntu1.20"_s,
     u"3.0.2-0ubuntu1.21"_s, Severity::Critical, 9.8, 0},
    // The USN: highest per-CVE vector in cves_map, AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H = 8.8.
    {u"USN-7980-1"_s, u"libssl3"_s, u"openssl"_s, u"3.0.2-0ubuntu1.20"_s, u"3.0.2-0ubuntu1.21"_s,
     Severity::High, 8.8, 0},
    // glibc unfixed for jammy; AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H = 8.4. Binaries libc-bin
    // and libc6; none is named glibc, so the first by name stands for them.
    {u"UBUNTU-CVE-2026-0861"_s, u"libc-bin"_s, u"glibc"_s, u"2.35-0ubuntu3.11"_s, QString(),
     Severity::High, 8.4, 0},
    // gnupg2 (gpgv) 2.2.27-3ubuntu2.4 < fixed …2.5; vectors 7.8 (S:C) and 7.0: highest wins.
    {u"UBUNTU-CVE-2025-68973"_s, u"gpgv"_s, u"gnupg2"_s, u"2.2.27-3ubuntu2.4"_s,
     u"2.2.27-3ubuntu2.5"_s, Severity::High, 7.8, 1},
    // shadow unfixed; AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N = 3.3.
    {u"UBUNTU-CVE-2023-29383"_s, u"login"_s, u"shadow"_s, u"1:4.8.1-2ubuntu2.2"_s, QString(),
     Severity::Low, 3.3, 0},
    // libgcrypt20: introduced 0 and no fix, no severity anywhere in the record.
    {u"CVE-2024-2236"_s, u"libgcrypt20"_s, u"libgcrypt20"_s, u"1.9.4-3ubuntu3"_s, QString(),
     Severity::Unknown, -1, 0},
};

} // namespace

class TestScanRegistry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void ubuntuImage();
    void zstdLayer();
    void upgradeInLaterLayer();
    void distrolessStatusD();
    void whiteoutRemovesPackage();
    void alpineSyntheticRecords();
    void multiPlatformChoice();
    void corruptLayerFailsAndStoresNothing();
    void noDatabaseFailsBeforeDownloading();
    void resultsPersistAndGoStale();
    void queueSharesScansOfOneDigest();
    void cancelStopsTransfersAndWorker();
    void backPressureKeepsWorkerFree();
    void backPressureOverTls();
    void missingBlob();
    void connectionDropMidLayer();
    void trivyEngineWithStandIn();

private:
    ScanResult scan(const QString &repository, const QString &reference,
                    ScanJob::Options options = {});
    // slack: what the transport may deliver beyond the buffer's capacity after pausing.
    void checkBackPressure(RegistryClient &client, const QString &repository,
                           const t::ScanFixtures::PushedImage &image, int layer, qint64 slack);
    QList<Fx::LayerSpec> ubuntuLayers(Compression baseCompression) const;
    QList<Fx::LayerSpec> bigLayers() const;

    t::TestRegistry m_registry;
    QTemporaryDir m_work;
    std::unique_ptr<t::OciLayout> m_layout;
    std::shared_ptr<NetworkPool> m_pool = std::make_shared<NetworkPool>(2);
    std::unique_ptr<RegistryClient> m_client;
    QString m_dbPath;
    Fx::PushedImage m_ubuntu;
    Fx::PushedImage m_ubuntuZstd;
    Fx::PushedImage m_upgrade;
    Fx::PushedImage m_distroless;
    Fx::PushedImage m_distrolessRemoved;
    Fx::PushedImage m_alpine;
    Fx::PushedImage m_corrupt;
    Fx::PushedImage m_big;
    QString m_multiDigest;
};

QList<Fx::LayerSpec> TestScanRegistry::ubuntuLayers(Compression baseCompression) const
{
    const QByteArray status = Fx::ubuntuStatus();
    return {
        {{t::TarEntry::directory(u"etc"_s),
          t::TarEntry::file(u"etc/os-release"_s,
                            Fx::osRelease(u"ubuntu"_s, u"22.04"_s, kUbuntuPretty)),
          t::TarEntry::file(u"etc/debian_version"_s, "bookworm/sid\n"),
          t::TarEntry::file(u"var/lib/dpkg/status"_s, Fx::withoutPackage(status, u"gpgv"_s))},
         baseCompression,
         u"ADD ubuntu-base.tar /"_s},
        {{t::TarEntry::file(u"var/lib/dpkg/status"_s, status),
          t::TarEntry::file(u"usr/bin/gpgv"_s, QByteArray(4096, '\x7f'), 0755)},
         Compression::Gzip,
         u"/bin/sh -c apt-get install -y gpgv"_s},
    };
}

QList<Fx::LayerSpec> TestScanRegistry::bigLayers() const
{
    // Incompressible content, so the blobs are as large as the data: three 24 MiB layers.
    QList<Fx::LayerSpec> layers = {
        {{t::TarEntry::file(u"etc/os-release"_s,
                            Fx::osRelease(u"ubuntu"_s, u"22.04"_s, kUbuntuPretty)),
          t::TarEntry::file(u"var/lib/dpkg/status"_s, Fx::ubuntuStatus())},
         Compression::Gzip,
         u"ADD base.tar /"_s}};
    QRandomGenerator rng(42);
    for (int i = 0; i < 3; ++i) {
        QByteArray data(24 * 1024 * 1024, Qt::Uninitialized);
        for (qsizetype at = 0; at < data.size(); at += 4) {
            const quint32 v = rng.generate();
            memcpy(data.data() + at, &v, 4);
        }
        layers.append({{t::TarEntry::file(u"opt/blob%1.bin"_s.arg(i), data)},
                       Compression::Gzip,
                       u"COPY blob%1.bin /opt/"_s.arg(i)});
    }
    return layers;
}

void TestScanRegistry::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_layout = std::make_unique<t::OciLayout>(m_work.filePath(u"layout"_s));

    // The vulnerability database: real Ubuntu records, synthetic Alpine and Debian ones.
    const QString zip = m_work.filePath(u"all.zip"_s);
    QVERIFY2(
        Fx::writeZip(zip, Fx::ubuntuRecords() + Fx::alpineRecords() + Fx::debianRecords(), &error),
        qPrintable(error));
    m_dbPath = m_work.filePath(u"vulnerabilities.db"_s);
    {
        VulnerabilityDatabase db;
        QVERIFY(db.open(m_dbPath));
        const auto report = db.importZip(zip, u"test"_s);
        QVERIFY2(report.ok, qPrintable(report.error));
        QCOMPARE(report.inserted, 12 + 9 + 2);
        QCOMPARE(report.malformed, 0);
    }

    QVERIFY2(Fx::push(m_registry, *m_layout, u"scan/ubuntu"_s, u"22.04"_s,
                      ubuntuLayers(Compression::Gzip), &m_ubuntu, &error),
             qPrintable(error));
    QVERIFY2(Fx::push(m_registry, *m_layout, u"scan/ubuntu"_s, u"zstd"_s,
                      ubuntuLayers(Compression::Zstd), &m_ubuntuZstd, &error),
             qPrintable(error));
    QCOMPARE(m_ubuntuZstd.image.layers[0].mediaType,
             u"application/vnd.oci.image.layer.v1.tar+zstd"_s);

    // Layer 0 has older libgcrypt20 and openssl; layer 1 upgrades both, openssl past the fix.
    {
        const QByteArray status = Fx::ubuntuStatus();
        QByteArray older = Fx::withVersion(status, u"libgcrypt20"_s, u"1.9.4-3ubuntu2"_s);
        QByteArray upgraded = Fx::withVersion(status, u"libssl3"_s, u"3.0.2-0ubuntu1.21"_s);
        QVERIFY(older != status && upgraded != status);
        QVERIFY2(
            Fx::push(m_registry, *m_layout, u"scan/upgrade"_s, u"1"_s,
                     {{{t::TarEntry::file(u"etc/os-release"_s,
                                          Fx::osRelease(u"ubuntu"_s, u"22.04"_s, kUbuntuPretty)),
                        t::TarEntry::file(u"var/lib/dpkg/status"_s, older)},
                       Compression::Gzip,
                       u"ADD ubuntu-base.tar /"_s},
                      {{t::TarEntry::file(u"var/lib/dpkg/status"_s, upgraded)},
                       Compression::Gzip,
                       u"/bin/sh -c apt-get upgrade -y"_s}},
                     &m_upgrade, &error),
            qPrintable(error));
    }

    // Distroless: one stanza per file in status.d (the real Trivy fixture), Debian 12.
    const QList<t::TarEntry> distrolessBase = {
        t::TarEntry::file(u"etc/os-release"_s,
                          Fx::osRelease(u"debian"_s, u"12"_s, u"Distroless"_s)),
        t::TarEntry::file(u"var/lib/dpkg/status.d/libc6"_s,
                          Fx::readData(u"pkgdb/distroless-status.d/libc6"_s)),
        t::TarEntry::file(u"var/lib/dpkg/status.d/libc6.md5sums"_s,
                          Fx::readData(u"pkgdb/distroless-status.d/libc6.md5sums"_s)),
        t::TarEntry::file(u"var/lib/dpkg/status.d/libssl3"_s,
                          Fx::readData(u"pkgdb/distroless-status.d/libssl3"_s)),
        t::TarEntry::file(u"var/lib/dpkg/status.d/openssl"_s,
                          Fx::readData(u"pkgdb/distroless-status.d/openssl"_s)),
    };
    QVERIFY2(Fx::push(m_registry, *m_layout, u"scan/distroless"_s, u"12"_s,
                      {{distrolessBase, Compression::Gzip, u"distroless base"_s}}, &m_distroless,
                      &error),
             qPrintable(error));
    QVERIFY2(Fx::push(m_registry, *m_layout, u"scan/distroless"_s, u"removed"_s,
                      {{distrolessBase, Compression::Gzip, u"distroless base"_s},
                       {{t::TarEntry::whiteout(u"var/lib/dpkg/status.d"_s, u"libssl3"_s),
                         t::TarEntry::whiteout(u"var/lib/dpkg/status.d"_s, u"openssl"_s)},
                        Compression::None,
                        u"RUN remove openssl"_s}},
                      &m_distrolessRemoved, &error),
             qPrintable(error));

    QVERIFY2(
        Fx::push(m_registry, *m_layout, u"scan/alpine"_s, u"3.20"_s,
                 {{{t::TarEntry::file(u"etc/os-release"_s, Fx::osRelease(u"alpine"_s, u"3.20.3"_s,
                                                                         u"Alpine Linux v3.20"_s)),
                    t::TarEntry::file(u"etc/alpine-release"_s, "3.20.3\n"),
                    t::TarEntry::file(u"lib/apk/db/installed"_s,
                                      Fx::readData(u"pkgdb/alpine-3.20-apk-installed"_s))},
                   Compression::Gzip,
                   u"ADD alpine-minirootfs.tar.gz /"_s}},
                 &m_alpine, &error),
        qPrintable(error));

    // An index: linux/arm64 (the Alpine layers) before linux/amd64 (the Ubuntu layers).
    {
        Fx::PushedImage arm;
        Fx::PushedImage amd;
        QVERIFY2(
            Fx::build(
                *m_layout, u"scan/multi"_s, u"arm"_s,
                {{{t::TarEntry::file(u"etc/os-release"_s, Fx::osRelease(u"alpine"_s, u"3.20.3"_s,
                                                                        u"Alpine Linux v3.20"_s)),
                   t::TarEntry::file(u"lib/apk/db/installed"_s,
                                     Fx::readData(u"pkgdb/alpine-3.20-apk-installed"_s))},
                  Compression::Gzip,
                  u"ADD alpine.tar /"_s}},
                t::Platform{u"linux"_s, u"arm64"_s, u"v8"_s, {}}, &arm, &error),
            qPrintable(error));
        QVERIFY2(Fx::build(*m_layout, u"scan/multi"_s, u"amd"_s, ubuntuLayers(Compression::Gzip),
                           t::Platform{u"linux"_s, u"amd64"_s, {}, {}}, &amd, &error),
                 qPrintable(error));
        const t::Descriptor index = m_layout->addIndex({arm.image.manifest, amd.image.manifest});
        QVERIFY2(Fx::pushDescriptor(m_registry, *m_layout, index, u"scan/multi"_s, u"1"_s, &error),
                 qPrintable(error));
        m_multiDigest = amd.digest();
    }

    // Distinct content so the corrupted blob is not shared with any other image.
    {
        QList<Fx::LayerSpec> layers = ubuntuLayers(Compression::Gzip);
        layers[1].entries.append(t::TarEntry::file(u"etc/corrupt-me"_s, "unique\n"));
        QVERIFY2(
            Fx::push(m_registry, *m_layout, u"scan/corrupt"_s, u"1"_s, layers, &m_corrupt, &error),
            qPrintable(error));
        // Flip bytes of the stored blob: the registry serves it as it is, same length.
        const QString hex = m_corrupt.image.layers[1].digest.mid(7);
        QFile blob(m_registry.storageDir() + u"/docker/registry/v2/blobs/sha256/"_s + hex.left(2) +
                   u'/' + hex + u"/data"_s);
        QVERIFY2(blob.open(QIODevice::ReadWrite), qPrintable(blob.fileName()));
        QByteArray bytes = blob.readAll();
        QVERIFY(bytes.size() > 100);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
        blob.seek(0);
        QCOMPARE(blob.write(bytes), bytes.size());
    }

    QVERIFY2(Fx::push(m_registry, *m_layout, u"scan/big"_s, u"1"_s, bigLayers(), &m_big, &error),
             qPrintable(error));

    RegistryConfig config;
    config.url = QUrl(m_registry.url());
    config.useCache = false;
    m_client = std::make_unique<RegistryClient>(config, m_pool, nullptr);
}

ScanResult TestScanRegistry::scan(const QString &repository, const QString &reference,
                                  ScanJob::Options options)
{
    options.databasePath = m_dbPath;
    ScanJob job(m_client.get(), repository, reference, options);
    QSignalSpy progress(&job, &Job::progressChanged);
    if (!runJob(&job)) {
        qWarning("scan of %s:%s did not finish", qPrintable(repository), qPrintable(reference));
        return {};
    }
    if (job.state() != Job::State::Succeeded) {
        qWarning("scan of %s:%s failed: %s", qPrintable(repository), qPrintable(reference),
                 qPrintable(job.error() ? job.error()->message : u"?"_s));
        return {};
    }
    // The last progress report is complete: compressed layer bytes out of their total.
    if (!progress.isEmpty()) {
        const QList<QVariant> last = progress.last();
        if (last.at(0).toLongLong() != last.at(1).toLongLong())
            qWarning("progress ended at %lld of %lld", last.at(0).toLongLong(),
                     last.at(1).toLongLong());
    }
    return job.result();
}

void TestScanRegistry::ubuntuImage()
{
    ScanJob::Options options;
    options.databasePath = m_dbPath;
    ScanJob job(m_client.get(), u"scan/ubuntu"_s, u"22.04"_s, options);
    QSignalSpy resolved(&job, &ScanJob::resolved);
    QVERIFY(runJob(&job));
    QVERIFY2(job.state() == Job::State::Succeeded,
             qPrintable(job.error() ? job.error()->message : QString()));
    QCOMPARE(resolved.size(), 1);
    QCOMPARE(resolved.first().first().toString(), m_ubuntu.digest());
    const qint64 layerBytes = m_ubuntu.image.layers[0].size + m_ubuntu.image.layers[1].size;
    QCOMPARE(job.total(), layerBytes);
    QCOMPARE(job.done(), layerBytes);

    const ScanResult &r = job.result();
    compareFindings(r, kUbuntuFindings);
    QCOMPARE(r.digest, m_ubuntu.digest());
    QCOMPARE(r.topDigest, m_ubuntu.digest());
    QCOMPARE(r.repository, u"scan/ubuntu"_s);
    QCOMPARE(r.reference, u"22.04"_s);
    QCOMPARE(r.registry, m_registry.hostPort());
    QCOMPARE(r.platform, u"linux/amd64"_s);
    QCOMPARE(r.os.id, u"ubuntu"_s);
    QCOMPARE(r.os.versionId, u"22.04"_s);
    QCOMPARE(r.os.ecosystem, u"Ubuntu:22.04:LTS"_s);
    QCOMPARE(r.packageCount, 117);
    QCOMPARE(r.counts, (SeverityCounts{6, 1, 3, 0, 1, 1}));
    QCOMPARE(r.layers.size(), 2);
    QCOMPARE(r.layers[0].digest, m_ubuntu.image.layers[0].digest);
    QCOMPARE(r.layers[1].diffId, m_ubuntu.layers[1].diffId);
    QCOMPARE(r.layers[0].createdBy, u"ADD ubuntu-base.tar /"_s);
    QCOMPARE(r.layers[1].createdBy, u"/bin/sh -c apt-get install -y gpgv"_s);
    QCOMPARE(r.layers[0].packages, 116);
    QCOMPARE(r.layers[1].packages, 1);
    QCOMPARE(r.layers[0].counts.total, 5);
    QCOMPARE(r.layers[1].counts.total, 1);
    QCOMPARE(r.layers[1].counts.high, 1);
    QVERIFY(r.databaseUpdatedAt.isValid());
    QVERIFY(r.scannedAt >= r.databaseUpdatedAt);
    // Binaries of one source share a finding; aliases carry the CVE id.
    QCOMPARE(r.findings[2].packages, (QStringList{u"libc-bin"_s, u"libc6"_s}));
    QCOMPARE(r.findings[4].packages, (QStringList{u"login"_s, u"passwd"_s}));
    QVERIFY(r.findings[0].aliases.contains(u"CVE-2025-15467"_s));
    QCOMPARE(r.findings[0].primaryUrl, u"https://ubuntu.com/security/notices/USN-7980-1"_s);
    QCOMPARE(r.findings[0].ecosystem, u"Ubuntu:22.04:LTS"_s);
    QCOMPARE(r.findings[0].packageType, u"deb"_s);
    QVERIFY(r.warnings.isEmpty());
}

void TestScanRegistry::zstdLayer()
{
    const ScanResult r = scan(u"scan/ubuntu"_s, u"zstd"_s);
    compareFindings(r, kUbuntuFindings);
    QCOMPARE(r.digest, m_ubuntuZstd.digest());
    QCOMPARE(r.layers[0].digest, m_ubuntuZstd.image.layers[0].digest);
    QCOMPARE(r.layers[0].diffId, m_ubuntuZstd.layers[0].diffId);
}

void TestScanRegistry::upgradeInLaterLayer()
{
    const ScanResult r = scan(u"scan/upgrade"_s, u"1"_s);
    // openssl upgraded to 3.0.2-0ubuntu1.21 in layer 1 = the fixed version: both openssl
    // findings are gone. libgcrypt20 1.9.4-3ubuntu3 arrived with layer 1: its finding is
    // attributed to the upgrading layer. gpgv is in layer 0 here.
    compareFindings(r, {
                           {u"UBUNTU-CVE-2026-0861"_s, u"libc-bin"_s, u"glibc"_s,
                            u"2.35-0ubuntu3.11"_s, QString(), Severity::High, 8.4, 0},
                           {u"UBUNTU-CVE-2025-68973"_s, u"gpgv"_s, u"gnupg2"_s,
                            u"2.2.27-3ubuntu2.4"_s, u"2.2.27-3ubuntu2.5"_s, Severity::High, 7.8, 0},
                           {u"UBUNTU-CVE-2023-29383"_s, u"login"_s, u"shadow"_s,
                            u"1:4.8.1-2ubuntu2.2"_s, QString(), Severity::Low, 3.3, 0},
                           {u"CVE-2024-2236"_s, u"libgcrypt20"_s, u"libgcrypt20"_s,
                            u"1.9.4-3ubuntu3"_s, QString(), Severity::Unknown, -1, 1},
                       });
    QCOMPARE(r.layers[1].createdBy, u"/bin/sh -c apt-get upgrade -y"_s);
    QCOMPARE(r.layers[1].packages, 2); // libgcrypt20 and libssl3 at their new versions
    QCOMPARE(r.layers[1].counts.total, 1);
}

void TestScanRegistry::distrolessStatusD()
{
    const ScanResult r = scan(u"scan/distroless"_s, u"12"_s);
    QCOMPARE(r.os.ecosystem, u"Debian:12"_s);
    QCOMPARE(r.packageCount, 3); // libc6.md5sums is not a package
    compareFindings(r, {
                           // openssl 3.0.14-1~deb12u2 < 3.0.15-1~deb12u1; A:H only = 7.5. The
                           // binary named like the source stands for both.
                           {u"DEBIAN-SYN-0001"_s, u"openssl"_s, u"openssl"_s, u"3.0.14-1~deb12u2"_s,
                            u"3.0.15-1~deb12u1"_s, Severity::High, 7.5, 0},
                           // Listed in versions; severity from database_specific.
                           {u"DEBIAN-SYN-0002"_s, u"libc6"_s, u"glibc"_s, u"2.36-9+deb12u7"_s,
                            QString(), Severity::Medium, -1, 0},
                       });
    QCOMPARE(r.findings[0].packages, (QStringList{u"libssl3"_s, u"openssl"_s}));
}

void TestScanRegistry::whiteoutRemovesPackage()
{
    const ScanResult r = scan(u"scan/distroless"_s, u"removed"_s);
    // Layer 1 whites out status.d/libssl3 and status.d/openssl: their finding disappears.
    QCOMPARE(r.packageCount, 1);
    compareFindings(r, {{u"DEBIAN-SYN-0002"_s, u"libc6"_s, u"glibc"_s, u"2.36-9+deb12u7"_s,
                         QString(), Severity::Medium, -1, 0}});
    QCOMPARE(r.layers.size(), 2);
    QCOMPARE(r.layers[1].counts.total, 0);
}

void TestScanRegistry::alpineSyntheticRecords()
{
    const ScanResult r = scan(u"scan/alpine"_s, u"3.20"_s);
    QCOMPARE(r.os.ecosystem, u"Alpine:v3.20"_s);
    QCOMPARE(r.packageCount, 36);
    compareFindings(
        r, {
               // introduced 0, fixed 3.3.2-r2 > 3.3.2-r1; CVSS 9.8. No binary called openssl.
               {u"ALPINE-SYN-0001"_s, u"libcrypto3"_s, u"openssl"_s, u"3.3.2-r1"_s, u"3.3.2-r2"_s,
                Severity::Critical, 9.8, 0},
               // last_affected == installed: still affected; no fixed event.
               {u"ALPINE-SYN-0003"_s, u"musl"_s, u"musl"_s, u"1.2.5-r0"_s, QString(),
                Severity::High, -1, 0},
               // apk _p ordering inside the range.
               {u"ALPINE-SYN-0008"_s, u"libncursesw"_s, u"ncurses"_s, u"6.4_p20240420-r1"_s,
                u"6.4_p20240420-r2"_s, Severity::Low, -1, 0},
               // versions list only.
               {u"ALPINE-SYN-0005"_s, u"sqlite-libs"_s, u"sqlite"_s, u"3.45.3-r1"_s, QString(),
                Severity::Unknown, -1, 0},
           });
    // Not matched: busybox (last_affected below), zlib (limit), xz (fixed == installed),
    // krb5 (withdrawn), curl (not installed).
    QCOMPARE(r.findings[0].packages, (QStringList{u"libcrypto3"_s, u"libssl3"_s}));
    QCOMPARE(r.findings[0].packageType, u"apk"_s);
}

void TestScanRegistry::multiPlatformChoice()
{
    const ScanResult byDefault = scan(u"scan/multi"_s, u"1"_s);
    QCOMPARE(byDefault.platform, u"linux/amd64"_s); // not the first entry, but the default
    QCOMPARE(byDefault.digest, m_multiDigest);
    QVERIFY(byDefault.topDigest != byDefault.digest);
    compareFindings(byDefault, kUbuntuFindings);

    ScanJob::Options options;
    options.platform = u"linux/arm64"_s;
    const ScanResult arm = scan(u"scan/multi"_s, u"1"_s, options);
    QCOMPARE(arm.platform, u"linux/arm64/v8"_s);
    QCOMPARE(arm.os.ecosystem, u"Alpine:v3.20"_s);
    QCOMPARE(arm.counts.total, 4);

    options.platform = u"linux/s390x"_s;
    options.databasePath = m_dbPath;
    ScanJob job(m_client.get(), u"scan/multi"_s, u"1"_s, options);
    QVERIFY(runJob(&job));
    QCOMPARE(job.state(), Job::State::Failed);
    QCOMPARE(job.error()->kind, Error::Kind::NotFound);
    QVERIFY2(job.error()->message.contains(u"linux/arm64/v8, linux/amd64"_s),
             qPrintable(job.error()->message));
}

void TestScanRegistry::corruptLayerFailsAndStoresNothing()
{
    QTemporaryDir dir;
    ScanQueue queue;
    ScanJob::Options options;
    options.databasePath = m_dbPath;
    queue.setDefaultOptions(options);
    QSignalSpy results(&queue, &ScanQueue::resultReady);
    ScanResultStore store;
    QVERIFY(store.open(dir.filePath(u"results.db"_s)));
    // What the app does: store what the queue reports.
    connect(&queue, &ScanQueue::resultReady, this,
            [&store](const ScanResult &r) { store.save(r); });
    ScanJob *job = queue.enqueue(m_client.get(), u"scan/corrupt"_s, u"1"_s);
    QVERIFY(waitFor([&] { return queue.isIdle(); }, 60000));
    QCOMPARE(job->state(), Job::State::Failed);
    QCOMPARE(job->error()->kind, Error::Kind::DigestMismatch);
    const QString message = job->error()->message;
    QVERIFY2(message.contains(u"layer 2/2"_s), qPrintable(message));
    QVERIFY2(message.contains(m_corrupt.image.layers[1].digest.mid(7, 12)), qPrintable(message));
    QCOMPARE(results.size(), 0);
    QCOMPARE(store.count(), 0);
    QVERIFY(!store.load(m_corrupt.digest()));
}

void TestScanRegistry::noDatabaseFailsBeforeDownloading()
{
    QTemporaryDir dir;
    ScanJob::Options options;
    options.databasePath = dir.filePath(u"missing.db"_s);
    const qint64 requestsBefore = m_client->networkRequests();
    ScanJob job(m_client.get(), u"scan/ubuntu"_s, u"22.04"_s, options);
    QVERIFY(runJob(&job));
    QCOMPARE(job.state(), Job::State::Failed);
    QCOMPARE(job.error()->kind, Error::Kind::InvalidInput);
    QVERIFY2(job.error()->message.contains(u"wharfctl db import"_s),
             qPrintable(job.error()->message));
    QVERIFY(job.error()->message.contains(u"wharfctl db update"_s));
    QCOMPARE(m_client->networkRequests(), requestsBefore);
    QVERIFY(!QFile::exists(options.databasePath)); // and none was created
}

void TestScanRegistry::resultsPersistAndGoStale()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath(u"vulns.db"_s);
    QVERIFY(QFile::copy(m_dbPath, dbPath));
    ScanJob::Options options;
    options.databasePath = dbPath;
    ScanJob job(m_client.get(), u"scan/ubuntu"_s, u"22.04"_s, options);
    QVERIFY(runJob(&job));
    QCOMPARE(job.state(), Job::State::Succeeded);
    const QString storePath = dir.filePath(u"results.db"_s);
    {
        ScanResultStore store;
        QVERIFY(store.open(storePath));
        QVERIFY(store.save(job.result()));
    }
    // A later session: the result is there by digest, whatever the tag says now.
    ScanResultStore store;
    QVERIFY(store.open(storePath));
    const auto loaded = store.load(m_ubuntu.digest());
    QVERIFY2(loaded, qPrintable(store.lastError()));
    QCOMPARE(ScanResultJson::toJson(*loaded), ScanResultJson::toJson(job.result()));
    compareFindings(*loaded, kUbuntuFindings);
    const auto summary = store.summaries({m_ubuntu.digest()}).value(m_ubuntu.digest());
    QCOMPARE(summary.counts, (SeverityCounts{6, 1, 3, 0, 1, 1}));

    VulnerabilityDatabase db;
    QVERIFY(db.open(dbPath));
    QVERIFY(!ScanResultStore::isStale(*loaded, db.status()));
    // Importing newer data makes the stored result stale.
    QTest::qWait(20);
    const QString zip = dir.filePath(u"newer.zip"_s);
    QString error;
    QVERIFY(Fx::writeZip(
        zip,
        {{u"DEBIAN-SYN-0003.json"_s,
          QByteArrayLiteral("{\"id\":\"DEBIAN-SYN-0003\",\"modified\":\"2025-01-01T00:00:00Z\","
                            "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":"
                            "\"zlib\"},\"versions\":[\"1\"]}]}")}},
        &error));
    QVERIFY(db.importZip(zip, u"newer"_s).ok);
    QVERIFY(ScanResultStore::isStale(*loaded, db.status()));
    QVERIFY(ScanResultStore::isStale(summary.databaseUpdatedAt, db.status()));

    // Importing the same data again is an import but not a change: results dated by the
    // change stay current.
    const auto changed = db.status();
    QTest::qWait(20);
    const auto again = db.importZip(zip, u"newer"_s);
    QVERIFY(again.ok);
    QCOMPARE(again.unchanged, qint64(1));
    const auto reimported = db.status();
    QVERIFY(reimported.lastImport > changed.lastImport);
    QCOMPARE(reimported.lastChange, changed.lastChange);
    QVERIFY(!ScanResultStore::isStale(changed.lastChange, reimported));
}

void TestScanRegistry::queueSharesScansOfOneDigest()
{
    ScanQueue queue;
    queue.setMaxParallel(2);
    ScanJob::Options options;
    options.databasePath = m_dbPath;
    queue.setDefaultOptions(options);
    QList<Job *> announced;
    connect(&queue, &ScanQueue::jobAdded, this, [&announced](Job *job) { announced << job; });
    QSignalSpy results(&queue, &ScanQueue::resultReady);
    // The same image by tag and by digest (one digest), then two others.
    ScanJob *byTag = queue.enqueue(m_client.get(), u"scan/big"_s, u"1"_s);
    ScanJob *byDigest = queue.enqueue(m_client.get(), u"scan/big"_s, m_big.digest());
    ScanJob *alpine = queue.enqueue(m_client.get(), u"scan/alpine"_s, u"3.20"_s);
    ScanJob *distroless = queue.enqueue(m_client.get(), u"scan/distroless"_s, u"12"_s);
    QCOMPARE(announced.size(), 4);
    QCOMPARE(queue.runningCount(), 2);
    QCOMPARE(queue.pendingCount(), 2);
    int maxRunning = 0;
    QVERIFY(waitFor(
        [&] {
            maxRunning = std::max(maxRunning, queue.runningCount());
            return queue.isIdle();
        },
        120000));
    QVERIFY(maxRunning <= 2);
    for (ScanJob *job : {byTag, byDigest, alpine, distroless})
        QVERIFY2(job->state() == Job::State::Succeeded,
                 qPrintable(job->title() + u": "_s +
                            (job->error() ? job->error()->message : QString())));
    QCOMPARE(results.size(), 4);
    // The second request for the digest took the first one's result instead of scanning.
    // Whichever resolved first scanned; the other waited for it.
    QVERIFY(byTag->tookSharedResult() != byDigest->tookSharedResult());
    QCOMPARE(byDigest->result().digest, byTag->result().digest);
    QCOMPARE(byDigest->result().reference, m_big.digest());
    QCOMPARE(byTag->result().reference, u"1"_s);
    QCOMPARE(byDigest->result().findings.size(), byTag->result().findings.size());
    QCOMPARE(byTag->result().counts.total, 6);
    QCOMPARE(byDigest->done(), byDigest->total());
    QVERIFY(!alpine->tookSharedResult());
    QCOMPARE(alpine->result().counts.total, 4);
    QCOMPARE(distroless->result().counts.total, 2);
}

void TestScanRegistry::cancelStopsTransfersAndWorker()
{
    ScanJob::Options options;
    options.databasePath = m_dbPath;
    options.layerBufferBytes = 256 * 1024;
    QThreadPool pool;
    options.threadPool = &pool;
    ScanJob job(m_client.get(), u"scan/big"_s, u"1"_s, options);
    qint64 doneAtCancel = -1;
    connect(&job, &Job::progressChanged, this, [&](qint64 done, qint64 total) {
        if (done > 0 && done < total && doneAtCancel < 0) {
            doneAtCancel = done;
            job.cancel();
        }
    });
    QVERIFY(runJob(&job, 60000));
    QVERIFY2(doneAtCancel > 0, "the scan finished before any progress was reported");
    QCOMPARE(job.state(), Job::State::Cancelled);
    QVERIFY(doneAtCancel < job.total());
    // The worker notices at once (its reads fail) and the transfers stop.
    QVERIFY(pool.waitForDone(5000));
    QVERIFY(waitFor([&] { return m_client->scheduler()->inFlight() == 0; }, 5000));
}

void TestScanRegistry::checkBackPressure(RegistryClient &client, const QString &repository,
                                         const t::ScanFixtures::PushedImage &image, int layer,
                                         qint64 slack)
{
    const qint64 capacity = 1024 * 1024;
    auto digest = Digest::parse(image.image.layers[layer].digest);
    QVERIFY(digest.hasValue());
    auto source = std::make_unique<RegistryLayerSource>(&client, repository, *digest, capacity);
    std::atomic_bool readerDone{false};
    std::atomic<qint64> total{0};
    QByteArray hash;
    QString readError;
    // A consumer far slower than loopback: 64 KiB every 3 ms (~20 MiB/s).
    std::unique_ptr<QThread> reader(QThread::create([&] {
        QCryptographicHash sha(QCryptographicHash::Sha256);
        QByteArray chunk(64 * 1024, Qt::Uninitialized);
        for (;;) {
            const qint64 n = source->read(chunk.data(), chunk.size());
            if (n < 0)
                readError = source->errorString();
            if (n <= 0)
                break;
            sha.addData(QByteArrayView(chunk.constData(), n));
            total += n;
            QThread::msleep(3);
        }
        hash = sha.result();
        readerDone = true;
    }));
    source->start();
    reader->start();
    // Meanwhile the same client (one network worker thread) keeps answering other requests.
    int fetches = 0;
    qint64 slowestMs = 0;
    while (!readerDone.load()) {
        QElapsedTimer timer;
        timer.start();
        bool answered = false;
        client.fetchManifest(repository, image.digest(), this,
                             [&answered](Expected<ManifestResult> m) { answered = m.hasValue(); });
        QVERIFY(waitFor([&] { return answered; }, 10000));
        slowestMs = std::max(slowestMs, timer.elapsed());
        ++fetches;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    QVERIFY(reader->wait(10000));
    QVERIFY2(readError.isEmpty(), qPrintable(readError));
    QCOMPARE(total.load(), image.image.layers[layer].size);
    QCOMPARE(u"sha256:"_s + QString::fromLatin1(hash.toHex()), image.image.layers[layer].digest);
    const std::shared_ptr<StreamBuffer> &buffer = source->buffer();
    qInfo("%s: %d pauses, peak %lld bytes buffered, %d manifest fetches meanwhile (slowest %lld "
          "ms)",
          qPrintable(client.config().url.scheme()), buffer->pauses(), buffer->peakBufferedBytes(),
          fetches, slowestMs);
    QVERIFY2(buffer->pauses() > 3, qPrintable(QString::number(buffer->pauses())));
    // Never more than the buffer plus the one chunk the transport had already read.
    QVERIFY2(buffer->peakBufferedBytes() <= capacity + slack,
             qPrintable(QString::number(buffer->peakBufferedBytes())));
    QVERIFY2(fetches >= 5, qPrintable(QString::number(fetches)));
    QVERIFY2(slowestMs < 2000, qPrintable(QString::number(slowestMs)));
}

void TestScanRegistry::backPressureKeepsWorkerFree()
{
    // One worker thread: a sink that blocked it would stall the manifest fetches.
    RegistryConfig config;
    config.url = QUrl(m_registry.url());
    config.useCache = false;
    RegistryClient client(config, std::make_shared<NetworkPool>(1), nullptr);
    // Wharf's HTTP/1.1 client hands over at most its bounded socket buffer.
    checkBackPressure(client, u"scan/big"_s, m_big, 1, StreamFlow::ReadBufferBytes + 64 * 1024);
}

void TestScanRegistry::backPressureOverTls()
{
    // https goes through QNetworkAccessManager: the same guarantees on that path.
    t::TestCertificates certificates;
    QString error;
    QVERIFY2(certificates.generate(&error), qPrintable(error));
    t::RegistryOptions options;
    options.tlsCertificate = certificates.serverCertificatePath();
    options.tlsKey = certificates.serverKeyPath();
    t::TestRegistry registry(options);
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::OciLayout layout(m_work.filePath(u"tls-layout"_s));
    Fx::PushedImage image;
    QList<Fx::LayerSpec> layers = bigLayers();
    layers.removeLast();
    QVERIFY2(Fx::push(registry, layout, u"tls/big"_s, u"1"_s, layers, &image, &error),
             qPrintable(error));
    RegistryConfig config;
    config.url = QUrl(registry.url());
    config.useCache = false;
    config.skipTlsVerify = true;
    RegistryClient client(config, std::make_shared<NetworkPool>(1), nullptr);
    // QNetworkAccessManager enforces its read buffer limit loosely (data already passed from
    // its HTTP thread still arrives): seen up to 1.4 MiB beyond the capacity, bounded at 3 MiB.
    checkBackPressure(client, u"tls/big"_s, image, 1, 3 * StreamFlow::ReadBufferBytes);
}

void TestScanRegistry::missingBlob()
{
    const auto digest = Digest::parse(u"sha256:"_s + QString(64, u'0'));
    QVERIFY(digest.hasValue());
    RegistryLayerSource source(m_client.get(), u"scan/ubuntu"_s, *digest);
    source.start();
    // read() blocks: never on the client's thread, which has to run the request.
    std::atomic<qint64> result{0};
    std::unique_ptr<QThread> reader(QThread::create([&] {
        char buffer[1024];
        result = source.read(buffer, sizeof buffer);
    }));
    reader->start();
    QVERIFY(waitFor([&] { return reader->isFinished(); }, 30000));
    QCOMPARE(result.load(), qint64(-1));
    QVERIFY2(source.errorString().contains(u"404"_s), qPrintable(source.errorString()));
    QVERIFY2(source.errorString().contains(u"BLOB_UNKNOWN"_s), qPrintable(source.errorString()));
}

void TestScanRegistry::connectionDropMidLayer()
{
    // A registry of its own: this test kills it.
    t::TestRegistry registry;
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::OciLayout layout(m_work.filePath(u"drop-layout"_s));
    Fx::PushedImage image;
    QList<Fx::LayerSpec> layers = bigLayers();
    layers.removeLast();
    layers.removeLast();
    QVERIFY2(Fx::push(registry, layout, u"drop/big"_s, u"1"_s, layers, &image, &error),
             qPrintable(error));
    RegistryConfig config;
    config.url = QUrl(registry.url());
    config.useCache = false;
    RegistryClient client(config, std::make_shared<NetworkPool>(1), nullptr);
    auto digest = Digest::parse(image.image.layers[1].digest);
    RegistryLayerSource source(&client, u"drop/big"_s, *digest, 512 * 1024);
    source.start();
    // Read a little, so the transfer is under way and paused on a full buffer.
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    std::atomic<qint64> result{0};
    std::unique_ptr<QThread> reader(QThread::create([&] {
        qint64 n = 0;
        while (total < 2 * 1024 * 1024 && (n = source.read(chunk.data(), chunk.size())) > 0)
            total += n;
    }));
    reader->start();
    QVERIFY(waitFor([&] { return reader->isFinished(); }, 10000));
    QVERIFY(total >= 2 * 1024 * 1024);
    registry.stop();
    std::unique_ptr<QThread> rest(QThread::create([&] {
        qint64 n = 0;
        while ((n = source.read(chunk.data(), chunk.size())) > 0)
            total += n;
        result = n;
    }));
    rest->start();
    QVERIFY(waitFor([&] { return rest->isFinished(); }, 60000));
    QCOMPARE(result.load(), qint64(-1));
    QVERIFY(total < image.image.layers[1].size);
    QVERIFY2(!source.errorString().isEmpty(), "no error text");
    qInfo("after the registry died: %s", qPrintable(source.errorString()));
}

void TestScanRegistry::trivyEngineWithStandIn()
{
    // No trivy here: a stand-in checks the command line and the archive, then writes a report
    // in Trivy's schema. What this proves is Wharf's side: the pull into a docker-archive tar
    // (read back by skopeo), the invocation, and the report parsing.
    QTemporaryDir dir;
    const QString script = dir.filePath(u"trivy"_s);
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"sh(#!/bin/sh
set -e
[ "$1" = image ] && [ "$2" = --input ] && [ "$4" = --format ] && [ "$5" = json ] && [ "$6" = --output ] || { echo "bad arguments: $*" >&2; exit 2; }
tar -tf "$3" > "$7.list"
grep -qx manifest.json "$7.list" || { echo "no manifest.json" >&2; exit 3; }
cat > "$7" <<'EOF'
{"SchemaVersion": 2, "ArtifactName": "image.tar", "Metadata": {"OS": {"Family": "ubuntu", "Name": "22.04"}},
 "Results": [{"Target": "image.tar (ubuntu 22.04)", "Class": "os-pkgs", "Type": "ubuntu",
   "Vulnerabilities": [{"VulnerabilityID": "CVE-2025-15467", "PkgName": "libssl3",
     "InstalledVersion": "3.0.2-0ubuntu1.20", "FixedVersion": "3.0.2-0ubuntu1.21", "Severity": "HIGH",
     "Title": "openssl issue"}]
    }]
}
EOF
)sh");
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    TrivyEngine::Options options;
    options.trivyPath = script;
    options.keepArchiveAt = dir.filePath(u"kept.tar"_s);
    TrivyEngine engine(m_client.get(), u"scan/ubuntu"_s, u"22.04"_s, options);
    QVERIFY(runJob(&engine));
    QVERIFY2(engine.state() == Job::State::Succeeded,
             qPrintable(engine.error() ? engine.error()->message : QString()));
    const ScanResult &r = engine.result();
    QCOMPARE(r.engine, u"trivy"_s);
    QCOMPARE(r.digest, m_ubuntu.digest()); // what Wharf resolved, not what the tar says
    QCOMPARE(r.repository, u"scan/ubuntu"_s);
    QCOMPARE(r.findings.size(), 1);
    QCOMPARE(r.findings[0].id, u"CVE-2025-15467"_s);
    QCOMPARE(r.findings[0].severity, Severity::High);
    QCOMPARE(r.os.id, u"ubuntu"_s);

    // The archive is a valid docker-archive holding exactly the image's blobs.
    t::SkopeoOptions skopeo;
    QByteArray raw;
    QString error;
    QVERIFY2(
        t::Skopeo::inspectRaw(u"docker-archive:"_s + options.keepArchiveAt, skopeo, &raw, &error),
        qPrintable(error));
    const QJsonObject manifest = QJsonDocument::fromJson(raw).object();
    const QJsonArray layers = manifest.value(u"layers"_s).toArray();
    QCOMPARE(layers.size(), 2);
    QCOMPARE(manifest.value(u"config"_s).toObject().value(u"digest"_s).toString(),
             m_ubuntu.image.config.digest);
    // skopeo names docker-archive layers by diff_id (it reads them uncompressed).
    QCOMPARE(layers[0].toObject().value(u"digest"_s).toString(), m_ubuntu.layers[0].diffId);
    QCOMPARE(layers[1].toObject().value(u"digest"_s).toString(), m_ubuntu.layers[1].diffId);

    // A failing trivy is reported with its stderr.
    options.trivyPath = u"/bin/false"_s;
    options.keepArchiveAt.clear();
    TrivyEngine failing(m_client.get(), u"scan/ubuntu"_s, u"22.04"_s, options);
    QVERIFY(runJob(&failing));
    QCOMPARE(failing.state(), Job::State::Failed);
    QVERIFY(failing.error()->message.contains(u"Trivy failed"_s));
}

QTEST_GUILESS_MAIN(TestScanRegistry)
#include "tst_ScanRegistry.moc"
