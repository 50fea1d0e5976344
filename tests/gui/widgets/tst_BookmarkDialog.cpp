// BookmarkDialog driven through its named child widgets: saving (settings vs. credential
// store), editing without touching the password, validation, the keychain-unavailable note,
// the CA certificate field, and "Test connection" against real registries (docker-registry 2.8
// with Basic auth, and over HTTPS with a test CA). Docker's credentials offer and the
// certificate trust flow have their own suites in tests/gui/trust.

#include "widgets/BookmarkDialog.h"

#include "TestCertificates.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "credentials/CredentialStore.h"
#include "credentials/KeychainCredentialStore.h"
#include "trust/DockerCredentialsOffer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;

namespace {

const auto Username = u"alice"_s;
const auto Password = u"Wonder-Land-7731"_s;
constexpr int PingTimeoutMs = 30000;

// A keychain that is not there, as QtKeychain reports it without a Secret Service.
class UnavailableKeychain : public CredentialStore
{
public:
    using CredentialStore::CredentialStore;
    void readSecret(const QString &, QObject *context, ReadCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done(unavailable()); });
    }
    void writeSecret(const QString &, const QString &, QObject *context,
                     WriteCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done(unavailable()); });
    }
    void removeSecret(const QString &, QObject *context, WriteCallback done) override
    {
        QTimer::singleShot(0, context, [done] { done(unavailable()); });
    }
    QString description() const override { return u"the test keychain"_s; }

private:
    static Error unavailable()
    {
        Error e = Error::make(Error::Kind::Io, u"No keychain service is available."_s);
        e.code = u"KEYCHAIN_%1"_s.arg(int(QKeychain::NoBackendAvailable));
        return e;
    }
};

// The secret stored under key, or nullopt (read through the store's async API).
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

class TestBookmarkDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void addStoresPasswordOnlyInCredentialStore();
    void editLeavesUntouchedPasswordAlone();
    void switchingToNoAuthRemovesThePassword();
    void invalidUrlIsReportedInline();
    void invalidRepositoryLineIsReportedInline();
    void duplicateNameIsReportedInline();
    void skipTlsShowsWarning();
    void caCertificateFieldMapsToBookmark();
    void noDockerOfferWithoutDockerCredentials();
    void tokenModeIsVisiblyComingLater();
    void keychainUnavailableIsExplained();

    void testConnectionRightPassword();
    void testConnectionWrongPassword();
    void testConnectionWithoutCredentials();
    void testConnectionUsesStoredPasswordOnEdit();
    void testConnectionRefused();
    void testConnectionAnonymousRegistry();
    void testConnectionTlsProblem();

private:
    template<class T>
    T *child(const QString &name) const
    {
        T *w = m_dialog->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    void fill(const QString &name, const QString &url, bool password, const QString &username = {},
              const QString &secret = {});
    void clickSave();
    QString runTest();
    std::unique_ptr<BookmarkDialog> openDialog(CredentialStore *credentials = nullptr);

    t::TestRegistry m_auth{[] {
        t::RegistryOptions o;
        o.username = Username;
        o.password = Password;
        return o;
    }()};
    t::TestRegistry m_anonymous;
    t::TestCertificates m_certificates;
    QTemporaryDir m_emptyDir; // DOCKER_CONFIG and certs.d: nothing from this machine
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BookmarkStore> m_store;
    std::unique_ptr<MemoryCredentialStore> m_credentials;
    std::unique_ptr<BookmarkDialog> m_dialog;
};

void TestBookmarkDialog::initTestCase()
{
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_emptyDir.path()));
    qunsetenv("DOCKER_AUTH_CONFIG");
    qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(m_emptyDir.path()));
    QString error;
    QVERIFY2(m_certificates.generate(&error), qPrintable(error));
    QVERIFY2(m_auth.start(&error), qPrintable(error));
    QVERIFY2(m_anonymous.start(&error), qPrintable(error));
}

void TestBookmarkDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<BookmarkStore>(m_dir->filePath(u"wharf.conf"_s));
    m_credentials = std::make_unique<MemoryCredentialStore>();
    m_dialog = openDialog();
}

void TestBookmarkDialog::cleanup()
{
    m_dialog.reset();
    m_store.reset();
    m_credentials.reset();
    m_dir.reset();
}

std::unique_ptr<BookmarkDialog> TestBookmarkDialog::openDialog(CredentialStore *credentials)
{
    auto dialog = std::make_unique<BookmarkDialog>(m_store.get(),
                                                   credentials ? credentials : m_credentials.get());
    dialog->show();
    return dialog;
}

