#include "BookmarkDialog.h"

#include "StatusColors.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/RegistryClient.h"
#include "credentials/CredentialStore.h"
#include "credentials/KeychainCredentialStore.h"
#include "main/WharfIcons.h"
#include "reference/ImageReference.h"
#include "trust/DockerCredentialsOffer.h"
#include "ui_BookmarkDialog.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>
#include <QStandardItemModel>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

constexpr int TokenModeData = -1; // placeholder entry until token auth arrives
// Read only to learn whether the keychain answers at all; never written.
const auto KeychainProbeKey = u"wharf-keychain-probe"_s;
// Docker's username for an identity token (docker login against an OAuth2 registry).
const auto TokenUsername = u"<token>"_s;

bool isRegistryUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == u"http"_s || url.scheme() == u"https"_s);
}

} // namespace

BookmarkDialog::BookmarkDialog(BookmarkStore *store, CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::BookmarkDialog>())
    , m_store(store)
    , m_credentials(credentials)
    , m_dockerOffer(new DockerCredentialsOffer(this))
    , m_pendingCertificateKey(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_certificateDirectory(TlsTrust::defaultDirectory())
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Add Registry"));

    m_ui->authModeCombo->addItem(tr("None (anonymous)"), int(Bookmark::AuthMode::None));
    m_ui->authModeCombo->addItem(tr("Username and password"), int(Bookmark::AuthMode::Password));
    // Token auth comes in a later version; the entry shows where it will go.
    m_ui->authModeCombo->addItem(tr("Token (coming later)"), TokenModeData);
    if (auto *items = qobject_cast<QStandardItemModel *>(m_ui->authModeCombo->model()))
        items->item(2)->setEnabled(false);

    m_ui->tlsWarningLabel->setText(
        tr("<b>Warning:</b> the registry's certificate will not be checked. Anyone on the "
           "network path could read and change the traffic, including your password. Use this "
           "only for test registries."));
    StatusColors::show(m_ui->tlsWarningLabel, m_ui->tlsWarningLabel->text(),
                       StatusColors::Severity::Warning);
    m_ui->validationLabel->setVisible(false);
    m_ui->testResultLabel->setVisible(false);
    m_ui->dockerOfferFrame->setVisible(false);
    m_ui->trustButton->setVisible(false);
    m_ui->certificateButton->setVisible(false);
    m_ui->trustButton->setIcon(WharfIcons::icon(u"secure"_s));
    m_ui->testButton->setIcon(
        QIcon::fromTheme(u"network-connect"_s, QIcon(u":/icons/registry.svg"_s)));

    connect(m_ui->authModeCombo, &QComboBox::currentIndexChanged, this,
            &BookmarkDialog::updateAuthFields);
    connect(m_ui->skipTlsCheck, &QCheckBox::toggled, this, &BookmarkDialog::updateTlsWarning);
    // Only a change by the user counts: on edit, an untouched field keeps the stored password.
    connect(m_ui->passwordEdit, &QLineEdit::textChanged, this, [this] {
        m_passwordEdited = true;
        updateKeychainNote();
    });
    for (QLineEdit *edit : {m_ui->nameEdit, m_ui->urlEdit, m_ui->usernameEdit}) {
        connect(edit, &QLineEdit::textChanged, this, [this] { showValidation(QString()); });
    }
    connect(m_ui->testButton, &QPushButton::clicked, this, &BookmarkDialog::testConnection);

    // Docker's credentials: looked up while nothing is entered, offered, never taken silently.
    connect(m_ui->urlEdit, &QLineEdit::textChanged, this, &BookmarkDialog::lookUpDockerCredentials);
    connect(m_ui->authModeCombo, &QComboBox::currentIndexChanged, this,
            &BookmarkDialog::lookUpDockerCredentials);
    connect(m_dockerOffer, &DockerCredentialsOffer::found, this, &BookmarkDialog::showDockerOffer);
    connect(m_ui->dockerOfferUseButton, &QPushButton::clicked, this,
            &BookmarkDialog::useDockerCredentials);
    connect(m_ui->dockerOfferDismissButton, &QPushButton::clicked, this,
            &BookmarkDialog::declineDockerCredentials);
    connect(m_ui->usernameEdit, &QLineEdit::textChanged, this, &BookmarkDialog::updateKeychainNote);

    // Certificates: a CA file, and trusting one after a failed test.
    connect(m_ui->caFileButton, &QPushButton::clicked, this, &BookmarkDialog::chooseCaFile);
    connect(m_ui->caFileEdit, &QLineEdit::textChanged, this, [this] {
        showValidation(QString());
        forgetTlsProblem();
    });
    connect(m_ui->urlEdit, &QLineEdit::textChanged, this, &BookmarkDialog::forgetTlsProblem);
    connect(m_ui->skipTlsCheck, &QCheckBox::toggled, this, &BookmarkDialog::forgetTlsProblem);
    connect(m_ui->trustButton, &QPushButton::clicked, this, &BookmarkDialog::showCertificateDialog);
    connect(m_ui->certificateButton, &QPushButton::clicked, this,
            &BookmarkDialog::showCertificateDialog);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &BookmarkDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &BookmarkDialog::reject);

    if (auto *fallback = qobject_cast<SessionFallbackCredentialStore *>(m_credentials)) {
        m_keychainUnavailable = fallback->usingFallback();
        connect(fallback, &SessionFallbackCredentialStore::keychainUnavailable, this,
                [this](const QString &explanation) {
                    m_keychainUnavailable = true;
                    m_keychainExplanation = explanation;
                    updateKeychainNote();
                });
    }

    updateAuthFields();
    updateTlsWarning();
}

