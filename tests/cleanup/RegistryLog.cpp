#include "RegistryLog.h"

#include <QDateTime>
#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

// A Go duration as the registry prints it ("2.15ms", "812µs", "1.2s").
qint64 goDurationNs(const QString &text)
{
    static const QRegularExpression part(u"([0-9.]+)(ns|us|µs|ms|s)"_s);
    static const QHash<QString, double> scale{
        {u"ns"_s, 1.0}, {u"us"_s, 1e3}, {u"µs"_s, 1e3}, {u"ms"_s, 1e6}, {u"s"_s, 1e9}};
    const auto m = part.match(text);
    return m.hasMatch() ? qint64(m.captured(1).toDouble() * scale.value(m.captured(2))) : -1;
}

} // namespace

int deleteRequestsLogged(const TestRegistry &registry)
{
    static const QRegularExpression line(u"http\\.request\\.method=DELETE"_s);
    int n = 0;
    auto it = line.globalMatch(registry.processOutput());
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

QString errorLines(const TestRegistry &registry)
{
    QStringList lines;
    for (const QString &line : registry.processOutput().split(u'\n')) {
        if (line.contains(u"level=error"_s) || line.contains(u"panic"_s))
            lines << line.left(600);
    }
    return lines.mid(std::max<qsizetype>(0, lines.size() - 8)).join(u'\n');
}

QList<LoggedRequest> loggedRequests(const TestRegistry &registry, const QString &uriPrefix)
{
    static const QRegularExpression time(u"^time=\"([^\"]+)\""_s);
    static const QRegularExpression method(u"http\\.request\\.method=(\\w+)"_s);
    static const QRegularExpression uri(u"http\\.request\\.uri=\"?([^\" ]+)"_s);
    static const QRegularExpression duration(u"http\\.response\\.duration=(\\S+)"_s);
    QList<LoggedRequest> out;
    for (const QString &line : registry.processOutput().split(u'\n')) {
        if (!line.contains(u"msg=\"response completed"_s))
            continue;
        const auto t = time.match(line);
        const auto m = method.match(line);
        const auto u = uri.match(line);
        const auto d = duration.match(line);
        if (!t.hasMatch() || !m.hasMatch() || !u.hasMatch() || !d.hasMatch() ||
            !u.captured(1).startsWith(uriPrefix))
            continue;
        // Qt parses milliseconds at most: keep the nanoseconds from the text.
        const QString stamp = t.captured(1);
        const QDateTime seconds = QDateTime::fromString(stamp.left(19) + u'Z', Qt::ISODate);
        const QString fraction = stamp.section(u'.', 1).remove(u'Z').leftJustified(9, u'0');
        LoggedRequest r{m.captured(1), u.captured(1)};
        r.endNs = seconds.toSecsSinceEpoch() * 1000000000LL + fraction.left(9).toLongLong();
        r.startNs = r.endNs - goDurationNs(d.captured(1));
        out << r;
    }
    return out;
}

} // namespace wharf::test
