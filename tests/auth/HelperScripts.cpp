#include "HelperScripts.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

} // namespace

HelperScripts::HelperScripts()
    : m_dir(QDir::temp().filePath(u"wharf-helpers-XXXXXX"_s))
    , m_oldPath(qgetenv("PATH"))
{
    qputenv("PATH", QFile::encodeName(m_dir.path()) + ':' + m_oldPath);
}

HelperScripts::~HelperScripts()
{
    qputenv("PATH", m_oldPath);
}

bool HelperScripts::add(const QString &name, const QString &body, QString *error)
{
    const QString path = m_dir.filePath(u"docker-credential-"_s + name);
    const QString script = u"#!/bin/sh\n"
                           u"here=$(dirname \"$0\")\n"
                           u"printf '%s' \"$*\" > \"$here/%1.args\"\n"
                           u"cat > \"$here/%1.stdin\"\n"_s.arg(name) +
                           body + u'\n';
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(script.toUtf8()) < 0) {
        *error = u"cannot write "_s + path;
        return false;
    }
    file.close();
    if (!QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                         QFile::ReadGroup | QFile::ExeGroup)) {
        *error = u"cannot make "_s + path + u" executable"_s;
        return false;
    }
    return true;
}

QString HelperScripts::answer(const QString &serverUrl, const QString &username,
                              const QString &secret)
{
    return u"printf '%s' "_s +
           shellQuote(uR"({"ServerURL":"%1","Username":"%2","Secret":"%3"})"_s.arg(
               serverUrl, username, secret));
}

QString HelperScripts::notFound()
{
    return u"echo 'credentials not found in native keychain'\nexit 1"_s;
}

QString HelperScripts::receivedInput(const QString &name) const
{
    return readText(m_dir.filePath(name + u".stdin"_s));
}

QString HelperScripts::receivedArguments(const QString &name) const
{
    return readText(m_dir.filePath(name + u".args"_s));
}

void HelperScripts::clearReceived()
{
    const QStringList files = QDir(m_dir.path()).entryList({u"*.stdin"_s, u"*.args"_s});
    for (const QString &f : files)
        QFile::remove(m_dir.filePath(f));
}

} // namespace wharf::test
