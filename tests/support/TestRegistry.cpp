#include "TestRegistry.h"

#include "CommandRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace wharf::test {

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxPortAttempts = 5;

// Double-quoted YAML scalar.
QString yamlQuote(const QString &value)
{
    QString escaped = value;
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    return u'"' + escaped + u'"';
}

// REGISTRY_* variables override config.yml; a developer's shell must not change the tests.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(u"REGISTRY_"_s))
            environment.remove(key);
    }
    return environment;
}

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

TestRegistry::TestRegistry(RegistryOptions options)
    : m_options(std::move(options))
    , m_workDir(QDir::temp().filePath(u"wharf-registry-XXXXXX"_s))
{}

TestRegistry::~TestRegistry()
{
    stop();
}

QString TestRegistry::findExecutable(const QString &name, QString *error)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty() && error) {
        static const QHash<QString, QString> packages{{u"docker-registry"_s, u"docker-registry"_s},
                                                      {u"skopeo"_s, u"skopeo"_s},
                                                      {u"htpasswd"_s, u"apache2-utils"_s},
                                                      {u"openssl"_s, u"openssl"_s}};
        const QString package = packages.value(name, name);
        *error =
            u"`%1` was not found in PATH; install the Debian package: apt-get install %2"_s.arg(
                name, package);
    }
    return path;
}

quint16 TestRegistry::pickFreePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QString TestRegistry::hostPort() const
{
    return u"127.0.0.1:%1"_s.arg(m_port);
}

bool TestRegistry::usesTls() const
{
    return !m_options.tlsCertificate.isEmpty() && !m_options.tlsKey.isEmpty();
}

QString TestRegistry::url() const
{
    return (usesTls() ? u"https://"_s : u"http://"_s) + hostPort();
}

QString TestRegistry::storageDir() const
{
    return m_options.storageDir.isEmpty() ? m_workDir.filePath(u"data"_s) : m_options.storageDir;
}

QString TestRegistry::configPath() const
{
    return m_workDir.filePath(u"config.yml"_s);
}

QString TestRegistry::processOutput() const
{
    QFile log(m_workDir.filePath(u"registry.log"_s));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(log.readAll());
}

QString TestRegistry::dockerReference(const QString &repositoryAndTag) const
{
    return u"docker://"_s + hostPort() + u'/' + repositoryAndTag;
}

SkopeoOptions TestRegistry::skopeoOptions() const
{
    SkopeoOptions options;
    options.username = m_options.username;
    options.password = m_options.password;
    options.tlsVerify = false;
    return options;
}

bool TestRegistry::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool TestRegistry::prepareFiles(QString *error)
{
    if (m_prepared)
        return true;
    if (!m_workDir.isValid()) {
        *error = u"cannot create a temporary directory: "_s + m_workDir.errorString();
        return false;
    }
    if (!m_options.username.isEmpty() && !m_options.tokenRealm.isEmpty()) {
        *error = u"RegistryOptions: basic auth and token auth are exclusive in distribution"_s;
        return false;
    }
    if (!QDir().mkpath(storageDir())) {
        *error = u"cannot create storage directory "_s + storageDir();
        return false;
    }
    if (!m_options.username.isEmpty()) {
        const QString htpasswd = findExecutable(u"htpasswd"_s, error);
        if (htpasswd.isEmpty())
            return false;
        // -i reads the password from stdin, so it never shows up in a process list.
        CommandRunner::Command command;
        command.program = htpasswd;
        command.arguments = {u"-nBi"_s, m_options.username};
        command.standardInput = m_options.password.toUtf8();
        command.secrets = {m_options.password};
        command.timeoutMs = 30000;
        const CommandRunner::Result result = CommandRunner::run(command);
        const QByteArray line = result.standardOutput.trimmed();
        if (!result.succeeded() || !line.contains(":$2")) {
            *error = u"htpasswd did not produce a bcrypt entry: "_s +
                     CommandRunner::describe(command, result);
            return false;
        }
        QFile file(m_workDir.filePath(u"htpasswd"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(line + '\n') != line.size() + 1) {
            *error = u"cannot write "_s + file.fileName();
            return false;
        }
    }
    m_prepared = true;
    return true;
}

bool TestRegistry::writeConfig(QString *error)
{
    QStringList yaml;
    yaml << u"version: 0.1"_s << u"log:"_s << u"  level: "_s + m_options.logLevel
         << u"  accesslog:"_s << u"    disabled: true"_s;
    yaml << u"storage:"_s << u"  filesystem:"_s
         << u"    rootdirectory: "_s + yamlQuote(storageDir()) << u"  delete:"_s
         << u"    enabled: "_s + (m_options.deleteEnabled ? u"true"_s : u"false"_s)
         << u"  maintenance:"_s << u"    uploadpurging:"_s << u"      enabled: false"_s
         << u"    readonly:"_s
         << u"      enabled: "_s + (m_options.readOnly ? u"true"_s : u"false"_s);
    // A fixed secret keeps upload state valid across restart().
    yaml << u"http:"_s << u"  addr: "_s + hostPort() << u"  secret: wharf-test-secret"_s;
    if (usesTls()) {
        yaml << u"  tls:"_s << u"    certificate: "_s + yamlQuote(m_options.tlsCertificate)
             << u"    key: "_s + yamlQuote(m_options.tlsKey);
    }
    if (!m_options.username.isEmpty()) {
        yaml << u"auth:"_s << u"  htpasswd:"_s << u"    realm: "_s + yamlQuote(m_options.basicRealm)
             << u"    path: "_s + yamlQuote(m_workDir.filePath(u"htpasswd"_s));
    } else if (!m_options.tokenRealm.isEmpty()) {
        yaml << u"auth:"_s << u"  token:"_s << u"    realm: "_s + yamlQuote(m_options.tokenRealm)
             << u"    service: "_s + yamlQuote(m_options.tokenService)
             << u"    issuer: "_s + yamlQuote(m_options.tokenIssuer)
             << u"    rootcertbundle: "_s + yamlQuote(m_options.tokenRootCertBundle);
    }
    yaml << m_options.extraYaml;

    QFile file(configPath());
    const QByteArray bytes = yaml.join(u'\n').toUtf8() + '\n';
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        *error = u"cannot write "_s + configPath();
        return false;
    }
    return true;
}

