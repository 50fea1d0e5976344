#pragma once

#include "model/ImageInfo.h"

#include <QMetaType>

#include <memory>

namespace wharf::gui {

// How models hand a resolved image to views and panels (ResolvedImageRole): shared and
// immutable, so a detail panel can keep it while the model moves on, and copying it into a
// QVariant costs a reference count, not a deep copy of every platform and config.
using ResolvedImagePtr = std::shared_ptr<const ResolvedImage>;

} // namespace wharf::gui

Q_DECLARE_METATYPE(wharf::gui::ResolvedImagePtr)
