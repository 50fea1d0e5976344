// wharfctl end to end: the real binary against real registries (docker-registry 2.8) seeded by
// skopeo, its answers checked against what the images were built from and against skopeo's own
// view of the registry (inspect --raw + the documented size formula).

#include "CommandRunner.h"
#include "SampleImages.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
namespace t = wharf::test;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

QString sha256(const QByteArray &bytes)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// ([.layers[].size] | add) + .config.size, computed on raw manifest bytes.
qint64 documentedSize(const QByteArray &rawManifest)
{
    const QJsonObject m = QJsonDocument::fromJson(rawManifest).object();
    qint64 total = m.value(u"config"_s).toObject().value(u"size"_s).toInteger();
    for (const QJsonValue &l : m.value(u"layers"_s).toArray())
        total += l.toObject().value(u"size"_s).toInteger();
    return total;
}

} // namespace

class TestWharfctl : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void version();
    void repos();
    void tagsSortedNaturally();
    void tagsOfMissingRepository();
    void inspectMatchesBuiltImages();
    void inspectMatchesSkopeo();
    void inspectHumanOutput();
    void inspectMissingTag();
    void inventory();
    void inventoryWarmRunUsesCache();
    void inventoryRepoGlob();
    void catalogPagination();
    void basicAuth();
    void registryNotRunning();

private:
    Run wharfctl(const QStringList &args, const QByteArray &stdinData = {},
                 const QString &cacheDir = {});

    t::TestRegistry m_registry;
    t::TestRegistry m_many;
    t::TestRegistry m_auth{[] {
        t::RegistryOptions o;
        o.username = u"alice"_s;
        o.password = u"s3cret-pw"_s;
        return o;
    }()};
    t::SampleImages m_images;
    QTemporaryDir m_cache;
    QTemporaryDir m_config;
    QString m_binary;
};

Run TestWharfctl::wharfctl(const QStringList &args, const QByteArray &stdinData,
                           const QString &cacheDir)
{
    t::CommandRunner::Command c;
    c.program = m_binary;
    c.arguments = args;
    c.standardInput = stdinData;
    c.environment.insert(u"WHARF_CACHE_DIR"_s, cacheDir.isEmpty() ? m_cache.path() : cacheDir);
    c.environment.insert(u"WHARF_CONFIG_DIR"_s, m_config.path());
    c.environment.remove(u"WHARF_REGISTRY"_s);
    c.timeoutMs = 120000;
    const auto r = t::CommandRunner::run(c);
    return Run{r.exitCode, r.standardOutput, r.standardError};
}

void TestWharfctl::initTestCase()
{
    m_binary = QStringLiteral(WHARF_BINARY_DIR) + u"/src/cli/wharfctl"_s;
    QVERIFY2(QFileInfo::exists(m_binary), qPrintable(m_binary));
    QString error;
    QVERIFY2(m_images.buildError().isEmpty(), qPrintable(m_images.buildError()));
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_images.pushTo(m_registry, &error), qPrintable(error));
    QVERIFY2(m_auth.start(&error), qPrintable(error));
    QVERIFY2(m_images.pushTo(m_auth, &error), qPrintable(error));
    QVERIFY2(m_many.start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(m_many, 260, u"many/repo-"_s, &error),
             qPrintable(error));
}

void TestWharfctl::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << u"Usage"_s;
    QTest::newRow("unknown command")
        << QStringList{u"-r"_s, u"http://127.0.0.1:1"_s, u"frobnicate"_s} << u"unknown command"_s;
    QTest::newRow("unknown option") << QStringList{u"repos"_s, u"--frob"_s} << u"frob"_s;
    QTest::newRow("no registry") << QStringList{u"repos"_s} << u"no registry"_s;
    QTest::newRow("bad url") << QStringList{u"-r"_s, u"ftp://x"_s, u"repos"_s}
                             << u"not a registry URL"_s;
    QTest::newRow("tags without repo") << QStringList{u"-r"_s, u"http://127.0.0.1:1"_s, u"tags"_s}
                                       << u"usage: wharfctl tags REPO"_s;
    QTest::newRow("bad reference")
        << QStringList{u"-r"_s, u"http://127.0.0.1:1"_s, u"inspect"_s, u"Bad/Name:1"_s}
        << u"lower case"_s;
    QTest::newRow("bad concurrency")
        << QStringList{u"-r"_s, u"http://127.0.0.1:1"_s, u"--concurrency"_s, u"0"_s, u"repos"_s}
        << u"--concurrency"_s;
    QTest::newRow("password without user")
        << QStringList{u"-r"_s, u"http://127.0.0.1:1"_s, u"--password-stdin"_s, u"repos"_s}
        << u"--username"_s;
}

