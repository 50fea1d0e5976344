#include "HttpMessage.h"

namespace wharf {

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

void HttpRequest::setHeader(const QByteArray &name, const QByteArray &value)
{
    removeHeader(name);
    headers.append({name, value});
}

void HttpRequest::removeHeader(const QByteArray &name)
{
    headers.removeIf(
        [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    QByteArray value;
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            if (!value.isEmpty())
                value += ", ";
            value += h.second;
        }
    }
    return value;
}

} // namespace wharf
