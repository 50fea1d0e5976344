#include "OsDetector.h"

#include <QList>
#include <QRegularExpression>

namespace wharf::scan {

namespace {

QString firstLine(const QByteArray &text)
{
    const qsizetype nl = text.indexOf('\n');
    return QString::fromUtf8(nl < 0 ? text : text.left(nl)).trimmed();
}

QString leadingDigits(const QString &text)
{
    qsizetype n = 0;
    while (n < text.size() && text[n].isDigit())
        ++n;
    return text.left(n);
}

QString unquote(QStringView value)
{
    value = value.trimmed();
    if (value.size() >= 2 && value.front() == u'\'' && value.back() == u'\'')
        return value.sliced(1, value.size() - 2).toString();
    if (value.size() >= 2 && value.front() == u'"' && value.back() == u'"') {
        const QStringView inner = value.sliced(1, value.size() - 2);
        QString out;
        out.reserve(inner.size());
        for (qsizetype i = 0; i < inner.size(); ++i) {
            // Inside double quotes the shell only unescapes these four characters.
            if (inner[i] == u'\\' && i + 1 < inner.size() &&
                QStringView(u"\"\\$`").contains(inner[i + 1]))
                ++i;
            out += inner[i];
        }
        return out;
    }
    return value.toString();
}

// "CentOS Linux release 7.9.2009 (Core)" -> id, version, name.
void parseRedhatRelease(const QString &line, OsInfo &info)
{
    static const QRegularExpression re(QStringLiteral(R"(^(.*?)\s+release\s+([0-9][^\s]*))"));
    const QRegularExpressionMatch m = re.match(line);
    const QString name = m.hasMatch() ? m.captured(1) : line;
    const QString lower = name.toLower();
    if (lower.startsWith(u"red hat"))
        info.id = QStringLiteral("rhel");
    else if (lower.startsWith(u"centos"))
        info.id = QStringLiteral("centos");
    else if (lower.startsWith(u"rocky"))
        info.id = QStringLiteral("rocky");
    else if (lower.startsWith(u"almalinux"))
        info.id = QStringLiteral("almalinux");
    else if (lower.startsWith(u"fedora"))
        info.id = QStringLiteral("fedora");
    else if (lower.startsWith(u"oracle"))
        info.id = QStringLiteral("ol");
    else
        info.id = lower.section(u' ', 0, 0);
    info.versionId = m.hasMatch() ? m.captured(2) : QString();
    info.name = name;
    info.prettyName = line;
}

} // namespace

QMap<QString, QString> OsDetector::parseKeyValues(const QByteArray &text)
{
    QMap<QString, QString> out;
    const QString all = QString::fromUtf8(text);
    for (QStringView line : QStringView(all).split(u'\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue;
        out.insert(line.first(eq).trimmed().toString(), unquote(line.sliced(eq + 1)));
    }
    return out;
}

QString OsDetector::ecosystemFor(const QString &id, const QString &versionId)
{
    if (id == u"debian") {
        const QString major = leadingDigits(versionId);
        return major.isEmpty() ? QString() : u"Debian:" + major;
    }
    if (id == u"ubuntu") {
        static const QRegularExpression re(QStringLiteral(R"(^(\d+)\.(\d+))"));
        const QRegularExpressionMatch m = re.match(versionId);
        if (!m.hasMatch())
            return {};
        const QString release = m.captured(1) + u'.' + m.captured(2);
        // LTS releases are the April releases of even years (22.04, 24.04).
        const bool lts = m.captured(2) == u"04" && m.captured(1).toInt() % 2 == 0;
        return u"Ubuntu:" + release + (lts ? QStringLiteral(":LTS") : QString());
    }
    if (id == u"alpine") {
        static const QRegularExpression re(QStringLiteral(R"(^(\d+)\.(\d+))"));
        const QRegularExpressionMatch m = re.match(versionId);
        return m.hasMatch() ? u"Alpine:v" + m.captured(1) + u'.' + m.captured(2) : QString();
    }
    const QString major = leadingDigits(versionId);
    if (id == u"rocky")
        return major.isEmpty() ? QString() : u"Rocky Linux:" + major;
    if (id == u"almalinux")
        return major.isEmpty() ? QString() : u"AlmaLinux:" + major;
    if (id == u"wolfi")
        return QStringLiteral("Wolfi");
    if (id == u"chainguard")
        return QStringLiteral("Chainguard");
    return {};
}

OsInfo OsDetector::detect(const QMap<QString, QByteArray> &files)
{
    OsInfo info;
    QByteArray osRelease = files.value(QStringLiteral("etc/os-release"));
    if (osRelease.trimmed().isEmpty())
        osRelease = files.value(QStringLiteral("usr/lib/os-release"));
    if (!osRelease.trimmed().isEmpty()) {
        const QMap<QString, QString> kv = parseKeyValues(osRelease);
        info.id = kv.value(QStringLiteral("ID")).trimmed().toLower();
        info.versionId = kv.value(QStringLiteral("VERSION_ID")).trimmed();
        info.name = kv.value(QStringLiteral("NAME"));
        info.prettyName = kv.value(QStringLiteral("PRETTY_NAME"));
    }

    const auto lsbIt = files.constFind(QStringLiteral("etc/lsb-release"));
    const auto alpineIt = files.constFind(QStringLiteral("etc/alpine-release"));
    const auto redhatIt = files.constFind(QStringLiteral("etc/redhat-release"));
    const auto debianIt = files.constFind(QStringLiteral("etc/debian_version"));

    if (info.id.isEmpty() && lsbIt != files.cend()) {
        const QMap<QString, QString> kv = parseKeyValues(lsbIt.value());
        const QString distrib = kv.value(QStringLiteral("DISTRIB_ID")).trimmed();
        if (!distrib.isEmpty()) {
            info.id = distrib.toLower();
            info.versionId = kv.value(QStringLiteral("DISTRIB_RELEASE")).trimmed();
            info.name = distrib;
            info.prettyName = kv.value(QStringLiteral("DISTRIB_DESCRIPTION"));
        }
    }
    if (info.id.isEmpty() && alpineIt != files.cend() && !firstLine(alpineIt.value()).isEmpty()) {
        info.id = QStringLiteral("alpine");
        info.name = QStringLiteral("Alpine Linux");
    }
    if (info.id.isEmpty() && redhatIt != files.cend() && !firstLine(redhatIt.value()).isEmpty())
        parseRedhatRelease(firstLine(redhatIt.value()), info);
    if (info.id.isEmpty() && debianIt != files.cend() && !firstLine(debianIt.value()).isEmpty()) {
        info.id = QStringLiteral("debian");
        info.name = QStringLiteral("Debian GNU/Linux");
    }

    // Release files refine the version os-release gives (or fill it in when missing).
    if (info.id == u"alpine" && alpineIt != files.cend()) {
        const QString release = firstLine(alpineIt.value());
        if (!release.isEmpty())
            info.versionId = release;
    }
    if (info.id == u"debian" && leadingDigits(info.versionId).isEmpty() &&
        debianIt != files.cend()) {
        // "12.4" -> "12"; testing/sid ("trixie/sid") has no number and no OSV release.
        const QString major = leadingDigits(firstLine(debianIt.value()));
        if (!major.isEmpty())
            info.versionId = major;
    }
    if (info.prettyName.isEmpty() && !info.name.isEmpty())
        info.prettyName = QString(info.name + u' ' + info.versionId).trimmed();
    info.ecosystem = ecosystemFor(info.id, info.versionId);
    return info;
}

} // namespace wharf::scan
