// Trusting a registry's certificate from the app, against real docker-registry 2.8 instances
// serving HTTPS with certificates openssl makes at run time: a self-signed one (trusted after
// the dialog showed the fingerprint `openssl x509 -fingerprint -sha256` prints), one from a
// private CA the server does not send (the CA file is asked for and checked), and an expired
// one (nothing to trust, only the skip-verification way out). Both ways in: Test connection in
// the bookmark dialog, and an error row in the main window's tree.

#include "ExtraCertificates.h"
#include "SampleImages.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "trust/CertificateTrustDialog.h"
#include "trust/RegistryAccessController.h"
#include "widgets/BookmarkDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;
using Verdict = CertificateTrustDialog::Verdict;

namespace {

constexpr int PingTimeoutMs = 30000;

t::RegistryOptions tlsOptions(const QString &certificate, const QString &key)
{
    t::RegistryOptions o;
    o.tlsCertificate = certificate;
    o.tlsKey = key;
    return o;
}

// The fingerprint as openssl prints it: "sha256 Fingerprint=AB:CD:…" → "AB:CD:…".
QString opensslFingerprint(const QString &certificateFile)
{
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"x509"_s, u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s, u"-in"_s,
                                 certificateFile});
    if (!openssl.waitForFinished(10000) || openssl.exitCode() != 0)
        return u"(openssl failed)"_s;
    const QString out = QString::fromLatin1(openssl.readAllStandardOutput()).trimmed();
    return out.section(u'=', 1).toUpper();
}

QSslCertificate load(const QString &path)
{
    const auto all = QSslCertificate::fromPath(path, QSsl::Pem);
    return all.isEmpty() ? QSslCertificate() : all.first();
}

} // namespace

class TestCertificateTrustGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void dialogTrustsSelfSignedCertificateAfterShowingIt();
    void cancellingSavesNothing();
    void leafFromUnknownCaAsksForTheCaFile();
    void expiredCertificateOffersNoTrust();
    void caFileFieldIsUsedByTestConnection();
    void treeOffersTrustForFailedRegistry();

private:
    template<class T>
    T *child(QObject *parent, const QString &name) const
    {
        T *w = parent->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    void openDialog(const QString &name, const QString &url);
    QString runTest();
    CertificateTrustDialog *clickForTrustDialog(const QString &button);
    QStringList savedCertificates() const;

    t::TestCertificates m_certs;
    t::ExtraCertificates m_extra;
    QTemporaryDir m_config;
    QTemporaryDir m_cache;
    QTemporaryDir m_noCertsD;
    QTemporaryDir m_dockerConfig;
    std::unique_ptr<t::TestRegistry> m_selfSigned;
    std::unique_ptr<t::TestRegistry> m_caSigned;
    std::unique_ptr<t::TestRegistry> m_expired;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BookmarkStore> m_store;
    std::unique_ptr<MemoryCredentialStore> m_credentials;
    std::unique_ptr<BookmarkDialog> m_dialog;
};

void TestCertificateTrustGui::initTestCase()
{
    // Trusted certificates go to $WHARF_CONFIG_DIR/certs; nothing from this machine's
    // certs.d or docker config may change the outcome.
    qputenv("WHARF_CONFIG_DIR", QFile::encodeName(m_config.path()));
    qputenv("WHARF_CACHE_DIR", QFile::encodeName(m_cache.path()));
    qputenv("WHARF_CERTS_D_DIRS", QFile::encodeName(m_noCertsD.path()));
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_dockerConfig.path()));
    qunsetenv("DOCKER_AUTH_CONFIG");
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    QVERIFY2(m_extra.makeSelfSigned(u"selfsigned"_s, u"IP:127.0.0.1"_s, &error), qPrintable(error));
    m_selfSigned = std::make_unique<t::TestRegistry>(
        tlsOptions(m_extra.certificate(u"selfsigned"_s), m_extra.key(u"selfsigned"_s)));
    m_caSigned = std::make_unique<t::TestRegistry>(
        tlsOptions(m_certs.serverCertificatePath(), m_certs.serverKeyPath()));
    m_expired = std::make_unique<t::TestRegistry>(
        tlsOptions(m_certs.expiredCertificatePath(), m_certs.expiredKeyPath()));
    for (t::TestRegistry *r : {m_selfSigned.get(), m_caSigned.get(), m_expired.get()})
        QVERIFY2(r->start(&error), qPrintable(error));
    QVERIFY2(t::SampleImages::seedManyRepositories(*m_selfSigned, 1, u"tls/r-"_s, &error),
             qPrintable(error));
}

