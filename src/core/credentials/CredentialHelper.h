#pragma once

#include "Credentials.h"
#include "Expected.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QProcess;
class QTimer;

namespace wharf {

// Asks one docker credential helper (docker-credential-<name> on PATH) for one server's
// credentials, per the docker-credential-helpers protocol: `get` with the server URL on stdin,
// {"ServerURL","Username","Secret"} on stdout; Username "<token>" means Secret is an identity
// (OAuth2 refresh) token; a non-zero exit saying "credentials not found" means there are none.
// Runs asynchronously on the caller's thread; a helper that hangs is killed after the timeout
// and one that prints too much is stopped. Secrets never appear in errors.
class CredentialHelper : public QObject
{
    Q_OBJECT
public:
    struct Answer
    {
        bool found = false;
        Credentials credentials;
    };
    using Callback = std::function<void(Expected<Answer>)>;

    static constexpr qint64 MaxOutputBytes = 64 * 1024;

    // "docker-credential-<helper>"
    static QString programName(const QString &helper);
    // Helper names are plain words ("pass", "ecr-login"); anything with a path in it is refused.
    static bool isValidName(const QString &helper);
    static void get(const QString &helper, const QString &serverUrl, QObject *context,
                    Callback done, int timeoutMs = 10000);
    // The protocol's answer to `get`, from the exit code and output.
    static Expected<Answer> parseGetOutput(const QString &helper, int exitCode,
                                           const QByteArray &standardOutput,
                                           const QByteArray &standardError);

private:
    CredentialHelper(const QString &helper, QObject *context, Callback done);
    void start(const QString &serverUrl, int timeoutMs);
    void finish(Expected<Answer> result);

    QString m_helper;
    QPointer<QObject> m_context;
    Callback m_done;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_out;
    QByteArray m_err;
    bool m_finished = false;
};

} // namespace wharf
