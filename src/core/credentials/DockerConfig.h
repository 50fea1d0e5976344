#pragma once

#include "Credentials.h"
#include "Expected.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace wharf {

// ~/.docker/config.json as docker, skopeo and crane read it, so the credentials people already
// have work here: `auths` entries (base64 "user:password", identitytoken, registrytoken),
// `credHelpers` per host and the default `credsStore`. Parsing and matching only:
// CredentialHelper runs helpers, DockerConfigLookup puts it all together asynchronously.
class DockerConfig
{
public:
    struct AuthEntry
    {
        QString key; // as written in the file
        Credentials credentials;
    };

    // The key docker uses for Docker Hub.
    static QString dockerHubKey();

    // DOCKER_AUTH_CONFIG (the JSON itself) wins over the file, which is
    // $DOCKER_CONFIG/config.json or else ~/.docker/config.json. No file is an empty config.
    static Expected<DockerConfig> load();
    static Expected<DockerConfig> loadFile(const QString &path);
    static Expected<DockerConfig> parse(const QByteArray &json, const QString &origin);
    static QString defaultPath();

    // The key docker files a registry under: Docker Hub's hosts (docker.io, index.docker.io,
    // registry-1.docker.io) give dockerHubKey(), others "host[:port]" in lower case. Accepts a
    // URL, a key or a bare host.
    static QString serverKey(const QString &registry);
    // "host[:port]" of a key or URL: scheme and path stripped.
    static QString hostOf(const QString &keyOrUrl);

    QString origin() const { return m_origin; } // a file path, or "DOCKER_AUTH_CONFIG"
    bool isEmpty() const
    {
        return m_auths.isEmpty() && m_credHelpers.isEmpty() && m_credsStore.isEmpty();
    }
    const QList<AuthEntry> &auths() const { return m_auths; }
    const QHash<QString, QString> &credHelpers() const { return m_credHelpers; }
    QString credsStore() const { return m_credsStore; }
    // Entries that could not be read (bad base64, ...), without their secrets.
    const QStringList &problems() const { return m_problems; }

    // credHelpers entry for this registry (its key in the file), or nullopt.
    std::optional<std::pair<QString, QString>> credHelperFor(const QString &registry) const;
    // The auths entry for this registry: the exact key first, then the first key whose host
    // matches once scheme and path are stripped.
    std::optional<AuthEntry> authFor(const QString &registry) const;

private:
    QString m_origin;
    QList<AuthEntry> m_auths; // in key order
    QHash<QString, QString> m_credHelpers;
    QString m_credsStore;
    QStringList m_problems;
};

} // namespace wharf