void TestCertificateTrustGui::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<BookmarkStore>(m_dir->filePath(u"wharf.conf"_s));
    m_credentials = std::make_unique<MemoryCredentialStore>();
    QDir(m_config.filePath(u"certs"_s)).removeRecursively();
}

void TestCertificateTrustGui::cleanup()
{
    m_dialog.reset();
    m_store.reset();
    m_credentials.reset();
    m_dir.reset();
}

QStringList TestCertificateTrustGui::savedCertificates() const
{
    QStringList files;
    const QDir dir(m_config.filePath(u"certs"_s));
    for (const QString &name : dir.entryList(QDir::Files))
        files << dir.absoluteFilePath(name);
    return files;
}

void TestCertificateTrustGui::openDialog(const QString &name, const QString &url)
{
    m_dialog = std::make_unique<BookmarkDialog>(m_store.get(), m_credentials.get());
    m_dialog->show();
    child<QLineEdit>(m_dialog.get(), u"nameEdit"_s)->setText(name);
    child<QLineEdit>(m_dialog.get(), u"urlEdit"_s)->setText(url);
}

QString TestCertificateTrustGui::runTest()
{
    QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"testButton"_s), Qt::LeftButton);
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(m_dialog->testOutcome() != BookmarkDialog::TestOutcome::Running,
                                 PingTimeoutMs);
    }();
    return child<QLabel>(m_dialog.get(), u"testResultLabel"_s)->text();
}

CertificateTrustDialog *TestCertificateTrustGui::clickForTrustDialog(const QString &button)
{
    QTest::mouseClick(child<QPushButton>(m_dialog.get(), button), Qt::LeftButton);
    // A dialog closed earlier may still wait for its deferred deletion: take the open one.
    const auto dialogs = m_dialog->findChildren<CertificateTrustDialog *>();
    for (CertificateTrustDialog *dialog : dialogs) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

void TestCertificateTrustGui::dialogTrustsSelfSignedCertificateAfterShowingIt()
{
    openDialog(u"Self-signed"_s, m_selfSigned->url());
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
    QVERIFY2(verdict.contains(u"unknown certificate authority"_s), qPrintable(verdict));

    auto *trust = child<QPushButton>(m_dialog.get(), u"trustButton"_s);
    QTRY_VERIFY_WITH_TIMEOUT(trust->isVisible(), PingTimeoutMs);
    QCOMPARE(m_dialog->tlsVerdict(), std::optional<Verdict>(Verdict::TrustPresented));
    QVERIFY(!child<QPushButton>(m_dialog.get(), u"certificateButton"_s)->isVisible());

    CertificateTrustDialog *dialog = clickForTrustDialog(u"trustButton"_s);
    QVERIFY(dialog);
    QCOMPARE(dialog->verdict(), Verdict::TrustPresented);
    // The exact fingerprint, as openssl computes it from the certificate file the server uses.
    const QString expected = opensslFingerprint(m_extra.certificate(u"selfsigned"_s));
    QCOMPARE(expected.size(), 95);
    QCOMPARE(dialog->shownFingerprint(), expected);
    QCOMPARE(child<QLabel>(dialog, u"fingerprintValue"_s)->text(), expected);
    QVERIFY(child<QLabel>(dialog, u"subjectValue"_s)->text().contains(u"CN="_s));
    QVERIFY(child<QLabel>(dialog, u"problemLabel"_s)->text().contains(u"signed itself"_s));
    QVERIFY(savedCertificates().isEmpty()); // nothing before the confirmation

    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    // Trusting sets the CA file and tests again, which now succeeds.
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded,
                              PingTimeoutMs);
    const QStringList saved = savedCertificates();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s)->text(), saved.first());
    QCOMPARE(load(saved.first()), load(m_extra.certificate(u"selfsigned"_s)));
    QVERIFY(!trust->isVisible());

    QTest::mouseClick(
        child<QDialogButtonBox>(m_dialog.get(), u"buttonBox"_s)->button(QDialogButtonBox::Save),
        Qt::LeftButton);
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    QCOMPARE(m_store->bookmarks().first().caCertificateFile, saved.first());
    QVERIFY(QFile::exists(saved.first()));
}

void TestCertificateTrustGui::cancellingSavesNothing()
{
    openDialog(u"Undecided"_s, m_selfSigned->url());
    runTest();
    QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(m_dialog.get(), u"trustButton"_s)->isVisible(),
                             PingTimeoutMs);
    CertificateTrustDialog *dialog = clickForTrustDialog(u"trustButton"_s);
    QVERIFY(dialog);
    dialog->reject();
    QVERIFY(savedCertificates().isEmpty());
    QVERIFY(child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s)->text().isEmpty());
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);

    // Trusted, but the bookmark dialog is cancelled: the certificate file goes too.
    dialog = clickForTrustDialog(u"trustButton"_s);
    QVERIFY(dialog);
    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded,
                              PingTimeoutMs);
    QCOMPARE(savedCertificates().size(), 1);
    m_dialog->reject();
    QVERIFY(m_store->bookmarks().isEmpty());
    QVERIFY(savedCertificates().isEmpty());
}

