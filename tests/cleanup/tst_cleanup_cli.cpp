// wharfctl delete / cleanup / gc-estimate end to end: the real binary against real registries
// (docker-registry 2.8.2), the state afterwards checked with skopeo, and the garbage-collection
// estimate compared with what `docker-registry garbage-collect --dry-run` lists on the same
// storage.

#include "CleanupSeeder.h"
#include "CommandRunner.h"
#include "RegistryLog.h"
#include "SampleImages.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
namespace t = wharf::test;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonObject plan() const { return json().value(u"plan"_s).toObject(); }
    QJsonArray results() const { return json().value(u"results"_s).toArray(); }
    QString describe() const
    {
        return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(exitCode).arg(QString::fromUtf8(out),
                                                                        QString::fromUtf8(err));
    }
};

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QString sha256(const QByteArray &bytes)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QDateTime day(int year, int month, int d)
{
    return QDateTime(QDate(year, month, d), QTime(12, 0), QTimeZone::utc());
}

// Blob digests `garbage-collect --dry-run` says it would delete.
QSet<QString> gcEligible(t::TestRegistry &registry, QString *output)
{
    registry.runGarbageCollect(true, output);
    static const QRegularExpression line(u"blob eligible for deletion: (sha256:[0-9a-f]{64})"_s);
    QSet<QString> out;
    auto it = line.globalMatch(*output);
    while (it.hasNext())
        out << it.next().captured(1);
    return out;
}

// "only in a: …; only in b: …" – what a failing set comparison should say.
QString difference(const QSet<QString> &a, const QSet<QString> &b)
{
    QStringList onlyA = QSet<QString>(a).subtract(b).values();
    QStringList onlyB = QSet<QString>(b).subtract(a).values();
    onlyA.sort();
    onlyB.sort();
    return u"only estimated: "_s + onlyA.join(u", "_s) + u"\nonly in garbage-collect: "_s +
           onlyB.join(u", "_s);
}

qint64 storedSize(const t::TestRegistry &registry, const QString &digest)
{
    const QString hex = digest.mid(7);
    return QFileInfo(registry.storageDir() + u"/docker/registry/v2/blobs/sha256/"_s + hex.left(2) +
                     u'/' + hex + u"/data"_s)
        .size();
}

} // namespace

class TestCleanupCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void refusesToTakeUnnamedTags();
    void dryRunChangesNothing();
    void forceDeletesTheDigestWithBothTags();
    void untagOnlyLeavesExactlyTheOtherTag();
    void allTagsDeletesTheWholeRepository();
    void deletingAnIndexLeavesChildrenUntagged();
    void deletingAChildReportsTheBrokenIndex();
    void deletesDisabledSendsOneDelete();
    void retentionDryRunMatchesTheHandComputedList();
    void retentionOlderThan();
    void gcEstimateMatchesGarbageCollect();

private:
    Run wharfctl(const t::TestRegistry &registry, QStringList args);
    QSet<QString> tagsOf(const t::TestRegistry &registry, const QString &repository);
    QString digestOf(const t::TestRegistry &registry, const QString &reference);

    t::TestRegistry m_registry;
    std::unique_ptr<t::CleanupSeeder> m_seeder;
    QTemporaryDir m_cache;
    QTemporaryDir m_config;
    QString m_binary;
};

Run TestCleanupCli::wharfctl(const t::TestRegistry &registry, QStringList args)
{
    t::CommandRunner::Command c;
    c.program = m_binary;
    c.arguments = QStringList{u"-r"_s, registry.url()} + args;
    c.environment.insert(u"WHARF_CACHE_DIR"_s, m_cache.path());
    c.environment.insert(u"WHARF_CONFIG_DIR"_s, m_config.path());
    c.environment.remove(u"WHARF_REGISTRY"_s);
    c.timeoutMs = 180000;
    const auto r = t::CommandRunner::run(c);
    return Run{r.exitCode, r.standardOutput, r.standardError};
}

