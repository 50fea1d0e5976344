#include "LayerMerger.h"

namespace wharf::scan {

void LayerMerger::apply(const LayerContents &layer)
{
    // Whiteouts apply to lower layers only, whatever their place in the tar: remove first,
    // then add this layer's own entries.
    for (const QString &dir : layer.opaqueDirs)
        m_tree.removeChildren(dir);
    for (const QString &path : layer.whiteouts)
        m_tree.removeTree(path);
    for (auto it = layer.otherFiles.cbegin(); it != layer.otherFiles.cend(); ++it)
        m_tree.setOther(it.key(), it.value());
    for (auto it = layer.symlinks.cbegin(); it != layer.symlinks.cend(); ++it)
        m_tree.setSymlink(it.key(), it.value());
    for (auto it = layer.keptFiles.cbegin(); it != layer.keptFiles.cend(); ++it)
        m_tree.setFile(it.key(), it.value());
    m_history.append(m_tree);
}

void LayerMerger::clear()
{
    m_tree = MergedTree();
    m_history.clear();
}

} // namespace wharf::scan