bool TestRegistry::launch(QString *error, bool *portTaken)
{
    *portTaken = false;
    const QString program = findExecutable(u"docker-registry"_s, error);
    if (program.isEmpty())
        return false;
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(program);
    m_process->setArguments({u"serve"_s, configPath()});
    m_process->setWorkingDirectory(m_workDir.path());
    m_process->setProcessEnvironment(cleanEnvironment());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // A file rather than a pipe: nobody has to drain it, and it survives the process.
    m_process->setStandardOutputFile(m_workDir.filePath(u"registry.log"_s), QIODevice::Append);
    m_process->setStandardInputFile(QProcess::nullDevice());
#ifdef Q_OS_LINUX
    // If the test binary is killed (CTest timeout, crash), take the registry down with it
    // instead of leaving it running on its port.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process->start();
    if (!m_process->waitForStarted(10000)) {
        *error = u"cannot start %1: %2"_s.arg(program, m_process->errorString());
        m_process.reset();
        return false;
    }
    return waitUntilUp(error, portTaken);
}

bool TestRegistry::waitUntilUp(QString *error, bool *portTaken)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QElapsedTimer clock;
    clock.start();
    QString lastProblem;
    const QUrl pingUrl(url() + u"/v2/"_s);
    while (clock.elapsed() < m_options.startTimeoutMs) {
        if (m_process->state() == QProcess::NotRunning) {
            const QString output = processOutput();
            *portTaken = output.contains(u"address already in use"_s);
            *error = u"docker-registry exited (code %1) before answering on %2.\n"
                     u"config: %3\noutput:\n%4"_s.arg(m_process->exitCode())
                         .arg(hostPort(), configPath(), output);
            return false;
        }
        QNetworkRequest request(pingUrl);
        request.setTransferTimeout(2000);
        QNetworkReply *reply = manager.get(request);
        if (usesTls()) {
            // The poll only asks "is it up"; certificate checks are the tests' business.
            QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                             [reply](const QList<QSslError> &) { reply->ignoreSslErrors(); });
        }
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        lastProblem = status ? u"HTTP %1"_s.arg(status) : reply->errorString();
        delete reply;
        if (status == 200 || status == 401)
            return true;
        waitMs(100);
    }
    *error = u"docker-registry did not answer GET %1 within %2 ms (last: %3).\nconfig: %4\n"
             u"output:\n%5"_s.arg(pingUrl.toString())
                 .arg(m_options.startTimeoutMs)
                 .arg(lastProblem, configPath(), processOutput());
    return false;
}

bool TestRegistry::start(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (isRunning())
        return true;
    if (!prepareFiles(error))
        return false;
    // Another process may grab the port between pickFreePort() and the registry's bind.
    for (int attempt = 0; attempt < MaxPortAttempts; ++attempt) {
        m_port = (attempt == 0 && m_options.port != 0) ? m_options.port : pickFreePort();
        if (m_port == 0) {
            *error = u"cannot bind a loopback port"_s;
            return false;
        }
        if (!writeConfig(error))
            return false;
        bool portTaken = false;
        if (launch(error, &portTaken))
            return true;
        stop();
        if (!portTaken)
            return false;
    }
    return false;
}

bool TestRegistry::restart(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (m_port == 0)
        return start(error);
    stop();
    bool portTaken = false;
    if (launch(error, &portTaken))
        return true;
    stop();
    return false;
}

void TestRegistry::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

bool TestRegistry::runGarbageCollect(bool dryRun, QString *output)
{
    QString error;
    const QString program = findExecutable(u"docker-registry"_s, &error);
    if (program.isEmpty()) {
        if (output)
            *output = error;
        return false;
    }
    CommandRunner::Command command;
    command.program = program;
    command.arguments << u"garbage-collect"_s;
    if (dryRun)
        command.arguments << u"--dry-run"_s;
    command.arguments << configPath();
    command.environment = cleanEnvironment();
    command.timeoutMs = 120000;
    const CommandRunner::Result result = CommandRunner::run(command);
    if (output) {
        *output = QString::fromUtf8(result.standardOutput + result.standardError);
        if (!result.succeeded())
            *output += u'\n' + CommandRunner::describe(command, result);
    }
    return result.succeeded();
}

} // namespace wharf::test