void TestBookmarkDialog::fill(const QString &name, const QString &url, bool password,
                              const QString &username, const QString &secret)
{
    auto *nameEdit = child<QLineEdit>(u"nameEdit"_s);
    nameEdit->clear();
    QTest::keyClicks(nameEdit, name);
    child<QLineEdit>(u"urlEdit"_s)->setText(url);
    auto *mode = child<QComboBox>(u"authModeCombo"_s);
    mode->setCurrentIndex(
        mode->findData(int(password ? Bookmark::AuthMode::Password : Bookmark::AuthMode::None)));
    if (password) {
        auto *user = child<QLineEdit>(u"usernameEdit"_s);
        user->clear();
        QTest::keyClicks(user, username);
        QTest::keyClicks(child<QLineEdit>(u"passwordEdit"_s), secret);
    }
}

void TestBookmarkDialog::clickSave()
{
    QPushButton *save = child<QDialogButtonBox>(u"buttonBox"_s)->button(QDialogButtonBox::Save);
    QVERIFY(save);
    QTest::mouseClick(save, Qt::LeftButton);
}

QString TestBookmarkDialog::runTest()
{
    QTest::mouseClick(child<QPushButton>(u"testButton"_s), Qt::LeftButton);
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(m_dialog->testOutcome() != BookmarkDialog::TestOutcome::Running,
                                 PingTimeoutMs);
    }();
    auto *verdict = child<QLabel>(u"testResultLabel"_s);
    if (!verdict->isVisible())
        return u"(verdict label hidden)"_s;
    return verdict->text();
}

void TestBookmarkDialog::addStoresPasswordOnlyInCredentialStore()
{
    fill(u"Local auth"_s, m_auth.url(), true, Username, Password);
    child<QPlainTextEdit>(u"repositoriesEdit"_s)->setPlainText(u"team/app\n\n team/db \n"_s);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QVERIFY(!m_dialog->isVisible());

    QCOMPARE(m_store->bookmarks().size(), 1);
    const Bookmark saved = m_store->bookmarks().first();
    QVERIFY(!saved.id.isEmpty());
    QCOMPARE(saved.name, u"Local auth"_s);
    QCOMPARE(saved.url, QUrl(m_auth.url()));
    QCOMPARE(saved.authMode, Bookmark::AuthMode::Password);
    QCOMPARE(saved.username, Username);
    QVERIFY(!saved.skipTlsVerify);
    QCOMPARE(saved.repositories, (QStringList{u"team/app"_s, u"team/db"_s}));
    QCOMPARE(m_dialog->savedBookmark()->id, saved.id);

    QVERIFY(m_credentials->contains(saved.id));
    QCOMPARE(storedSecret(m_credentials.get(), saved.id), std::optional<QString>(Password));

    // The settings file knows the bookmark but not the password.
    QFile settings(m_store->settingsPath());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    const QByteArray bytes = settings.readAll();
    QVERIFY2(bytes.contains(Username.toUtf8()), bytes.constData());
    QVERIFY(bytes.contains(saved.id.toUtf8()));
    QVERIFY2(!bytes.contains(Password.toUtf8()), "password found in the settings file");
    QVERIFY(!bytes.contains(Password.toUtf8().toBase64()));
}

void TestBookmarkDialog::editLeavesUntouchedPasswordAlone()
{
    fill(u"Edit me"_s, m_auth.url(), true, Username, Password);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = *m_dialog->savedBookmark();

    // Rename only: the stored password stays as it was.
    m_dialog = openDialog();
    m_dialog->setBookmark(saved);
    QCOMPARE(child<QLineEdit>(u"nameEdit"_s)->text(), u"Edit me"_s);
    QVERIFY(child<QLineEdit>(u"passwordEdit"_s)->text().isEmpty()); // never shown
    QTRY_VERIFY(child<QLabel>(u"keychainLabel"_s)->text().contains(u"A password is stored"_s));
    auto *name = child<QLineEdit>(u"nameEdit"_s);
    name->selectAll();
    QTest::keyClicks(name, u"Renamed"_s);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(m_store->bookmarks().size(), 1);
    QCOMPARE(m_store->bookmarks().first().name, u"Renamed"_s);
    QCOMPARE(m_store->bookmarks().first().id, saved.id);
    QCOMPARE(storedSecret(m_credentials.get(), saved.id), std::optional<QString>(Password));

    // Typing a new one replaces it.
    m_dialog = openDialog();
    m_dialog->setBookmark(m_store->bookmarks().first());
    QTest::keyClicks(child<QLineEdit>(u"passwordEdit"_s), u"another-one"_s);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(storedSecret(m_credentials.get(), saved.id), std::optional<QString>(u"another-one"_s));
}

