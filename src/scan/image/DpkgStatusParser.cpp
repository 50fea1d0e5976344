#include "DpkgStatusParser.h"

namespace wharf::scan {

namespace {

struct Stanza
{
    QByteArrayView package;
    QByteArrayView version;
    QByteArrayView source;
    QByteArrayView architecture;
    QByteArrayView status;
    bool hasStatus = false;
    bool any = false;
};

bool installed(QByteArrayView status)
{
    // "want flag status": only the third word says what is on disk.
    const QList<QByteArray> words = status.toByteArray().simplified().split(' ');
    return words.size() >= 3 && words[2] == "installed";
}

void flush(Stanza &s, DpkgStatusParser::StatusField mode, QList<InstalledPackage> &out,
           int &incomplete)
{
    if (!s.any)
        return;
    const bool isInstalled =
        s.hasStatus ? installed(s.status) : mode == DpkgStatusParser::StatusField::Optional;
    if (isInstalled) {
        if (s.package.isEmpty() || s.version.isEmpty()) {
            ++incomplete;
        } else {
            InstalledPackage p;
            p.kind = InstalledPackage::Kind::Deb;
            p.name = QString::fromUtf8(s.package);
            p.version = QString::fromUtf8(s.version);
            p.architecture = QString::fromUtf8(s.architecture);
            // "Source: name" or "Source: name (version)" (binNMUs and other rebuilds).
            QByteArrayView source = s.source;
            QByteArrayView sourceVersion;
            if (const qsizetype open = source.indexOf('('); open >= 0) {
                const qsizetype close = source.indexOf(')', open);
                sourceVersion =
                    source.sliced(open + 1, (close < 0 ? source.size() : close) - open - 1)
                        .trimmed();
                source = source.first(open).trimmed();
            }
            p.sourceName = source.isEmpty() ? p.name : QString::fromUtf8(source);
            p.sourceVersion =
                sourceVersion.isEmpty() ? p.version : QString::fromUtf8(sourceVersion);
            out.append(p);
        }
    }
    s = Stanza();
}

bool fieldIs(QByteArrayView name, QByteArrayView wanted)
{
    return name.compare(wanted, Qt::CaseInsensitive) == 0;
}

} // namespace

QList<InstalledPackage> DpkgStatusParser::parse(QByteArrayView data, StatusField mode,
                                                QStringList *warnings, qint64 maxBytes)
{
    QList<InstalledPackage> out;
    if (data.size() > maxBytes) {
        if (warnings)
            warnings->append(u"dpkg database of " + QString::number(data.size()) +
                             u" bytes is over the " + QString::number(maxBytes) +
                             u"-byte bound: not parsed");
        return out;
    }
    Stanza stanza;
    int incomplete = 0;
    qsizetype pos = 0;
    while (pos < data.size()) {
        qsizetype end = data.indexOf('\n', pos);
        if (end < 0)
            end = data.size();
        QByteArrayView line = data.sliced(pos, end - pos);
        pos = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty()) {
            flush(stanza, mode, out, incomplete);
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t')
            continue; // continuation of a multi-line field none of which matter here
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        stanza.any = true;
        if (fieldIs(name, "Package"))
            stanza.package = value;
        else if (fieldIs(name, "Version"))
            stanza.version = value;
        else if (fieldIs(name, "Source"))
            stanza.source = value;
        else if (fieldIs(name, "Architecture"))
            stanza.architecture = value;
        else if (fieldIs(name, "Status")) {
            stanza.status = value;
            stanza.hasStatus = true;
        }
    }
    flush(stanza, mode, out, incomplete);
    if (incomplete > 0 && warnings)
        warnings->append(QString::number(incomplete) +
                         u" dpkg stanza(s) without Package or Version skipped");
    return out;
}

} // namespace wharf::scan
