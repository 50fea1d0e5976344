#include "CredentialHelper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

// A helper's own words for an error, short; never output that could carry the secret.
QString helperMessage(const QByteArray &out, const QByteArray &err)
{
    const QByteArray text = err.trimmed().isEmpty() ? out.trimmed() : err.trimmed();
    if (text.startsWith('{'))
        return {};
    QString line = QString::fromUtf8(text.left(400)).section(u'\n', 0, 0).trimmed();
    if (line.size() > 200)
        line = line.left(200) + u'…';
    return line;
}

} // namespace

QString CredentialHelper::programName(const QString &helper)
{
    return u"docker-credential-"_s + helper;
}

bool CredentialHelper::isValidName(const QString &helper)
{
    static const QRegularExpression valid(u"^[A-Za-z0-9][A-Za-z0-9._-]*$"_s);
    return valid.match(helper).hasMatch();
}

CredentialHelper::CredentialHelper(const QString &helper, QObject *context, Callback done)
    : m_helper(helper)
    , m_context(context)
    , m_done(std::move(done))
{}

void CredentialHelper::get(const QString &helper, const QString &serverUrl, QObject *context,
                           Callback done, int timeoutMs)
{
    auto *run = new CredentialHelper(helper, context, std::move(done));
    run->start(serverUrl, timeoutMs);
}

void CredentialHelper::start(const QString &serverUrl, int timeoutMs)
{
    // Errors are delivered from the event loop like answers, never from inside get().
    auto failLater = [this](Error e) { QTimer::singleShot(0, this, [this, e] { finish(e); }); };
    if (!isValidName(m_helper)) {
        failLater(Error::make(Error::Kind::InvalidInput,
                              u"“%1” is not a credential helper name"_s.arg(m_helper)));
        return;
    }
    const QString program = QStandardPaths::findExecutable(programName(m_helper));
    if (program.isEmpty()) {
        failLater(Error::make(Error::Kind::Io, u"%1 is not installed (not found on PATH)"_s.arg(
                                                   programName(m_helper))));
        return;
    }
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments({u"get"_s});
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_out += m_process->readAllStandardOutput();
        if (m_out.size() > MaxOutputBytes) {
            m_process->kill();
            finish(Error::make(
                Error::Kind::TooLarge,
                u"%1 printed more than %2 KiB; its answer was not used"_s.arg(programName(m_helper))
                    .arg(MaxOutputBytes / 1024)));
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_err += m_process->readAllStandardError();
        if (m_err.size() > MaxOutputBytes)
            m_err = m_err.right(MaxOutputBytes);
    });
    connect(m_process, &QProcess::finished, this,
            [this](int exitCode, QProcess::ExitStatus status) {
                m_out += m_process->readAllStandardOutput();
                m_err += m_process->readAllStandardError();
                if (status == QProcess::CrashExit) {
                    finish(Error::make(Error::Kind::Io, u"%1 crashed"_s.arg(programName(m_helper)),
                                       helperMessage({}, m_err)));
                    return;
                }
                finish(parseGetOutput(m_helper, exitCode, m_out, m_err));
            });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(Error::make(Error::Kind::Io,
                               u"%1 could not be started: %2"_s.arg(programName(m_helper),
                                                                    m_process->errorString())));
    });
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this, timeoutMs] {
        m_process->kill();
        finish(Error::make(Error::Kind::Timeout, u"%1 did not answer within %2 s; it was stopped"_s
                                                     .arg(programName(m_helper))
                                                     .arg(timeoutMs / 1000.0)));
    });
    m_timer->start(timeoutMs);
    m_process->start();
    m_process->write(serverUrl.toUtf8());
    m_process->closeWriteChannel();
}

void CredentialHelper::finish(Expected<Answer> result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_timer)
        m_timer->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Do not leave a zombie behind; the process object goes with this one.
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
    if (m_context)
        m_done(std::move(result));
    deleteLater();
}

Expected<CredentialHelper::Answer> CredentialHelper::parseGetOutput(const QString &helper,
                                                                    int exitCode,
                                                                    const QByteArray &out,
                                                                    const QByteArray &err)
{
    Answer answer;
    if (exitCode != 0) {
        // The helpers print this error on stdout (docker-credential-helpers' client compares it).
        if (out.contains("credentials not found") || err.contains("credentials not found"))
            return answer;
        const QString said = helperMessage(out, err);
        return Error::make(Error::Kind::Io, u"%1 failed (exit code %2)%3"_s.arg(programName(helper))
                                                .arg(exitCode)
                                                .arg(said.isEmpty() ? QString() : u": "_s + said));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error::make(Error::Kind::Protocol,
                           u"%1 answered something other than the JSON the credential helper "
                           u"protocol defines"_s.arg(programName(helper)));
    const QJsonObject o = doc.object();
    const QString username = o.value(u"Username"_s).toString();
    const QString secret = o.value(u"Secret"_s).toString();
    if (secret.isEmpty())
        return answer; // some helpers answer an empty record rather than "not found"
    answer.found = true;
    if (username == u"<token>"_s) {
        answer.credentials.identityToken = secret;
    } else {
        answer.credentials.username = username;
        answer.credentials.secret = secret;
    }
    return answer;
}

} // namespace wharf
