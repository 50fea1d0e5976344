#include "ScanResultModel.h"

#include "SeverityStyle.h"

#include <cmath>

using namespace Qt::StringLiterals;
using wharf::scan::ScanFinding;

namespace wharf::gui {

ScanResultModel::ScanResultModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ScanResultModel::setResult(const scan::ScanResult &result)
{
    beginResetModel();
    m_result = result;
    m_hasResult = true;
    endResetModel();
}

void ScanResultModel::clear()
{
    beginResetModel();
    m_result = scan::ScanResult();
    m_hasResult = false;
    endResetModel();
}

int ScanResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.findings.size());
}

int ScanResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ScanResultModel::layerText(const ScanFinding &finding)
{
    if (finding.layerIndex < 0)
        return tr("unknown");
    if (finding.createdBy.isEmpty())
        return QString::number(finding.layerIndex);
    return tr("%1: %2").arg(finding.layerIndex).arg(finding.createdBy.simplified());
}

int ScanResultModel::severitySortKey(const ScanFinding &finding)
{
    const int score = finding.cvssScore ? int(std::lround(*finding.cvssScore * 10.0)) : 0;
    return int(finding.severity) * 1000 + score;
}

QVariant ScanResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_result.findings.size())
        return {};
    const ScanFinding &f = m_result.findings.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SeverityColumn:
            return SeverityStyle::displayName(f.severity);
        case IdColumn:
            return f.id;
        case PackageColumn:
            if (f.packages.size() > 1)
                return tr("%1 (+%2)").arg(f.package).arg(f.packages.size() - 1);
            return f.package;
        case InstalledColumn:
            return f.installedVersion;
        case FixedColumn:
            return f.fixedVersion.isEmpty() ? tr("no fix") : f.fixedVersion;
        case LayerColumn:
            return layerText(f);
        case TitleColumn:
            return f.title.isEmpty() ? f.aliases.join(u", "_s) : f.title;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (column) {
        case SeverityColumn:
            return f.cvssScore
                       ? tr("%1 (CVSS %2%3)")
                             .arg(SeverityStyle::displayName(f.severity))
                             .arg(*f.cvssScore, 0, 'f', 1)
                             .arg(f.cvssVector.isEmpty() ? QString() : u", "_s + f.cvssVector)
                       : SeverityStyle::displayName(f.severity);
        case IdColumn: {
            QString text = f.id;
            if (!f.aliases.isEmpty())
                text += u'\n' + tr("Also known as %1").arg(f.aliases.join(u", "_s));
            if (!f.primaryUrl.isEmpty())
                text += u'\n' + tr("Click to open %1").arg(f.primaryUrl);
            return text;
        }
        case PackageColumn: {
            QString text = tr("Binary packages: %1")
                               .arg(f.packages.isEmpty() ? f.package : f.packages.join(u", "_s));
            if (!f.sourcePackage.isEmpty())
                text += u'\n' + tr("Source package: %1 %2").arg(f.sourcePackage, f.sourceVersion);
            return text;
        }
        case FixedColumn:
            return f.fixedVersion.isEmpty() ? tr("No fixed version has been released")
                                            : tr("Fixed in %1").arg(f.fixedVersion);
        case LayerColumn:
            return f.layerIndex < 0
                       ? tr("The layer that introduced this package is not known")
                       : tr("Layer %1 (%2)\n%3").arg(f.layerIndex).arg(f.layerDigest, f.createdBy);
        case TitleColumn:
            return f.title;
        default:
            return {};
        }
    case SortRole:
        switch (column) {
        case SeverityColumn:
            return severitySortKey(f);
        case IdColumn:
            return f.id;
        case PackageColumn:
            return f.package;
        case InstalledColumn:
            return f.installedVersion;
        case FixedColumn:
            return f.fixedVersion;
        case LayerColumn:
            return f.layerIndex;
        case TitleColumn:
            return f.title;
        default:
            return {};
        }
    case SeverityRole:
        return int(f.severity);
    case UrlRole:
        return f.primaryUrl;
    case FixableRole:
        return f.isFixable();
    case LayerIndexRole:
        return f.layerIndex;
    case SearchTextRole:
        return QStringList{
            f.id, f.aliases.join(u' '), f.package, f.packages.join(u' '), f.sourcePackage, f.title}
            .join(u'\n');
    default:
        return {};
    }
}

QVariant ScanResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case IdColumn:
        return tr("Vulnerability");
    case PackageColumn:
        return tr("Package");
    case InstalledColumn:
        return tr("Installed");
    case FixedColumn:
        return tr("Fixed in");
    case LayerColumn:
        return tr("Layer");
    case TitleColumn:
        return tr("Title");
    default:
        return {};
    }
}

} // namespace wharf::gui