QSet<QString> TestCleanupCli::tagsOf(const t::TestRegistry &registry, const QString &repository)
{
    QStringList tags;
    QString error;
    if (!t::Skopeo::listTags(registry.dockerReference(repository), registry.skopeoOptions(), &tags,
                             &error))
        qWarning("skopeo list-tags: %s", qPrintable(error));
    return QSet<QString>(tags.cbegin(), tags.cend());
}

// The digest skopeo sees for a reference, or empty when it cannot read it.
QString TestCleanupCli::digestOf(const t::TestRegistry &registry, const QString &reference)
{
    QByteArray raw;
    QString error;
    if (!t::Skopeo::inspectRaw(registry.dockerReference(reference), registry.skopeoOptions(), &raw,
                               &error))
        return {};
    return sha256(raw);
}

void TestCleanupCli::initTestCase()
{
    m_binary = QStringLiteral(WHARF_BINARY_DIR) + u"/src/cli/wharfctl"_s;
    QVERIFY2(QFileInfo::exists(m_binary), qPrintable(m_binary));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_seeder = std::make_unique<t::CleanupSeeder>(m_registry);
}

void TestCleanupCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("delete nothing") << QStringList{u"delete"_s} << u"usage: wharfctl delete"_s;
    QTest::newRow("no tag") << QStringList{u"delete"_s, u"some/repo"_s} << u"never assumes"_s;
    QTest::newRow("force and untag")
        << QStringList{u"delete"_s, u"a:b"_s, u"--force"_s, u"--untag-only"_s} << u"contradict"_s;
    QTest::newRow("cleanup without rule")
        << QStringList{u"cleanup"_s, u"team/*"_s} << u"Say what to delete"_s;
    QTest::newRow("cleanup bad regex")
        << QStringList{u"cleanup"_s, u"team/*"_s, u"--keep-last"_s, u"2"_s, u"--keep"_s, u"("_s}
        << u"not a valid regular expression"_s;
    QTest::newRow("cleanup bad number")
        << QStringList{u"cleanup"_s, u"x"_s, u"--keep-last"_s, u"many"_s} << u"--keep-last"_s;
    QTest::newRow("gc-estimate argument")
        << QStringList{u"gc-estimate"_s, u"extra"_s} << u"no arguments"_s;
}

void TestCleanupCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = wharfctl(m_registry, args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), qPrintable(r.describe()));
    QVERIFY(!r.err.contains("QCommandLineParser")); // no duplicate option warnings
}

void TestCleanupCli::refusesToTakeUnnamedTags()
{
    QString error;
    const QString digest =
        m_seeder->pushImage(u"two/tags"_s, {u"a"_s, u"b"_s}, u"two-tags"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));

    const Run r = wharfctl(m_registry, {u"delete"_s, u"two/tags:a"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("two/tags:b"), qPrintable(r.describe()));
    QVERIFY(r.err.contains("--force"));
    QCOMPARE(strings(r.plan().value(u"collateralTags"_s)), QStringList{u"two/tags:b"_s});
    QCOMPARE(strings(r.plan().value(u"tags"_s)), QStringList({u"two/tags:a"_s, u"two/tags:b"_s}));
    QCOMPARE(strings(r.plan().value(u"digests"_s)), QStringList{u"two/tags@"_s + digest});
    QCOMPARE(r.results().size(), 1);
    const QJsonObject result = r.results().first().toObject();
    QCOMPARE(result.value(u"status"_s).toString(), u"refused"_s);
    QCOMPARE(result.value(u"digest"_s).toString(), digest);
    QCOMPARE(result.value(u"ref"_s).toString(), u"two/tags@"_s + digest);
    QVERIFY(result.value(u"message"_s).toString().contains(u"b"_s));

    const Run human = wharfctl(m_registry, {u"delete"_s, u"two/tags:a"_s});
    QCOMPARE(human.exitCode, 3);
    QVERIFY2(human.out.contains("COLLATERAL"), qPrintable(human.describe()));
    QVERIFY(human.out.contains("two/tags:b"));

    QCOMPARE(tagsOf(m_registry, u"two/tags"_s), QSet<QString>({u"a"_s, u"b"_s}));
    QCOMPARE(digestOf(m_registry, u"two/tags:a"_s), digest);
}

