#include "Authenticator.h"

#include "HttpMessage.h"
#include "RequestScheduler.h"
#include "ResponseError.h"
#include "oci/JsonFields.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

constexpr qint64 MaxTokenResponseBytes = 1024 * 1024;

// application/x-www-form-urlencoded and query values: everything but unreserved characters
// percent-encoded, so a '+' in a password, account or token is not read back as a space.
QString formEncode(const QList<std::pair<QString, QString>> &items)
{
    QStringList parts;
    parts.reserve(items.size());
    for (const auto &[name, value] : items)
        parts << QString::fromLatin1(QUrl::toPercentEncoding(name) + '=' +
                                     QUrl::toPercentEncoding(value));
    return parts.join(u'&');
}

QStringList unite(QStringList a, const QStringList &b)
{
    for (const QString &s : b) {
        if (!a.contains(s))
            a << s;
    }
    a.removeAll(QString());
    std::sort(a.begin(), a.end());
    return a;
}

} // namespace

Authenticator::Authenticator(RequestScheduler *scheduler, RequestFactory factory, QObject *parent)
    : QObject(parent)
    , m_scheduler(scheduler)
    , m_factory(std::move(factory))
{}

void Authenticator::setCredentials(const Credentials &credentials)
{
    m_credentials = credentials;
    m_tokens.clear();
}

QByteArray Authenticator::basicHeader() const
{
    return QByteArray("Basic ") +
           (m_credentials.username + u':' + m_credentials.secret).toUtf8().toBase64();
}

QString Authenticator::tokenKey(const QStringList &scopes) const
{
    return m_realm + u'|' + m_service + u'|' + scopes.join(u' ');
}

QStringList Authenticator::scopesFor(const QString &scope) const
{
    const auto it = m_grantedScopes.constFind(scope);
    if (it != m_grantedScopes.constEnd())
        return it.value();
    return scope.isEmpty() ? QStringList() : QStringList{scope};
}

std::optional<QByteArray> Authenticator::cachedHeader(const QString &scope) const
{
    switch (m_scheme) {
    case Scheme::Unknown:
    case Scheme::None:
        return QByteArray();
    case Scheme::Basic:
        return m_credentials.hasPassword() ? basicHeader() : QByteArray();
    case Scheme::Bearer:
        break;
    }
    if (!m_credentials.registryToken.isEmpty())
        return QByteArray("Bearer " + m_credentials.registryToken.toUtf8());
    const auto it = m_tokens.constFind(tokenKey(scopesFor(scope)));
    if (it != m_tokens.constEnd() && !it->expiry.hasExpired())
        return QByteArray("Bearer " + it->value);
    return std::nullopt;
}

void Authenticator::authorize(const QString &scope, QObject *context, HeaderCallback done)
{
    switch (m_scheme) {
    case Scheme::Unknown:
    case Scheme::None:
        done(QByteArray());
        return;
    case Scheme::Basic:
        done(m_credentials.hasPassword() ? basicHeader() : QByteArray());
        return;
    case Scheme::Bearer:
        break;
    }
    if (!m_credentials.registryToken.isEmpty()) {
        done(QByteArray("Bearer " + m_credentials.registryToken.toUtf8()));
        return;
    }
    const QStringList scopes = scopesFor(scope);
    const QString key = tokenKey(scopes);
    const auto it = m_tokens.constFind(key);
    if (it != m_tokens.constEnd() && !it->expiry.hasExpired()) {
        done(QByteArray("Bearer " + it->value));
        return;
    }
    // Known realm: fetch the token now rather than collect a 401 first.
    fetchToken(scopes, context, [this, key, done](Expected<Done> result) {
        if (!result) {
            done(result.error());
            return;
        }
        const auto token = m_tokens.constFind(key);
        done(token == m_tokens.constEnd() ? QByteArray() : QByteArray("Bearer " + token->value));
    });
}