void TestBookmarkDialog::switchingToNoAuthRemovesThePassword()
{
    fill(u"Was private"_s, m_auth.url(), true, Username, Password);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = *m_dialog->savedBookmark();
    QVERIFY(m_credentials->contains(saved.id));

    m_dialog = openDialog();
    m_dialog->setBookmark(saved);
    auto *mode = child<QComboBox>(u"authModeCombo"_s);
    mode->setCurrentIndex(mode->findData(int(Bookmark::AuthMode::None)));
    QVERIFY(!child<QLineEdit>(u"usernameEdit"_s)->isEnabled());
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(m_store->bookmarks().first().authMode, Bookmark::AuthMode::None);
    QTRY_VERIFY(!m_credentials->contains(saved.id));
}

void TestBookmarkDialog::invalidUrlIsReportedInline()
{
    fill(u"Bad"_s, u"registry.example.com:5000"_s, false);
    auto *validation = child<QLabel>(u"validationLabel"_s);
    QVERIFY(!validation->isVisible());
    clickSave();
    QVERIFY(m_dialog->isVisible()); // stays open
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(u"http://"_s), qPrintable(validation->text()));
    QVERIFY(m_store->bookmarks().isEmpty());

    // Test connection validates the same way, without contacting anything.
    validation->clear();
    child<QLineEdit>(u"urlEdit"_s)->setText(u"ftp://registry.example.com"_s);
    QTest::mouseClick(child<QPushButton>(u"testButton"_s), Qt::LeftButton);
    QVERIFY(validation->isVisible());
    QVERIFY(validation->text().contains(u"https://"_s));
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::None);

    // Fixing the field clears the message.
    child<QLineEdit>(u"urlEdit"_s)->setText(m_anonymous.url());
    QVERIFY(!validation->isVisible());
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(m_store->bookmarks().size(), 1);
}

void TestBookmarkDialog::invalidRepositoryLineIsReportedInline()
{
    fill(u"Repos"_s, m_anonymous.url(), false);
    child<QPlainTextEdit>(u"repositoriesEdit"_s)->setPlainText(u"good/one\nBad Name\n"_s);
    clickSave();
    auto *validation = child<QLabel>(u"validationLabel"_s);
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(u"Bad Name"_s), qPrintable(validation->text()));
    QVERIFY(m_store->bookmarks().isEmpty());
}

void TestBookmarkDialog::duplicateNameIsReportedInline()
{
    Bookmark existing;
    existing.name = u"Taken"_s;
    existing.url = QUrl(m_anonymous.url());
    QVERIFY(m_store->add(existing).hasValue());
    fill(u"taken"_s, m_anonymous.url(), false);
    clickSave();
    QVERIFY(m_dialog->isVisible());
    QVERIFY2(child<QLabel>(u"validationLabel"_s)->text().contains(u"already exists"_s),
             qPrintable(child<QLabel>(u"validationLabel"_s)->text()));
    QCOMPARE(m_store->bookmarks().size(), 1);
}

void TestBookmarkDialog::skipTlsShowsWarning()
{
    auto *skip = child<QCheckBox>(u"skipTlsCheck"_s);
    auto *warning = child<QLabel>(u"tlsWarningLabel"_s);
    QVERIFY(!skip->isChecked()); // off by default
    QVERIFY(!warning->isVisible());
    QTest::mouseClick(skip, Qt::LeftButton);
    QVERIFY(skip->isChecked());
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(u"Warning"_s));
    QVERIFY(!skip->icon().isNull()); // marked on the box itself too
    QTest::mouseClick(skip, Qt::LeftButton);
    QVERIFY(!warning->isVisible());
    QVERIFY(skip->icon().isNull());
    QTest::mouseClick(skip, Qt::LeftButton);
    fill(u"Insecure"_s, u"https://127.0.0.1:1"_s, false);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QVERIFY(m_store->bookmarks().first().skipTlsVerify);
}

