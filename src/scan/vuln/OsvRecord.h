#pragma once

// One OSV vulnerability record (ossf/osv-schema), parsed from JSON.
//
// fromJson() is bounded (maxBytes, default 8 MiB) and strict about types: every field it knows
// must have the schema's type, with errors naming the JSON path ("affected[2].ranges[0].events
// must be an array"). id and modified are required, as the schema requires them; unknown
// fields are ignored. Timestamps must be RFC 3339. Each range event must carry exactly one of
// introduced / fixed / last_affected / limit. ecosystem_specific and database_specific are
// kept as JSON objects because their content depends on the source (Ubuntu priorities, USN
// cves_map, GHSA severities...).

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wharf::scan {

class OsvRecord
{
public:
    static constexpr qsizetype kDefaultMaxBytes = 8 * 1024 * 1024;

    struct SeverityScore
    {
        QString type;  // CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, ...
        QString score; // a vector for CVSS types, a word for Ubuntu
    };

    struct Event
    {
        enum class Kind { Introduced, Fixed, LastAffected, Limit };
        Kind kind = Kind::Introduced;
        QString version;
    };

    struct Range
    {
        QString type; // ECOSYSTEM, SEMVER or GIT
        QString repo;
        QList<Event> events;
    };

    struct Package
    {
        QString ecosystem;
        QString name;
        QString purl;
    };

    struct Affected
    {
        Package package;
        QList<SeverityScore> severity;
        QList<Range> ranges;
        QStringList versions;
        QJsonObject ecosystemSpecific;
        QJsonObject databaseSpecific;
    };

    struct Reference
    {
        QString type;
        QString url;
    };

    static std::optional<OsvRecord> fromJson(const QByteArray &json, QString *error = nullptr,
                                             qsizetype maxBytes = kDefaultMaxBytes);

    const QString &id() const { return m_id; }
    const QString &schemaVersion() const { return m_schemaVersion; }
    const QStringList &aliases() const { return m_aliases; }
    const QStringList &upstream() const { return m_upstream; }
    const QStringList &related() const { return m_related; }
    const QString &summary() const { return m_summary; }
    const QString &details() const { return m_details; }
    const QDateTime &published() const { return m_published; }
    const QDateTime &modified() const { return m_modified; }
    // Invalid when the record is not withdrawn.
    const QDateTime &withdrawn() const { return m_withdrawn; }
    bool isWithdrawn() const { return m_withdrawn.isValid(); }
    const QList<SeverityScore> &severity() const { return m_severity; }
    const QList<Affected> &affected() const { return m_affected; }
    const QList<Reference> &references() const { return m_references; }
    const QJsonObject &databaseSpecific() const { return m_databaseSpecific; }

    // The CVE-style identifiers a person looks for: aliases, then upstream, without duplicates.
    QStringList identifiers() const;
    // An ADVISORY reference if there is one, else the first reference.
    QString primaryUrl() const;

private:
    QString m_id;
    QString m_schemaVersion;
    QStringList m_aliases;
    QStringList m_upstream;
    QStringList m_related;
    QString m_summary;
    QString m_details;
    QDateTime m_published;
    QDateTime m_modified;
    QDateTime m_withdrawn;
    QList<SeverityScore> m_severity;
    QList<Affected> m_affected;
    QList<Reference> m_references;
    QJsonObject m_databaseSpecific;

    friend class OsvRecordParser;
};

} // namespace wharf::scan
