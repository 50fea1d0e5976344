#pragma once

// CVSS v3.0 / v3.1 vectors and their base score.
//
// parse() is strict: the "CVSS:3.0" or "CVSS:3.1" prefix, every base metric (AV AC PR UI S C
// I A) exactly once with a known value, and any temporal/environmental metric only with a
// known value and at most once; anything else is an error with a message naming the problem.
// Only the base score is computed (temporal/environmental metrics are accepted but ignored:
// OSV data carries base vectors). The score follows the v3.1 equations and the v3.1 Roundup
// (integer arithmetic on x*100000 so that 4.000000001 does not become 4.1); v3.0 vectors use
// the same formula, which is the one v3.1 defines for them.

#include "Severity.h"

#include <QString>
#include <QStringView>

#include <optional>

namespace wharf::scan {

class Cvss3
{
public:
    enum class Version { V3_0, V3_1 };

    static std::optional<Cvss3> parse(QStringView vector, QString *error = nullptr);
    // v3.1 Roundup: the smallest number with one decimal that is >= x.
    static double roundUp(double x);
    // "None", "Low", "Medium", "High" or "Critical" for a base score.
    static QString qualitativeRating(double score);

    Version version() const { return m_version; }
    QString vector() const { return m_vector; }
    double baseScore() const { return m_baseScore; }
    // severityFromScore(baseScore()): a 0.0 score is Negligible.
    Severity severity() const;

private:
    Cvss3() = default;

    Version m_version = Version::V3_1;
    QString m_vector;
    double m_baseScore = 0.0;
};

} // namespace wharf::scan
