#include "CertificateTrustDialog.h"

#include "main/WharfIcons.h"
#include "tls/CertificateInfo.h"
#include "ui_CertificateTrustDialog.h"
#include "widgets/StatusColors.h"

#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QPushButton>
#include <QSslError>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

QString isoDate(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd"_s) : u"?"_s;
}

// Problems a trusted CA file solves: the chain does not end in a CA this computer trusts.
bool solvedByTrust(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return true;
    default:
        return false;
    }
}

QString commonName(const QSslCertificate &certificate)
{
    const QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? CertificateInfo::from(certificate).subject : names.first();
}

} // namespace

CertificateTrustDialog::CertificateTrustDialog(const TlsTrust::PeerChain &chain,
                                               const RegistryConfig &config,
                                               const QString &certificateKey, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::CertificateTrustDialog>())
    , m_chain(chain)
    , m_config(config)
    , m_key(certificateKey)
    , m_directory(TlsTrust::defaultDirectory())
    , m_verdict(assess(chain))
{
    m_ui->setupUi(this);
    const QString where = u"%1:%2"_s.arg(chain.host).arg(chain.port);
    setWindowTitle(tr("Certificate of %1").arg(where));
    m_ui->fingerprintValue->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    const QSslCertificate anchor = chain.trustAnchor();
    for (int i = 0; i < chain.chain.size(); ++i) {
        const QSslCertificate &c = chain.chain.at(i);
        QString label = i == 0 ? tr("Server certificate: %1").arg(commonName(c))
                               : tr("Issuer: %1").arg(commonName(c));
        if (m_verdict == Verdict::TrustPresented && c == anchor)
            label += u' ' + tr("(the one to trust)");
        addChainEntry(c, label);
    }
    connect(m_ui->chainCombo, &QComboBox::currentIndexChanged, this,
            &CertificateTrustDialog::showCertificate);

    m_trustButton = new QPushButton(this);
    m_trustButton->setObjectName(u"trustButton"_s);
    m_trustButton->setIcon(WharfIcons::icon(u"secure"_s));
    m_trustButton->setAutoDefault(false);
    m_ui->buttonBox->addButton(m_trustButton, QDialogButtonBox::AcceptRole);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &CertificateTrustDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &CertificateTrustDialog::reject);
    connect(m_ui->caFileBrowseButton, &QPushButton::clicked, this,
            &CertificateTrustDialog::browseForCaFile);

    const QString why = reasons(chain);
    StatusColors::show(m_ui->problemLabel,
                       why.isEmpty() ? QString() : tr("What is wrong: %1.").arg(why),
                       StatusColors::Severity::Error);
    m_ui->caFileRow->setVisible(m_verdict == Verdict::NeedsCaFile);
    m_ui->statusLabel->setVisible(false);

    QPushButton *cancel = m_ui->buttonBox->button(QDialogButtonBox::Cancel);
    int shownIndex = 0;
    switch (m_verdict) {
    case Verdict::AlreadyTrusted:
        m_ui->headlineLabel->setText(
            tr("The certificate of %1 verifies with the registry's current settings.").arg(where));
        m_ui->adviceLabel->setText(tr("Nothing needs to be trusted: try connecting again."));
        m_trustButton->hide();
        cancel->setText(tr("Close"));
        break;
    case Verdict::TrustPresented:
        m_ui->headlineLabel->setText(tr("The certificate of %1 is not trusted.").arg(where));
        updateAdvice();
        m_trustButton->setText(tr("&Trust This Certificate"));
        shownIndex = int(chain.chain.indexOf(anchor));
        break;
    case Verdict::NeedsCaFile: {
        const QString issuer =
            chain.chain.isEmpty() ? QString() : CertificateInfo::from(chain.chain.first()).issuer;
        m_ui->headlineLabel->setText(tr("The certificate of %1 is not trusted.").arg(where));
        m_ui->adviceLabel->setText(
            tr("The registry sends only its own certificate, not the certificate authority that "
               "signed it (%1), so there is nothing here that could safely be trusted. Ask the "
               "registry's administrator for that CA certificate and choose it below: Wharf uses "
               "it only after checking that it verifies the registry.")
                .arg(issuer));
        m_trustButton->setText(tr("&Use This CA Certificate"));
        m_trustButton->setEnabled(false);
        break;
    }
    case Verdict::NotFixable: {
        QString fix;
        bool expired = false;
        bool hostName = false;
        bool clock = false;
        for (const QSslError &e : chain.errors) {
            expired = expired || e.error() == QSslError::CertificateExpired;
            hostName = hostName || e.error() == QSslError::HostNameMismatch;
            clock = clock || e.error() == QSslError::CertificateNotYetValid;
        }
        if (expired)
            fix = tr("an expired certificate stays expired; the registry's administrator has to "
                     "renew it.");
        else if (hostName)
            fix = tr("the certificate names other hosts; connect with a host name it names, or "
                     "have the certificate reissued for this one.");
        else if (clock)
            fix = tr("check this computer's date and time.");
        else
            fix = tr("the registry's administrator has to replace the certificate.");
        m_ui->headlineLabel->setText(tr("The certificate of %1 cannot be trusted.").arg(where));
        m_ui->adviceLabel->setText(
            tr("Trusting this certificate would not help: %1 If you must connect anyway, for "
               "example to a test registry, edit the registry and switch on “Skip TLS "
               "verification” – the connection is then not protected against eavesdropping or "
               "tampering.")
                .arg(fix));
        m_trustButton->hide();
        cancel->setText(tr("Close"));
        break;
    }
    }
    if (m_ui->chainCombo->count() > 0) {
        m_ui->chainCombo->setCurrentIndex(qMax(0, shownIndex));
        showCertificate(m_ui->chainCombo->currentIndex());
    }
    m_ui->chainCombo->setEnabled(m_ui->chainCombo->count() > 1);
}

