// Docker's credentials offered in the bookmark dialog, against real registries: docker-registry
// 2.8 with Basic auth (config.json `auths`, and a docker-credential-* helper written as a shell
// script), and a token-auth registry whose token service knows an OAuth2 refresh token (an
// identity token handed out by a helper as Username "<token>"). Taking them over stores the
// secret in the credential store only – the settings and everything else under the config
// directory are searched for it – and only when the user chose "Use Them".

#include "HelperScripts.h"
#include "SampleImages.h"
#include "TestRegistry.h"
#include "TokenRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"
#include "transport/NetworkPool.h"
#include "trust/DockerCredentialsOffer.h"
#include "widgets/BookmarkDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;

namespace {

const auto Username = u"alice"_s;
const auto Password = u"Docker-Knows-4471"_s;
const auto RefreshToken = u"refresh-alice-61c2"_s;
constexpr int LookupTimeoutMs = 15000;
constexpr int PingTimeoutMs = 30000;

// Files under dir (recursively) whose bytes contain needle, plain or base64.
QStringList filesContaining(const QString &dir, const QString &needle)
{
    QStringList hits;
    const QByteArray plain = needle.toUtf8();
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        if (bytes.contains(plain) || bytes.contains(plain.toBase64()))
            hits << path;
    }
    return hits;
}

std::optional<QString> storedSecret(CredentialStore *store, const QString &key)
{
    std::optional<std::optional<QString>> result;
    QObject context;
    store->readSecret(key, &context, [&result](Expected<std::optional<QString>> r) {
        result = r ? *r : std::optional<QString>();
    });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000))
        return std::nullopt;
    return *result;
}

} // namespace

class TestDockerCredentialsGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void offeredCredentialsGoOnlyToTheCredentialStore();
    void decliningStoresNothing();
    void ignoringTheOfferStoresNothing();
    void noOfferOnceCredentialsAreEntered();
    void offerFromCredentialHelper();
    void identityTokenFromHelperOnTokenRegistry();

private:
    template<class T>
    T *child(const QString &name) const
    {
        T *w = m_dialog->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    void writeDockerConfig(const QString &json);
    void openDialog(const QString &name, const QString &url);
    void clickSave();
    QString runTest();
    // What SessionManager makes of the saved bookmark: can it list the repository's tags?
    Expected<QStringList> tagsThroughSession(const QString &bookmarkId, const QString &repository);

    t::TestRegistry m_basic{[] {
        t::RegistryOptions o;
        o.username = Username;
        o.password = Password;
        return o;
    }()};
    t::TokenRegistry m_token;
    QTemporaryDir m_dockerConfig;
    QTemporaryDir m_wharfConfig;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BookmarkStore> m_store;
    std::unique_ptr<MemoryCredentialStore> m_credentials;
    std::unique_ptr<BookmarkDialog> m_dialog;
};

void TestDockerCredentialsGui::initTestCase()
{
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_dockerConfig.path()));
    qunsetenv("DOCKER_AUTH_CONFIG");
    qputenv("WHARF_CONFIG_DIR", QFile::encodeName(m_wharfConfig.path()));
    QString error;
    QVERIFY2(m_basic.start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(m_basic, 1, u"team/app-"_s, &error),
             qPrintable(error));
    QVERIFY2(m_token.start(&error), qPrintable(error));
    m_token.tokens().addRefreshToken(RefreshToken, Username);
    m_token.tokens().allow(Username, u"repository"_s, u"team/*"_s, {u"pull"_s});
}

void TestDockerCredentialsGui::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<BookmarkStore>(m_dir->filePath(u"wharf.conf"_s));
    m_credentials = std::make_unique<MemoryCredentialStore>();
    QFile::remove(m_dockerConfig.filePath(u"config.json"_s));
}

void TestDockerCredentialsGui::cleanup()
{
    m_dialog.reset();
    m_store.reset();
    m_credentials.reset();
    m_dir.reset();
}

void TestDockerCredentialsGui::writeDockerConfig(const QString &json)
{
    QFile f(m_dockerConfig.filePath(u"config.json"_s));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(json.toUtf8());
}