void TestCleanupCli::dryRunChangesNothing()
{
    QString error;
    const QString digest =
        m_seeder->pushImage(u"two/dry"_s, {u"a"_s, u"b"_s}, u"two-dry"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    const Run r = wharfctl(
        m_registry, {u"delete"_s, u"two/dry:a"_s, u"--force"_s, u"--dry-run"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.json().value(u"dryRun"_s).toBool());
    QVERIFY(r.results().isEmpty());
    QCOMPARE(strings(r.plan().value(u"digests"_s)), QStringList{u"two/dry@"_s + digest});
    QVERIFY(r.plan().value(u"reclaimableBytes"_s).toInteger() > 0);
    // Without --force the dry run says the real run would be refused.
    const Run refused = wharfctl(m_registry, {u"delete"_s, u"two/dry:a"_s, u"--dry-run"_s});
    QCOMPARE(refused.exitCode, 3);
    QCOMPARE(tagsOf(m_registry, u"two/dry"_s), QSet<QString>({u"a"_s, u"b"_s}));
}

void TestCleanupCli::forceDeletesTheDigestWithBothTags()
{
    QString error;
    const QString digest =
        m_seeder->pushImage(u"two/force"_s, {u"a"_s, u"b"_s}, u"two-force"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    const Run r = wharfctl(m_registry, {u"delete"_s, u"two/force:a"_s, u"--force"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.results().size(), 1);
    const QJsonObject result = r.results().first().toObject();
    QCOMPARE(result.value(u"status"_s).toString(), u"deleted"_s);
    QCOMPARE(result.value(u"digest"_s).toString(), digest);
    QCOMPARE(strings(result.value(u"tags"_s)), QStringList({u"a"_s, u"b"_s}));
    QCOMPARE(strings(r.plan().value(u"collateralTags"_s)), QStringList{u"two/force:b"_s});

    QVERIFY(tagsOf(m_registry, u"two/force"_s).isEmpty());
    QVERIFY(digestOf(m_registry, u"two/force@"_s + digest).isEmpty());
}

void TestCleanupCli::untagOnlyLeavesExactlyTheOtherTag()
{
    QString error;
    const QString digest =
        m_seeder->pushImage(u"two/untag"_s, {u"a"_s, u"b"_s}, u"two-untag"_s, {}, &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    const Run r =
        wharfctl(m_registry, {u"delete"_s, u"two/untag:a"_s, u"--untag-only"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(strings(r.plan().value(u"tags"_s)), QStringList{u"two/untag:a"_s});
    QVERIFY(strings(r.plan().value(u"collateralTags"_s)).isEmpty());
    QVERIFY(strings(r.plan().value(u"digests"_s)).isEmpty());
    QCOMPARE(r.results().size(), 1);
    const QJsonObject result = r.results().first().toObject();
    QCOMPARE(result.value(u"ref"_s).toString(), u"two/untag:a"_s);
    QCOMPARE(result.value(u"status"_s).toString(), u"deleted"_s);
    QCOMPARE(result.value(u"action"_s).toString(), u"untag"_s);
    QCOMPARE(result.value(u"digest"_s).toString(), digest);

    QCOMPARE(tagsOf(m_registry, u"two/untag"_s), QSet<QString>{u"b"_s});
    QCOMPARE(digestOf(m_registry, u"two/untag:b"_s), digest);
    QCOMPARE(digestOf(m_registry, u"two/untag@"_s + digest), digest);
}

void TestCleanupCli::allTagsDeletesTheWholeRepository()
{
    QString error;
    const QString shared =
        m_seeder->pushImage(u"whole/repo"_s, {u"a"_s, u"b"_s}, u"whole-shared"_s, {}, &error);
    QVERIFY2(!shared.isEmpty(), qPrintable(error));
    const QString single =
        m_seeder->pushImage(u"whole/repo"_s, {u"c"_s}, u"whole-single"_s, {}, &error);
    QVERIFY2(!single.isEmpty(), qPrintable(error));
    const QString neighbour =
        m_seeder->pushImage(u"whole/repo2"_s, {u"a"_s}, u"whole-neighbour"_s, {}, &error);
    QVERIFY2(!neighbour.isEmpty(), qPrintable(error));

    const Run plan = wharfctl(
        m_registry, {u"delete"_s, u"whole/repo"_s, u"--all-tags"_s, u"--dry-run"_s, u"--json"_s});
    QCOMPARE(plan.exitCode, 0);
    QCOMPARE(sorted(strings(plan.plan().value(u"tags"_s))),
             QStringList({u"whole/repo:a"_s, u"whole/repo:b"_s, u"whole/repo:c"_s}));
    QCOMPARE(sorted(strings(plan.plan().value(u"digests"_s))),
             sorted({u"whole/repo@"_s + shared, u"whole/repo@"_s + single}));
    QVERIFY(strings(plan.plan().value(u"collateralTags"_s)).isEmpty()); // every tag was named
    QCOMPARE(tagsOf(m_registry, u"whole/repo"_s), QSet<QString>({u"a"_s, u"b"_s, u"c"_s}));

    const Run r =
        wharfctl(m_registry, {u"delete"_s, u"whole/repo"_s, u"--all-tags"_s, u"--json"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.results().size(), 2);
    for (const QJsonValue &v : r.results())
        QCOMPARE(v.toObject().value(u"status"_s).toString(), u"deleted"_s);
    QVERIFY(tagsOf(m_registry, u"whole/repo"_s).isEmpty());
    QVERIFY(digestOf(m_registry, u"whole/repo@"_s + shared).isEmpty());
    QVERIFY(digestOf(m_registry, u"whole/repo@"_s + single).isEmpty());
    // A repository whose name starts the same is not touched.
    QCOMPARE(tagsOf(m_registry, u"whole/repo2"_s), QSet<QString>{u"a"_s});
}

void TestCleanupCli::deletingAnIndexLeavesChildrenUntagged()
{
    QString error;
    const auto index = m_seeder->pushIndex(u"multi/idx"_s, u"1.0"_s, u"idx"_s, &error);
    QVERIFY2(index, qPrintable(error));
    const Run r = wharfctl(m_registry, {u"delete"_s, u"multi/idx:1.0"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(strings(r.plan().value(u"digests"_s)), QStringList{u"multi/idx@"_s + index->digest});
    QVERIFY(strings(r.plan().value(u"brokenIndexes"_s)).isEmpty());
    QStringList untagged;
    for (const QJsonValue &v : r.plan().value(u"untaggedManifests"_s).toArray())
        untagged << v.toObject().value(u"ref"_s).toString();
    QStringList expected;
    for (const QString &child : index->children)
        expected << u"multi/idx@"_s + child;
    QCOMPARE(sorted(untagged), sorted(expected));
    QCOMPARE(r.results().first().toObject().value(u"status"_s).toString(), u"deleted"_s);

    QVERIFY(tagsOf(m_registry, u"multi/idx"_s).isEmpty());
    QVERIFY(digestOf(m_registry, u"multi/idx@"_s + index->digest).isEmpty());
    for (const QString &child : index->children)
        QCOMPARE(digestOf(m_registry, u"multi/idx@"_s + child), child); // still there, untagged
}

void TestCleanupCli::deletingAChildReportsTheBrokenIndex()
{
    QString error;
    const auto index = m_seeder->pushIndex(u"multi/child"_s, u"1.0"_s, u"child"_s, &error);
    QVERIFY2(index, qPrintable(error));
    const QString child = index->children.first();
    const QString ref = u"multi/child@"_s + child;

    const Run refused = wharfctl(m_registry, {u"delete"_s, ref, u"--json"_s});
    QCOMPARE(refused.exitCode, 3);
    QCOMPARE(strings(refused.plan().value(u"brokenIndexes"_s)),
             QStringList{u"multi/child@"_s + index->digest});
    QVERIFY(strings(refused.plan().value(u"collateralTags"_s)).isEmpty());
    QVERIFY2(refused.err.contains("broken"), qPrintable(refused.describe()));
    QCOMPARE(digestOf(m_registry, ref), child);

    const Run r = wharfctl(m_registry, {u"delete"_s, ref, u"--force"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(strings(r.plan().value(u"brokenIndexes"_s)),
             QStringList{u"multi/child@"_s + index->digest});
    QCOMPARE(r.results().first().toObject().value(u"status"_s).toString(), u"deleted"_s);
    QVERIFY(digestOf(m_registry, ref).isEmpty());
    // The index itself and its tag are untouched (and now broken).
    QCOMPARE(tagsOf(m_registry, u"multi/child"_s), QSet<QString>{u"1.0"_s});
    QCOMPARE(digestOf(m_registry, u"multi/child:1.0"_s), index->digest);
    QCOMPARE(digestOf(m_registry, u"multi/child@"_s + index->children.last()),
             index->children.last());
}

void TestCleanupCli::deletesDisabledSendsOneDelete()
{
    t::RegistryOptions options;
    options.deleteEnabled = false;
    options.logLevel = u"info"_s;
    t::TestRegistry registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    t::CleanupSeeder seeder(registry);
    const QStringList tags{u"t1"_s, u"t2"_s, u"t3"_s};
    QCOMPARE(seeder.pushVariants(u"off/app"_s, tags, &error).size(), 3);

    const Run r = wharfctl(
        registry, {u"delete"_s, u"off/app:t1"_s, u"off/app:t2"_s, u"off/app:t3"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("REGISTRY_STORAGE_DELETE_ENABLED=true"), qPrintable(r.describe()));
    QStringList statuses;
    for (const QJsonValue &v : r.results())
        statuses << v.toObject().value(u"status"_s).toString();
    QCOMPARE(statuses, QStringList({u"refused"_s, u"skipped"_s, u"skipped"_s}));
    QCOMPARE(t::deleteRequestsLogged(registry), 1);
    QCOMPARE(tagsOf(registry, u"off/app"_s), QSet<QString>(tags.cbegin(), tags.cend()));
}

void TestCleanupCli::retentionDryRunMatchesTheHandComputedList()
{
    QString error;
    struct Image
    {
        QString repository;
        QStringList tags;
        QDateTime created;
    };
    const QList<Image> images{
        {u"ret/app"_s, {u"v1.0.0"_s}, day(2024, 1, 1)},
        {u"ret/app"_s, {u"v1.1.0"_s}, day(2024, 2, 1)},
        {u"ret/app"_s, {u"v1.2.0"_s, u"latest"_s}, day(2024, 3, 1)},
        {u"ret/app"_s, {u"dev-1"_s}, day(2024, 3, 5)},
        {u"ret/app"_s, {u"dev-2"_s}, day(2024, 3, 10)},
        {u"ret/app"_s, {u"old"_s}, day(2023, 6, 1)},
        {u"ret/app"_s, {u"nodate"_s}, QDateTime()},
        {u"ret/other"_s, {u"x1"_s}, day(2020, 1, 1)},
        {u"ret/other"_s, {u"x2"_s}, day(2020, 2, 1)},
        {u"ret/other"_s, {u"x3"_s}, day(2020, 3, 1)},
        {u"notret/app"_s, {u"ancient"_s}, day(2019, 1, 1)},
    };
    for (const Image &image : images) {
        QVERIFY2(!m_seeder
                      ->pushImage(image.repository, image.tags,
                                  image.repository + image.tags.first(), image.created, &error)
                      .isEmpty(),
                 qPrintable(error));
    }
    // Hand-computed. ret/app newest first: dev-2, dev-1, v1.2.0=latest, v1.1.0, v1.0.0, old;
    // nodate has no date (kept). The two newest and every v*.*.* image stay: "old" goes.
    // ret/other: x3 and x2 stay, x1 goes. notret/app does not match the pattern.
    const QStringList expectedDelete{u"ret/app:old"_s, u"ret/other:x1"_s};
    const QStringList args{u"cleanup"_s, u"ret/*"_s,  u"--keep-last"_s,
                           u"2"_s,       u"--keep"_s, uR"(^v\d+\.\d+\.\d+$)"_s};
    const Run r = wharfctl(m_registry, args + QStringList{u"--dry-run"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject retention = r.json().value(u"retention"_s).toObject();
    QCOMPARE(sorted(strings(retention.value(u"delete"_s))), expectedDelete);
    QCOMPARE(strings(retention.value(u"undatedTags"_s)), QStringList{u"ret/app:nodate"_s});
    QCOMPARE(sorted(strings(retention.value(u"repositories"_s))),
             QStringList({u"ret/app"_s, u"ret/other"_s}));
    QCOMPARE(sorted(strings(r.plan().value(u"tags"_s))), expectedDelete);
    QVERIFY(strings(r.plan().value(u"collateralTags"_s)).isEmpty());
    QCOMPARE(strings(r.plan().value(u"digests"_s)).size(), 2);
    QVERIFY(r.results().isEmpty());
    QCOMPARE(tagsOf(m_registry, u"ret/app"_s).size(), 8);
    QCOMPARE(tagsOf(m_registry, u"ret/other"_s).size(), 3);

    const Run human = wharfctl(m_registry, args + QStringList{u"--dry-run"_s});
    QCOMPARE(human.exitCode, 0);
    QVERIFY2(human.out.contains("kept: a tag matches"), qPrintable(human.describe()));
    QVERIFY(human.out.contains("Dry run: nothing was deleted"));

    // Applied: exactly the hand-computed tags go.
    const Run applied = wharfctl(m_registry, args + QStringList{u"--json"_s});
    QCOMPARE(applied.exitCode, 0);
    QCOMPARE(applied.results().size(), 2);
    for (const QJsonValue &v : applied.results())
        QCOMPARE(v.toObject().value(u"status"_s).toString(), u"deleted"_s);
    QCOMPARE(tagsOf(m_registry, u"ret/app"_s),
             QSet<QString>({u"v1.0.0"_s, u"v1.1.0"_s, u"v1.2.0"_s, u"latest"_s, u"dev-1"_s,
                            u"dev-2"_s, u"nodate"_s}));
    QCOMPARE(tagsOf(m_registry, u"ret/other"_s), QSet<QString>({u"x2"_s, u"x3"_s}));
    QCOMPARE(tagsOf(m_registry, u"notret/app"_s), QSet<QString>{u"ancient"_s});
}

void TestCleanupCli::retentionOlderThan()
{
    QString error;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<std::pair<QString, int>> ages{
        {u"fresh"_s, 10}, {u"stale"_s, 100}, {u"ancient"_s, 400}};
    for (const auto &[tag, days] : ages) {
        QVERIFY2(
            !m_seeder->pushImage(u"age/app"_s, {tag}, u"age-"_s + tag, now.addDays(-days), &error)
                 .isEmpty(),
            qPrintable(error));
    }
    const Run r = wharfctl(m_registry, {u"cleanup"_s, u"age/*"_s, u"--older-than"_s, u"50"_s,
                                        u"--dry-run"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(sorted(strings(r.plan().value(u"tags"_s))),
             QStringList({u"age/app:ancient"_s, u"age/app:stale"_s}));
    const Run kept = wharfctl(m_registry, {u"cleanup"_s, u"age/*"_s, u"--older-than"_s, u"50"_s,
                                           u"--keep-last"_s, u"2"_s, u"--dry-run"_s, u"--json"_s});
    QCOMPARE(kept.exitCode, 0);
    QCOMPARE(strings(kept.plan().value(u"tags"_s)), QStringList{u"age/app:ancient"_s});
    QCOMPARE(tagsOf(m_registry, u"age/app"_s).size(), 3);
}

void TestCleanupCli::gcEstimateMatchesGarbageCollect()
{
    // A registry of its own: garbage collection looks at every repository.
    t::TestRegistry registry;
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    auto images = t::SampleImages::pushStandardSet(registry, &error);
    QVERIFY2(images, qPrintable(error));
    QString gcOutput;
    QVERIFY2(gcEligible(registry, &gcOutput).isEmpty(), qPrintable(gcOutput)); // nothing yet

    const Run nothing = wharfctl(registry, {u"gc-estimate"_s, u"--json"_s});
    QCOMPARE(nothing.exitCode, 0);
    QCOMPARE(nothing.json().value(u"blobs"_s).toInt(), 0);

    // One delete: its plan already says what collection would free.
    const Run app =
        wharfctl(registry, {u"delete"_s, u"sample/app:1.0"_s, u"sample/app:latest"_s, u"--json"_s});
    QVERIFY2(app.exitCode == 0, qPrintable(app.describe()));
    QSet<QString> planned;
    for (const QJsonValue &v : app.plan().value(u"reclaimableBlobs"_s).toArray())
        planned << v.toObject().value(u"digest"_s).toString();
    QSet<QString> eligible = gcEligible(registry, &gcOutput);
    QVERIFY2(planned == eligible, qPrintable(difference(planned, eligible)));
    QVERIFY(!eligible.isEmpty());

    // More: an index (children stay), an untag through a placeholder, a child of a list.
    QCOMPARE(wharfctl(registry, {u"delete"_s, u"sample/multi:2.0"_s}).exitCode, 0);
    QCOMPARE(
        wharfctl(registry, {u"delete"_s, u"sample/versions:latest"_s, u"--untag-only"_s}).exitCode,
        0);
    QCOMPARE(wharfctl(registry, {u"delete"_s, u"sample/compression:zstd"_s}).exitCode, 0);
    const Run child =
        wharfctl(registry, {u"delete"_s, u"sample/docker:1.0"_s, u"--force"_s, u"--json"_s});
    QCOMPARE(child.exitCode, 0);
    QCOMPARE(strings(child.plan().value(u"brokenIndexes"_s)).size(), 1);

    eligible = gcEligible(registry, &gcOutput);
    const Run estimate = wharfctl(registry, {u"gc-estimate"_s, u"--json"_s});
    QCOMPARE(estimate.exitCode, 0);
    const QJsonObject e = estimate.json();
    QSet<QString> estimated;
    for (const QJsonValue &v : e.value(u"blobList"_s).toArray()) {
        const QJsonObject blob = v.toObject();
        estimated << blob.value(u"digest"_s).toString();
        QCOMPARE(blob.value(u"size"_s).toInteger(),
                 storedSize(registry, blob.value(u"digest"_s).toString()));
    }
    QVERIFY2(estimated == eligible, qPrintable(difference(estimated, eligible) + u'\n' + gcOutput));
    qint64 storedBytes = 0;
    for (const QString &digest : eligible)
        storedBytes += storedSize(registry, digest);
    QCOMPARE(e.value(u"reclaimableBytes"_s).toInteger(), storedBytes);
    QCOMPARE(e.value(u"blobs"_s).toInt(), eligible.size());
    QVERIFY(e.value(u"command"_s).toString().contains(u"garbage-collect"_s));
    QVERIFY(e.value(u"journalEntries"_s).toInt() >= 5);

    const Run human = wharfctl(registry, {u"gc-estimate"_s, u"--container"_s, u"reg"_s});
    QCOMPARE(human.exitCode, 0);
    QVERIFY2(human.out.contains("docker exec reg bin/registry garbage-collect --dry-run "
                                "/etc/docker/registry/config.yml"),
             qPrintable(human.describe()));
    QVERIFY(human.out.contains("--delete-untagged"));
    QVERIFY(human.out.contains(QByteArray(QByteArray::number(storedBytes) + " bytes")));

    // After a real collection, nothing is left to free and the journal is trimmed.
    QVERIFY2(registry.runGarbageCollect(false, &gcOutput), qPrintable(gcOutput));
    QVERIFY(gcEligible(registry, &gcOutput).isEmpty());
    const Run after = wharfctl(registry, {u"gc-estimate"_s, u"--json"_s});
    QCOMPARE(after.exitCode, 0);
    QCOMPARE(after.json().value(u"blobs"_s).toInt(), 0);
    QCOMPARE(after.json().value(u"reclaimableBytes"_s).toInteger(), 0);
    const Run again = wharfctl(registry, {u"gc-estimate"_s, u"--json"_s});
    QCOMPARE(again.json().value(u"journalEntries"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestCleanupCli)
#include "tst_cleanup_cli.moc"
