#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace wharf::test {

// docker-registry with a TLS section TestRegistry does not write: a server certificate plus
// http.tls.clientcas, so every client must present a certificate from that CA. Up means "accepts
// TCP connections" (an HTTP poll would need the client certificate). Stopped by the destructor.
class CustomRegistry
{
public:
    CustomRegistry();
    ~CustomRegistry();

    bool start(const QString &certificate, const QString &key, const QString &clientCa,
               QString *error);
    quint16 port() const { return m_port; }
    QString url() const;
    QString output() const;

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

} // namespace wharf::test