void TestDockerCredentialsGui::openDialog(const QString &name, const QString &url)
{
    m_dialog = std::make_unique<BookmarkDialog>(m_store.get(), m_credentials.get());
    m_dialog->dockerOffer()->setDelay(100);
    m_dialog->show();
    child<QLineEdit>(u"nameEdit"_s)->setText(name);
    QTest::keyClicks(child<QLineEdit>(u"urlEdit"_s), url); // typed: one lookup at the end
}

void TestDockerCredentialsGui::clickSave()
{
    QPushButton *save = child<QDialogButtonBox>(u"buttonBox"_s)->button(QDialogButtonBox::Save);
    QVERIFY(save);
    QTest::mouseClick(save, Qt::LeftButton);
}

QString TestDockerCredentialsGui::runTest()
{
    QTest::mouseClick(child<QPushButton>(u"testButton"_s), Qt::LeftButton);
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(m_dialog->testOutcome() != BookmarkDialog::TestOutcome::Running,
                                 PingTimeoutMs);
    }();
    return child<QLabel>(u"testResultLabel"_s)->text();
}

Expected<QStringList> TestDockerCredentialsGui::tagsThroughSession(const QString &bookmarkId,
                                                                   const QString &repository)
{
    SessionManager sessions(m_store.get(), m_credentials.get(), std::make_shared<NetworkPool>(2),
                            nullptr);
    std::optional<Expected<QStringList>> tags;
    QObject context;
    sessions.client(bookmarkId, &context, [&](Expected<RegistryClient *> client) {
        if (!client) {
            tags = client.error();
            return;
        }
        (*client)->listTags(repository, &context,
                            [&tags](Expected<QStringList> r) { tags = std::move(r); });
    });
    if (!QTest::qWaitFor([&tags] { return tags.has_value(); }, PingTimeoutMs))
        return Error::make(Error::Kind::Timeout, u"no answer"_s);
    return *tags;
}

void TestDockerCredentialsGui::offeredCredentialsGoOnlyToTheCredentialStore()
{
    const QString auth = QString::fromLatin1((Username + u':' + Password).toUtf8().toBase64());
    writeDockerConfig(u"{\"auths\":{\"%1\":{\"auth\":\"%2\"}}}"_s.arg(m_basic.hostPort(), auth));
    openDialog(u"From Docker"_s, m_basic.url());

    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
    const QString offer = child<QLabel>(u"dockerOfferLabel"_s)->text();
    QVERIFY2(
        offer.startsWith(u"Docker has credentials for this registry (from auths[\"%1\"] in "_s.arg(
            m_basic.hostPort())),
        qPrintable(offer));
    QVERIFY2(offer.contains(u"config.json, user alice)"_s), qPrintable(offer));
    QVERIFY(!offer.contains(Password));
    // Nothing is taken before the user says so.
    QCOMPARE(child<QComboBox>(u"authModeCombo"_s)->currentData().toInt(),
             int(Bookmark::AuthMode::None));
    QVERIFY(child<QLineEdit>(u"passwordEdit"_s)->text().isEmpty());

    QTest::mouseClick(child<QPushButton>(u"dockerOfferUseButton"_s), Qt::LeftButton);
    QVERIFY(!m_dialog->isDockerOfferShown());
    QCOMPARE(child<QComboBox>(u"authModeCombo"_s)->currentData().toInt(),
             int(Bookmark::AuthMode::Password));
    QCOMPARE(child<QLineEdit>(u"usernameEdit"_s)->text(), Username);
    auto *password = child<QLineEdit>(u"passwordEdit"_s);
    QCOMPARE(password->echoMode(), QLineEdit::Password); // never shown in clear
    QCOMPARE(password->text(), Password);
    QVERIFY2(child<QLabel>(u"keychainLabel"_s)
                 ->text()
                 .contains(u"Docker's credentials will be stored"_s),
             qPrintable(child<QLabel>(u"keychainLabel"_s)->text()));

    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QVERIFY2(verdict.contains(u"credentials accepted"_s), qPrintable(verdict));
    QVERIFY(m_store->bookmarks().isEmpty()); // testing stores nothing

    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.authMode, Bookmark::AuthMode::Password);
    QCOMPARE(saved.username, Username);
    // A password stays a plain password in the store: what earlier versions read too.
    QCOMPARE(storedSecret(m_credentials.get(), saved.id), std::optional<QString>(Password));

    QFile settings(m_store->settingsPath());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    const QByteArray bytes = settings.readAll();
    QVERIFY(bytes.contains(saved.id.toUtf8()));
    QVERIFY2(!bytes.contains(Password.toUtf8()), "password in the settings file");
    QVERIFY(!bytes.contains(auth.toLatin1()));
    QCOMPARE(filesContaining(m_dir->path(), Password), QStringList());
    QCOMPARE(filesContaining(m_wharfConfig.path(), Password), QStringList());

    // The app's sessions connect with it.
    const auto tags = tagsThroughSession(saved.id, u"team/app-0000"_s);
    QVERIFY2(tags, qPrintable(tags ? QString() : tags.error().message));
    QCOMPARE(*tags, QStringList{u"latest"_s});
}

