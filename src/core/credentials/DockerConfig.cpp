#include "DockerConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr qint64 MaxConfigBytes = 4 * 1024 * 1024;

bool isDockerHubHost(const QString &host)
{
    return host == u"docker.io"_s || host == u"index.docker.io"_s ||
           host == u"registry-1.docker.io"_s || host == u"registry.hub.docker.com"_s;
}

} // namespace

QString DockerConfig::dockerHubKey()
{
    return u"https://index.docker.io/v1/"_s;
}

QString DockerConfig::hostOf(const QString &keyOrUrl)
{
    QString host = keyOrUrl.trimmed();
    const qsizetype scheme = host.indexOf(u"://"_s);
    if (scheme >= 0)
        host = host.mid(scheme + 3);
    const qsizetype slash = host.indexOf(u'/');
    if (slash >= 0)
        host.truncate(slash);
    return host.toLower();
}

QString DockerConfig::serverKey(const QString &registry)
{
    const QString host = hostOf(registry);
    return isDockerHubHost(host) ? dockerHubKey() : host;
}

QString DockerConfig::defaultPath()
{
    const QString dir = qEnvironmentVariable("DOCKER_CONFIG");
    if (!dir.isEmpty())
        return QDir(dir).filePath(u"config.json"_s);
    return QDir::home().filePath(u".docker/config.json"_s);
}

Expected<DockerConfig> DockerConfig::load()
{
    const QByteArray inline_ = qgetenv("DOCKER_AUTH_CONFIG");
    if (!inline_.trimmed().isEmpty())
        return parse(inline_, u"DOCKER_AUTH_CONFIG"_s);
    return loadFile(defaultPath());
}

Expected<DockerConfig> DockerConfig::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        DockerConfig empty;
        empty.m_origin = path;
        return empty;
    }
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, file.errorString()));
    if (file.size() > MaxConfigBytes)
        return Error::make(Error::Kind::TooLarge,
                           u"%1 is too large to be docker's config"_s.arg(path));
    return parse(file.readAll(), path);
}

Expected<DockerConfig> DockerConfig::parse(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error::make(
            Error::Kind::Protocol,
            u"%1 is not valid JSON (%2)"_s.arg(origin, parseError.error != QJsonParseError::NoError
                                                           ? parseError.errorString()
                                                           : u"not an object"_s));
    const QJsonObject root = doc.object();
    DockerConfig config;
    config.m_origin = origin;
    config.m_credsStore = root.value(u"credsStore"_s).toString();
    const QJsonObject helpers = root.value(u"credHelpers"_s).toObject();
    for (auto it = helpers.begin(); it != helpers.end(); ++it) {
        if (it.value().isString() && !it.value().toString().isEmpty())
            config.m_credHelpers.insert(it.key(), it.value().toString());
    }
    const QJsonObject auths = root.value(u"auths"_s).toObject();
    // QJsonObject iterates in key order, not file order; the file order is not recoverable and
    // docker's own lookup is by key anyway.
    for (auto it = auths.begin(); it != auths.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        AuthEntry entry;
        entry.key = it.key();
        const QString auth = o.value(u"auth"_s).toString();
        if (!auth.isEmpty()) {
            const auto decoded = QByteArray::fromBase64Encoding(
                auth.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            const QString pair = decoded ? QString::fromUtf8(*decoded) : QString();
            const qsizetype colon = pair.indexOf(u':');
            if (!decoded || colon < 0) {
                config.m_problems << u"auths[\"%1\"].auth in %2 is not base64 of "
                                     u"\"user:password\"; ignored"_s.arg(entry.key, origin);
            } else {
                entry.credentials.username = pair.left(colon);
                entry.credentials.secret = pair.mid(colon + 1);
            }
        } else {
            // Older tools wrote the two halves separately.
            entry.credentials.username = o.value(u"username"_s).toString();
            entry.credentials.secret = o.value(u"password"_s).toString();
        }
        entry.credentials.identityToken = o.value(u"identitytoken"_s).toString();
        entry.credentials.registryToken = o.value(u"registrytoken"_s).toString();
        if (!entry.credentials.isEmpty())
            config.m_auths << entry;
    }
    return config;
}

std::optional<std::pair<QString, QString>>
DockerConfig::credHelperFor(const QString &registry) const
{
    const QString key = serverKey(registry);
    const QString host = hostOf(registry);
    if (const auto exact = m_credHelpers.constFind(host); exact != m_credHelpers.cend())
        return std::pair(exact.key(), exact.value());
    for (auto it = m_credHelpers.cbegin(); it != m_credHelpers.cend(); ++it) {
        if (serverKey(it.key()) == key)
            return std::pair(it.key(), it.value());
    }
    return std::nullopt;
}

std::optional<DockerConfig::AuthEntry> DockerConfig::authFor(const QString &registry) const
{
    const QString key = serverKey(registry);
    for (const AuthEntry &entry : m_auths) {
        if (entry.key == key)
            return entry;
    }
    for (const AuthEntry &entry : m_auths) {
        if (serverKey(entry.key) == key)
            return entry;
    }
    return std::nullopt;
}

} // namespace wharf
