#pragma once

#include "CredentialStore.h"

namespace wharf {

// The OS keychain through QtKeychain: Secret Service (GNOME Keyring, KWallet) on Linux, the
// macOS Keychain, the Windows Credential Manager. Never falls back to plain files: when no
// keychain is available the error says so and callers decide (the app keeps the secret for the
// session only, see SessionFallbackCredentialStore).
class KeychainCredentialStore : public CredentialStore
{
    Q_OBJECT
public:
    explicit KeychainCredentialStore(const QString &service, QObject *parent = nullptr);
    void readSecret(const QString &key, QObject *context, ReadCallback done) override;
    void writeSecret(const QString &key, const QString &secret, QObject *context,
                     WriteCallback done) override;
    void removeSecret(const QString &key, QObject *context, WriteCallback done) override;
    QString description() const override;

    static QString defaultService();

private:
    QString m_service;
};

// Keychain first; when the keychain is unavailable, keeps secrets in memory for this session
// and says so through keychainUnavailable(), once.
class SessionFallbackCredentialStore : public CredentialStore
{
    Q_OBJECT
public:
    explicit SessionFallbackCredentialStore(CredentialStore *primary, QObject *parent = nullptr);
    void readSecret(const QString &key, QObject *context, ReadCallback done) override;
    void writeSecret(const QString &key, const QString &secret, QObject *context,
                     WriteCallback done) override;
    void removeSecret(const QString &key, QObject *context, WriteCallback done) override;
    QString description() const override;
    bool usingFallback() const { return m_usingFallback; }

signals:
    void keychainUnavailable(const QString &explanation);

private:
    void noteUnavailable(const Error &error);

    CredentialStore *m_primary;
    MemoryCredentialStore *m_memory;
    bool m_usingFallback = false;
};

} // namespace wharf
