#include "TokenServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

LoopbackServer::Response oauthError(int status, const QString &error)
{
    return LoopbackServer::Response::json(
        status, QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact));
}

LoopbackServer::Response unauthorized()
{
    LoopbackServer::Response r = LoopbackServer::Response::json(
        401, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})");
    r.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="wharf-test-token")");
    return r;
}

// "type:name:actions"; the name may itself contain ':' (host:port/repo).
struct Scope
{
    QString type;
    QString name;
    QStringList actions;
};

std::optional<Scope> parseScope(const QString &text)
{
    const qsizetype first = text.indexOf(u':');
    const qsizetype last = text.lastIndexOf(u':');
    if (first <= 0 || last <= first)
        return std::nullopt;
    return Scope{text.left(first), text.mid(first + 1, last - first - 1),
                 text.mid(last + 1).split(u',', Qt::SkipEmptyParts)};
}

} // namespace

TokenServer::TokenServer()
    : m_server([this](const LoopbackServer::Request &r) { return handle(r); })
{}

bool TokenServer::start(QString *error)
{
    return m_signer.generate(error) && m_server.start(error);
}

QString TokenServer::realm() const
{
    return m_server.url().toString() + u"/token"_s;
}

RegistryOptions TokenServer::registryOptions() const
{
    RegistryOptions options;
    options.tokenRealm = realm();
    options.tokenService = service();
    options.tokenIssuer = issuer();
    options.tokenRootCertBundle = m_signer.certificatePath();
    return options;
}

void TokenServer::addUser(const QString &name, const QString &password)
{
    QMutexLocker lock(&m_mutex);
    m_users.insert(name, password);
}

void TokenServer::allow(const QString &user, const QString &type, const QString &namePattern,
                        const QStringList &actions)
{
    QMutexLocker lock(&m_mutex);
    m_rules[user].append(Rule{type, namePattern, actions});
}

void TokenServer::addRefreshToken(const QString &token, const QString &user)
{
    QMutexLocker lock(&m_mutex);
    m_refreshTokens.insert(token, user);
}

void TokenServer::setAnonymousAllowed(bool allowed)
{
    QMutexLocker lock(&m_mutex);
    m_anonymousAllowed = allowed;
}

void TokenServer::setOAuthPostSupported(bool supported)
{
    QMutexLocker lock(&m_mutex);
    m_oauthPost = supported;
}

void TokenServer::setLifetimeSeconds(int seconds)
{
    QMutexLocker lock(&m_mutex);
    m_lifetime = seconds;
}

void TokenServer::setIssueExpired(int count)
{
    QMutexLocker lock(&m_mutex);
    m_expiredToIssue = count;
}

void TokenServer::setIssuedAtOffsetSeconds(int seconds)
{
    QMutexLocker lock(&m_mutex);
    m_issuedAtOffset = seconds;
}

void TokenServer::setCorruptSignatures(bool corrupt)
{
    QMutexLocker lock(&m_mutex);
    m_corrupt = corrupt;
}

void TokenServer::setStingy(bool stingy)
{
    QMutexLocker lock(&m_mutex);
    m_stingy = stingy;
}

int TokenServer::tokenRequests() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_issued.size()) + m_rejected;
}

int TokenServer::tokenRequests(const QStringList &scopes) const
{
    QStringList sorted = scopes;
    std::sort(sorted.begin(), sorted.end());
    QMutexLocker lock(&m_mutex);
    return int(std::count_if(m_issued.cbegin(), m_issued.cend(),
                             [&](const Issued &i) { return i.scopes == sorted; }));
}

QList<TokenServer::Issued> TokenServer::issued() const
{
    QMutexLocker lock(&m_mutex);
    return m_issued;
}

int TokenServer::rejectedRequests() const
{
    QMutexLocker lock(&m_mutex);
    return m_rejected;
}

void TokenServer::resetCounters()
{
    QMutexLocker lock(&m_mutex);
    m_issued.clear();
    m_rejected = 0;
}

QStringList TokenServer::grant(const QString &user, const QStringList &scopes) const
{
    QStringList granted;
    const QList<Rule> rules = m_rules.value(user);
    for (const QString &text : scopes) {
        const auto scope = parseScope(text);
        if (!scope)
            continue;
        QStringList actions;
        for (const Rule &rule : rules) {
            if (rule.type != scope->type)
                continue;
            // '*' matches anything, '/' included (Qt 6.4's wildcards stop at '/').
            QString regex = QRegularExpression::escape(rule.namePattern);
            regex.replace(u"\\*"_s, u".*"_s);
            const QRegularExpression pattern(QRegularExpression::anchoredPattern(regex));
            if (!pattern.match(scope->name).hasMatch())
                continue;
            for (const QString &action : scope->actions) {
                if ((rule.actions.contains(action) || rule.actions.contains(u"*"_s)) &&
                    !actions.contains(action))
                    actions << action;
            }
        }
        if (m_stingy)
            actions.removeIf([](const QString &a) { return a != u"pull"_s; });
        if (!actions.isEmpty())
            granted << scope->type + u':' + scope->name + u':' + actions.join(u',');
    }
    return granted;
}

