#include "LayerSource.h"

namespace wharf::scan {

// Out of line so the vtable has one home.
LayerSource::~LayerSource() = default;

} // namespace wharf::scan