CertificateTrustDialog::~CertificateTrustDialog() = default;

void CertificateTrustDialog::setCertificateDirectory(const QString &directory)
{
    m_directory = directory;
    updateAdvice();
}

void CertificateTrustDialog::updateAdvice()
{
    if (m_verdict != Verdict::TrustPresented)
        return;
    m_ui->adviceLabel->setText(
        tr("Compare the SHA-256 fingerprint with the one the registry's administrator gives you. "
           "If they match, you can trust this certificate for this registry only: Wharf keeps a "
           "copy in %1 and changes nothing else on this computer.")
            .arg(QDir::toNativeSeparators(m_directory)));
}

CertificateTrustDialog::Verdict CertificateTrustDialog::assess(const TlsTrust::PeerChain &chain)
{
    if (chain.isTrusted())
        return Verdict::AlreadyTrusted;
    for (const QSslError &e : chain.errors) {
        if (!solvedByTrust(e.error()))
            return Verdict::NotFixable;
    }
    return chain.trustAnchor().isNull() ? Verdict::NeedsCaFile : Verdict::TrustPresented;
}

QString CertificateTrustDialog::reasons(const TlsTrust::PeerChain &chain)
{
    const QSslCertificate leaf = chain.chain.value(0);
    QStringList out;
    for (const QSslError &e : chain.errors) {
        const QSslCertificate c = e.certificate().isNull() ? leaf : e.certificate();
        switch (e.error()) {
        case QSslError::CertificateExpired:
            out << tr("the certificate expired on %1").arg(isoDate(c.expiryDate()));
            break;
        case QSslError::CertificateNotYetValid:
            out << tr("the certificate is not valid before %1 (check this computer's clock)")
                       .arg(isoDate(c.effectiveDate()));
            break;
        case QSslError::HostNameMismatch: {
            const QStringList names = CertificateInfo::from(c).names;
            out << (names.isEmpty()
                        ? tr("the certificate was issued for a different host name, not for %1")
                              .arg(chain.host)
                        : tr("the certificate was issued for %1, not for %2")
                              .arg(names.join(u", "_s), chain.host));
            break;
        }
        case QSslError::SelfSignedCertificate:
            out << tr("the certificate is signed by an unknown certificate authority (it signed "
                      "itself)");
            break;
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
            out << tr("the certificate is signed by an unknown certificate authority");
            break;
        case QSslError::CertificateRevoked:
            out << tr("the certificate was revoked");
            break;
        default:
            out << e.errorString();
        }
    }
    out.removeDuplicates();
    return out.join(u"; "_s);
}

QString CertificateTrustDialog::shownFingerprint() const
{
    return m_ui->fingerprintValue->text();
}

void CertificateTrustDialog::addChainEntry(const QSslCertificate &certificate, const QString &label)
{
    m_shown << certificate;
    m_ui->chainCombo->addItem(label);
}

void CertificateTrustDialog::showCertificate(int index)
{
    if (index < 0 || index >= m_shown.size())
        return;
    const CertificateInfo info = CertificateInfo::from(m_shown.at(index));
    m_ui->subjectValue->setText(info.subject);
    m_ui->issuerValue->setText(info.selfSigned ? tr("%1 (itself)").arg(info.issuer) : info.issuer);
    QString validity = tr("%1 to %2").arg(isoDate(info.notBefore), isoDate(info.notAfter));
    if (info.isExpired())
        validity += u' ' + tr("(expired)");
    else if (info.notBefore.isValid() && info.notBefore > QDateTime::currentDateTimeUtc())
        validity += u' ' + tr("(not valid yet)");
    m_ui->validityValue->setText(validity);
    m_ui->namesValue->setText(info.names.isEmpty() ? tr("(no host names)")
                                                   : info.names.join(u", "_s));
    m_ui->fingerprintValue->setText(info.sha256Fingerprint);
}

