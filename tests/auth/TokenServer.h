#pragma once

#include "JwtSigner.h"
#include "LoopbackServer.h"
#include "RegistryOptions.h"

#include <QHash>
#include <QMutex>
#include <QStringList>

namespace wharf::test {

// A distribution token service (spec/auth/token.md, oauth.md) for tests, on its own thread:
// GET /token with Basic credentials or anonymously, and the OAuth2 POST form (refresh_token and
// password grants). It issues RS256 JWTs (x5c header) that a real docker-registry started with
// registryOptions() accepts. Per test: users, what each may do, token lifetimes, expired or
// stingy tokens; it counts and records every token request.
class TokenServer
{
public:
    struct Issued
    {
        QString method;                  // "GET" or "POST"
        QString user;                    // empty: anonymous
        QStringList scopes;              // requested, sorted
        QStringList granted;             // "type:name:actions" actually put in the token
        bool basicAuthorization = false; // the request carried Basic credentials
        QString account;                 // the account parameter
    };

    TokenServer();

    bool start(QString *error);

    QString realm() const; // http://127.0.0.1:PORT/token
    static QString service() { return QStringLiteral("wharf-test-registry"); }
    static QString issuer() { return QStringLiteral("wharf-test-issuer"); }
    // tokenRealm/Service/Issuer/RootCertBundle filled in.
    RegistryOptions registryOptions() const;

    void addUser(const QString &name, const QString &password);
    // user "" is anonymous. namePattern is a wildcard ("*", "team/*"); actions "pull",
    // "push", "delete", or "*" for the catalog.
    void allow(const QString &user, const QString &type, const QString &namePattern,
               const QStringList &actions);
    void addRefreshToken(const QString &token, const QString &user);
    void setAnonymousAllowed(bool allowed);
    void setOAuthPostSupported(bool supported); // false: POST answers 405 (GET-only realm)
    void setLifetimeSeconds(int seconds);       // exp and expires_in (default 300)
    void setIssueExpired(int count);            // the next count tokens: exp 5 minutes ago
    void setIssuedAtOffsetSeconds(int seconds); // issued_at reported relative to now
    // Grant nothing beyond pull whatever the policy says: a server that grants less than asked.
    void setStingy(bool stingy);
    // Sign with a broken signature: the registry must refuse every token (invalid_token).
    void setCorruptSignatures(bool corrupt);

    int tokenRequests() const;
    int tokenRequests(const QStringList &scopes) const;
    QList<Issued> issued() const;
    int rejectedRequests() const;
    void resetCounters();

private:
    struct Rule
    {
        QString type;
        QString namePattern;
        QStringList actions;
    };
    LoopbackServer::Response handle(const LoopbackServer::Request &request);
    QStringList grant(const QString &user, const QStringList &scopes) const;

    JwtSigner m_signer;
    LoopbackServer m_server;
    mutable QMutex m_mutex;
    QHash<QString, QString> m_users;
    QHash<QString, QList<Rule>> m_rules;
    QHash<QString, QString> m_refreshTokens;
    bool m_anonymousAllowed = true;
    bool m_oauthPost = true;
    int m_lifetime = 300;
    int m_expiredToIssue = 0;
    int m_issuedAtOffset = 0;
    bool m_stingy = false;
    bool m_corrupt = false;
    QList<Issued> m_issued;
    int m_rejected = 0;
    quint64 m_serial = 0;
};

} // namespace wharf::test
