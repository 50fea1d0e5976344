#pragma once

#include "client/RegistryConfig.h"
#include "tls/TlsTrust.h"

#include <QDialog>
#include <QPointer>

#include <memory>

class QPushButton;

namespace Ui {
class CertificateTrustDialog;
}

namespace wharf::gui {

// Shows the certificate a registry presented and what is wrong with it, and lets the user
// decide – explicitly – to trust it. Nothing is saved unless the trust button is pressed.
//
// What can be offered depends on the problem (assess()):
//  - the chain contains a self-signed certificate (a self-signed registry, or a private CA that
//    the server sends along): trust that certificate after comparing its fingerprint;
//  - the server sends only a leaf signed by an unknown CA: ask for the CA file, and accept it
//    only once a fresh handshake shows that it makes the registry's certificate verify;
//  - expired, not yet valid, wrong host name, revoked: trusting would not help, so there is no
//    trust button, only the explanation and the "skip TLS verification" way out.
//
// On success the certificate is written (TlsTrust::saveTrustedCertificate, PEM) to the
// certificate directory under certificateKey, trustedFile() names the file for
// Bookmark::caCertificateFile and trusted() is emitted before the dialog accepts.
class CertificateTrustDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Verdict { AlreadyTrusted, TrustPresented, NeedsCaFile, NotFixable };
    Q_ENUM(Verdict)
    enum class CaCheck { None, Checking, Verified, Failed };
    Q_ENUM(CaCheck)

    // chain: what TlsTrust::fetchPeerChain reported for config (the registry's current trust
    // settings); certificateKey: the saved file's name, normally the bookmark id.
    CertificateTrustDialog(const TlsTrust::PeerChain &chain, const RegistryConfig &config,
                           const QString &certificateKey, QWidget *parent = nullptr);
    ~CertificateTrustDialog() override;

    static Verdict assess(const TlsTrust::PeerChain &chain);
    // "the certificate expired on 2020-02-01; …" for a person; empty when nothing is wrong.
    static QString reasons(const TlsTrust::PeerChain &chain);

    Verdict verdict() const { return m_verdict; }
    CaCheck caCheck() const { return m_caCheck; }
    // The fingerprint in the dialog right now (of the certificate selected in the chain list).
    QString shownFingerprint() const;
    // After trust was confirmed: the file Bookmark::caCertificateFile should name.
    QString trustedFile() const { return m_trustedFile; }
    // Where certificates are saved; default TlsTrust::defaultDirectory().
    void setCertificateDirectory(const QString &directory);
    QPushButton *trustButton() const { return m_trustButton; }

    // NeedsCaFile: reads the certificates in path and checks them against the registry with a
    // fresh handshake (asynchronous: caCheck() is Checking until the answer arrives).
    void chooseCaFile(const QString &path);

public slots:
    void accept() override;

signals:
    void trusted(const QString &caFile);

private:
    void showCertificate(int index);
    void updateAdvice();
    void addChainEntry(const QSslCertificate &certificate, const QString &label);
    void browseForCaFile();
    void finishCaCheck(CaCheck state, const QString &text);
    void showStatus(const QString &text, bool error);

    std::unique_ptr<Ui::CertificateTrustDialog> m_ui;
    TlsTrust::PeerChain m_chain;
    RegistryConfig m_config;
    QString m_key;
    QString m_directory;
    Verdict m_verdict;
    CaCheck m_caCheck = CaCheck::None;
    QList<QSslCertificate> m_shown; // the chain list's certificates, by combo index
    QList<QSslCertificate> m_caCertificates;
    QString m_caFile;
    QString m_trustedFile;
    QPushButton *m_trustButton = nullptr;
    QPointer<QObject> m_checkContext; // replaced per check so stale answers are dropped
};

} // namespace wharf::gui
