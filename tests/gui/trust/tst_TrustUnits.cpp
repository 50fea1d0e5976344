// The pieces of the issue-6 GUI that need no registry: how SessionManager keeps Docker's tokens
// in the credential store (and reads plain passwords as before), what the certificate dialog
// offers for each kind of certificate problem (with certificates openssl makes at run time),
// the Add Repository dialog's parsing and validation, the rate-limit text, and the debounced
// Docker credentials lookup.

#include "ExtraCertificates.h"
#include "TestCertificates.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "tls/CertificateInfo.h"
#include "trust/AddRepositoryDialog.h"
#include "trust/CertificateTrustDialog.h"
#include "trust/DockerCredentialsOffer.h"
#include "trust/RegistryAccessController.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslError>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;
using Verdict = CertificateTrustDialog::Verdict;

namespace {

QSslCertificate load(const QString &path)
{
    const auto all = QSslCertificate::fromPath(path, QSsl::Pem);
    return all.isEmpty() ? QSslCertificate() : all.first();
}

TlsTrust::PeerChain chainOf(const QList<QSslCertificate> &certificates,
                            const QList<QSslError::SslError> &errors)
{
    TlsTrust::PeerChain chain;
    chain.host = u"127.0.0.1"_s;
    chain.port = 5443;
    chain.chain = certificates;
    for (QSslError::SslError e : errors)
        chain.errors << QSslError(e, certificates.value(0));
    return chain;
}

RegistryConfig configFor()
{
    RegistryConfig c;
    c.url = QUrl(u"https://127.0.0.1:5443"_s);
    return c;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace

class TestTrustUnits : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void plainPasswordsAreStoredAsTheyAre();
    void tokensAreStoredAsMarkedJson();
    void passwordLookingLikeTheJsonFormRoundTrips();

    void verdictPerProblem();
    void reasonsSayWhatIsWrong();
    void selfSignedCertificateIsTrustedOnlyWhenConfirmed();
    void privateCaSentAlongIsTheOneToTrust();
    void expiredCertificateOffersNothingToTrust();
    void leafFromUnknownCaAsksForTheCaFile();

    void addRepositoryParsesAndValidates();
    void rateLimitText();
    void dockerLookupIsDebouncedAndOnlyForTheLastAddress();

private:
    t::TestCertificates m_certs;
    t::ExtraCertificates m_extra;
    QTemporaryDir m_dockerConfig;
    QSslCertificate m_selfSigned;
    QSslCertificate m_ca;
    QSslCertificate m_server;
    QSslCertificate m_expired;
};

void TestTrustUnits::initTestCase()
{
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    QVERIFY2(m_extra.makeSelfSigned(u"self"_s, u"IP:127.0.0.1"_s, &error), qPrintable(error));
    m_selfSigned = load(m_extra.certificate(u"self"_s));
    m_ca = load(m_certs.caCertificatePath());
    m_server = load(m_certs.serverCertificatePath());
    m_expired = load(m_certs.expiredCertificatePath());
    QVERIFY(!m_selfSigned.isNull() && !m_ca.isNull() && !m_server.isNull() && !m_expired.isNull());
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_dockerConfig.path()));
    qunsetenv("DOCKER_AUTH_CONFIG");
}

void TestTrustUnits::plainPasswordsAreStoredAsTheyAre()
{
    Credentials c;
    c.username = u"alice"_s;
    c.secret = u"s3cret:with{braces}"_s;
    QCOMPARE(SessionManager::encodeSecret(c), c.secret);
    // What earlier versions and `wharfctl bookmark login` stored reads back as a password.
    for (const QString &stored : {u"plain"_s, u"{not json"_s, u"{\"password\":\"x\"}"_s}) {
        const Credentials back = SessionManager::decodeSecret(u"alice"_s, stored);
        QCOMPARE(back.username, u"alice"_s);
        QCOMPARE(back.secret, stored);
        QVERIFY(back.identityToken.isEmpty());
        QVERIFY(back.registryToken.isEmpty());
    }
    QVERIFY(SessionManager::encodeSecret(Credentials()).isEmpty());
}

void TestTrustUnits::tokensAreStoredAsMarkedJson()
{
    Credentials c;
    c.identityToken = u"refresh+bob/1=="_s;
    const QString stored = SessionManager::encodeSecret(c);
    QVERIFY2(stored.contains(u"\"wharfSecret\""_s), qPrintable(stored));
    QVERIFY(stored.contains(u"\"identityToken\":\"refresh+bob/1==\""_s));
    // Docker's "<token>" username is a placeholder, not an account to send.
    const Credentials back = SessionManager::decodeSecret(u"<token>"_s, stored);
    QVERIFY(back.username.isEmpty());
    QVERIFY(back.secret.isEmpty());
    QCOMPARE(back.identityToken, c.identityToken);

    Credentials both;
    both.secret = u"pw"_s;
    both.registryToken = u"bearer-xyz"_s;
    const Credentials again =
        SessionManager::decodeSecret(u"carol"_s, SessionManager::encodeSecret(both));
    QCOMPARE(again.username, u"carol"_s);
    QCOMPARE(again.secret, u"pw"_s);
    QCOMPARE(again.registryToken, u"bearer-xyz"_s);
}

