#pragma once

#include "jobs/InventoryJob.h"
#include "model/ImageInfo.h"

#include <QJsonObject>

namespace wharf::cli {

// The documented --json shapes (README "wharfctl JSON output"). Extra fields are allowed;
// the documented ones never change meaning.
struct JsonOutput
{
    static QJsonObject inspect(const ResolvedImage &image);
    static QJsonObject inventory(const Inventory &inventory);
    static QJsonObject descriptor(const Descriptor &d);
};

} // namespace wharf::cli
