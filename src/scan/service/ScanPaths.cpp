#include "ScanPaths.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace wharf::scan {

QString ScanPaths::dataDirectory()
{
    const QString env = qEnvironmentVariable("WHARF_DATA_DIR");
    if (!env.isEmpty())
        return QDir::cleanPath(env);
    return QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                           u"/wharf"_s);
}

QString ScanPaths::defaultDatabasePath()
{
    return dataDirectory() + u"/vulnerabilities.db"_s;
}

QString ScanPaths::defaultResultsPath()
{
    return dataDirectory() + u"/scan-results.db"_s;
}

QString ScanPaths::downloadDirectory()
{
    return dataDirectory() + u"/osv-downloads"_s;
}

bool ScanPaths::ensureParentDirectory(const QString &filePath)
{
    return QDir().mkpath(QFileInfo(filePath).absolutePath());
}

} // namespace wharf::scan