void Authenticator::challenged(const QByteArray &wwwAuthenticate, const QString &scope,
                               QObject *context, RetryCallback done)
{
    const QList<AuthChallenge> challenges = AuthChallenge::parse(wwwAuthenticate);
    const AuthChallenge *bearer = nullptr;
    const AuthChallenge *basic = nullptr;
    for (const AuthChallenge &c : challenges) {
        if (c.isBearer() && !bearer)
            bearer = &c;
        else if (c.isBasic() && !basic)
            basic = &c;
    }

    if (bearer && !bearer->realm().isEmpty()) {
        const QUrl realm(bearer->realm());
        if (!realm.isValid() || (realm.scheme() != u"https"_s && realm.scheme() != u"http"_s)) {
            done(Error::make(Error::Kind::Protocol,
                             u"The registry asked for a token from “%1”, which is not an http(s) "
                             u"address"_s.arg(bearer->realm())));
            return;
        }
        m_scheme = Scheme::Bearer;
        m_realm = bearer->realm();
        m_service = bearer->service();
        QStringList scopes = bearer->scopes();
        if (bearer->error() == u"insufficient_scope"_s || scopes.isEmpty())
            scopes = unite(scopes, scopesFor(scope));
        else
            scopes = unite(scopes, {});
        if (!scope.isEmpty())
            m_grantedScopes.insert(scope, scopes);
        m_tokens.remove(tokenKey(scopes)); // the one we sent, if any, was not good enough
        if (!m_credentials.registryToken.isEmpty()) {
            done(Error::make(Error::Kind::Unauthorized,
                             u"The registry rejected the stored registry token."_s));
            return;
        }
        fetchToken(scopes, context, std::move(done));
        return;
    }
    if (basic) {
        if (!m_credentials.hasPassword()) {
            Error e = Error::make(Error::Kind::Unauthorized,
                                  u"This registry requires a username and password."_s);
            e.httpStatus = 401;
            done(e);
            return;
        }
        if (m_scheme == Scheme::Basic) {
            Error e = Error::make(Error::Kind::Unauthorized,
                                  u"The registry rejected the username or password."_s);
            e.httpStatus = 401;
            done(e);
            return;
        }
        m_scheme = Scheme::Basic;
        done(Done{});
        return;
    }
    Error e = Error::make(
        Error::Kind::Unauthorized,
        u"The registry requires authentication with a scheme Wharf does not "
        u"support (WWW-Authenticate: %1)."_s.arg(QString::fromLatin1(wwwAuthenticate.left(120))));
    e.httpStatus = 401;
    done(e);
}

void Authenticator::fetchToken(const QStringList &scopes, QObject *context, RetryCallback done)
{
    const QString key = tokenKey(scopes);
    auto &waiters = m_pending[key];
    waiters.append({context, std::move(done)});
    if (waiters.size() > 1)
        return; // one request per key; everyone waiting shares its answer
    sendTokenRequest(scopes, !m_credentials.identityToken.isEmpty(), key);
}

