#pragma once

#include "AuthChallenge.h"
#include "Expected.h"
#include "credentials/Credentials.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace wharf {

class RequestScheduler;
struct HttpRequest;

// Answers "what Authorization header does a request for this scope carry?" for one registry,
// learning the scheme from WWW-Authenticate challenges: Basic (credentials as they are) or
// Bearer (tokens fetched from the challenge's realm and cached per realm, service and scope set
// until shortly before they expire). Lives on the client's thread.
//
// Scopes follow the distribution token spec: "repository:<name>:pull", "…:pull,push",
// "…:delete", "registry:catalog:*".
//
// Token requests: GET realm?service=&scope=… (one scope parameter each) with Basic credentials
// and account= when there is a password, anonymous otherwise; with an identity token (docker
// login's OAuth2 refresh token) a POST grant_type=refresh_token, falling back to GET when the
// realm answers 404/405. The OAuth2 password grant is not used: every token service takes GET
// with Basic, and a password in a form body gains nothing over it.
class Authenticator : public QObject
{
    Q_OBJECT
public:
    enum class Scheme { Unknown, None, Basic, Bearer };
    using HeaderCallback = std::function<void(Expected<QByteArray>)>;
    using RetryCallback = std::function<void(Expected<Done>)>;
    // Builds a request to another URL with the registry's TLS settings.
    using RequestFactory = std::function<HttpRequest(const QUrl &)>;

    Authenticator(RequestScheduler *scheduler, RequestFactory factory, QObject *parent = nullptr);

    void setCredentials(const Credentials &credentials);
    const Credentials &credentials() const { return m_credentials; }
    Scheme scheme() const { return m_scheme; }
    void setScheme(Scheme scheme) { m_scheme = scheme; }

    // The header for scope when it is known without asking anyone (no auth, Basic, a cached
    // token); nullopt when a token has to be fetched first (use authorize()).
    std::optional<QByteArray> cachedHeader(const QString &scope) const;
    // The header for a request needing scope (empty when the registry asked for none yet).
    void authorize(const QString &scope, QObject *context, HeaderCallback done);
    // A request for scope got 401 with this WWW-Authenticate value. done(ok) when retrying with
    // a fresh authorize() can succeed; an error explains why not.
    void challenged(const QByteArray &wwwAuthenticate, const QString &scope, QObject *context,
                    RetryCallback done);

    // Bearer token requests sent, for statistics and tests.
    int tokenRequests() const { return m_tokenRequests; }

    // How long to use a token: expires_in (at least 60 s), counted from issued_at when given,
    // less a margin so it is renewed before it runs out.
    static qint64 tokenLifetimeMs(qint64 expiresIn, const QString &issuedAt,
                                  const QDateTime &now = QDateTime::currentDateTimeUtc());

private:
    struct Token
    {
        QByteArray value;
        QDeadlineTimer expiry;
        QString refreshToken;
    };
    QString tokenKey(const QStringList &scopes) const;
    QStringList scopesFor(const QString &scope) const;
    void fetchToken(const QStringList &scopes, QObject *context, RetryCallback done);
    void sendTokenRequest(const QStringList &scopes, bool usePost, const QString &key);
    void tokenArrived(const QString &key, Expected<Token> token);
    QByteArray basicHeader() const;

    RequestScheduler *m_scheduler;
    RequestFactory m_factory;
    Credentials m_credentials;
    Scheme m_scheme = Scheme::Unknown;
    QString m_realm;
    QString m_service;
    QHash<QString, Token> m_tokens;              // by realm|service|scopes
    QHash<QString, QStringList> m_grantedScopes; // requested scope -> scopes of its token
    struct Waiter
    {
        QPointer<QObject> context;
        RetryCallback done;
    };
    QHash<QString, QList<Waiter>> m_pending; // token requests in flight, by key
    int m_tokenRequests = 0;
};

} // namespace wharf
