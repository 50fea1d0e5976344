#include "ExtraCertificates.h"

#include "CommandRunner.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

const QStringList EcKey{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                        u"-nodes"_s};

} // namespace

ExtraCertificates::ExtraCertificates()
    : m_dir(QDir::temp().filePath(u"wharf-extra-certs-XXXXXX"_s))
{}

bool ExtraCertificates::openssl(const QStringList &arguments, QString *error)
{
    CommandRunner::Command command;
    command.program = TestRegistry::findExecutable(u"openssl"_s, error);
    if (command.program.isEmpty())
        return false;
    command.arguments = arguments;
    command.timeoutMs = 60000;
    const CommandRunner::Result result = CommandRunner::run(command);
    if (!result.succeeded()) {
        *error = CommandRunner::describe(command, result);
        return false;
    }
    return true;
}

bool ExtraCertificates::writeExtensions(const QString &name, const QString &text, QString *error)
{
    QFile file(m_dir.filePath(name + u".ext"_s));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text.toUtf8()) < 0) {
        *error = u"cannot write "_s + file.fileName();
        return false;
    }
    return true;
}

bool ExtraCertificates::signedBy(const QString &caCertificate, const QString &caKey,
                                 const QString &name, const QString &extensions, QString *error)
{
    const QString csr = m_dir.filePath(name + u".csr"_s);
    return writeExtensions(name, extensions, error) &&
           openssl(QStringList{u"req"_s, u"-new"_s} + EcKey +
                       QStringList{u"-keyout"_s, key(name), u"-out"_s, csr, u"-subj"_s,
                                   u"/CN="_s + name},
                   error) &&
           openssl({u"x509"_s, u"-req"_s, u"-in"_s, csr, u"-CA"_s, caCertificate, u"-CAkey"_s,
                    caKey, u"-set_serial"_s, QString::number(++m_serial), u"-days"_s, u"30"_s,
                    u"-sha256"_s, u"-extfile"_s, m_dir.filePath(name + u".ext"_s), u"-out"_s,
                    certificate(name)},
                   error);
}

bool ExtraCertificates::makeServer(const TestCertificates &ca, const QString &name,
                                   const QString &sans, QString *error)
{
    return signedBy(ca.caCertificatePath(), ca.caKeyPath(), name,
                    u"basicConstraints = critical, CA:FALSE\n"
                    u"keyUsage = critical, digitalSignature, keyEncipherment\n"
                    u"extendedKeyUsage = serverAuth\n"
                    u"subjectAltName = %1\n"_s.arg(sans),
                    error);
}

bool ExtraCertificates::makeSelfSigned(const QString &name, const QString &sans, QString *error)
{
    return openssl(QStringList{u"req"_s, u"-x509"_s} + EcKey +
                       QStringList{u"-keyout"_s, key(name), u"-out"_s, certificate(name),
                                   u"-days"_s, u"30"_s, u"-subj"_s, u"/CN="_s + name, u"-addext"_s,
                                   u"subjectAltName = "_s + sans, u"-addext"_s,
                                   u"basicConstraints = critical, CA:TRUE"_s},
                   error);
}

bool ExtraCertificates::makeClient(const QString &caName, const QString &name, QString *error)
{
    return openssl(QStringList{u"req"_s, u"-x509"_s} + EcKey +
                       QStringList{u"-keyout"_s, key(caName), u"-out"_s, certificate(caName),
                                   u"-days"_s, u"30"_s, u"-subj"_s, u"/CN="_s + caName,
                                   u"-addext"_s, u"basicConstraints = critical, CA:TRUE"_s,
                                   u"-addext"_s, u"keyUsage = critical, keyCertSign, cRLSign"_s},
                   error) &&
           signedBy(certificate(caName), key(caName), name,
                    u"basicConstraints = critical, CA:FALSE\n"
                    u"keyUsage = critical, digitalSignature\n"
                    u"extendedKeyUsage = clientAuth\n"_s,
                    error);
}

} // namespace wharf::test
