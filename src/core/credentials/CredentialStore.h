#pragma once

#include "Expected.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace wharf {

// Where secrets live: the OS keychain in the app and wharfctl, memory in unit tests. Keyed by
// bookmark id. Asynchronous because keychains may prompt or talk D-Bus. Implementations never
// log secrets.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    using ReadCallback = std::function<void(Expected<std::optional<QString>>)>; // nullopt: none
    using WriteCallback = std::function<void(Expected<Done>)>;

    using QObject::QObject;
    virtual void readSecret(const QString &key, QObject *context, ReadCallback done) = 0;
    virtual void writeSecret(const QString &key, const QString &secret, QObject *context,
                             WriteCallback done) = 0;
    virtual void removeSecret(const QString &key, QObject *context, WriteCallback done) = 0;
    // "the Secret Service keyring", "this session only" – for messages.
    virtual QString description() const = 0;
};

// Secrets in memory for the life of the object (tests, and the session-only fallback).
class MemoryCredentialStore : public CredentialStore
{
    Q_OBJECT
public:
    using CredentialStore::CredentialStore;
    void readSecret(const QString &key, QObject *context, ReadCallback done) override;
    void writeSecret(const QString &key, const QString &secret, QObject *context,
                     WriteCallback done) override;
    void removeSecret(const QString &key, QObject *context, WriteCallback done) override;
    QString description() const override;
    bool contains(const QString &key) const { return m_secrets.contains(key); }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace wharf
