#pragma once

#include <QString>

namespace wharf::scan {

// Where the scanner keeps its files, shared by the app and wharfctl:
//   $WHARF_DATA_DIR, else <GenericDataLocation>/wharf (~/.local/share/wharf on Linux)
//     vulnerabilities.db   the OSV database (VulnerabilityDatabase)
//     scan-results.db      results by manifest digest (ScanResultStore)
//     osv-downloads/       partial and complete all.zip downloads (OsvDownloader)
class ScanPaths
{
public:
    static QString dataDirectory();
    static QString defaultDatabasePath();
    static QString defaultResultsPath();
    static QString downloadDirectory();
    // Creates the directory holding filePath; false when it cannot be created.
    static bool ensureParentDirectory(const QString &filePath);
};

} // namespace wharf::scan
