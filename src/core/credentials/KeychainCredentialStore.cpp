#include "KeychainCredentialStore.h"

#include <QPointer>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

Error keychainError(const QKeychain::Job *job, const QString &what)
{
    Error e;
    e.kind = Error::Kind::Io;
    e.code = u"KEYCHAIN_%1"_s.arg(int(job->error()));
    if (job->error() == QKeychain::NoBackendAvailable)
        e.message = QObject::tr("No keychain is available (%1). Install and unlock a Secret "
                                "Service provider such as GNOME Keyring or KWallet.")
                        .arg(job->errorString());
    else if (job->error() == QKeychain::AccessDeniedByUser ||
             job->error() == QKeychain::AccessDenied)
        e.message = QObject::tr("Access to the keychain was denied while %1.").arg(what);
    else
        e.message = QObject::tr("The keychain failed while %1: %2").arg(what, job->errorString());
    return e;
}

bool isUnavailable(const Error &e)
{
    return e.code == u"KEYCHAIN_%1"_s.arg(int(QKeychain::NoBackendAvailable)) ||
           e.code == u"KEYCHAIN_%1"_s.arg(int(QKeychain::NotImplemented)) ||
           e.code == u"KEYCHAIN_%1"_s.arg(int(QKeychain::OtherError));
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &service, QObject *parent)
    : CredentialStore(parent)
    , m_service(service)
{}

QString KeychainCredentialStore::defaultService()
{
    return u"io.github.wharf_registry.Wharf"_s;
}

QString KeychainCredentialStore::description() const
{
#if defined(Q_OS_MACOS)
    return tr("the macOS Keychain");
#elif defined(Q_OS_WIN)
    return tr("the Windows Credential Manager");
#else
    return tr("the Secret Service keyring");
#endif
}

void KeychainCredentialStore::readSecret(const QString &key, QObject *context, ReadCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [guard, done](QKeychain::Job *j) {
        if (!guard)
            return;
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (read->error() == QKeychain::EntryNotFound)
            done(std::optional<QString>());
        else if (read->error() != QKeychain::NoError)
            done(keychainError(read, tr("reading a password")));
        else
            done(std::optional<QString>(read->textData()));
    });
    job->start();
}

void KeychainCredentialStore::writeSecret(const QString &key, const QString &secret,
                                          QObject *context, WriteCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [guard, done](QKeychain::Job *j) {
        if (!guard)
            return;
        if (j->error() != QKeychain::NoError)
            done(keychainError(j, tr("storing a password")));
        else
            done(Done{});
    });
    job->start();
}

void KeychainCredentialStore::removeSecret(const QString &key, QObject *context, WriteCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [guard, done](QKeychain::Job *j) {
        if (!guard)
            return;
        if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
            done(keychainError(j, tr("removing a password")));
        else
            done(Done{});
    });
    job->start();
}

SessionFallbackCredentialStore::SessionFallbackCredentialStore(CredentialStore *primary,
                                                               QObject *parent)
    : CredentialStore(parent)
    , m_primary(primary)
    , m_memory(new MemoryCredentialStore(this))
{
    m_primary->setParent(this);
}

QString SessionFallbackCredentialStore::description() const
{
    return m_usingFallback ? m_memory->description() : m_primary->description();
}

void SessionFallbackCredentialStore::noteUnavailable(const Error &error)
{
    if (m_usingFallback)
        return;
    m_usingFallback = true;
    emit keychainUnavailable(error.message + u' ' +
                             tr("Passwords are kept for this session only."));
}

void SessionFallbackCredentialStore::readSecret(const QString &key, QObject *context,
                                                ReadCallback done)
{
    if (m_memory->contains(key)) {
        m_memory->readSecret(key, context, std::move(done));
        return;
    }
    m_primary->readSecret(key, context, [this, done](Expected<std::optional<QString>> r) {
        if (!r && isUnavailable(r.error())) {
            noteUnavailable(r.error());
            done(std::optional<QString>());
            return;
        }
        done(r);
    });
}

void SessionFallbackCredentialStore::writeSecret(const QString &key, const QString &secret,
                                                 QObject *context, WriteCallback done)
{
    QPointer<QObject> guard(context);
    m_primary->writeSecret(key, secret, this, [this, key, secret, guard, done](Expected<Done> r) {
        if (!r && isUnavailable(r.error())) {
            noteUnavailable(r.error());
            if (guard)
                m_memory->writeSecret(key, secret, guard, done);
            return;
        }
        if (guard)
            done(r);
    });
}

void SessionFallbackCredentialStore::removeSecret(const QString &key, QObject *context,
                                                  WriteCallback done)
{
    m_memory->removeSecret(key, this, [](Expected<Done>) {});
    m_primary->removeSecret(key, context, [this, done](Expected<Done> r) {
        if (!r && isUnavailable(r.error())) {
            done(Done{});
            return;
        }
        done(r);
    });
}

} // namespace wharf
