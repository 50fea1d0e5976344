#include "RetentionPolicy.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wharf::RetentionPolicy", text);
}

} // namespace

std::optional<Error> RetentionPolicy::validate() const
{
    if (repositoryGlob.trimmed().isEmpty())
        return Error::make(Error::Kind::InvalidInput,
                           tr("Give a repository pattern (\"*\" for every repository)."));
    if (keepLast < 0 && !hasDeleteRule())
        return Error::make(Error::Kind::InvalidInput,
                           tr("Say what to delete: keep the newest N, delete tags older than D "
                              "days, or delete tags matching a pattern."));
    const std::pair<QString, QString> patterns[] = {{tr("keep"), keepPattern},
                                                    {tr("delete"), deletePattern}};
    for (const auto &[which, pattern] : patterns) {
        if (pattern.isEmpty())
            continue;
        const QRegularExpression re(pattern);
        if (!re.isValid())
            return Error::make(Error::Kind::InvalidInput,
                               tr("The %1 pattern “%2” is not a valid regular expression: %3")
                                   .arg(which, pattern, re.errorString()));
    }
    return std::nullopt;
}

QString RetentionPolicy::describe() const
{
    QStringList parts;
    if (keepLast >= 0)
        parts << tr("keep newest %1").arg(keepLast);
    if (!keepPattern.isEmpty())
        parts << tr("keep /%1/").arg(keepPattern);
    if (olderThanDays >= 0)
        parts << tr("delete older than %1 days").arg(olderThanDays);
    if (!deletePattern.isEmpty())
        parts << tr("delete /%1/").arg(deletePattern);
    return repositoryGlob + u": "_s + parts.join(u", "_s);
}

} // namespace wharf