void TestCertificateTrustGui::leafFromUnknownCaAsksForTheCaFile()
{
    openDialog(u"Private CA"_s, m_caSigned->url());
    const QString verdict = runTest();
    QVERIFY2(verdict.contains(u"unknown certificate authority"_s), qPrintable(verdict));
    auto *trust = child<QPushButton>(m_dialog.get(), u"trustButton"_s);
    QTRY_VERIFY_WITH_TIMEOUT(trust->isVisible(), PingTimeoutMs);
    QCOMPARE(m_dialog->tlsVerdict(), std::optional<Verdict>(Verdict::NeedsCaFile));
    QVERIFY2(trust->text().contains(u"CA Certificate"_s), qPrintable(trust->text()));

    CertificateTrustDialog *dialog = clickForTrustDialog(u"trustButton"_s);
    QVERIFY(dialog);
    QCOMPARE(dialog->verdict(), Verdict::NeedsCaFile);
    // The server's own certificate is shown, but it is not what can be trusted.
    QCOMPARE(dialog->shownFingerprint(), opensslFingerprint(m_certs.serverCertificatePath()));
    QVERIFY(!dialog->trustButton()->isEnabled());

    // A certificate that does not sign the server's is refused after a real handshake.
    dialog->chooseCaFile(m_extra.certificate(u"selfsigned"_s));
    QTRY_COMPARE_WITH_TIMEOUT(dialog->caCheck(), CertificateTrustDialog::CaCheck::Failed,
                              PingTimeoutMs);
    QVERIFY(!dialog->trustButton()->isEnabled());
    QVERIFY2(child<QLabel>(dialog, u"statusLabel"_s)->text().contains(u"does not make"_s),
             qPrintable(child<QLabel>(dialog, u"statusLabel"_s)->text()));

    dialog->chooseCaFile(m_certs.caCertificatePath());
    QTRY_COMPARE_WITH_TIMEOUT(dialog->caCheck(), CertificateTrustDialog::CaCheck::Verified,
                              PingTimeoutMs);
    QVERIFY(dialog->trustButton()->isEnabled());
    QCOMPARE(dialog->shownFingerprint(), opensslFingerprint(m_certs.caCertificatePath()));
    QVERIFY(savedCertificates().isEmpty());

    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded,
                              PingTimeoutMs);
    const QStringList saved = savedCertificates();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(load(saved.first()), load(m_certs.caCertificatePath())); // a copy of the CA
    QCOMPARE(child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s)->text(), saved.first());
}

void TestCertificateTrustGui::expiredCertificateOffersNoTrust()
{
    for (bool caKnown : {false, true}) {
        // With the CA trusted, expiry is the only problem left; it still cannot be trusted away.
        openDialog(u"Expired"_s, m_expired->url());
        if (caKnown)
            child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s)->setText(m_certs.caCertificatePath());
        const QString verdict = runTest();
        QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Failed);
        QVERIFY2(verdict.contains(u"expired"_s), qPrintable(verdict));
        auto *show = child<QPushButton>(m_dialog.get(), u"certificateButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(show->isVisible(), PingTimeoutMs);
        QCOMPARE(m_dialog->tlsVerdict(), std::optional<Verdict>(Verdict::NotFixable));
        QVERIFY(!child<QPushButton>(m_dialog.get(), u"trustButton"_s)->isVisible());

        CertificateTrustDialog *dialog = clickForTrustDialog(u"certificateButton"_s);
        QVERIFY(dialog);
        QVERIFY(!dialog->trustButton()->isVisible());
        QVERIFY(
            child<QLabel>(dialog, u"problemLabel"_s)->text().contains(u"expired on 2020-02-01"_s));
        const QString advice = child<QLabel>(dialog, u"adviceLabel"_s)->text();
        QVERIFY2(advice.contains(u"Skip TLS verification"_s), qPrintable(advice));
        QCOMPARE(dialog->shownFingerprint(), opensslFingerprint(m_certs.expiredCertificatePath()));
        dialog->reject();
        QVERIFY(savedCertificates().isEmpty());
        m_dialog.reset();
    }
}

