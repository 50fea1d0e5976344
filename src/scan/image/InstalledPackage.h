#pragma once

#include <QString>

namespace wharf::scan {

// One OS package listed as installed by a package database of the image.
struct InstalledPackage
{
    enum class Kind { Deb, Apk, Rpm };

    QString name;
    QString version;
    QString sourceName;    // dpkg Source / apk origin / rpm SOURCERPM name; = name when absent
    QString sourceVersion; // = version when the database gives none
    QString architecture;
    Kind kind = Kind::Deb;
    int layerIndex = -1; // layer that introduced it (PackageAttributor); -1 until attributed

    static QString kindName(Kind kind)
    {
        switch (kind) {
        case Kind::Apk:
            return QStringLiteral("apk");
        case Kind::Rpm:
            return QStringLiteral("rpm");
        case Kind::Deb:
            break;
        }
        return QStringLiteral("deb");
    }
    friend bool operator==(const InstalledPackage &, const InstalledPackage &) = default;
};

} // namespace wharf::scan
