// wharfctl bookmarks with the real OS keychain (this suite runs inside tests/with-keyring):
// passwords go to the Secret Service and nowhere else.

#include "CommandRunner.h"
#include "SampleImages.h"
#include "TestRegistry.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
namespace t = wharf::test;

class TestWharfctlBookmarks : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void addListUse();
    void loginVerifiesBeforeStoring();
    void passwordNeverWrittenOutsideKeychain();
    void removeForgetsPassword();
    void unknownBookmark();

private:
    t::CommandRunner::Result wharfctl(const QStringList &args, const QByteArray &input = {});

    const QString m_password = u"Kr1ptic-pass-%1"_s.arg(QCoreApplication::applicationPid());
    t::TestRegistry m_registry{[this] {
        t::RegistryOptions o;
        o.username = u"carol"_s;
        o.password = m_password;
        return o;
    }()};
    QTemporaryDir m_config;
    QTemporaryDir m_cache;
};

t::CommandRunner::Result TestWharfctlBookmarks::wharfctl(const QStringList &args,
                                                         const QByteArray &input)
{
    t::CommandRunner::Command c;
    c.program = QStringLiteral(WHARF_BINARY_DIR) + u"/src/cli/wharfctl"_s;
    c.arguments = args;
    c.standardInput = input;
    c.environment.insert(u"WHARF_CONFIG_DIR"_s, m_config.path());
    c.environment.insert(u"WHARF_CACHE_DIR"_s, m_cache.path());
    c.secrets << m_password;
    return t::CommandRunner::run(c);
}

void TestWharfctlBookmarks::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::pushStandardSet(m_registry, &error), qPrintable(error));
}

void TestWharfctlBookmarks::addListUse()
{
    auto added = wharfctl({u"bookmark"_s, u"add"_s, u"Team Registry"_s, m_registry.url(), u"-u"_s,
                           u"carol"_s, u"--password-stdin"_s},
                          m_password.toUtf8() + '\n');
    QVERIFY2(added.exitCode == 0, added.standardError.constData());
    QVERIFY(added.standardOutput.contains("Secret Service"));

    auto list = wharfctl({u"bookmark"_s, u"list"_s, u"--json"_s});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray bookmarks =
        QJsonDocument::fromJson(list.standardOutput).object().value(u"bookmarks"_s).toArray();
    QCOMPARE(bookmarks.size(), 1);
    const QJsonObject b = bookmarks.first().toObject();
    QCOMPARE(b.value(u"name"_s).toString(), u"Team Registry"_s);
    QCOMPARE(b.value(u"username"_s).toString(), u"carol"_s);
    QCOMPARE(b.value(u"auth"_s).toString(), u"password"_s);
    QVERIFY(!b.value(u"id"_s).toString().isEmpty());
    QVERIFY(!list.standardOutput.contains(m_password.toUtf8()));

    // -r NAME (any case) uses the bookmark and its keychain password.
    auto repos = wharfctl({u"-r"_s, u"team registry"_s, u"repos"_s, u"--json"_s});
    QVERIFY2(repos.exitCode == 0, repos.standardError.constData());
    QVERIFY(QJsonDocument::fromJson(repos.standardOutput)
                .object()
                .value(u"repositories"_s)
                .toArray()
                .contains(u"sample/app"_s));
    auto inventory = wharfctl({u"-r"_s, u"Team Registry"_s, u"inventory"_s, u"--json"_s});
    QVERIFY2(inventory.exitCode == 0, inventory.standardError.constData());

    auto duplicate = wharfctl({u"bookmark"_s, u"add"_s, u"team registry"_s, m_registry.url()});
    QCOMPARE(duplicate.exitCode, 2);
    QVERIFY(duplicate.standardError.contains("already exists"));
}

void TestWharfctlBookmarks::loginVerifiesBeforeStoring()
{
    auto wrong = wharfctl({u"bookmark"_s, u"login"_s, u"Team Registry"_s, u"--password-stdin"_s},
                          "not-it\n");
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.standardError.contains("rejected the username or password"),
             wrong.standardError.constData());
    // The stored (right) password is still in place.
    auto still = wharfctl({u"-r"_s, u"Team Registry"_s, u"tags"_s, u"sample/app"_s});
    QVERIFY2(still.exitCode == 0, still.standardError.constData());

    auto right = wharfctl({u"bookmark"_s, u"login"_s, u"Team Registry"_s, u"--password-stdin"_s},
                          m_password.toUtf8());
    QVERIFY2(right.exitCode == 0, right.standardError.constData());
}

void TestWharfctlBookmarks::passwordNeverWrittenOutsideKeychain()
{
    const QByteArray needle = m_password.toUtf8();
    int filesChecked = 0;
    for (const QString &root : {m_config.path(), m_cache.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            QVERIFY2(!content.contains(needle), qPrintable(f.fileName()));
            QVERIFY2(!content.contains(needle.toBase64()), qPrintable(f.fileName()));
            ++filesChecked;
        }
    }
    // The settings file and the content cache database exist, so the check looked at the files
    // the earlier commands wrote (the cache is one SQLite database, found by walking the tree).
    QVERIFY(QFile::exists(m_config.filePath(u"wharf.conf"_s)));
    bool sawCacheDatabase = false;
    QDirIterator databases(m_cache.path(), {u"content.sqlite"_s}, QDir::Files,
                           QDirIterator::Subdirectories);
    while (databases.hasNext()) {
        sawCacheDatabase = QFileInfo(databases.next()).size() > 0 || sawCacheDatabase;
    }
    QVERIFY(sawCacheDatabase);
    QVERIFY(filesChecked >= 2);
}

void TestWharfctlBookmarks::removeForgetsPassword()
{
    auto removed = wharfctl({u"bookmark"_s, u"remove"_s, u"Team Registry"_s});
    QVERIFY2(removed.exitCode == 0, removed.standardError.constData());
    auto list = wharfctl({u"bookmark"_s, u"list"_s, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(list.standardOutput)
                 .object()
                 .value(u"bookmarks"_s)
                 .toArray()
                 .size(),
             0);

    // Re-adding without a password: the old secret must not come back from the keychain.
    auto again = wharfctl({u"bookmark"_s, u"add"_s, u"Team Registry"_s, m_registry.url()});
    QCOMPARE(again.exitCode, 0);
    auto denied = wharfctl({u"-r"_s, u"Team Registry"_s, u"repos"_s});
    QCOMPARE(denied.exitCode, 1);
    QVERIFY2(denied.standardError.contains("requires a username and password"),
             denied.standardError.constData());
}

void TestWharfctlBookmarks::unknownBookmark()
{
    auto r = wharfctl({u"-r"_s, u"nope"_s, u"repos"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.standardError.contains("neither a registry URL nor a bookmark"));
}

QTEST_GUILESS_MAIN(TestWharfctlBookmarks)
#include "tst_wharfctl_bookmarks.moc"