void TestCertificateTrustGui::caFileFieldIsUsedByTestConnection()
{
    openDialog(u"With CA"_s, m_caSigned->url());
    auto *caFile = child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s);
    caFile->setText(m_dir->filePath(u"missing.crt"_s));
    QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"testButton"_s), Qt::LeftButton);
    auto *validation = child<QLabel>(m_dialog.get(), u"validationLabel"_s);
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(u"missing.crt"_s), qPrintable(validation->text()));
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::None);

    caFile->setText(m_certs.caCertificatePath());
    QVERIFY(!validation->isVisible());
    const QString verdict = runTest();
    QCOMPARE(m_dialog->testOutcome(), BookmarkDialog::TestOutcome::Succeeded);
    QVERIFY2(verdict.startsWith(u"Connected"_s), qPrintable(verdict));
    QTest::mouseClick(
        child<QDialogButtonBox>(m_dialog.get(), u"buttonBox"_s)->button(QDialogButtonBox::Save),
        Qt::LeftButton);
    QTRY_COMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Bookmark saved = m_store->bookmarks().first();
    QCOMPARE(saved.caCertificateFile, m_certs.caCertificatePath());
    QVERIFY(!saved.skipTlsVerify);

    // Editing shows it again.
    m_dialog = std::make_unique<BookmarkDialog>(m_store.get(), m_credentials.get());
    m_dialog->setBookmark(saved);
    QCOMPARE(child<QLineEdit>(m_dialog.get(), u"caFileEdit"_s)->text(),
             m_certs.caCertificatePath());
}

void TestCertificateTrustGui::treeOffersTrustForFailedRegistry()
{
    auto *secrets = new MemoryCredentialStore;
    AppContext context(secrets);
    Bookmark b;
    b.name = u"Self-signed registry"_s;
    b.url = QUrl(m_selfSigned->url());
    const auto added = context.bookmarks()->add(b);
    QVERIFY(added);
    const QString id = added->id;

    MainWindow window(&context);
    new QAbstractItemModelTester(window.treeModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, &window);
    auto *controller = window.findChild<RegistryAccessController *>();
    QVERIFY(controller);
    controller->setCertificateDirectory(m_config.filePath(u"certs"_s));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    RegistryTreeModel *tree = window.treeModel();
    tree->revealPath(id, u"tls/r-0000"_s);
    // The catalog request fails on the certificate; the controller reads the chain.
    QTRY_VERIFY_WITH_TIMEOUT(controller->certificateProblem(id).has_value(), PingTimeoutMs);
    const QModelIndex bookmark = tree->indexFor(id);
    QVERIFY(bookmark.isValid());
    const QModelIndex errorRow = tree->index(tree->rowCount(bookmark) - 1, 0, bookmark);
    QCOMPARE(tree->nodeType(errorRow), RegistryTreeModel::NodeType::Error);
    QVERIFY2(errorRow.data().toString().contains(u"unknown certificate authority"_s),
             qPrintable(errorRow.data().toString()));
    QVERIFY(controller->certificateNotice()->isVisible());
    QVERIFY2(controller->certificateNotice()->text().contains(u"not trusted"_s),
             qPrintable(controller->certificateNotice()->text()));
    QMenu menu;
    QVERIFY(controller->fillStatusRowMenu(errorRow, &menu));
    QStringList texts;
    for (QAction *a : menu.actions())
        texts << a->text();
    QVERIFY2(texts.contains(u"Trust &Certificate…"_s), qPrintable(texts.join(u", "_s)));
    QVERIFY(texts.contains(u"Retry"_s));

    CertificateTrustDialog *dialog = nullptr;
    bool answered = false;
    controller->trustCertificate(id, [&](CertificateTrustDialog *d) {
        dialog = d;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, PingTimeoutMs);
    QVERIFY(dialog);
    QCOMPARE(dialog->shownFingerprint(), opensslFingerprint(m_extra.certificate(u"selfsigned"_s)));
    QVERIFY(context.bookmarks()->byId(id)->caCertificateFile.isEmpty());
    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);

    const QString file = context.bookmarks()->byId(id)->caCertificateFile;
    QCOMPARE(file, QDir(m_config.filePath(u"certs"_s)).absoluteFilePath(id + u".crt"_s));
    QCOMPARE(load(file), load(m_extra.certificate(u"selfsigned"_s)));
    // The registry loads again with the new trust, and its repository appears.
    tree->revealPath(id, u"tls/r-0000"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(tree->indexFor(id, u"tls/r-0000"_s)),
                              RegistryTreeModel::NodeType::Repository, PingTimeoutMs);
    QVERIFY(!controller->certificateProblem(id).has_value());
    QVERIFY(!controller->certificateNotice()->isVisible());
}

QTEST_MAIN(TestCertificateTrustGui)
#include "tst_CertificateTrustGui.moc"
