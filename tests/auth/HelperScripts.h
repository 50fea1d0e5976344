#pragma once

#include <QString>
#include <QTemporaryDir>

namespace wharf::test {

// docker-credential-<name> helpers as shell scripts in a temporary directory put first on
// PATH. Each records what it got (arguments, stdin) next to itself, then runs its body.
class HelperScripts
{
public:
    HelperScripts();
    ~HelperScripts();

    QString directory() const { return m_dir.path(); }
    bool add(const QString &name, const QString &body, QString *error);
    // A body answering `get` per the protocol.
    static QString answer(const QString &serverUrl, const QString &username, const QString &secret);
    static QString notFound();
    QString receivedInput(const QString &name) const;
    QString receivedArguments(const QString &name) const;
    void clearReceived();

private:
    QTemporaryDir m_dir;
    QByteArray m_oldPath;
};

} // namespace wharf::test
