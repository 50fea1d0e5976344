#pragma once

#include "OsInfo.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace wharf::scan {

// Identifies the distribution from release files of the merged root file system.
// Order: etc/os-release, usr/lib/os-release, etc/lsb-release, etc/alpine-release,
// etc/redhat-release, etc/debian_version; the most specific identification wins (Ubuntu
// images also carry debian_version).
class OsDetector
{
public:
    // files: path -> content, as MergedTree::resolvedFiles() returns them.
    static OsInfo detect(const QMap<QString, QByteArray> &files);

    // KEY=value lines with shell-style quoting (os-release(5), lsb-release).
    static QMap<QString, QString> parseKeyValues(const QByteArray &text);
    static QString ecosystemFor(const QString &id, const QString &versionId);
};

} // namespace wharf::scan
