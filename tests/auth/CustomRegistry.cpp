#include "CustomRegistry.h"

#include "TestRegistry.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QThread>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace wharf::test {

CustomRegistry::CustomRegistry()
    : m_dir(QDir::temp().filePath(u"wharf-custom-registry-XXXXXX"_s))
{}

CustomRegistry::~CustomRegistry()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
}

QString CustomRegistry::url() const
{
    return u"https://127.0.0.1:%1"_s.arg(m_port);
}

QString CustomRegistry::output() const
{
    QFile log(m_dir.filePath(u"registry.log"_s));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

bool CustomRegistry::start(const QString &certificate, const QString &key, const QString &clientCa,
                           QString *error)
{
    const QString program = TestRegistry::findExecutable(u"docker-registry"_s, error);
    if (program.isEmpty())
        return false;
    m_port = TestRegistry::pickFreePort();
    const QString config = u"version: 0.1\n"
                           u"log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                           u"storage:\n  filesystem:\n    rootdirectory: \"%1\"\n"
                           u"http:\n  addr: 127.0.0.1:%2\n  secret: wharf-test-secret\n"
                           u"  tls:\n    certificate: \"%3\"\n    key: \"%4\"\n"
                           u"    clientcas:\n      - \"%5\"\n"_s.arg(m_dir.filePath(u"data"_s))
                               .arg(m_port)
                               .arg(certificate, key, clientCa);
    QFile file(m_dir.filePath(u"config.yml"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) {
        *error = u"cannot write "_s + file.fileName();
        return false;
    }
    file.close();
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(program);
    m_process->setArguments({u"serve"_s, file.fileName()});
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &k : keys) {
        if (k.startsWith(u"REGISTRY_"_s))
            environment.remove(k);
    }
    m_process->setProcessEnvironment(environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_dir.filePath(u"registry.log"_s));
#ifdef Q_OS_LINUX
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process->start();
    if (!m_process->waitForStarted(10000)) {
        *error = u"cannot start docker-registry: "_s + m_process->errorString();
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000) {
        if (m_process->state() == QProcess::NotRunning) {
            *error = u"docker-registry exited: "_s + output();
            return false;
        }
        QTcpSocket probe;
        probe.connectToHost(u"127.0.0.1"_s, m_port);
        if (probe.waitForConnected(500))
            return true;
        QThread::msleep(100);
    }
    *error = u"docker-registry did not listen on port %1: %2"_s.arg(m_port).arg(output());
    return false;
}

} // namespace wharf::test
