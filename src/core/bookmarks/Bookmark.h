#pragma once

#include "client/RegistryConfig.h"

#include <QStringList>
#include <QUrl>

namespace wharf {

// A saved registry. Everything but the secret, which lives in the OS keychain under id.
struct Bookmark
{
    enum class AuthMode { None, Password };

    QString id; // stable across renames: the registry_id of the original API design
    QString name;
    QUrl url;
    AuthMode authMode = AuthMode::None;
    QString username;
    bool skipTlsVerify = false;
    QString caCertificateFile; // extra CA to trust for this registry
    // For registries without a usable catalog (Docker Hub, GHCR, GitLab): what to show instead.
    QStringList repositories;

    bool needsSecret() const { return authMode == AuthMode::Password; }
    // Connection settings; credentials.secret is filled in by the caller from the keychain.
    RegistryConfig toConfig() const;
    QString displayUrl() const { return url.toString(QUrl::StripTrailingSlash); }

    static QString authModeName(AuthMode mode);
    static AuthMode authModeFromName(const QString &name);
};

} // namespace wharf
