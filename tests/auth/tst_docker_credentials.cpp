// DockerConfigLookup with real helper processes: docker-credential-* shell scripts on a
// temporary PATH, config files in temporary directories. Checks the lookup order (credHelpers,
// credsStore, auths), the helper protocol on the wire (`get`, server URL on stdin), "not
// found", a helper that hangs or floods its output, and that no secret reaches a warning.

#include "HelperScripts.h"

#include "credentials/CredentialHelper.h"
#include "credentials/DockerConfigLookup.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
namespace t = wharf::test;

namespace {

DockerConfigLookup::Result lookup(const QString &registry, const QByteArray &configJson,
                                  int helperTimeoutMs = 10000)
{
    DockerConfigLookup::Options options;
    auto config = DockerConfig::parse(configJson, u"test config"_s);
    if (!config)
        qFatal("bad test config: %s", qPrintable(config.error().message));
    options.config = *config;
    options.helperTimeoutMs = helperTimeoutMs;
    std::optional<DockerConfigLookup::Result> result;
    QObject context;
    DockerConfigLookup::find(
        registry, &context, [&result](const DockerConfigLookup::Result &r) { result = r; },
        options);
    QElapsedTimer timer;
    timer.start();
    while (!result && timer.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return result.value_or(DockerConfigLookup::Result());
}

QByteArray auth(const QString &userColonPassword)
{
    return userColonPassword.toUtf8().toBase64();
}

} // namespace

class TestDockerCredentials : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void authsEntry();
    void identityTokenEntry();
    void credHelpersBeatCredsStore();
    void credsStoreWhenNoHostHelper();
    void helperNotFoundFallsBackToAuths();
    void nothingAnywhere();
    void helperTokenUsername();
    void hangingHelperIsStopped();
    void floodingHelperIsStopped();
    void failingHelperDoesNotLeak();
    void missingHelperProgram();
    void dockerHubKey();
    void loadsFromDockerConfigDirectory();
    void noCallbackAfterContextIsGone();

private:
    t::HelperScripts m_helpers;
};

void TestDockerCredentials::initTestCase()
{
    QString error;
    QVERIFY2(m_helpers.add(
                 u"alpha"_s,
                 t::HelperScripts::answer(u"127.0.0.1:5000"_s, u"alpha-user"_s, u"alpha-secret"_s),
                 &error),
             qPrintable(error));
    QVERIFY2(m_helpers.add(
                 u"beta"_s,
                 t::HelperScripts::answer(u"127.0.0.1:5000"_s, u"beta-user"_s, u"beta-secret"_s),
                 &error),
             qPrintable(error));
    QVERIFY(m_helpers.add(u"nothing"_s, t::HelperScripts::notFound(), &error));
    QVERIFY(m_helpers.add(
        u"token"_s, t::HelperScripts::answer(u"r"_s, u"<token>"_s, u"refresh+token/1="_s), &error));
    // exec: the kill must reach the sleeping process, not just the shell around it.
    QVERIFY(m_helpers.add(u"hang"_s, u"exec sleep 60"_s, &error));
    QVERIFY(m_helpers.add(u"flood"_s, u"head -c 300000 /dev/zero | tr '\\000' a"_s, &error));
    QVERIFY(m_helpers.add(u"broken"_s,
                          u"echo 'keyring locked: cannot read secret hunter2-is-not-here' >&2\n"
                          u"exit 4"_s,
                          &error));
}

void TestDockerCredentials::init()
{
    m_helpers.clearReceived();
}

void TestDockerCredentials::authsEntry()
{
    const auto r = lookup(u"http://127.0.0.1:5000"_s, R"({"auths":{"127.0.0.1:5000":{"auth":")" +
                                                          auth(u"alice:pw"_s) + R"("}}})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.username, u"alice"_s);
    QCOMPARE(r.credentials.secret, u"pw"_s);
    QCOMPARE(r.serverKey, u"127.0.0.1:5000"_s);
    QCOMPARE(r.source, u"auths[\"127.0.0.1:5000\"] in test config"_s);
    QVERIFY(r.warnings.isEmpty());
}

void TestDockerCredentials::identityTokenEntry()
{
    const auto r = lookup(u"127.0.0.1:5000"_s,
                          R"({"auths":{"https://127.0.0.1:5000":{"identitytoken":"idt"}}})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.identityToken, u"idt"_s);
    QVERIFY(!r.credentials.hasPassword());
}

void TestDockerCredentials::credHelpersBeatCredsStore()
{
    const auto r = lookup(u"https://127.0.0.1:5000"_s,
                          R"({"credsStore":"beta","credHelpers":{"127.0.0.1:5000":"alpha"},
                              "auths":{"127.0.0.1:5000":{"auth":")" +
                              auth(u"file:pw"_s) + R"("}}})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.username, u"alpha-user"_s);
    QCOMPARE(r.credentials.secret, u"alpha-secret"_s);
    QVERIFY2(r.source.startsWith(u"docker-credential-alpha (credHelpers[\"127.0.0.1:5000\"]"_s),
             qPrintable(r.source));
    // The protocol: `get` with the server URL on stdin.
    QCOMPARE(m_helpers.receivedArguments(u"alpha"_s), u"get"_s);
    QCOMPARE(m_helpers.receivedInput(u"alpha"_s), u"127.0.0.1:5000"_s);
    QVERIFY(m_helpers.receivedInput(u"beta"_s).isNull()); // never asked
}

