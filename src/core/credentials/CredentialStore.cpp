#include "CredentialStore.h"

#include <QPointer>
#include <QTimer>

namespace wharf {

namespace {

// Callbacks are always asynchronous, whatever the store, so callers behave the same in tests.
template<class F>
void later(QObject *context, F f)
{
    QTimer::singleShot(0, context, std::move(f));
}

} // namespace

void MemoryCredentialStore::readSecret(const QString &key, QObject *context, ReadCallback done)
{
    std::optional<QString> value;
    if (m_secrets.contains(key))
        value = m_secrets.value(key);
    later(context, [done, value] { done(value); });
}

void MemoryCredentialStore::writeSecret(const QString &key, const QString &secret, QObject *context,
                                        WriteCallback done)
{
    m_secrets.insert(key, secret);
    later(context, [done] { done(Done{}); });
}

void MemoryCredentialStore::removeSecret(const QString &key, QObject *context, WriteCallback done)
{
    m_secrets.remove(key);
    later(context, [done] { done(Done{}); });
}

QString MemoryCredentialStore::description() const
{
    return tr("memory (this session only)");
}

} // namespace wharf
