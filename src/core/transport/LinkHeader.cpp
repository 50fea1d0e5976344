#include "LinkHeader.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace wharf {

QUrl LinkHeader::nextPage(const QByteArray &headerValue, const QUrl &requestUrl)
{
    // Split into link-values at commas outside <...> and quotes.
    QList<QByteArray> values;
    QByteArray current;
    bool inAngle = false;
    bool inQuote = false;
    for (char c : headerValue) {
        if (c == '<' && !inQuote)
            inAngle = true;
        else if (c == '>' && !inQuote)
            inAngle = false;
        else if (c == '"' && !inAngle)
            inQuote = !inQuote;
        if (c == ',' && !inAngle && !inQuote) {
            values << current;
            current.clear();
        } else {
            current += c;
        }
    }
    values << current;

    for (const QByteArray &raw : values) {
        const QByteArray value = raw.trimmed();
        const qsizetype open = value.indexOf('<');
        const qsizetype close = value.indexOf('>', open + 1);
        if (open != 0 || close < 0)
            continue;
        const QByteArray target = value.mid(1, close - 1).trimmed();
        const QList<QByteArray> params = value.mid(close + 1).split(';');
        for (const QByteArray &p : params) {
            const qsizetype eq = p.indexOf('=');
            if (eq < 0)
                continue;
            if (p.left(eq).trimmed().toLower() != "rel")
                continue;
            QByteArray rel = p.mid(eq + 1).trimmed();
            if (rel.startsWith('"') && rel.endsWith('"') && rel.size() >= 2)
                rel = rel.mid(1, rel.size() - 2);
            const QList<QByteArray> rels = rel.toLower().split(' ');
            if (!rels.contains("next"))
                continue;
            const QUrl relative = QUrl::fromEncoded(target, QUrl::StrictMode);
            if (!relative.isValid())
                return {};
            return requestUrl.resolved(relative);
        }
    }
    return {};
}

} // namespace wharf