void TestTrustUnits::passwordLookingLikeTheJsonFormRoundTrips()
{
    Credentials c;
    c.secret = u"{\"wharfSecret\":1,\"identityToken\":\"not-really\"}"_s;
    const QString stored = SessionManager::encodeSecret(c);
    QVERIFY(stored != c.secret); // wrapped
    const Credentials back = SessionManager::decodeSecret(u"dave"_s, stored);
    QCOMPARE(back.secret, c.secret);
    QVERIFY(back.identityToken.isEmpty());
}

void TestTrustUnits::verdictPerProblem()
{
    using E = QSslError;
    QCOMPARE(CertificateTrustDialog::assess(chainOf({m_selfSigned}, {})), Verdict::AlreadyTrusted);
    QCOMPARE(CertificateTrustDialog::assess(chainOf({m_selfSigned}, {E::SelfSignedCertificate})),
             Verdict::TrustPresented);
    QCOMPARE(
        CertificateTrustDialog::assess(chainOf(
            {m_server}, {E::UnableToGetLocalIssuerCertificate, E::UnableToVerifyFirstCertificate})),
        Verdict::NeedsCaFile);
    QCOMPARE(CertificateTrustDialog::assess(
                 chainOf({m_server, m_ca}, {E::SelfSignedCertificateInChain})),
             Verdict::TrustPresented);
    QCOMPARE(CertificateTrustDialog::assess(chainOf(
                 {m_expired}, {E::CertificateExpired, E::UnableToGetLocalIssuerCertificate})),
             Verdict::NotFixable);
    QCOMPARE(CertificateTrustDialog::assess(
                 chainOf({m_selfSigned}, {E::SelfSignedCertificate, E::HostNameMismatch})),
             Verdict::NotFixable);
    QCOMPARE(CertificateTrustDialog::assess(chainOf({m_server}, {E::CertificateRevoked})),
             Verdict::NotFixable);
}

void TestTrustUnits::reasonsSayWhatIsWrong()
{
    using E = QSslError;
    const QString expired = CertificateTrustDialog::reasons(
        chainOf({m_expired}, {E::CertificateExpired, E::UnableToGetLocalIssuerCertificate}));
    // TestCertificates' expired certificate is valid during January 2020 only.
    QVERIFY2(expired.contains(u"expired on 2020-02-01"_s), qPrintable(expired));
    QVERIFY(expired.contains(u"unknown certificate authority"_s));
    const QString host =
        CertificateTrustDialog::reasons(chainOf({m_server}, {E::HostNameMismatch}));
    QVERIFY2(host.contains(u"127.0.0.1"_s) && host.contains(u"localhost"_s), qPrintable(host));
    const QString self =
        CertificateTrustDialog::reasons(chainOf({m_selfSigned}, {E::SelfSignedCertificate}));
    QVERIFY2(self.contains(u"signed itself"_s), qPrintable(self));
}