void TestDockerCredentialsGui::decliningStoresNothing()
{
    const QString auth = QString::fromLatin1((Username + u':' + Password).toUtf8().toBase64());
    writeDockerConfig(u"{\"auths\":{\"%1\":{\"auth\":\"%2\"}}}"_s.arg(m_basic.hostPort(), auth));
    openDialog(u"Declined"_s, m_basic.url());
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
    QTest::mouseClick(child<QPushButton>(u"dockerOfferDismissButton"_s), Qt::LeftButton);
    QVERIFY(!m_dialog->isDockerOfferShown());

    // Not asked again for the same registry in this dialog.
    auto *url = child<QLineEdit>(u"urlEdit"_s);
    url->setText(m_basic.url() + u"/"_s);
    url->setText(m_basic.url());
    QVERIFY(m_dialog->dockerOffer()->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->dockerOffer()->isBusy(), LookupTimeoutMs);
    QVERIFY(m_dialog->dockerOffer()->current().has_value()); // found again...
    QVERIFY(!m_dialog->isDockerOfferShown());                // ...but not offered

    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.authMode, Bookmark::AuthMode::None);
    QVERIFY(saved.username.isEmpty());
    QVERIFY(!m_credentials->contains(saved.id));
    QCOMPARE(filesContaining(m_dir->path(), Password), QStringList());
}

void TestDockerCredentialsGui::ignoringTheOfferStoresNothing()
{
    const QString auth = QString::fromLatin1((Username + u':' + Password).toUtf8().toBase64());
    writeDockerConfig(u"{\"auths\":{\"%1\":{\"auth\":\"%2\"}}}"_s.arg(m_basic.hostPort(), auth));
    openDialog(u"Ignored"_s, m_basic.url());
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.authMode, Bookmark::AuthMode::None);
    QVERIFY(!m_credentials->contains(saved.id));
}