LoopbackServer::Response TokenServer::handle(const LoopbackServer::Request &request)
{
    QMutexLocker lock(&m_mutex);
    if (request.path() != "/token")
        return LoopbackServer::Response::json(404, R"({"error":"not_found"})");

    Issued issued;
    issued.method = QString::fromLatin1(request.method);
    QString requestedService;
    QStringList scopes;
    QString user;
    bool offline = false;
    if (request.method == "POST") {
        if (!m_oauthPost)
            return oauthError(405, u"unsupported"_s);
        QByteArray raw = request.body;
        raw.replace('+', ' ');
        const QUrlQuery form(QString::fromUtf8(raw));
        auto value = [&form](const QString &key) {
            return form.queryItemValue(key, QUrl::FullyDecoded);
        };
        requestedService = value(u"service"_s);
        scopes = value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
        offline = value(u"access_type"_s) == u"offline"_s;
        const QString grantType = value(u"grant_type"_s);
        if (grantType == u"refresh_token"_s) {
            const auto it = m_refreshTokens.constFind(value(u"refresh_token"_s));
            if (it == m_refreshTokens.constEnd()) {
                ++m_rejected;
                return oauthError(400, u"invalid_grant"_s);
            }
            user = it.value();
        } else if (grantType == u"password"_s) {
            user = value(u"username"_s);
            if (!m_users.contains(user) || m_users.value(user) != value(u"password"_s)) {
                ++m_rejected;
                return oauthError(400, u"invalid_grant"_s);
            }
        } else {
            ++m_rejected;
            return oauthError(400, u"unsupported_grant_type"_s);
        }
    } else if (request.method == "GET") {
        const QUrlQuery query = request.query();
        requestedService = query.queryItemValue(u"service"_s, QUrl::FullyDecoded);
        scopes = query.allQueryItemValues(u"scope"_s, QUrl::FullyDecoded);
        issued.account = query.queryItemValue(u"account"_s, QUrl::FullyDecoded);
        const QByteArray authorization = request.header("authorization");
        if (authorization.startsWith("Basic ")) {
            issued.basicAuthorization = true;
            const QString pair =
                QString::fromUtf8(QByteArray::fromBase64(authorization.mid(6).trimmed()));
            const qsizetype colon = pair.indexOf(u':');
            user = pair.left(colon);
            if (colon < 0 || !m_users.contains(user) ||
                m_users.value(user) != pair.mid(colon + 1)) {
                ++m_rejected;
                return unauthorized();
            }
        } else if (!m_anonymousAllowed) {
            ++m_rejected;
            return unauthorized();
        }
    } else {
        return oauthError(405, u"unsupported"_s);
    }
    if (requestedService != service()) {
        ++m_rejected;
        return oauthError(400, u"invalid_request"_s);
    }

    std::sort(scopes.begin(), scopes.end());
    issued.user = user;
    issued.scopes = scopes;
    issued.granted = grant(user, scopes);

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Distribution allows 60 s of clock skew: an expired token is five minutes old.
    const bool expired = m_expiredToIssue > 0;
    if (expired)
        --m_expiredToIssue;
    const qint64 expiry = expired ? now - 300 : now + m_lifetime;
    QJsonArray access;
    for (const QString &text : std::as_const(issued.granted)) {
        const auto scope = parseScope(text);
        access.append(QJsonObject{{u"type"_s, scope->type},
                                  {u"name"_s, scope->name},
                                  {u"actions"_s, QJsonArray::fromStringList(scope->actions)}});
    }
    const QJsonObject claims{{u"iss"_s, issuer()},
                             {u"sub"_s, user},
                             {u"aud"_s, service()},
                             {u"exp"_s, expiry},
                             {u"nbf"_s, now - 10},
                             {u"iat"_s, now},
                             {u"jti"_s, QString::number(++m_serial)},
                             {u"access"_s, access}};
    QByteArray token = m_signer.sign(claims);
    if (m_corrupt) {
        // Change one signature byte in the middle (the last character carries padding bits).
        char &c = token[token.lastIndexOf('.') + 10];
        c = c == 'A' ? 'B' : 'A';
    }
    QJsonObject answer{
        {u"token"_s, QString::fromLatin1(token)},
        {u"access_token"_s, QString::fromLatin1(token)},
        {u"expires_in"_s, m_lifetime},
        {u"issued_at"_s,
         QDateTime::currentDateTimeUtc().addSecs(m_issuedAtOffset).toString(Qt::ISODateWithMs)},
    };
    if (request.method == "POST" && offline) {
        const QString refresh = u"refresh-"_s + QString::number(m_serial);
        m_refreshTokens.insert(refresh, user);
        answer.insert(u"refresh_token"_s, refresh);
    }
    m_issued << issued;
    return LoopbackServer::Response::json(200,
                                          QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

} // namespace wharf::test
