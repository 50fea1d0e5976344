#include "PackageAttributor.h"

namespace wharf::scan {

QString PackageAttributor::keyOf(const InstalledPackage &p)
{
    return InstalledPackage::kindName(p.kind) + u'\n' + p.name + u'\n' + p.version;
}

void PackageAttributor::addLayer(const QList<InstalledPackage> &packagesAfterLayer)
{
    QSet<QString> keys;
    keys.reserve(packagesAfterLayer.size());
    for (const InstalledPackage &p : packagesAfterLayer)
        keys.insert(keyOf(p));
    // Unchanged databases are the common case: share the previous set instead of a copy.
    if (!m_layers.isEmpty() && m_layers.constLast() == keys)
        m_layers.append(m_layers.constLast());
    else
        m_layers.append(keys);
}

void PackageAttributor::attribute(QList<InstalledPackage> &packages) const
{
    for (InstalledPackage &p : packages) {
        const QString key = keyOf(p);
        int index = -1;
        for (qsizetype layer = m_layers.size() - 1; layer >= 0 && m_layers[layer].contains(key);
             --layer)
            index = int(layer);
        p.layerIndex = index;
    }
}

} // namespace wharf::scan