void TestBookmarkDialog::caCertificateFieldMapsToBookmark()
{
    fill(u"Private CA"_s, u"https://127.0.0.1:1"_s, false);
    auto *caFile = child<QLineEdit>(u"caFileEdit"_s);
    QVERIFY(caFile->text().isEmpty()); // system CAs only by default
    auto *validation = child<QLabel>(u"validationLabel"_s);

    caFile->setText(m_dir->filePath(u"nowhere.crt"_s));
    clickSave();
    QVERIFY(m_dialog->isVisible());
    QVERIFY2(validation->text().contains(u"nowhere.crt"_s), qPrintable(validation->text()));

    QFile notPem(m_dir->filePath(u"key.txt"_s));
    QVERIFY(notPem.open(QIODevice::WriteOnly));
    notPem.write("not a certificate\n");
    notPem.close();
    caFile->setText(notPem.fileName());
    QVERIFY(!validation->isVisible()); // editing clears the message
    clickSave();
    QVERIFY2(validation->text().contains(u"holds no PEM certificate"_s),
             qPrintable(validation->text()));
    QVERIFY(m_store->bookmarks().isEmpty());

    caFile->setText(m_certificates.caCertificatePath());
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.caCertificateFile, m_certificates.caCertificatePath());
    QVERIFY(!saved.skipTlsVerify);
    QFile settings(m_store->settingsPath());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(settings.readAll().contains(m_certificates.caCertificatePath().toUtf8()));

    m_dialog = openDialog();
    m_dialog->setBookmark(saved);
    QCOMPARE(child<QLineEdit>(u"caFileEdit"_s)->text(), m_certificates.caCertificatePath());
    child<QLineEdit>(u"caFileEdit"_s)->clear();
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QVERIFY(m_store->bookmarks().first().caCertificateFile.isEmpty());
}

void TestBookmarkDialog::noDockerOfferWithoutDockerCredentials()
{
    m_dialog->dockerOffer()->setDelay(10);
    fill(u"Plain"_s, m_anonymous.url(), false);
    QVERIFY(m_dialog->dockerOffer()->isBusy()); // looked up: nothing entered yet
    QTRY_VERIFY(!m_dialog->dockerOffer()->isBusy());
    QVERIFY(!m_dialog->isDockerOfferShown());
    QVERIFY(!child<QWidget>(u"dockerOfferFrame"_s)->isVisible());
}

void TestBookmarkDialog::tokenModeIsVisiblyComingLater()
{
    auto *mode = child<QComboBox>(u"authModeCombo"_s);
    QCOMPARE(mode->count(), 3);
    QVERIFY(mode->itemText(2).contains(u"Token"_s));
    auto *items = qobject_cast<QStandardItemModel *>(mode->model());
    QVERIFY(items);
    QVERIFY(items->item(0)->isEnabled());
    QVERIFY(items->item(1)->isEnabled());
    QVERIFY(!items->item(2)->isEnabled());
    // Anonymous by default: no credential fields to fill.
    QCOMPARE(mode->currentData().toInt(), int(Bookmark::AuthMode::None));
    QVERIFY(!child<QLineEdit>(u"passwordEdit"_s)->isEnabled());
    QCOMPARE(child<QLineEdit>(u"passwordEdit"_s)->echoMode(), QLineEdit::Password);
}

void TestBookmarkDialog::keychainUnavailableIsExplained()
{
    auto *fallback = new SessionFallbackCredentialStore(new UnavailableKeychain);
    std::unique_ptr<SessionFallbackCredentialStore> owner(fallback);
    m_dialog = openDialog(fallback);
    auto *note = child<QLabel>(u"keychainLabel"_s);
    QVERIFY(!note->isVisible()); // no password, nothing to say

    fill(u"Session only"_s, m_auth.url(), true, Username, Password);
    // Choosing password authentication asks the keychain, which is not there.
    QTRY_VERIFY(fallback->usingFallback());
    QTRY_VERIFY(note->isVisible());
    QVERIFY2(note->text().contains(u"this session only"_s), qPrintable(note->text()));

    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const QString id = m_store->bookmarks().first().id;
    QCOMPARE(storedSecret(fallback, id), std::optional<QString>(Password));

    // A dialog opened later says so right away.
    m_dialog = openDialog(fallback);
    m_dialog->setBookmark(m_store->bookmarks().first());
    QVERIFY(child<QLabel>(u"keychainLabel"_s)->text().contains(u"this session only"_s));
    m_dialog.reset();
}

void TestBookmarkDialog::testConnectionRightPassword()
{
    fill(u"Auth"_s, m_auth.url(), true, Username, Password);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QCOMPARE(verdict,
             u"Connected — registry API v2, authentication: basic, credentials accepted"_s);
    // Testing saves nothing.
    QVERIFY(m_store->bookmarks().isEmpty());
    QVERIFY(m_dialog->isVisible());
}

