#include "ApkInstalledParser.h"

namespace wharf::scan {

namespace {

struct Record
{
    QByteArrayView name;
    QByteArrayView version;
    QByteArrayView origin;
    QByteArrayView arch;
    bool any = false;
};

void flush(Record &r, QList<InstalledPackage> &out, int &incomplete)
{
    if (!r.any)
        return;
    if (r.name.isEmpty() || r.version.isEmpty()) {
        ++incomplete;
    } else {
        InstalledPackage p;
        p.kind = InstalledPackage::Kind::Apk;
        p.name = QString::fromUtf8(r.name);
        p.version = QString::fromUtf8(r.version);
        p.architecture = QString::fromUtf8(r.arch);
        // Virtual packages (".python-rundeps") have no origin: they are their own source.
        p.sourceName = r.origin.isEmpty() ? p.name : QString::fromUtf8(r.origin);
        p.sourceVersion = p.version;
        out.append(p);
    }
    r = Record();
}

} // namespace

QList<InstalledPackage> ApkInstalledParser::parse(QByteArrayView data, QStringList *warnings,
                                                  qint64 maxBytes)
{
    QList<InstalledPackage> out;
    if (data.size() > maxBytes) {
        if (warnings)
            warnings->append(u"apk database of " + QString::number(data.size()) +
                             u" bytes is over the " + QString::number(maxBytes) +
                             u"-byte bound: not parsed");
        return out;
    }
    Record record;
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
            flush(record, out, incomplete);
            continue;
        }
        if (line.size() < 2 || line[1] != ':')
            continue;
        const QByteArrayView value = line.sliced(2).trimmed();
        record.any = true;
        switch (line[0]) {
        case 'P':
            record.name = value;
            break;
        case 'V':
            record.version = value;
            break;
        case 'o':
            record.origin = value;
            break;
        case 'A':
            record.arch = value;
            break;
        default:
            break;
        }
    }
    flush(record, out, incomplete);
    if (incomplete > 0 && warnings)
        warnings->append(QString::number(incomplete) + u" apk record(s) without P or V skipped");
    return out;
}

} // namespace wharf::scan
