#pragma once

#include <QByteArray>
#include <QUrl>

namespace wharf {

// The RFC 8288 Link header registries use for pagination:
// `</v2/_catalog?last=lib%2Fbeta&n=100>; rel="next"`. The target is usually relative and
// percent-encoded; it is resolved against the URL of the request that returned it.
struct LinkHeader
{
    // The rel="next" target resolved against requestUrl, or an empty QUrl when there is none.
    static QUrl nextPage(const QByteArray &headerValue, const QUrl &requestUrl);
};

} // namespace wharf