void TestDockerCredentialsGui::noOfferOnceCredentialsAreEntered()
{
    const QString auth = QString::fromLatin1((Username + u':' + Password).toUtf8().toBase64());
    writeDockerConfig(u"{\"auths\":{\"%1\":{\"auth\":\"%2\"}}}"_s.arg(m_basic.hostPort(), auth));
    m_dialog = std::make_unique<BookmarkDialog>(m_store.get(), m_credentials.get());
    m_dialog->show();
    auto *mode = child<QComboBox>(u"authModeCombo"_s);
    mode->setCurrentIndex(mode->findData(int(Bookmark::AuthMode::Password)));
    child<QLineEdit>(u"usernameEdit"_s)->setText(u"bob"_s);
    child<QLineEdit>(u"urlEdit"_s)->setText(m_basic.url());
    QVERIFY(!m_dialog->dockerOffer()->isBusy()); // not even looked up
    QVERIFY(!m_dialog->isDockerOfferShown());

    // Clearing the credentials again makes it worth asking.
    child<QLineEdit>(u"usernameEdit"_s)->clear();
    child<QLineEdit>(u"urlEdit"_s)->setText(m_basic.url() + u"/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
}

void TestDockerCredentialsGui::offerFromCredentialHelper()
{
    t::HelperScripts helpers;
    QString error;
    QVERIFY2(helpers.add(u"wharftest"_s,
                         t::HelperScripts::answer(m_basic.hostPort(), Username, Password), &error),
             qPrintable(error));
    writeDockerConfig(u"{\"credHelpers\":{\"%1\":\"wharftest\"}}"_s.arg(m_basic.hostPort()));
    openDialog(u"Helper"_s, m_basic.url());
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
    const QString offer = child<QLabel>(u"dockerOfferLabel"_s)->text();
    QVERIFY2(offer.contains(u"docker-credential-wharftest"_s), qPrintable(offer));
    QVERIFY(offer.contains(u"user alice"_s));
    QVERIFY(!offer.contains(Password));
    // The helper protocol: `get` with the server key on stdin.
    QCOMPARE(helpers.receivedArguments(u"wharftest"_s), u"get"_s);
    QVERIFY(helpers.receivedInput(u"wharftest"_s).contains(m_basic.hostPort()));

    QTest::mouseClick(child<QPushButton>(u"dockerOfferUseButton"_s), Qt::LeftButton);
    const QString verdict = runTest();
    QVERIFY2(verdict.contains(u"credentials accepted"_s), qPrintable(verdict));
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(storedSecret(m_credentials.get(), saved.id), std::optional<QString>(Password));
    QCOMPARE(filesContaining(m_dir->path(), Password), QStringList());
}

void TestDockerCredentialsGui::identityTokenFromHelperOnTokenRegistry()
{
    t::HelperScripts helpers;
    QString error;
    QVERIFY2(helpers.add(u"wharftoken"_s,
                         t::HelperScripts::answer(m_token.hostPort(), u"<token>"_s, RefreshToken),
                         &error),
             qPrintable(error));
    writeDockerConfig(u"{\"credHelpers\":{\"%1\":\"wharftoken\"}}"_s.arg(m_token.hostPort()));
    openDialog(u"Token registry"_s, m_token.url());
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->isDockerOfferShown(), LookupTimeoutMs);
    const QString offer = child<QLabel>(u"dockerOfferLabel"_s)->text();
    QVERIFY2(offer.contains(u"an identity token"_s), qPrintable(offer));
    QVERIFY(!offer.contains(RefreshToken));

    QTest::mouseClick(child<QPushButton>(u"dockerOfferUseButton"_s), Qt::LeftButton);
    QCOMPARE(child<QLineEdit>(u"usernameEdit"_s)->text(), u"<token>"_s);
    QCOMPARE(m_dialog->enteredCredentials().identityToken, RefreshToken);
    QVERIFY(m_dialog->enteredCredentials().username.isEmpty());
    QVERIFY(m_dialog->enteredCredentials().secret.isEmpty());

    m_token.tokens().resetCounters();
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QVERIFY2(verdict.startsWith(u"Connected"_s), qPrintable(verdict));

    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.username, u"<token>"_s);
    const auto stored = storedSecret(m_credentials.get(), saved.id);
    QVERIFY(stored.has_value());
    QVERIFY2(stored->contains(u"\"wharfSecret\""_s), qPrintable(*stored));
    QCOMPARE(SessionManager::decodeSecret(saved.username, *stored).identityToken, RefreshToken);
    QCOMPARE(filesContaining(m_dir->path(), RefreshToken), QStringList());
    QCOMPARE(filesContaining(m_wharfConfig.path(), RefreshToken), QStringList());

    // SessionManager exchanges the stored identity token (OAuth2 refresh grant) for access.
    m_token.tokens().resetCounters();
    const auto tags = tagsThroughSession(saved.id, u"team/app-0000"_s);
    QVERIFY2(tags, qPrintable(tags ? QString() : tags.error().message));
    QCOMPARE(*tags, QStringList{u"latest"_s});
    const auto issued = m_token.tokens().issued();
    QVERIFY(!issued.isEmpty());
    QCOMPARE(issued.last().method, u"POST"_s);
    QCOMPARE(issued.last().user, Username);
}

QTEST_MAIN(TestDockerCredentialsGui)
#include "tst_DockerCredentialsGui.moc"
