#include "Cvss3.h"

#include <QStringTokenizer>

#include <array>
#include <cmath>

namespace wharf::scan {

namespace {

struct MetricDef
{
    const char16_t *key;
    const char16_t *values; // one character per allowed value
    bool base;
};

constexpr std::array<MetricDef, 22> kMetrics{{
    {u"AV", u"NALP", true},   {u"AC", u"LH", true},     {u"PR", u"NLH", true},
    {u"UI", u"NR", true},     {u"S", u"UC", true},      {u"C", u"HLN", true},
    {u"I", u"HLN", true},     {u"A", u"HLN", true},     {u"E", u"XUPFH", false},
    {u"RL", u"XOTWU", false}, {u"RC", u"XURC", false},  {u"CR", u"XLMH", false},
    {u"IR", u"XLMH", false},  {u"AR", u"XLMH", false},  {u"MAV", u"XNALP", false},
    {u"MAC", u"XLH", false},  {u"MPR", u"XNLH", false}, {u"MUI", u"XNR", false},
    {u"MS", u"XUC", false},   {u"MC", u"XNLH", false},  {u"MI", u"XNLH", false},
    {u"MA", u"XNLH", false},
}};

qsizetype findMetric(QStringView key)
{
    for (size_t i = 0; i < kMetrics.size(); ++i) {
        if (key == QStringView(kMetrics[i].key))
            return qsizetype(i);
    }
    return -1;
}

double impactWeight(QChar v)
{
    switch (v.unicode()) {
    case u'H':
        return 0.56;
    case u'L':
        return 0.22;
    default:
        return 0.0;
    }
}

} // namespace

std::optional<Cvss3> Cvss3::parse(QStringView vector, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<Cvss3> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    const QStringView text = vector.trimmed();
    Cvss3 result;
    if (text.startsWith(u"CVSS:3.1/"))
        result.m_version = Version::V3_1;
    else if (text.startsWith(u"CVSS:3.0/"))
        result.m_version = Version::V3_0;
    else
        return fail(QStringLiteral("not a CVSS v3 vector (expected a \"CVSS:3.0/\" or "
                                   "\"CVSS:3.1/\" prefix)"));

    // One slot per entry of kMetrics; a null QChar means "not given".
    std::array<QChar, kMetrics.size()> values{};
    for (const QStringView part : text.sliced(9).tokenize(u'/')) {
        const qsizetype colon = part.indexOf(u':');
        if (part.isEmpty() || colon <= 0 || colon != part.size() - 2)
            return fail(QStringLiteral("malformed metric \"%1\"").arg(part));
        const QStringView key = part.first(colon);
        const QChar value = part.back();
        const qsizetype index = findMetric(key);
        if (index < 0)
            return fail(QStringLiteral("unknown metric \"%1\"").arg(key));
        if (!QStringView(kMetrics[index].values).contains(value))
            return fail(QStringLiteral("invalid value \"%1\" for metric %2").arg(value).arg(key));
        if (!values[index].isNull())
            return fail(QStringLiteral("metric %1 appears more than once").arg(key));
        values[index] = value;
    }
    for (size_t i = 0; i < kMetrics.size(); ++i) {
        if (kMetrics[i].base && values[i].isNull())
            return fail(QStringLiteral("missing base metric %1").arg(QStringView(kMetrics[i].key)));
    }

    auto metric = [&values](const char16_t *key) { return values[findMetric(key)].unicode(); };
    const bool changed = metric(u"S") == u'C';

    double av = 0.2;
    switch (metric(u"AV")) {
    case u'N':
        av = 0.85;
        break;
    case u'A':
        av = 0.62;
        break;
    case u'L':
        av = 0.55;
        break;
    default:
        break;
    }
    const double ac = metric(u"AC") == u'L' ? 0.77 : 0.44;
    double pr = 0.85;
    switch (metric(u"PR")) {
    case u'L':
        pr = changed ? 0.68 : 0.62;
        break;
    case u'H':
        pr = changed ? 0.5 : 0.27;
        break;
    default:
        break;
    }
    const double ui = metric(u"UI") == u'N' ? 0.85 : 0.62;
    const double c = impactWeight(QChar(metric(u"C")));
    const double i = impactWeight(QChar(metric(u"I")));
    const double a = impactWeight(QChar(metric(u"A")));

    const double iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    const double impact =
        changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
    const double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0.0)
        result.m_baseScore = 0.0;
    else if (changed)
        result.m_baseScore = roundUp(std::min(1.08 * (impact + exploitability), 10.0));
    else
        result.m_baseScore = roundUp(std::min(impact + exploitability, 10.0));
    result.m_vector = text.toString();
    return result;
}

double Cvss3::roundUp(double x)
{
    const auto scaled = static_cast<long long>(std::llround(x * 100000.0));
    if (scaled % 10000 == 0)
        return static_cast<double>(scaled) / 100000.0;
    return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

QString Cvss3::qualitativeRating(double score)
{
    if (score >= 9.0)
        return QStringLiteral("Critical");
    if (score >= 7.0)
        return QStringLiteral("High");
    if (score >= 4.0)
        return QStringLiteral("Medium");
    if (score >= 0.1)
        return QStringLiteral("Low");
    return QStringLiteral("None");
}

Severity Cvss3::severity() const
{
    return severityFromScore(m_baseScore);
}

} // namespace wharf::scan