void CertificateTrustDialog::browseForCaFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Choose the Registry's CA Certificate"), QString(),
                                     tr("Certificates (*.crt *.pem *.cer *.der);;All files (*)"));
    if (!path.isEmpty())
        chooseCaFile(path);
}

void CertificateTrustDialog::chooseCaFile(const QString &path)
{
    if (m_verdict != Verdict::NeedsCaFile)
        return;
    delete m_checkContext;                          // an earlier check's answer is no longer wanted
    while (m_shown.size() > m_chain.chain.size()) { // an earlier choice's entries
        m_shown.removeLast();
        m_ui->chainCombo->removeItem(m_ui->chainCombo->count() - 1);
    }
    m_ui->caFileEdit->setText(path);
    m_trustButton->setEnabled(false);
    m_caFile = path;
    m_caCertificates = QSslCertificate::fromPath(path, QSsl::Pem);
    if (m_caCertificates.isEmpty())
        m_caCertificates = QSslCertificate::fromPath(path, QSsl::Der);
    if (m_caCertificates.isEmpty()) {
        finishCaCheck(CaCheck::Failed,
                      tr("%1 holds no certificate (PEM or DER) that Wharf can read.").arg(path));
        return;
    }
    m_caCheck = CaCheck::Checking;
    showStatus(tr("Checking the certificate against the registry…"), false);
    RegistryConfig config = m_config;
    config.caCertificates += m_caCertificates;
    auto *context = new QObject(this);
    m_checkContext = context;
    TlsTrust::fetchPeerChain(config, context, [this, context](Expected<TlsTrust::PeerChain> r) {
        context->deleteLater();
        if (!r) {
            finishCaCheck(CaCheck::Failed, tr("Could not check the CA certificate against the "
                                              "registry: %1")
                                               .arg(r.error().message));
            return;
        }
        if (!r->isTrusted()) {
            finishCaCheck(CaCheck::Failed,
                          tr("This file does not make the registry's certificate verify: %1.")
                              .arg(reasons(*r)));
            return;
        }
        // Show what is about to be trusted, fingerprint included.
        for (const QSslCertificate &ca : std::as_const(m_caCertificates))
            addChainEntry(ca, tr("Chosen CA: %1 (the one to trust)").arg(commonName(ca)));
        m_ui->chainCombo->setEnabled(true);
        m_ui->chainCombo->setCurrentIndex(int(m_shown.size() - m_caCertificates.size()));
        finishCaCheck(CaCheck::Verified,
                      tr("This CA certificate verifies the registry's certificate."));
    });
}

void CertificateTrustDialog::finishCaCheck(CaCheck state, const QString &text)
{
    m_caCheck = state;
    showStatus(text, state == CaCheck::Failed);
    m_trustButton->setEnabled(state == CaCheck::Verified);
}

void CertificateTrustDialog::showStatus(const QString &text, bool error)
{
    StatusColors::show(m_ui->statusLabel, text,
                       error ? StatusColors::Severity::Error : StatusColors::Severity::Success);
}

void CertificateTrustDialog::accept()
{
    QString file;
    if (m_verdict == Verdict::TrustPresented) {
        const auto saved =
            TlsTrust::saveTrustedCertificate(m_chain.trustAnchor(), m_key, m_directory);
        if (!saved) {
            showStatus(tr("Could not keep the certificate: %1").arg(saved.error().message), true);
            return;
        }
        file = *saved;
    } else if (m_verdict == Verdict::NeedsCaFile && m_caCheck == CaCheck::Verified) {
        if (m_caCertificates.size() == 1) {
            // A copy, so the registry keeps working when the original file moves.
            const auto saved =
                TlsTrust::saveTrustedCertificate(m_caCertificates.first(), m_key, m_directory);
            if (!saved) {
                showStatus(tr("Could not keep the certificate: %1").arg(saved.error().message),
                           true);
                return;
            }
            file = *saved;
        } else {
            file = m_caFile; // a bundle: used where it is
        }
    } else {
        return; // nothing that can be trusted: only Close/Cancel leave
    }
    m_trustedFile = file;
    emit trusted(file);
    QDialog::accept();
}

} // namespace wharf::gui