void TestTrustUnits::selfSignedCertificateIsTrustedOnlyWhenConfirmed()
{
    QTemporaryDir store;
    const auto chain = chainOf({m_selfSigned}, {QSslError::SelfSignedCertificate});
    {
        // Cancel writes nothing.
        CertificateTrustDialog dialog(chain, configFor(), u"bm-1"_s);
        dialog.setCertificateDirectory(store.path());
        dialog.show();
        QVERIFY(dialog.trustButton()->isVisible());
        dialog.reject();
        QVERIFY(dialog.trustedFile().isEmpty());
        QVERIFY(QDir(store.path()).entryList(QDir::Files).isEmpty());
    }
    CertificateTrustDialog dialog(chain, configFor(), u"bm-1"_s);
    dialog.setCertificateDirectory(store.path());
    dialog.show();
    QCOMPARE(dialog.verdict(), Verdict::TrustPresented);
    // The fingerprint a person compares: SHA-256 of the DER, colon-separated upper-case hex.
    const QString expected =
        QString::fromLatin1(m_selfSigned.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    QCOMPARE(dialog.shownFingerprint(), expected);
    QCOMPARE(expected.size(), 32 * 3 - 1);
    auto *problem = dialog.findChild<QLabel *>(u"problemLabel"_s);
    QVERIFY(problem->text().contains(u"unknown certificate authority"_s));
    // Says where the copy would go.
    QVERIFY(dialog.findChild<QLabel *>(u"adviceLabel"_s)->text().contains(store.path()));

    QSignalSpy trusted(&dialog, &CertificateTrustDialog::trusted);
    QTest::mouseClick(dialog.trustButton(), Qt::LeftButton);
    QCOMPARE(trusted.size(), 1);
    const QString path = trusted.first().first().toString();
    QCOMPARE(path, dialog.trustedFile());
    QCOMPARE(QFileInfo(path).absolutePath(), QDir(store.path()).absolutePath());
    QCOMPARE(QFileInfo(path).fileName(), u"bm-1.crt"_s);
    QCOMPARE(load(path), m_selfSigned);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestTrustUnits::privateCaSentAlongIsTheOneToTrust()
{
    QTemporaryDir store;
    CertificateTrustDialog dialog(
        chainOf({m_server, m_ca}, {QSslError::SelfSignedCertificateInChain}), configFor(),
        u"bm-2"_s);
    dialog.setCertificateDirectory(store.path());
    dialog.show();
    QCOMPARE(dialog.verdict(), Verdict::TrustPresented);
    // Shown first: the CA that would be trusted, not the server's own certificate.
    QCOMPARE(dialog.shownFingerprint(), CertificateInfo::fingerprint(m_ca));
    QTest::mouseClick(dialog.trustButton(), Qt::LeftButton);
    QCOMPARE(load(dialog.trustedFile()), m_ca);
}

void TestTrustUnits::expiredCertificateOffersNothingToTrust()
{
    QTemporaryDir store;
    CertificateTrustDialog dialog(
        chainOf({m_expired},
                {QSslError::CertificateExpired, QSslError::UnableToGetLocalIssuerCertificate}),
        configFor(), u"bm-3"_s);
    dialog.setCertificateDirectory(store.path());
    dialog.show();
    QCOMPARE(dialog.verdict(), Verdict::NotFixable);
    QVERIFY(!dialog.trustButton()->isVisible());
    QVERIFY(!dialog.findChild<QWidget *>(u"caFileRow"_s)->isVisible());
    const QString advice = dialog.findChild<QLabel *>(u"adviceLabel"_s)->text();
    QVERIFY2(advice.contains(u"would not help"_s), qPrintable(advice));
    QVERIFY2(advice.contains(u"Skip TLS verification"_s), qPrintable(advice));
    QVERIFY(advice.contains(u"renew"_s));
    QVERIFY(dialog.findChild<QLabel *>(u"validityValue"_s)->text().contains(u"(expired)"_s));
    dialog.accept(); // even called directly, there is nothing to trust
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.trustedFile().isEmpty());
    QVERIFY(QDir(store.path()).entryList(QDir::Files).isEmpty());
}

void TestTrustUnits::leafFromUnknownCaAsksForTheCaFile()
{
    QTemporaryDir store;
    CertificateTrustDialog dialog(
        chainOf({m_server}, {QSslError::UnableToGetLocalIssuerCertificate}), configFor(),
        u"bm-4"_s);
    dialog.setCertificateDirectory(store.path());
    dialog.show();
    QCOMPARE(dialog.verdict(), Verdict::NeedsCaFile);
    QVERIFY(dialog.findChild<QWidget *>(u"caFileRow"_s)->isVisible());
    QVERIFY(dialog.trustButton()->isVisible());
    QVERIFY(!dialog.trustButton()->isEnabled()); // not before a CA file checked out
    const QString advice = dialog.findChild<QLabel *>(u"adviceLabel"_s)->text();
    QVERIFY2(advice.contains(u"CN=Wharf Test CA"_s), qPrintable(advice));

    const QString notACertificate = store.filePath(u"notes.txt"_s);
    writeFile(notACertificate, "just text\n");
    dialog.chooseCaFile(notACertificate);
    QCOMPARE(dialog.caCheck(), CertificateTrustDialog::CaCheck::Failed);
    QVERIFY(!dialog.trustButton()->isEnabled());
    QVERIFY(dialog.findChild<QLabel *>(u"statusLabel"_s)->text().contains(u"no certificate"_s));
    dialog.accept();
    QVERIFY(dialog.trustedFile().isEmpty());
    QCOMPARE(QDir(store.path()).entryList({u"*.crt"_s}, QDir::Files).size(), 0);
}

void TestTrustUnits::addRepositoryParsesAndValidates()
{
    QCOMPARE(AddRepositoryDialog::parseNames(u" team/app\n\nteam/db, team/app  lib/x "_s),
             (QStringList{u"team/app"_s, u"team/db"_s, u"lib/x"_s}));

    QTemporaryDir dir;
    BookmarkStore store(dir.filePath(u"wharf.conf"_s));
    Bookmark b;
    b.name = u"Hub"_s;
    b.url = QUrl(u"https://registry-1.docker.io"_s);
    b.repositories = {u"library/debian"_s};
    const auto added = store.add(b);
    QVERIFY(added);

    AddRepositoryDialog dialog(&store, added->id);
    dialog.show();
    dialog.accept();
    QVERIFY2(dialog.validationMessage().contains(u"Enter the name"_s),
             qPrintable(dialog.validationMessage()));
    dialog.setNames(u"library/alpine\nNot/Valid"_s);
    QVERIFY(dialog.validationMessage().isEmpty()); // editing clears the message
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QVERIFY2(dialog.validationMessage().contains(u"“Not/Valid” is not a repository name"_s),
             qPrintable(dialog.validationMessage()));
    QCOMPARE(store.byId(added->id)->repositories, QStringList{u"library/debian"_s});
    QVERIFY(dialog.isVisible());

    dialog.setNames(u"library/debian"_s);
    dialog.accept();
    QVERIFY(dialog.validationMessage().contains(u"Already listed"_s));

    dialog.setNames(u"library/alpine library/debian bitnami/redis"_s);
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.addedNames(), (QStringList{u"library/alpine"_s, u"bitnami/redis"_s}));
    QCOMPARE(store.byId(added->id)->repositories,
             (QStringList{u"library/debian"_s, u"library/alpine"_s, u"bitnami/redis"_s}));
    // Kept in the settings file, which a new store reads back.
    BookmarkStore reread(dir.filePath(u"wharf.conf"_s));
    QCOMPARE(reread.byId(added->id)->repositories.size(), 3);
}

