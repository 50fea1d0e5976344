#pragma once

#include "InstalledPackage.h"
#include "LayerSummary.h"
#include "OsInfo.h"

#include <QList>
#include <QStringList>

namespace wharf::scan {

// What an image contains, as far as vulnerability matching needs: its OS and OS packages,
// each attributed to the layer that introduced it.
struct ImageInventory
{
    OsInfo os;
    QList<InstalledPackage> packages; // sorted by kind, name, architecture
    QList<LayerSummary> layers;
    QStringList warnings;
};

} // namespace wharf::scan