BookmarkDialog::~BookmarkDialog() = default;

void BookmarkDialog::setBookmark(const Bookmark &bookmark)
{
    m_original = bookmark;
    setWindowTitle(tr("Edit Registry “%1”").arg(bookmark.name));
    m_ui->nameEdit->setText(bookmark.name);
    m_ui->urlEdit->setText(bookmark.displayUrl());
    m_ui->authModeCombo->setCurrentIndex(m_ui->authModeCombo->findData(int(bookmark.authMode)));
    m_ui->usernameEdit->setText(bookmark.username);
    m_ui->skipTlsCheck->setChecked(bookmark.skipTlsVerify);
    m_ui->caFileEdit->setText(bookmark.caCertificateFile);
    m_ui->repositoriesEdit->setPlainText(bookmark.repositories.join(u'\n'));
    {
        // Never shown: the field stays empty and "unchanged" until the user types.
        const QSignalBlocker blocker(m_ui->passwordEdit);
        m_ui->passwordEdit->clear();
    }
    m_passwordEdited = false;
    m_secretStored = false;
    showValidation(QString());
    updateAuthFields();

    if (bookmark.needsSecret()) {
        m_keychainProbed = true;
        const QString id = bookmark.id;
        m_credentials->readSecret(id, this, [this, id](Expected<std::optional<QString>> secret) {
            if (!m_original || m_original->id != id)
                return;
            m_secretStored = secret && secret->has_value() && !secret->value().isEmpty();
            updateKeychainNote();
        });
    }
}

Bookmark::AuthMode BookmarkDialog::authMode() const
{
    return m_ui->authModeCombo->currentData().toInt() == int(Bookmark::AuthMode::Password)
               ? Bookmark::AuthMode::Password
               : Bookmark::AuthMode::None;
}

Bookmark BookmarkDialog::enteredBookmark() const
{
    Bookmark b = m_original.value_or(Bookmark());
    b.name = m_ui->nameEdit->text().trimmed();
    b.url = QUrl(m_ui->urlEdit->text().trimmed(), QUrl::StrictMode);
    b.authMode = authMode();
    b.username = b.authMode == Bookmark::AuthMode::Password ? m_ui->usernameEdit->text().trimmed()
                                                            : QString();
    b.skipTlsVerify = m_ui->skipTlsCheck->isChecked();
    b.caCertificateFile = m_ui->caFileEdit->text().trimmed();
    QStringList repositories;
    const QStringList lines = m_ui->repositoriesEdit->toPlainText().split(u'\n');
    for (const QString &line : lines) {
        const QString name = line.trimmed();
        if (!name.isEmpty() && !repositories.contains(name))
            repositories << name;
    }
    b.repositories = repositories;
    return b;
}

