#pragma once

#include "Credentials.h"
#include "DockerConfig.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

namespace wharf {

// "Which credentials does docker know for this registry?" – what wharfctl uses when it was given
// none, and what the app offers when a bookmark is added (storing them in the keychain only if
// the user agrees). Order: credHelpers[host], then credsStore, then auths, as
// docker-compatible tools do. Asynchronous (helpers are processes); never fails: problems end up
// in Result::warnings, which never contain secrets.
class DockerConfigLookup : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        bool found = false;
        Credentials credentials;
        QString serverKey; // what was looked up: "host:port" or Docker Hub's key
        // Where they came from, for a person: `auths["127.0.0.1:5000"] in ~/.docker/config.json`,
        // `docker-credential-pass (credsStore in …)`. Empty when nothing was found.
        QString source;
        QStringList warnings;
    };
    using Callback = std::function<void(const Result &)>;

    struct Options
    {
        std::optional<DockerConfig> config; // default: DockerConfig::load()
        int helperTimeoutMs = 10000;
    };

    // registry: a URL, "host[:port]" or a Docker Hub name. done runs on the caller's thread
    // (never from inside find()) unless context is destroyed first.
    static void find(const QString &registry, QObject *context, Callback done,
                     const Options &options);
    static void find(const QString &registry, QObject *context, Callback done);

private:
    DockerConfigLookup(QObject *context, Callback done);
    void askHelpers(QList<std::pair<QString, QString>> helpers); // (helper, why)
    void finishWithAuths();
    void finish();

    QPointer<QObject> m_context;
    Callback m_done;
    DockerConfig m_config;
    int m_timeoutMs = 10000;
    Result m_result;
};

} // namespace wharf
