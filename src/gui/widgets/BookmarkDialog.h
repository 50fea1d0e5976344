#pragma once

#include "Error.h"
#include "bookmarks/Bookmark.h"
#include "credentials/Credentials.h"
#include "credentials/DockerConfigLookup.h"
#include "tls/TlsTrust.h"
#include "trust/CertificateTrustDialog.h"

#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

namespace Ui {
class BookmarkDialog;
}

namespace wharf {
class BookmarkStore;
class CredentialStore;
class RegistryClient;
struct PingResult;
} // namespace wharf

namespace wharf::gui {

class DockerCredentialsOffer;

// Adds or edits a registry bookmark. Settings go to the BookmarkStore, the password only to the
// CredentialStore (keyed by bookmark id, written when the dialog is saved, and left alone on
// edit unless the password field was changed). "Test connection" pings the registry with the
// values as entered, before anything is saved, and explains the outcome in place.
//
// While no credentials are entered, the address is looked up in Docker's credentials
// (DockerCredentialsOffer); if Docker has some, an inline offer says where they come from and
// "Use Them" fills them in (the secret only into the masked password field). They reach the
// credential store – and nothing else – only when the user took them and saves. Identity and
// registry tokens are stored in SessionManager's JSON form.
//
// When Test connection fails because of the certificate, the dialog reads the chain the server
// presents and offers what can help: "Trust This Certificate…" (a self-signed one),
// "Choose CA Certificate…" (a leaf from an unknown CA), or only "Show Certificate…" with the
// skip-verification guidance (expired, wrong host). A certificate the user trusts in the
// CertificateTrustDialog becomes the bookmark's CA file and the test runs again.
class BookmarkDialog : public QDialog
{
    Q_OBJECT
public:
    enum class TestOutcome { None, Running, Succeeded, Failed };
    Q_ENUM(TestOutcome)

    // Both stores are used, not owned. Starts in "add" mode.
    BookmarkDialog(BookmarkStore *store, CredentialStore *credentials, QWidget *parent = nullptr);
    ~BookmarkDialog() override;

    // Switches to editing this (stored) bookmark.
    void setBookmark(const Bookmark &bookmark);
    bool isEditing() const { return m_original.has_value(); }
    // The bookmark described by the fields right now (id of the edited one, else empty).
    Bookmark enteredBookmark() const;
    // After a successful save: the bookmark as stored, with its id.
    std::optional<Bookmark> savedBookmark() const { return m_saved; }

    void testConnection();
    TestOutcome testOutcome() const { return m_testOutcome; }
    QString testVerdict() const;

    DockerCredentialsOffer *dockerOffer() const { return m_dockerOffer; }
    bool isDockerOfferShown() const;
    // What "Use Them" and "Not Now" do.
    void useDockerCredentials();
    void declineDockerCredentials();
    // The credentials the fields describe right now (what Save would store, what Test uses).
    Credentials enteredCredentials() const;

    // After Test connection failed on the certificate: what trusting could do (nullopt until
    // the server's chain was read, and again after the next test starts).
    std::optional<CertificateTrustDialog::Verdict> tlsVerdict() const { return m_tlsVerdict; }
    // Opens the certificate dialog for the last TLS failure (window-modal, deleted on close);
    // null when there is none.
    CertificateTrustDialog *showCertificateDialog();
    // Where certificates trusted here are written; default TlsTrust::defaultDirectory().
    void setCertificateDirectory(const QString &directory) { m_certificateDirectory = directory; }

    // The inline verdicts, public so they can be checked without a registry.
    static QString successVerdict(const PingResult &result, bool credentialsGiven);
    static QString failureVerdict(const Error &error, bool credentialsGiven,
                                  const QString &hostPort);

public slots:
    void accept() override;
    void reject() override;

signals:
    void connectionTested(bool ok, const QString &verdict);
    void bookmarkSaved(const Bookmark &bookmark);
    void tlsProblemAssessed(wharf::gui::CertificateTrustDialog::Verdict verdict);

private:
    Bookmark::AuthMode authMode() const;
    std::optional<Error> validateEntered(const Bookmark &bookmark) const;
    void showValidation(const QString &message);
    void updateAuthFields();
    void updateTlsWarning();
    void updateKeychainNote();
    void probeKeychain();
    void startPing(const Bookmark &bookmark, const Credentials &credentials);
    void finishTest(bool ok, const QString &verdict);
    void storeSecretAndClose(const Bookmark &saved);
    void setBusy(bool busy);
    bool dockerCredentialsInUse() const;
    void lookUpDockerCredentials();
    void showDockerOffer(const DockerConfigLookup::Result &result);
    void hideDockerOffer();
    void chooseCaFile();
    void assessTlsFailure(RegistryConfig config);
    void forgetTlsProblem();
    void onCertificateTrusted(const QString &file);
    void removeCertificatesExcept(const QString &keep);
    QString certificateKey() const;

    std::unique_ptr<Ui::BookmarkDialog> m_ui;
    BookmarkStore *m_store;
    CredentialStore *m_credentials;
    std::optional<Bookmark> m_original; // the stored bookmark being edited
    std::optional<Bookmark> m_saved;
    bool m_passwordEdited = false;
    bool m_secretStored = false; // on edit: the credential store has a password for the id
    bool m_keychainProbed = false;
    bool m_keychainUnavailable = false;
    QString m_keychainExplanation;

    TestOutcome m_testOutcome = TestOutcome::None;
    QPointer<RegistryClient> m_testClient;
    QObject *m_testContext = nullptr; // replaced per test so stale answers never arrive

    DockerCredentialsOffer *m_dockerOffer;
    // What "Use Them" filled in; used while the fields still hold exactly that.
    std::optional<Credentials> m_dockerCredentials;
    QString m_dockerUsername;
    QString m_dockerSecretText;
    QStringList m_declinedServerKeys; // "Not Now" for these, in this dialog

    std::optional<TlsTrust::PeerChain> m_peerChain;
    std::optional<CertificateTrustDialog::Verdict> m_tlsVerdict;
    RegistryConfig m_tlsConfig;
    QString m_pendingCertificateKey; // file name for a certificate trusted before the first save
    QString m_certificateDirectory;
    QStringList m_certificateFiles; // written by trust decisions in this dialog
};

} // namespace wharf::gui
