#include "TestCertificates.h"

#include "CommandRunner.h"
#include "TestRegistry.h"

#include <QDir>
#include <QFile>

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

// A self-contained openssl configuration, so /etc/ssl/openssl.cnf defaults cannot interfere.
// `openssl ca` is used for the expired certificate because `openssl x509 -req` in OpenSSL 3.0
// cannot set a start date in the past.
QString opensslConfig(const QString &dir)
{
    return uR"([req]
distinguished_name = dn
prompt = no

[dn]
CN = Wharf Test

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ca]
default_ca = test_ca

[test_ca]
database = %1/index.txt
new_certs_dir = %1/issued
serial = %1/serial
certificate = %1/ca.crt
private_key = %1/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no

[policy_any]
commonName = supplied
)"_s.arg(dir);
}

bool writeText(const QString &path, const QString &text, QString *error)
{
    QFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        *error = u"cannot write "_s + path;
        return false;
    }
    return true;
}

} // namespace

TestCertificates::TestCertificates()
    : m_dir(QDir::temp().filePath(u"wharf-certs-XXXXXX"_s))
{}

QString TestCertificates::caCertificatePath() const
{
    return file(u"ca.crt"_s);
}
QString TestCertificates::caKeyPath() const
{
    return file(u"ca.key"_s);
}
QString TestCertificates::serverCertificatePath() const
{
    return file(u"server.crt"_s);
}
QString TestCertificates::serverKeyPath() const
{
    return file(u"server.key"_s);
}
QString TestCertificates::expiredCertificatePath() const
{
    return file(u"expired.crt"_s);
}
QString TestCertificates::expiredKeyPath() const
{
    return file(u"expired.key"_s);
}
QString TestCertificates::caCertDir() const
{
    return file(u"certs.d"_s);
}

bool TestCertificates::run(const QStringList &arguments, QString *error)
{
    CommandRunner::Command command;
    command.program = m_openssl;
    command.arguments = arguments;
    command.timeoutMs = 60000;
    const CommandRunner::Result result = CommandRunner::run(command);
    if (!result.succeeded()) {
        *error = CommandRunner::describe(command, result);
        return false;
    }
    return true;
}

bool TestCertificates::generate(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary directory: "_s + m_dir.errorString();
        return false;
    }
    m_openssl = TestRegistry::findExecutable(u"openssl"_s, error);
    if (m_openssl.isEmpty())
        return false;
    const QString config = file(u"openssl.cnf"_s);
    if (!writeText(config, opensslConfig(m_dir.path()), error) ||
        !writeText(file(u"index.txt"_s), {}, error) ||
        !writeText(file(u"serial"_s), u"1000\n"_s, error) || !QDir().mkpath(file(u"issued"_s)) ||
        !QDir().mkpath(caCertDir()))
        return false;

    const QStringList ecKey{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                            u"-nodes"_s};
    // The CA.
    if (!run(QStringList{u"req"_s, u"-config"_s, config, u"-x509"_s} + ecKey +
                 QStringList{u"-keyout"_s, caKeyPath(), u"-out"_s, caCertificatePath(), u"-days"_s,
                             u"3650"_s, u"-subj"_s, u"/CN=Wharf Test CA"_s, u"-extensions"_s,
                             u"v3_ca"_s},
             error))
        return false;
    // The valid server certificate.
    const QString serverCsr = file(u"server.csr"_s);
    if (!run(QStringList{u"req"_s, u"-config"_s, config, u"-new"_s} + ecKey +
                 QStringList{u"-keyout"_s, serverKeyPath(), u"-out"_s, serverCsr, u"-subj"_s,
                             u"/CN=127.0.0.1"_s},
             error) ||
        !run({u"x509"_s, u"-req"_s, u"-in"_s, serverCsr, u"-CA"_s, caCertificatePath(), u"-CAkey"_s,
              caKeyPath(), u"-set_serial"_s, u"2"_s, u"-days"_s, u"825"_s, u"-sha256"_s,
              u"-extfile"_s, config, u"-extensions"_s, u"v3_server"_s, u"-out"_s,
              serverCertificatePath()},
             error))
        return false;
    // The expired certificate.
    const QString expiredCsr = file(u"expired.csr"_s);
    if (!run(QStringList{u"req"_s, u"-config"_s, config, u"-new"_s} + ecKey +
                 QStringList{u"-keyout"_s, expiredKeyPath(), u"-out"_s, expiredCsr, u"-subj"_s,
                             u"/CN=127.0.0.1"_s},
             error) ||
        !run({u"ca"_s, u"-batch"_s, u"-config"_s, config, u"-extensions"_s, u"v3_server"_s,
              u"-startdate"_s, u"20200101000000Z"_s, u"-enddate"_s, u"20200201000000Z"_s,
              u"-notext"_s, u"-in"_s, expiredCsr, u"-out"_s, expiredCertificatePath()},
             error))
        return false;
    if (!QFile::copy(caCertificatePath(), caCertDir() + u"/ca.crt"_s)) {
        *error = u"cannot copy the CA certificate into "_s + caCertDir();
        return false;
    }
    return true;
}

} // namespace wharf::test
