#include "Http1Client.h"

#include "Http1Connection.h"

using namespace Qt::StringLiterals;

namespace wharf {

Http1Client::Http1Client(QObject *parent)
    : QObject(parent)
{}

Http1Client::~Http1Client() = default; // connections are children

Http1Connection *Http1Client::takeIdle(const QString &origin)
{
    auto it = m_idle.find(origin);
    if (it == m_idle.end() || it->isEmpty())
        return nullptr;
    return it->takeLast(); // most recently used: least likely to have been closed by the server
}

quint64 Http1Client::start(Request request, Completion done)
{
    const quint64 id = m_nextId++;
    const QUrl &url = request.url;
    const QString origin = url.host() + u':' + QString::number(url.port(80));
    Http1Connection *connection = takeIdle(origin);
    if (!connection)
        connection = new Http1Connection(this, origin);
    m_active.insert(id, connection);
    connection->start(id, std::move(request), std::move(done));
    return id;
}

void Http1Client::abort(quint64 id)
{
    if (Http1Connection *connection = m_active.value(id))
        connection->abortExchange();
}

void Http1Client::connectionFinished(Http1Connection *connection, bool reusable)
{
    m_active.remove(connection->exchangeId());
    auto &idle = m_idle[connection->origin()];
    if (reusable && idle.size() < MaxIdlePerOrigin) {
        idle.append(connection);
    } else {
        idle.removeAll(connection);
        connection->deleteLater();
    }
}

} // namespace wharf