void TestTrustUnits::rateLimitText()
{
    QCOMPARE(RegistryAccessController::rateLimitText(100, 76, 21600),
             u"Pulls left: 76/100 per 6 h"_s);
    QCOMPARE(RegistryAccessController::rateLimitText(200, 0, 300),
             u"Pulls left: 0/200 per 5 min"_s);
    QCOMPARE(RegistryAccessController::rateLimitText(100, 7, 90), u"Pulls left: 7/100 per 90 s"_s);
    QCOMPARE(RegistryAccessController::rateLimitText(-1, 5, 0), u"Pulls left: 5"_s);
    QCOMPARE(RegistryAccessController::rateLimitText(100, 5, 0), u"Pulls left: 5/100"_s);
    QVERIFY(RegistryAccessController::rateLimitText(100, -1, 0).isEmpty());
}

void TestTrustUnits::dockerLookupIsDebouncedAndOnlyForTheLastAddress()
{
    writeFile(m_dockerConfig.filePath(u"config.json"_s),
              R"({"auths":{"127.0.0.1:5999":{"auth":"YWxpY2U6d29uZGVy"},)"
              R"("127.0.0.1:6000":{"identitytoken":"refresh-abc"}}})");
    DockerCredentialsOffer offer;
    offer.setDelay(50);
    QSignalSpy found(&offer, &DockerCredentialsOffer::found);
    QSignalSpy notFound(&offer, &DockerCredentialsOffer::notFound);
    offer.lookUpLater(u"http://127.0.0.1:6000"_s);
    offer.lookUpLater(u"http://127.0.0.1:5999"_s); // replaces the first before it starts
    QVERIFY(offer.isBusy());
    QTRY_COMPARE(found.size(), 1);
    QVERIFY(!offer.isBusy());
    const auto result = found.first().first().value<DockerConfigLookup::Result>();
    QCOMPARE(result.serverKey, u"127.0.0.1:5999"_s);
    QCOMPARE(result.credentials.username, u"alice"_s);
    QCOMPARE(result.credentials.secret, u"wonder"_s);
    const QString text = DockerCredentialsOffer::describe(result);
    QVERIFY2(text.contains(u"user alice"_s) && text.contains(u"config.json"_s), qPrintable(text));
    QVERIFY(!text.contains(u"wonder"_s));

    // Cancelled before the delay: nothing starts at all.
    offer.lookUpLater(u"http://127.0.0.1:5999"_s);
    offer.cancel();
    QVERIFY(!offer.isBusy());
    QVERIFY(!offer.current());

    offer.lookUpLater(u"http://127.0.0.1:6000"_s);
    QTRY_VERIFY(!offer.isBusy());
    // Exactly one more answer: neither the replaced nor the cancelled lookup answered late.
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.last().first().value<DockerConfigLookup::Result>().serverKey,
             u"127.0.0.1:6000"_s);
    QVERIFY(DockerCredentialsOffer::describe(*offer.current()).contains(u"an identity token"_s));

    offer.lookUpLater(u"http://127.0.0.1:7000"_s);
    QTRY_COMPARE(notFound.size(), 1);
    QVERIFY(!offer.current());
    QCOMPARE(found.size(), 2);
}

QTEST_MAIN(TestTrustUnits)
#include "tst_TrustUnits.moc"
