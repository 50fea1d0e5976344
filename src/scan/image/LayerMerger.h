#pragma once

#include "LayerContents.h"
#include "MergedTree.h"

#include <QList>

namespace wharf::scan {

// Applies layers bottom-up with OCI whiteout semantics to the tracked files, keeping the
// merged state after every layer (layer attribution compares those states).
class LayerMerger
{
public:
    // Next layer up: its opaque directories hide every lower child, its whiteouts remove
    // lower paths (and everything below them), then its own entries replace lower ones.
    void apply(const LayerContents &layer);

    int layerCount() const { return int(m_history.size()); }
    // State after the last applied layer (empty before the first).
    const MergedTree &tree() const { return m_tree; }
    // State after layer index (0-based, < layerCount()).
    const MergedTree &treeAfter(int index) const { return m_history.at(index); }
    void clear();

private:
    MergedTree m_tree;
    QList<MergedTree> m_history;
};

} // namespace wharf::scan