void TestDockerCredentials::credsStoreWhenNoHostHelper()
{
    const auto r =
        lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"beta","credHelpers":{"other:1":"alpha"}})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.username, u"beta-user"_s);
    QVERIFY(r.source.contains(u"credsStore"_s));
    QVERIFY(m_helpers.receivedInput(u"alpha"_s).isNull());
}

void TestDockerCredentials::helperNotFoundFallsBackToAuths()
{
    const auto r = lookup(u"127.0.0.1:5000"_s,
                          R"({"credsStore":"nothing","auths":{"127.0.0.1:5000":{"auth":")" +
                              auth(u"file:pw"_s) + R"("}}})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.username, u"file"_s);
    QVERIFY(r.source.startsWith(u"auths"_s));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u'\n'))); // not found is no problem
    QCOMPARE(m_helpers.receivedInput(u"nothing"_s), u"127.0.0.1:5000"_s);
}

void TestDockerCredentials::nothingAnywhere()
{
    const auto r = lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"nothing"})");
    QVERIFY(!r.found);
    QVERIFY(r.credentials.isEmpty());
    QVERIFY(r.source.isEmpty());
    QVERIFY(r.warnings.isEmpty());
}

void TestDockerCredentials::helperTokenUsername()
{
    const auto r = lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"token"})");
    QVERIFY(r.found);
    QCOMPARE(r.credentials.identityToken, u"refresh+token/1="_s);
    QVERIFY(r.credentials.username.isEmpty());
}

void TestDockerCredentials::hangingHelperIsStopped()
{
    QElapsedTimer timer;
    timer.start();
    const auto r = lookup(u"127.0.0.1:5000"_s,
                          R"({"credsStore":"hang","auths":{"127.0.0.1:5000":{"auth":")" +
                              auth(u"file:pw"_s) + R"("}}})",
                          700);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    // The lookup goes on without it.
    QVERIFY(r.found);
    QCOMPARE(r.credentials.username, u"file"_s);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings.first().contains(u"docker-credential-hang did not answer"_s),
             qPrintable(r.warnings.first()));
}

void TestDockerCredentials::floodingHelperIsStopped()
{
    const auto r = lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"flood"})");
    QVERIFY(!r.found);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings.first().contains(u"printed more than 64 KiB"_s),
             qPrintable(r.warnings.first()));
}

void TestDockerCredentials::failingHelperDoesNotLeak()
{
    const auto r = lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"broken"})");
    QVERIFY(!r.found);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY(r.warnings.first().contains(u"docker-credential-broken failed (exit code 4)"_s));
    QVERIFY(r.warnings.first().contains(u"keyring locked"_s)); // the helper's own words
}

void TestDockerCredentials::missingHelperProgram()
{
    const auto r = lookup(u"127.0.0.1:5000"_s, R"({"credsStore":"not-installed-anywhere"})");
    QVERIFY(!r.found);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings.first().contains(u"docker-credential-not-installed-anywhere is not "
                                         u"installed"_s),
             qPrintable(r.warnings.first()));
}

void TestDockerCredentials::dockerHubKey()
{
    const auto r = lookup(u"registry-1.docker.io"_s, R"({"credsStore":"alpha"})");
    QVERIFY(r.found);
    QCOMPARE(r.serverKey, u"https://index.docker.io/v1/"_s);
    QCOMPARE(m_helpers.receivedInput(u"alpha"_s), u"https://index.docker.io/v1/"_s);
}

void TestDockerCredentials::loadsFromDockerConfigDirectory()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(u"config.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"auths":{"r.example:444":{"auth":")" + auth(u"fromdir:pw"_s) + R"("}}})");
    file.close();
    qputenv("DOCKER_CONFIG", QFile::encodeName(dir.path()));
    std::optional<DockerConfigLookup::Result> result;
    QObject context;
    DockerConfigLookup::find(u"https://r.example:444"_s, &context,
                             [&result](const DockerConfigLookup::Result &r) { result = r; });
    QVERIFY(!result); // never from inside find()
    QTRY_VERIFY(result.has_value());
    qunsetenv("DOCKER_CONFIG");
    QVERIFY(result->found);
    QCOMPARE(result->credentials.username, u"fromdir"_s);
    QVERIFY(result->source.contains(dir.filePath(u"config.json"_s)));
}

void TestDockerCredentials::noCallbackAfterContextIsGone()
{
    DockerConfigLookup::Options options;
    options.config = *DockerConfig::parse(R"({"credsStore":"alpha"})", u"t"_s);
    bool called = false;
    auto *context = new QObject;
    DockerConfigLookup::find(
        u"127.0.0.1:5000"_s, context,
        [&called](const DockerConfigLookup::Result &) { called = true; }, options);
    delete context;
    QTest::qWait(1500);
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(TestDockerCredentials)
#include "tst_docker_credentials.moc"