std::optional<Error> BookmarkDialog::validateEntered(const Bookmark &bookmark) const
{
    if (auto e = BookmarkStore::validate(bookmark))
        return e;
    if (!bookmark.caCertificateFile.isEmpty()) {
        // A small local file, read so a typo shows here rather than as a TLS failure later.
        const QFileInfo file(bookmark.caCertificateFile);
        if (!file.isFile() || !file.isReadable())
            return Error::make(Error::Kind::InvalidInput,
                               tr("The CA certificate file %1 does not exist or cannot be read.")
                                   .arg(bookmark.caCertificateFile));
        if (QSslCertificate::fromPath(bookmark.caCertificateFile, QSsl::Pem).isEmpty())
            return Error::make(Error::Kind::InvalidInput,
                               tr("%1 holds no PEM certificate.").arg(bookmark.caCertificateFile));
    }
    for (const QString &repository : bookmark.repositories) {
        QString why;
        if (!ImageReference::isValidRepository(repository, &why))
            return Error::make(Error::Kind::InvalidInput,
                               tr("“%1” is not a repository name: %2").arg(repository, why));
    }
    return std::nullopt;
}

void BookmarkDialog::showValidation(const QString &message)
{
    StatusColors::show(m_ui->validationLabel, message, StatusColors::Severity::Error);
}

void BookmarkDialog::updateAuthFields()
{
    const bool password = authMode() == Bookmark::AuthMode::Password;
    m_ui->usernameEdit->setEnabled(password);
    m_ui->passwordEdit->setEnabled(password);
    m_ui->usernameLabel->setEnabled(password);
    m_ui->passwordLabel->setEnabled(password);
    if (password)
        probeKeychain();
    updateKeychainNote();
}

void BookmarkDialog::updateTlsWarning()
{
    const bool skip = m_ui->skipTlsCheck->isChecked();
    m_ui->tlsWarningLabel->setVisible(skip);
    // Marked on the box itself too, so it stands out even when the warning is scrolled away.
    m_ui->skipTlsCheck->setIcon(skip ? WharfIcons::icon(u"insecure"_s) : QIcon());
}

void BookmarkDialog::probeKeychain()
{
    // Only the session-fallback store can turn out to be unavailable; asking it once, when a
    // password becomes relevant, lets the dialog say so before the user relies on it.
    if (m_keychainProbed || !qobject_cast<SessionFallbackCredentialStore *>(m_credentials))
        return;
    m_keychainProbed = true;
    m_credentials->readSecret(KeychainProbeKey, this, [](Expected<std::optional<QString>>) {});
}

void BookmarkDialog::updateKeychainNote()
{
    const bool password = authMode() == Bookmark::AuthMode::Password;
    if (!password) {
        StatusColors::show(m_ui->keychainLabel, QString(), StatusColors::Severity::Neutral);
        return;
    }
    if (m_keychainUnavailable) {
        QString text = tr("No keychain is available: the password is kept for this session only "
                          "and must be entered again after Wharf restarts.");
        if (!m_keychainExplanation.isEmpty())
            text += u' ' + m_keychainExplanation;
        StatusColors::show(m_ui->keychainLabel, text, StatusColors::Severity::Warning);
        return;
    }
    QString text;
    if (dockerCredentialsInUse())
        text = tr("Docker's credentials will be stored in %1 when you save – never in Wharf's "
                  "settings.")
                   .arg(m_credentials->description());
    else if (isEditing() && !m_passwordEdited)
        text = m_secretStored ? tr("A password is stored in %1. Leave the field empty to keep it.")
                                    .arg(m_credentials->description())
                              : tr("No password is stored yet.");
    else
        text = tr("The password will be stored in %1, never in Wharf's settings.")
                   .arg(m_credentials->description());
    StatusColors::show(m_ui->keychainLabel, text, StatusColors::Severity::Neutral);
}

QString BookmarkDialog::testVerdict() const
{
    return m_ui->testResultLabel->text();
}

void BookmarkDialog::testConnection()
{
    const Bookmark b = enteredBookmark();
    if (auto e = validateEntered(b)) {
        showValidation(e->message);
        return;
    }
    showValidation(QString());

    delete m_testContext; // answers for an earlier test are dropped
    m_testContext = new QObject(this);
    forgetTlsProblem();
    if (m_testClient)
        m_testClient->deleteLater();
    m_testOutcome = TestOutcome::Running;
    m_ui->testButton->setEnabled(false);
    StatusColors::show(m_ui->testResultLabel, tr("Connecting to %1…").arg(b.displayUrl()),
                       StatusColors::Severity::Neutral);

    const bool useStored = b.authMode == Bookmark::AuthMode::Password && isEditing() &&
                           !m_passwordEdited && m_original->needsSecret();
    if (!useStored) {
        startPing(b, enteredCredentials());
        return;
    }
    QObject *context = m_testContext;
    m_credentials->readSecret(
        b.id, context, [this, b, context](Expected<std::optional<QString>> secret) {
            if (context != m_testContext)
                return;
            if (!secret) {
                finishTest(
                    false,
                    tr("Could not read the stored password: %1").arg(secret.error().message));
                return;
            }
            startPing(b, SessionManager::decodeSecret(b.username, secret->value_or(QString())));
        });
}