void TestWharfctl::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = wharfctl(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestWharfctl::version()
{
    const Run r = wharfctl({u"--version"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("wharfctl "));
}

void TestWharfctl::repos()
{
    const Run r = wharfctl({u"-r"_s, m_registry.url(), u"repos"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = r.json();
    QCOMPARE(j.value(u"registry"_s).toString(), m_registry.url());
    QStringList repos;
    for (const QJsonValue &v : j.value(u"repositories"_s).toArray())
        repos << v.toString();
    QCOMPARE(repos, m_images.repositories());

    const Run human = wharfctl({u"-r"_s, m_registry.url(), u"repos"_s});
    QCOMPARE(human.exitCode, 0);
    QCOMPARE(QString::fromUtf8(human.out).split(u'\n', Qt::SkipEmptyParts),
             m_images.repositories());
}

void TestWharfctl::tagsSortedNaturally()
{
    const Run r =
        wharfctl({u"-r"_s, m_registry.url(), u"tags"_s, u"sample/versions"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = r.json();
    QCOMPARE(j.value(u"repository"_s).toString(), u"sample/versions"_s);
    QStringList tags;
    for (const QJsonValue &v : j.value(u"tags"_s).toArray())
        tags << v.toString();
    QCOMPARE(tags, QStringList(
                       {u"1.2"_s, u"1.9"_s, u"1.10"_s, u"latest"_s, u"v2.0.0-rc1"_s, u"v2.0.0"_s}));
}

void TestWharfctl::tagsOfMissingRepository()
{
    const Run r = wharfctl({u"-r"_s, m_registry.url(), u"tags"_s, u"no/such-repo"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("does not exist"), r.err.constData());
    QVERIFY(r.err.contains("NAME_UNKNOWN"));
}

void TestWharfctl::inspectMatchesBuiltImages()
{
    for (const t::SampleImages::Tag &tag : m_images.tags()) {
        const Run r =
            wharfctl({u"-r"_s, m_registry.url(), u"--json"_s, u"inspect"_s, tag.reference()});
        QVERIFY2(r.exitCode == 0, qPrintable(tag.reference() + u": "_s + QString::fromUtf8(r.err)));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"repository"_s).toString(), tag.repository);
        QCOMPARE(j.value(u"reference"_s).toString(), tag.tag);
        QCOMPARE(j.value(u"digest"_s).toString(), tag.top.digest);
        QCOMPARE(j.value(u"mediaType"_s).toString(), tag.top.mediaType);

        const QJsonArray platforms = j.value(u"platforms"_s).toArray();
        QCOMPARE(platforms.size(), tag.images.size());
        for (qsizetype i = 0; i < tag.images.size(); ++i) {
            const t::OciLayout::Image &expected = tag.images.at(i);
            const QJsonObject p = platforms.at(i).toObject();
            const QString where = tag.reference() + u" platform "_s + QString::number(i);
            QVERIFY2(p.value(u"error"_s).isUndefined(), qPrintable(where));
            QCOMPARE(p.value(u"os"_s).toString(), expected.platform.os);
            QCOMPARE(p.value(u"architecture"_s).toString(), expected.platform.architecture);
            QCOMPARE(p.value(u"variant"_s).toString(), expected.platform.variant);
            QCOMPARE(p.value(u"digest"_s).toString(), expected.manifest.digest);
            QCOMPARE(p.value(u"mediaType"_s).toString(), expected.manifest.mediaType);
            QCOMPARE(p.value(u"size"_s).toInteger(), expected.compressedSize());
            const QJsonObject config = p.value(u"config"_s).toObject();
            QCOMPARE(config.value(u"digest"_s).toString(), expected.config.digest);
            QCOMPARE(config.value(u"size"_s).toInteger(), expected.config.size);
            const QJsonArray layers = p.value(u"layers"_s).toArray();
            QCOMPARE(layers.size(), expected.layers.size());
            for (qsizetype l = 0; l < layers.size(); ++l) {
                QCOMPARE(layers.at(l).toObject().value(u"digest"_s).toString(),
                         expected.layers.at(l).digest);
                QCOMPARE(layers.at(l).toObject().value(u"size"_s).toInteger(),
                         expected.layers.at(l).size);
                QCOMPARE(layers.at(l).toObject().value(u"mediaType"_s).toString(),
                         expected.layers.at(l).mediaType);
            }
        }
        QSet<QString> expectedAttestations;
        for (const t::OciLayout::Image &a : tag.attestations)
            expectedAttestations << a.manifest.digest + u" for "_s +
                                        a.manifest.annotations.value(
                                            u"vnd.docker.reference.digest"_s);
        QSet<QString> actualAttestations;
        for (const QJsonValue &v : j.value(u"attestations"_s).toArray())
            actualAttestations << v.toObject().value(u"digest"_s).toString() + u" for "_s +
                                      v.toObject().value(u"for"_s).toString();
        QCOMPARE(actualAttestations, expectedAttestations);
    }
}

void TestWharfctl::inspectMatchesSkopeo()
{
    // The independent client's view: skopeo inspect --raw and the documented jq formula.
    for (const t::SampleImages::Tag &tag : m_images.tags()) {
        QByteArray raw;
        QString error;
        QVERIFY2(t::Skopeo::inspectRaw(m_registry.dockerReference(tag.reference()),
                                       m_registry.skopeoOptions(), &raw, &error),
                 qPrintable(error));
        const Run r =
            wharfctl({u"-r"_s, m_registry.url(), u"--json"_s, u"inspect"_s, tag.reference()});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"digest"_s).toString(), sha256(raw));
        const QJsonObject top = QJsonDocument::fromJson(raw).object();
        QList<QPair<QString, qint64>> expected; // digest, size for each runnable image
        std::function<void(const QJsonObject &)> walk = [&](const QJsonObject &m) {
            if (!m.contains(u"manifests"_s)) {
                expected.append({QString(), documentedSize(QJsonDocument(m).toJson())});
                return;
            }
            for (const QJsonValue &v : m.value(u"manifests"_s).toArray()) {
                const QJsonObject d = v.toObject();
                if (d.value(u"annotations"_s).toObject().value(u"vnd.docker.reference.type"_s) ==
                    u"attestation-manifest"_s)
                    continue;
                QByteArray child;
                QVERIFY(t::Skopeo::inspectRaw(
                    m_registry.dockerReference(tag.repository + u'@' +
                                               d.value(u"digest"_s).toString()),
                    m_registry.skopeoOptions(), &child, &error));
                QCOMPARE(sha256(child), d.value(u"digest"_s).toString());
                const QJsonObject childObject = QJsonDocument::fromJson(child).object();
                if (childObject.contains(u"manifests"_s)) {
                    walk(childObject);
                } else {
                    expected.append({d.value(u"digest"_s).toString(), documentedSize(child)});
                }
            }
        };
        walk(top);
        const QJsonArray platforms = j.value(u"platforms"_s).toArray();
        QCOMPARE(platforms.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            if (!expected.at(i).first.isEmpty())
                QCOMPARE(platforms.at(i).toObject().value(u"digest"_s).toString(),
                         expected.at(i).first);
            QCOMPARE(platforms.at(i).toObject().value(u"size"_s).toInteger(),
                     expected.at(i).second);
        }
    }
}

void TestWharfctl::inspectHumanOutput()
{
    const Run r = wharfctl({u"-r"_s, m_registry.url(), u"inspect"_s, u"sample/multi:2.0"_s});
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    const t::SampleImages::Tag *tag = m_images.find(u"sample/multi"_s, u"2.0"_s);
    QVERIFY(tag);
    QVERIFY(out.contains(tag->top.digest));
    QVERIFY(out.contains(u"linux/amd64"_s));
    QVERIFY(out.contains(u"linux/arm64/v8"_s));
    QVERIFY(out.contains(u"Attestations:"_s));
    QVERIFY(out.contains(QString::number(tag->images.first().compressedSize())));
}

void TestWharfctl::inspectMissingTag()
{
    const Run r = wharfctl({u"-r"_s, m_registry.url(), u"inspect"_s, u"sample/app:nope"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("not found") && r.err.contains("MANIFEST_UNKNOWN"), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestWharfctl::inventory()
{
    QTemporaryDir cold;
    const Run r =
        wharfctl({u"-r"_s, m_registry.url(), u"inventory"_s, u"--json"_s}, {}, cold.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = r.json();
    QCOMPARE(j.value(u"registry"_s).toString(), m_registry.url());
    const QJsonArray repos = j.value(u"repositories"_s).toArray();
    QCOMPARE(repos.size(), m_images.repositories().size());
    QSet<QString> blobs;
    qint64 uniqueBytes = 0;
    int tagsSeen = 0;
    for (const QJsonValue &rv : repos) {
        const QJsonObject repo = rv.toObject();
        const QString name = repo.value(u"name"_s).toString();
        for (const QJsonValue &tv : repo.value(u"tags"_s).toArray()) {
            const QJsonObject tagJson = tv.toObject();
            const t::SampleImages::Tag *tag =
                m_images.find(name, tagJson.value(u"tag"_s).toString());
            QVERIFY2(tag, qPrintable(name + u':' + tagJson.value(u"tag"_s).toString()));
            ++tagsSeen;
            QCOMPARE(tagJson.value(u"digest"_s).toString(), tag->top.digest);
            QCOMPARE(tagJson.value(u"mediaType"_s).toString(), tag->top.mediaType);
            const QJsonArray platforms = tagJson.value(u"platforms"_s).toArray();
            QCOMPARE(platforms.size(), tag->images.size());
            for (qsizetype i = 0; i < platforms.size(); ++i) {
                const QJsonObject p = platforms.at(i).toObject();
                const t::OciLayout::Image &img = tag->images.at(i);
                QCOMPARE(p.value(u"digest"_s).toString(), img.manifest.digest);
                QCOMPARE(p.value(u"os"_s).toString(), img.platform.os);
                QCOMPARE(p.value(u"architecture"_s).toString(), img.platform.architecture);
                QCOMPARE(p.value(u"variant"_s).toString(), img.platform.variant);
                QCOMPARE(p.value(u"size"_s).toInteger(), img.compressedSize());
                for (const auto &blob : QList<t::Descriptor>{img.config} + img.layers) {
                    if (!blobs.contains(blob.digest)) {
                        blobs.insert(blob.digest);
                        uniqueBytes += blob.size;
                    }
                }
            }
        }
    }
    QCOMPARE(tagsSeen, m_images.tags().size());
    QCOMPARE(j.value(u"uniqueBytes"_s).toInteger(), uniqueBytes);
    const QJsonObject stats = j.value(u"stats"_s).toObject();
    QVERIFY(stats.value(u"requests"_s).toInteger() > m_images.tags().size());
    QVERIFY(stats.value(u"seconds"_s).toDouble() > 0);
}

void TestWharfctl::inventoryWarmRunUsesCache()
{
    QTemporaryDir cache;
    const Run cold =
        wharfctl({u"-r"_s, m_registry.url(), u"inventory"_s, u"--json"_s}, {}, cache.path());
    QCOMPARE(cold.exitCode, 0);
    const Run warm =
        wharfctl({u"-r"_s, m_registry.url(), u"inventory"_s, u"--json"_s}, {}, cache.path());
    QCOMPARE(warm.exitCode, 0);
    const qint64 coldRequests =
        cold.json().value(u"stats"_s).toObject().value(u"requests"_s).toInteger();
    const QJsonObject warmStats = warm.json().value(u"stats"_s).toObject();
    const qint64 repos = m_images.repositories().size();
    const qint64 tags = m_images.tags().size();
    // Warm: ping + catalog + one tag list per repository + one HEAD per tag, nothing else.
    QCOMPARE(warmStats.value(u"requests"_s).toInteger(), 2 + repos + tags);
    QVERIFY(warmStats.value(u"cacheHits"_s).toInteger() >= tags);
    QVERIFY(coldRequests > warmStats.value(u"requests"_s).toInteger());
    // Same answer either way.
    QJsonObject a = cold.json();
    QJsonObject b = warm.json();
    a.remove(u"stats"_s);
    b.remove(u"stats"_s);
    QCOMPARE(a, b);

    const Run noCache =
        wharfctl({u"-r"_s, m_registry.url(), u"--no-cache"_s, u"inventory"_s, u"--json"_s}, {},
                 cache.path());
    QCOMPARE(noCache.exitCode, 0);
    QCOMPARE(noCache.json().value(u"stats"_s).toObject().value(u"cacheHits"_s).toInteger(), 0);
}

void TestWharfctl::inventoryRepoGlob()
{
    const Run r = wharfctl(
        {u"-r"_s, m_registry.url(), u"inventory"_s, u"--repo"_s, u"sample/d*"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray repos = r.json().value(u"repositories"_s).toArray();
    QCOMPARE(repos.size(), 1);
    QCOMPARE(repos.first().toObject().value(u"name"_s).toString(), u"sample/docker"_s);
    QCOMPARE(repos.first().toObject().value(u"uniqueBytes"_s).toInteger(),
             m_images.uniqueBlobBytes(u"sample/docker"_s));
}

void TestWharfctl::catalogPagination()
{
    // 260 repositories in pages of 100: the client must follow the Link header twice.
    const Run r =
        wharfctl({u"-r"_s, m_many.url(), u"repos"_s, u"--json"_s, u"--page-size"_s, u"100"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray repos = r.json().value(u"repositories"_s).toArray();
    QCOMPARE(repos.size(), 260);
    for (int i = 0; i < 260; ++i)
        QCOMPARE(repos.at(i).toString(), t::SampleImages::manyRepositoryName(u"many/repo-"_s, i));
    const Run refused = wharfctl({u"-r"_s, m_many.url(), u"repos"_s, u"--page-size"_s, u"1001"_s});
    QCOMPARE(refused.exitCode, 2);
}

void TestWharfctl::basicAuth()
{
    const QStringList base{u"-r"_s, m_auth.url(), u"tags"_s, u"sample/app"_s, u"--json"_s};
    const Run anonymous = wharfctl(base);
    QCOMPARE(anonymous.exitCode, 1);
    QVERIFY2(anonymous.err.contains("requires a username and password"), anonymous.err.constData());

    const Run wrong =
        wharfctl(base + QStringList{u"-u"_s, u"alice"_s, u"--password-stdin"_s}, "wrong\n");
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.err.contains("rejected the username or password"), wrong.err.constData());
    QVERIFY(!wrong.err.contains("wrong")); // never echo a secret

    const Run right =
        wharfctl(base + QStringList{u"-u"_s, u"alice"_s, u"--password-stdin"_s}, "s3cret-pw\n");
    QVERIFY2(right.exitCode == 0, right.err.constData());
    QCOMPARE(right.json().value(u"tags"_s).toArray().size(),
             m_images.tagNames(u"sample/app"_s).size());

    const Run inventory = wharfctl({u"-r"_s, m_auth.url(), u"-u"_s, u"alice"_s,
                                    u"--password-stdin"_s, u"inventory"_s, u"--json"_s},
                                   "s3cret-pw");
    QVERIFY2(inventory.exitCode == 0, inventory.err.constData());
    QCOMPARE(inventory.json().value(u"repositories"_s).toArray().size(),
             m_images.repositories().size());
}

void TestWharfctl::registryNotRunning()
{
    const quint16 port = t::TestRegistry::pickFreePort();
    const Run r = wharfctl({u"-r"_s, u"http://127.0.0.1:%1"_s.arg(port), u"repos"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("connection refused"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestWharfctl)
#include "tst_wharfctl.moc"
