#include "ScanResult.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::scan {

void SeverityCounts::add(Severity severity)
{
    ++total;
    switch (severity) {
    case Severity::Critical:
        ++critical;
        break;
    case Severity::High:
        ++high;
        break;
    case Severity::Medium:
        ++medium;
        break;
    case Severity::Low:
    case Severity::Negligible:
        ++low;
        break;
    case Severity::Unknown:
        ++unknown;
        break;
    }
}

void ScanResult::recount()
{
    counts = {};
    for (ScanLayer &layer : layers)
        layer.counts = {};
    for (const ScanFinding &finding : std::as_const(findings)) {
        counts.add(finding.severity);
        for (ScanLayer &layer : layers) {
            if (layer.index == finding.layerIndex)
                layer.counts.add(finding.severity);
        }
    }
}

void ScanResult::sortFindings()
{
    std::stable_sort(findings.begin(), findings.end(),
                     [](const ScanFinding &a, const ScanFinding &b) {
                         if (a.severity != b.severity)
                             return a.severity > b.severity;
                         const double sa = a.cvssScore.value_or(-1.0);
                         const double sb = b.cvssScore.value_or(-1.0);
                         if (sa != sb)
                             return sa > sb;
                         if (a.id != b.id)
                             return a.id < b.id;
                         return a.package < b.package;
                     });
}

QString ScanResult::osDisplayName() const
{
    if (!os.isKnown())
        return {};
    return os.versionId.isEmpty() ? os.id : os.id + u' ' + os.versionId;
}

} // namespace wharf::scan