void BookmarkDialog::startPing(const Bookmark &bookmark, const Credentials &credentials)
{
    RegistryConfig config = bookmark.toConfig();
    if (bookmark.needsSecret())
        config.credentials = credentials;
    config.useCache = false; // a test must talk to the registry, not to the cache
    config.maxInFlight = 2;
    config.transferTimeoutMs = 15000;
    const Credentials &c = config.credentials;
    const bool credentialsGiven =
        c.hasPassword() || !c.identityToken.isEmpty() || !c.registryToken.isEmpty();
    const QString hostPort = config.hostPort();
    m_testClient = new RegistryClient(config, this);
    QObject *context = m_testContext;
    m_testClient->ping(
        context, [this, context, credentialsGiven, hostPort, config](Expected<PingResult> result) {
            if (context != m_testContext)
                return;
            if (result) {
                finishTest(true, successVerdict(*result, credentialsGiven));
                return;
            }
            finishTest(false, failureVerdict(result.error(), credentialsGiven, hostPort));
            if (result.error().kind == Error::Kind::Tls)
                assessTlsFailure(config);
        });
}

void BookmarkDialog::finishTest(bool ok, const QString &verdict)
{
    m_testOutcome = ok ? TestOutcome::Succeeded : TestOutcome::Failed;
    m_ui->testButton->setEnabled(true);
    StatusColors::show(m_ui->testResultLabel, verdict,
                       ok ? StatusColors::Severity::Success : StatusColors::Severity::Error);
    emit connectionTested(ok, verdict);
}

QString BookmarkDialog::successVerdict(const PingResult &result, bool credentialsGiven)
{
    if (result.authScheme == u"none"_s) {
        return credentialsGiven ? tr("Connected — registry API v2, authentication: none (the "
                                     "registry asks for no credentials; yours are not used)")
                                : tr("Connected — registry API v2, authentication: none");
    }
    if (result.authenticated)
        return tr("Connected — registry API v2, authentication: %1, credentials accepted")
            .arg(result.authScheme);
    return tr("Connected — registry API v2, authentication: %1, anonymous access")
        .arg(result.authScheme);
}

QString BookmarkDialog::failureVerdict(const Error &error, bool credentialsGiven,
                                       const QString &hostPort)
{
    switch (error.kind) {
    case Error::Kind::Unauthorized:
        return credentialsGiven
                   ? tr("Wrong username or password — %1 rejected the credentials.").arg(hostPort)
                   : tr("%1 requires a username and password: choose “Username and password” "
                        "and enter them.")
                         .arg(hostPort);
    case Error::Kind::Forbidden:
        return tr("Access denied — %1").arg(error.message);
    case Error::Kind::ConnectionRefused:
        return tr("Connection refused — is the registry running? Nothing accepted a connection "
                  "at %1.")
            .arg(hostPort);
    case Error::Kind::HostNotFound:
        return tr("Host not found — check the address (%1).").arg(hostPort);
    case Error::Kind::Timeout:
        return tr("No answer from %1 — the connection timed out.").arg(hostPort);
    case Error::Kind::Tls:
        // The core's message already names the cause and the way out (CA or skip TLS).
        return tr("TLS problem — %1").arg(error.message);
    default:
        return error.message;
    }
}

void BookmarkDialog::setBusy(bool busy)
{
    m_ui->buttonBox->setEnabled(!busy);
    m_ui->testButton->setEnabled(!busy && m_testOutcome != TestOutcome::Running);
}

