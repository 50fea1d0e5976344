#pragma once

#include "InstalledPackage.h"

#include <QList>
#include <QSet>
#include <QString>

namespace wharf::scan {

// Finds the layer that introduced each package of the final image: the lowest layer from
// which on every merged package database lists the package with the same name and version.
// An upgrade is attributed to the upgrading layer; a package removed and later installed
// again to the layer that installed it again.
class PackageAttributor
{
public:
    // The packages listed after applying the next layer up (layers in order, bottom first).
    void addLayer(const QList<InstalledPackage> &packagesAfterLayer);
    // Sets layerIndex on each package (-1 when not listed after the top layer).
    void attribute(QList<InstalledPackage> &packages) const;
    int layerCount() const { return int(m_layers.size()); }

private:
    static QString keyOf(const InstalledPackage &p);

    QList<QSet<QString>> m_layers;
};

} // namespace wharf::scan
