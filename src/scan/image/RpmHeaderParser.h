#pragma once

#include "InstalledPackage.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wharf::scan {

// One RPM header blob as rpmdb.sqlite stores it (no lead, no magic): big-endian index entry
// count and data length, 16-byte entries (tag, type, offset, count), then the data store.
// Every offset is bounds-checked; garbage yields nullopt with a reason.
class RpmHeaderParser
{
public:
    enum Tag : quint32 {
        TagName = 1000,
        TagVersion = 1001,
        TagRelease = 1002,
        TagEpoch = 1003,
        TagArch = 1022,
        TagSourceRpm = 1044,
    };

    // version = "[epoch:]version-release" (epoch only when present and non-zero);
    // source name/version come from the SOURCERPM file name, with the binary's epoch.
    static std::optional<InstalledPackage> parse(QByteArrayView blob, QString *error = nullptr);

    // "openssl-3.0.7-24.el9.src.rpm" -> {"openssl", "3.0.7-24.el9"}; nullopt when malformed.
    struct SourceRpm
    {
        QString name;
        QString versionRelease;
    };
    static std::optional<SourceRpm> parseSourceRpm(const QString &fileName);
};

} // namespace wharf::scan