void BookmarkDialog::accept()
{
    const Bookmark b = enteredBookmark();
    if (auto e = validateEntered(b)) {
        showValidation(e->message);
        return;
    }
    const Expected<Bookmark> saved = isEditing() ? m_store->update(b) : m_store->add(b);
    if (!saved) {
        showValidation(saved.error().message);
        return;
    }
    showValidation(QString());
    removeCertificatesExcept(saved->caCertificateFile);
    // From here on a second Save updates the same bookmark instead of adding another one.
    const bool hadSecret = m_original && m_original->needsSecret();
    m_original = *saved;
    m_saved = *saved;
    emit bookmarkSaved(*saved);

    if (!saved->needsSecret()) {
        if (hadSecret) // the password is no longer needed: do not leave it in the keychain
            m_credentials->removeSecret(saved->id, m_credentials, [](Expected<Done>) {});
        QDialog::accept();
        return;
    }
    if (!m_passwordEdited) {
        QDialog::accept();
        return;
    }
    storeSecretAndClose(*saved);
}

void BookmarkDialog::storeSecretAndClose(const Bookmark &saved)
{
    // A plain password as typed; Docker's tokens in SessionManager's JSON form.
    const QString secret = SessionManager::encodeSecret(enteredCredentials());
    const bool wasUnavailable = m_keychainUnavailable;
    setBusy(true);
    auto done = [this, wasUnavailable](Expected<Done> result) {
        setBusy(false);
        if (!result) {
            showValidation(tr("The bookmark was saved, but the password could not be stored: %1")
                               .arg(result.error().message));
            return;
        }
        m_passwordEdited = false;
        m_secretStored = true;
        if (m_keychainUnavailable && !wasUnavailable) {
            // Learned only now: say so before closing, the user may want another keychain.
            updateKeychainNote();
            m_ui->buttonBox->button(QDialogButtonBox::Save)->setText(tr("Close"));
            return;
        }
        QDialog::accept();
    };
    if (secret.isEmpty())
        m_credentials->removeSecret(saved.id, this, done);
    else
        m_credentials->writeSecret(saved.id, secret, this, done);
}

void BookmarkDialog::reject()
{
    // Certificates trusted in a dialog that is cancelled are not needed by anything.
    removeCertificatesExcept(m_original ? m_original->caCertificateFile : QString());
    QDialog::reject();
}

Credentials BookmarkDialog::enteredCredentials() const
{
    Credentials c;
    if (authMode() != Bookmark::AuthMode::Password)
        return c;
    if (dockerCredentialsInUse())
        c = *m_dockerCredentials;
    else
        c.secret = m_ui->passwordEdit->text();
    const QString username = m_ui->usernameEdit->text().trimmed();
    c.username = username == TokenUsername ? QString() : username;
    return c;
}

bool BookmarkDialog::dockerCredentialsInUse() const
{
    // Only while the fields hold exactly what "Use Them" put there: anything typed over them
    // is the user's own password.
    return m_dockerCredentials && authMode() == Bookmark::AuthMode::Password &&
           m_ui->usernameEdit->text().trimmed() == m_dockerUsername &&
           m_ui->passwordEdit->text() == m_dockerSecretText;
}

bool BookmarkDialog::isDockerOfferShown() const
{
    return !m_ui->dockerOfferFrame->isHidden();
}

void BookmarkDialog::lookUpDockerCredentials()
{
    hideDockerOffer();
    const bool nothingEntered =
        authMode() == Bookmark::AuthMode::None ||
        (m_ui->usernameEdit->text().isEmpty() && m_ui->passwordEdit->text().isEmpty());
    const QUrl url(m_ui->urlEdit->text().trimmed(), QUrl::StrictMode);
    if (!nothingEntered || !isRegistryUrl(url)) {
        m_dockerOffer->cancel();
        return;
    }
    m_dockerOffer->lookUpLater(url.toString());
}

void BookmarkDialog::showDockerOffer(const DockerConfigLookup::Result &result)
{
    if (m_declinedServerKeys.contains(result.serverKey))
        return;
    m_ui->dockerOfferLabel->setText(tr("Docker has credentials for this registry (%1).")
                                        .arg(DockerCredentialsOffer::describe(result)));
    m_ui->dockerOfferLabel->setToolTip(
        tr("Wharf can use them for this bookmark. They are stored in %1 only if you choose "
           "“Use Them” and save.")
            .arg(m_credentials->description()));
    m_ui->dockerOfferFrame->setVisible(true);
}

void BookmarkDialog::hideDockerOffer()
{
    m_ui->dockerOfferFrame->setVisible(false);
}