void Authenticator::sendTokenRequest(const QStringList &scopes, bool usePost, const QString &key)
{
    ++m_tokenRequests;
    QUrl url(m_realm);
    HttpRequest request = m_factory(url);
    request.maxBodyBytes = MaxTokenResponseBytes;
    QList<std::pair<QString, QString>> items;
    if (usePost) {
        // OAuth2 (distribution's oauth.md): exchange the refresh token docker login stored as
        // "identitytoken". Scopes travel space-separated in one parameter here.
        items << std::pair(u"grant_type"_s, u"refresh_token"_s)
              << std::pair(u"refresh_token"_s, m_credentials.identityToken)
              << std::pair(u"client_id"_s, u"wharf"_s);
        if (!m_service.isEmpty())
            items << std::pair(u"service"_s, m_service);
        if (!scopes.isEmpty())
            items << std::pair(u"scope"_s, scopes.join(u' '));
        request.method = "POST";
        request.body = formEncode(items).toUtf8();
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
    } else {
        // GET: one scope parameter per scope, Basic credentials when we have a password.
        if (!m_service.isEmpty())
            items << std::pair(u"service"_s, m_service);
        for (const QString &s : scopes)
            items << std::pair(u"scope"_s, s);
        if (!m_credentials.username.isEmpty() && m_credentials.hasPassword())
            items << std::pair(u"account"_s, m_credentials.username);
        QString query = url.query(QUrl::FullyEncoded);
        if (!items.isEmpty())
            query += (query.isEmpty() ? QString() : u"&"_s) + formEncode(items);
        url.setQuery(query, QUrl::StrictMode);
        request.url = url;
        if (m_credentials.hasPassword())
            request.setHeader("Authorization", basicHeader());
    }

    const QString realmHost =
        url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    auto decode = [realmHost](HttpResponse &r) -> std::any {
        if (!r.isSuccess())
            return {};
        auto object =
            parseJsonObject(r.body, u"The token service's answer"_s, MaxTokenResponseBytes);
        if (!object)
            return Expected<Token>(object.error());
        JsonFields f(*object, QString());
        const QString access = f.string(u"access_token"_s);
        const QString plain = f.string(u"token"_s);
        const qint64 expiresIn = f.nonNegativeInteger(u"expires_in"_s);
        const QString issuedAt = f.string(u"issued_at"_s);
        Token token;
        token.refreshToken = f.string(u"refresh_token"_s);
        if (!f.ok())
            return Expected<Token>(f.error(u"The token service's answer"_s));
        token.value = (access.isEmpty() ? plain : access).toUtf8();
        if (token.value.isEmpty())
            return Expected<Token>(
                Error::make(Error::Kind::Protocol,
                            u"The token service at %1 returned no token"_s.arg(realmHost)));
        token.expiry = QDeadlineTimer(tokenLifetimeMs(expiresIn, issuedAt));
        return Expected<Token>(token);
    };

    const bool anonymous = !m_credentials.hasPassword() && !usePost;
    m_scheduler->submit(
        request, decode, this,
        [this, key, scopes, usePost, anonymous, realmHost](const HttpResponse &r,
                                                           std::any &decoded) {
            if (usePost && (r.status == 404 || r.status == 405)) {
                sendTokenRequest(scopes, false, key); // realm does not speak OAuth2: plain GET
                return;
            }
            if (usePost && (r.status == 400 || r.status == 401) && m_credentials.hasPassword()) {
                // A refresh token that stopped working, but the password is known: use that.
                m_credentials.identityToken.clear();
                sendTokenRequest(scopes, false, key);
                return;
            }
            if (!r.isSuccess()) {
                Error e = ResponseError::from(r, u"a token"_s);
                if (r.status == 401 || r.status == 403 || (usePost && r.status == 400)) {
                    e.kind = Error::Kind::Unauthorized;
                    if (usePost)
                        e.message = u"The token service at %1 rejected the stored identity "
                                    u"token (it may have expired or been revoked): log in "
                                    u"again."_s.arg(realmHost);
                    else if (anonymous)
                        e.message = u"The token service at %1 refused anonymous access: this "
                                    u"registry requires a username and password."_s.arg(realmHost);
                    else
                        e.message = u"The token service at %1 rejected the username or "
                                    u"password for %2."_s.arg(realmHost, m_credentials.username);
                }
                tokenArrived(key, e);
                return;
            }
            tokenArrived(key, std::any_cast<Expected<Token>>(decoded));
        });
}

qint64 Authenticator::tokenLifetimeMs(qint64 expiresIn, const QString &issuedAt,
                                      const QDateTime &now)
{
    // Tokens live at least 60 s (spec); renew a little before they run out.
    const qint64 lifetime = std::max<qint64>(expiresIn, 60);
    qint64 remaining = lifetime;
    const QDateTime issued = QDateTime::fromString(issuedAt, Qt::ISODateWithMs);
    if (issued.isValid()) {
        const qint64 left = now.secsTo(issued.addSecs(lifetime));
        // Already over by our clock means the clocks disagree, not that the token is stale.
        if (left > 0)
            remaining = std::min(lifetime, left);
    }
    const qint64 margin = std::min<qint64>(30, lifetime / 4);
    return std::max<qint64>(remaining - margin, 1) * 1000;
}

void Authenticator::tokenArrived(const QString &key, Expected<Token> token)
{
    const QList<Waiter> waiters = m_pending.take(key);
    Expected<Done> result = Done{};
    if (token) {
        if (!token->refreshToken.isEmpty())
            m_credentials.identityToken = token->refreshToken;
        m_tokens.insert(key, *token);
    } else {
        result = token.error();
    }
    for (const Waiter &w : waiters) {
        if (w.context)
            w.done(result);
    }
}

} // namespace wharf
