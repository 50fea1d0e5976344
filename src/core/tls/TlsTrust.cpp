#include "TlsTrust.h"

#include "TlsSettings.h"
#include "client/RegistryConfig.h"
#include "transport/ResponseError.h"

#include <QDir>
#include <QNetworkProxy>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wharf {

QString TlsTrust::PeerChain::problem() const
{
    return ResponseError::describeTls(errors);
}

QSslCertificate TlsTrust::PeerChain::trustAnchor() const
{
    for (auto it = chain.crbegin(); it != chain.crend(); ++it) {
        if (it->isSelfSigned())
            return *it;
    }
    return QSslCertificate();
}

TlsTrust::TlsTrust(QObject *context, Callback done)
    : m_context(context)
    , m_done(std::move(done))
{}

void TlsTrust::fetchPeerChain(const RegistryConfig &config, QObject *context, Callback done,
                              int timeoutMs)
{
    auto *probe = new TlsTrust(context, std::move(done));
    probe->start(config, timeoutMs);
}

void TlsTrust::start(const RegistryConfig &config, int timeoutMs)
{
    m_result.host = config.url.host();
    m_result.port = static_cast<quint16>(config.url.port(443));
    if (m_result.host.isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            finish(
                Error::make(Error::Kind::InvalidInput, u"No host to fetch a certificate from"_s));
        });
        return;
    }
    // Verify as the client would, so the errors say what is wrong, but carry on regardless:
    // this handshake only looks at the chain and sends nothing else.
    QSslConfiguration ssl = TlsSettings::forRegistry(config).configuration;
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(ssl);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        m_result.errors = errors;
        m_result.chain = m_socket->peerCertificateChain();
        m_socket->ignoreSslErrors();
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_result.chain = m_socket->peerCertificateChain();
        m_result.handshakeCompleted = true;
        finish(m_result);
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (m_finished)
            return;
        if (m_result.chain.isEmpty())
            m_result.chain = m_socket->peerCertificateChain();
        if (!m_result.chain.isEmpty()) {
            finish(m_result); // the server hung up after showing its certificates
            return;
        }
        const QString where = u"%1:%2"_s.arg(m_result.host).arg(m_result.port);
        Error e;
        e.detail = m_socket->errorString();
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            e.kind = Error::Kind::ConnectionRefused;
            e.message = u"Could not connect to %1: connection refused"_s.arg(where);
            break;
        case QAbstractSocket::HostNotFoundError:
            e.kind = Error::Kind::HostNotFound;
            e.message = u"The host %1 could not be found"_s.arg(m_result.host);
            break;
        case QAbstractSocket::SslHandshakeFailedError:
            e.kind = Error::Kind::Tls;
            e.message = u"%1 did not complete a TLS handshake (does it speak HTTPS?): %2"_s.arg(
                where, m_socket->errorString());
            break;
        default:
            e.kind = Error::Kind::Network;
            e.message =
                u"Could not read the certificate of %1: %2"_s.arg(where, m_socket->errorString());
        }
        finish(e);
    });
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        finish(Error::make(Error::Kind::Timeout,
                           u"%1:%2 did not complete a TLS handshake in time"_s.arg(m_result.host)
                               .arg(m_result.port)));
    });
    m_timer->start(timeoutMs);
    m_socket->connectToHostEncrypted(m_result.host, m_result.port);
}

void TlsTrust::finish(Expected<PeerChain> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer->stop();
    m_socket->abort();
    if (m_context)
        m_done(std::move(result));
    deleteLater();
}

QString TlsTrust::defaultDirectory()
{
    QString dir = qEnvironmentVariable("WHARF_CONFIG_DIR");
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/wharf"_s;
    return dir + u"/certs"_s;
}

Expected<QString> TlsTrust::saveTrustedCertificate(const QSslCertificate &certificate,
                                                   const QString &bookmarkId,
                                                   const QString &directory)
{
    if (certificate.isNull())
        return Error::make(Error::Kind::InvalidInput, u"No certificate to trust"_s);
    // Bookmark ids are UUIDs; anything else is reduced to characters safe in a file name.
    static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]"_s);
    QString name = bookmarkId;
    name.replace(unsafe, u"_"_s);
    if (name.isEmpty() || name.startsWith(u'.'))
        name.prepend(u"bookmark"_s);
    if (!QDir().mkpath(directory))
        return Error::make(Error::Kind::Io, u"Cannot create the directory %1"_s.arg(directory));
    const QString path = QDir(directory).absoluteFilePath(name + u".crt"_s);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::make(Error::Kind::Io, u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    file.write(certificate.toPem());
    if (!file.commit())
        return Error::make(Error::Kind::Io, u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    return path;
}

} // namespace wharf
