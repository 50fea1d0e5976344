#pragma once

#include "Expected.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>

#include <functional>

class QSslSocket;
class QTimer;

namespace wharf {

struct RegistryConfig;

// Helps a person decide to trust a registry whose certificate did not verify: read the chain the
// server presents (a TLS handshake that trusts nothing, only to look), show it (CertificateInfo),
// and keep the chosen CA in a per-bookmark file that Bookmark::caCertificateFile points to.
// Trusting something is always the user's decision; nothing here does it silently.
class TlsTrust : public QObject
{
    Q_OBJECT
public:
    struct PeerChain
    {
        QString host;
        quint16 port = 0;
        QList<QSslCertificate> chain; // as the server sent it, leaf first
        // What verification with the registry's trust settings (system CAs, its CA file, certs.d)
        // found; empty when the chain is trusted already.
        QList<QSslError> errors;
        // False when the server broke off the handshake after sending its chain (it wants a
        // client certificate, say); the chain is still what it presented.
        bool handshakeCompleted = false;

        bool isTrusted() const { return errors.isEmpty(); }
        // "the certificate has expired; …" (ResponseError's wording), empty when trusted.
        QString problem() const;
        // The certificate that, trusted as a CA, makes this chain verify: the self-signed root
        // the server sent, or a self-signed leaf. Null when the server did not send its root;
        // then the CA has to come from the registry's administrator.
        QSslCertificate trustAnchor() const;
    };
    using Callback = std::function<void(Expected<PeerChain>)>;

    // Connects to the registry's host and port (443 when the URL has none) and reports the
    // certificate chain; done runs on the caller's thread unless context is gone first.
    static void fetchPeerChain(const RegistryConfig &config, QObject *context, Callback done,
                               int timeoutMs = 15000);

    // $WHARF_CONFIG_DIR/certs, else <config dir>/wharf/certs.
    static QString defaultDirectory();
    // Writes certificate (PEM) to <directory>/<bookmarkId>.crt and returns the path, for
    // Bookmark::caCertificateFile. Replaces an earlier file for the same bookmark.
    static Expected<QString> saveTrustedCertificate(const QSslCertificate &certificate,
                                                    const QString &bookmarkId,
                                                    const QString &directory = defaultDirectory());

private:
    TlsTrust(QObject *context, Callback done);
    void start(const RegistryConfig &config, int timeoutMs);
    void finish(Expected<PeerChain> result);

    QPointer<QObject> m_context;
    Callback m_done;
    QSslSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    PeerChain m_result;
    bool m_finished = false;
};

} // namespace wharf