void BookmarkDialog::useDockerCredentials()
{
    if (!m_dockerOffer->current())
        return;
    const Credentials c = m_dockerOffer->current()->credentials; // a copy: the lookup resets
    hideDockerOffer();
    m_dockerCredentials = c;
    m_dockerUsername = c.username.isEmpty() ? TokenUsername : c.username;
    m_dockerSecretText = !c.secret.isEmpty()          ? c.secret
                         : !c.identityToken.isEmpty() ? c.identityToken
                                                      : c.registryToken;
    m_ui->authModeCombo->setCurrentIndex(
        m_ui->authModeCombo->findData(int(Bookmark::AuthMode::Password)));
    m_ui->usernameEdit->setText(m_dockerUsername);
    // Masked like any password; the field is the only place the secret is shown.
    m_ui->passwordEdit->setEchoMode(QLineEdit::Password);
    m_ui->passwordEdit->setText(m_dockerSecretText);
    updateKeychainNote();
}

void BookmarkDialog::declineDockerCredentials()
{
    if (m_dockerOffer->current())
        m_declinedServerKeys << m_dockerOffer->current()->serverKey;
    hideDockerOffer();
}

void BookmarkDialog::chooseCaFile()
{
    const QString current = m_ui->caFileEdit->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a CA Certificate"),
        current.isEmpty() ? QString() : QFileInfo(current).absolutePath(),
        tr("Certificates (*.crt *.pem *.cer);;All files (*)"));
    if (!path.isEmpty())
        m_ui->caFileEdit->setText(path);
}

void BookmarkDialog::forgetTlsProblem()
{
    m_peerChain.reset();
    m_tlsVerdict.reset();
    m_ui->trustButton->setVisible(false);
    m_ui->certificateButton->setVisible(false);
}

void BookmarkDialog::assessTlsFailure(RegistryConfig config)
{
    // Only the certificate matters here; the handshake sends nothing else.
    config.credentials = Credentials();
    QObject *context = m_testContext;
    TlsTrust::fetchPeerChain(
        config, context, [this, context, config](Expected<TlsTrust::PeerChain> chain) {
            if (context != m_testContext || !chain || chain->chain.isEmpty())
                return; // the verdict already says what failed
            m_peerChain = *chain;
            m_tlsConfig = config;
            const auto verdict = CertificateTrustDialog::assess(*chain);
            m_tlsVerdict = verdict;
            switch (verdict) {
            case CertificateTrustDialog::Verdict::TrustPresented:
                m_ui->trustButton->setText(tr("&Trust This Certificate…"));
                m_ui->trustButton->setVisible(true);
                break;
            case CertificateTrustDialog::Verdict::NeedsCaFile:
                m_ui->trustButton->setText(tr("Choose the Registry's &CA Certificate…"));
                m_ui->trustButton->setVisible(true);
                break;
            case CertificateTrustDialog::Verdict::NotFixable:
                // Trusting would not help: show the certificate and the way out, nothing more.
                m_ui->certificateButton->setText(tr("Show &Certificate…"));
                m_ui->certificateButton->setVisible(true);
                break;
            case CertificateTrustDialog::Verdict::AlreadyTrusted:
                break;
            }
            emit tlsProblemAssessed(verdict);
        });
}

CertificateTrustDialog *BookmarkDialog::showCertificateDialog()
{
    if (!m_peerChain)
        return nullptr;
    auto *dialog = new CertificateTrustDialog(*m_peerChain, m_tlsConfig, certificateKey(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCertificateDirectory(m_certificateDirectory);
    connect(dialog, &CertificateTrustDialog::trusted, this, &BookmarkDialog::onCertificateTrusted);
    dialog->open();
    return dialog;
}

void BookmarkDialog::onCertificateTrusted(const QString &file)
{
    if (QFileInfo(file).absolutePath() == QDir(m_certificateDirectory).absolutePath() &&
        !m_certificateFiles.contains(file))
        m_certificateFiles << file;
    m_ui->caFileEdit->setText(file);
    testConnection(); // the point of trusting: does it work now?
}

void BookmarkDialog::removeCertificatesExcept(const QString &keep)
{
    for (const QString &file : std::as_const(m_certificateFiles)) {
        if (file != keep)
            QFile::remove(file);
    }
    m_certificateFiles.clear();
}

QString BookmarkDialog::certificateKey() const
{
    return isEditing() ? m_original->id : m_pendingCertificateKey;
}

} // namespace wharf::gui