void TestBookmarkDialog::testConnectionWrongPassword()
{
    fill(u"Auth"_s, m_auth.url(), true, Username, u"not-the-password"_s);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
    QVERIFY2(verdict.startsWith(u"Wrong username or password"_s), qPrintable(verdict));

    // Fixing the password and testing again succeeds (no stale client state).
    auto *password = child<QLineEdit>(u"passwordEdit"_s);
    password->clear();
    QTest::keyClicks(password, Password);
    QVERIFY2(runTest().contains(u"credentials accepted"_s), qPrintable(verdict));
}

void TestBookmarkDialog::testConnectionWithoutCredentials()
{
    fill(u"Auth"_s, m_auth.url(), false);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
    QVERIFY2(verdict.contains(u"requires a username and password"_s), qPrintable(verdict));
}

void TestBookmarkDialog::testConnectionUsesStoredPasswordOnEdit()
{
    fill(u"Stored"_s, m_auth.url(), true, Username, Password);
    clickSave();
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = *m_dialog->savedBookmark();
    m_dialog = openDialog();
    m_dialog->setBookmark(saved);
    QVERIFY(child<QLineEdit>(u"passwordEdit"_s)->text().isEmpty());
    const QString verdict = runTest();
    QVERIFY2(verdict.contains(u"credentials accepted"_s), qPrintable(verdict));
}

void TestBookmarkDialog::testConnectionRefused()
{
    t::TestRegistry stopped;
    QString error;
    QVERIFY2(stopped.start(&error), qPrintable(error));
    const QString url = stopped.url();
    stopped.stop();
    fill(u"Stopped"_s, url, false);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
    QVERIFY2(verdict.startsWith(u"Connection refused — is the registry running?"_s),
             qPrintable(verdict));
    QVERIFY(verdict.contains(stopped.hostPort()));
}

void TestBookmarkDialog::testConnectionAnonymousRegistry()
{
    fill(u"Open"_s, m_anonymous.url(), false);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QCOMPARE(verdict, u"Connected — registry API v2, authentication: none"_s);
}

void TestBookmarkDialog::testConnectionTlsProblem()
{
    // HTTPS with a certificate from a CA the system does not trust.
    t::TestCertificates certificates;
    QString error;
    QVERIFY2(certificates.generate(&error), qPrintable(error));
    t::RegistryOptions options;
    options.tlsCertificate = certificates.serverCertificatePath();
    options.tlsKey = certificates.serverKeyPath();
    t::TestRegistry tls(options);
    QVERIFY2(tls.start(&error), qPrintable(error));
    QVERIFY(tls.url().startsWith(u"https://"_s));

    fill(u"TLS"_s, tls.url(), false);
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
    QVERIFY2(verdict.startsWith(u"TLS problem"_s), qPrintable(verdict));
    QVERIFY2(verdict.contains(u"certificate"_s), qPrintable(verdict));
    QVERIFY2(verdict.contains(u"skip TLS verification"_s, Qt::CaseInsensitive),
             qPrintable(verdict));
    // The server sends only its leaf: what would help is the CA's file.
    auto *trust = child<QPushButton>(u"trustButton"_s);
    QTRY_VERIFY_WITH_TIMEOUT(trust->isVisible(), PingTimeoutMs);
    QCOMPARE(m_dialog->tlsVerdict(), std::optional<CertificateTrustDialog::Verdict>(
                                         CertificateTrustDialog::Verdict::NeedsCaFile));
    QVERIFY2(trust->text().contains(u"CA Certificate"_s), qPrintable(trust->text()));

    // The CA file field is what Test connection uses.
    child<QLineEdit>(u"caFileEdit"_s)->setText(certificates.caCertificatePath());
    QVERIFY(!trust->isVisible()); // a changed setting makes the old offer stale
    const QString trusted = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QVERIFY2(trusted.startsWith(u"Connected"_s), qPrintable(trusted));
    child<QLineEdit>(u"caFileEdit"_s)->clear();

    // The explicit, visibly marked opt-out gets through.
    QTest::mouseClick(child<QCheckBox>(u"skipTlsCheck"_s), Qt::LeftButton);
    QVERIFY(child<QLabel>(u"tlsWarningLabel"_s)->isVisible());
    const QString insecure = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QVERIFY2(insecure.startsWith(u"Connected"_s), qPrintable(insecure));
}

QTEST_MAIN(TestBookmarkDialog)
#include "tst_BookmarkDialog.moc"
