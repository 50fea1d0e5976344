#pragma once

#include <QString>
#include <QStringList>

namespace wharf {

// The platform an image manifest was built for, from an index entry or an image config.
struct Platform
{
    QString os;
    QString architecture;
    QString variant;
    QString osVersion;
    QStringList osFeatures;

    bool isEmpty() const { return os.isEmpty() && architecture.isEmpty(); }
    // BuildKit marks attestation manifests with unknown/unknown.
    bool isUnknown() const { return os == u"unknown" && architecture == u"unknown"; }
    // "linux/arm64/v8", with os.version appended for Windows images.
    QString toString() const;

    friend bool operator==(const Platform &, const Platform &) = default;
};

} // namespace wharf
