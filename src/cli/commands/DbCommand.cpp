#include "DbCommand.h"

#include "TableWriter.h"
#include "model/Format.h"
#include "scan/service/ScanPaths.h"
#include "scan/vuln/OsvDownloader.h"
#include "scan/vuln/VulnerabilityDatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::cli {

namespace {

QString howToImport()
{
    return QStringLiteral("Import an OSV export with `wharfctl db import <ECOSYSTEM>-all.zip` "
                          "(offline), or download one with `wharfctl db update` (--ecosystem "
                          "Ubuntu, --mirror URL).");
}

QString age(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("never");
    if (seconds < 120)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 2 * 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    return QStringLiteral("%1 days").arg(seconds / 86400);
}

// "Ubuntu" for ~/Downloads/Ubuntu/all.zip, "alpine-osv" for alpine-osv.zip.
QString sourceNameFor(const QString &zipPath)
{
    const QFileInfo info(zipPath);
    if (info.fileName().compare(u"all.zip"_s, Qt::CaseInsensitive) == 0 &&
        !info.absoluteDir().dirName().isEmpty())
        return info.absoluteDir().dirName();
    QString base = info.completeBaseName();
    if (base.endsWith(u"-all"_s, Qt::CaseInsensitive))
        base.chop(4);
    return base;
}

QJsonObject importJson(const QString &zip, const QString &source,
                       const VulnerabilityDatabase::ImportReport &r)
{
    return QJsonObject{{u"zip"_s, zip},
                       {u"source"_s, source},
                       {u"ok"_s, r.ok},
                       {u"error"_s, r.error},
                       {u"entries"_s, r.entries},
                       {u"inserted"_s, r.inserted},
                       {u"replaced"_s, r.replaced},
                       {u"unchanged"_s, r.unchanged},
                       {u"malformed"_s, r.malformed},
                       {u"ignored"_s, r.ignored},
                       {u"seconds"_s, r.seconds},
                       {u"problems"_s, QJsonArray::fromStringList(r.problems)}};
}

QString importLine(const QString &label, const VulnerabilityDatabase::ImportReport &r)
{
    return QStringLiteral("%1: %2 records (%3 new, %4 updated, %5 unchanged, %6 malformed) in "
                          "%7 s")
        .arg(label)
        .arg(r.entries)
        .arg(r.inserted)
        .arg(r.replaced)
        .arg(r.unchanged)
        .arg(r.malformed)
        .arg(r.seconds, 0, 'f', 2);
}

} // namespace

QString DbCommand::description() const
{
    return tr("The vulnerability database: import OSV all.zip files, update them from a mirror, "
              "show what it holds.");
}

void DbCommand::addOptionsOnce(QCommandLineParser &parser, const QList<QCommandLineOption> &options)
{
    // QCommandLineParser warns about a second option of the same name and offers no lookup:
    // its help text is the only list of what it knows.
    const QString help = parser.helpText();
    for (const QCommandLineOption &option : options) {
        const QString name = option.names().constLast();
        const QRegularExpression known(u"--"_s + QRegularExpression::escape(name) +
                                       u"(?![\\w-])"_s);
        if (!known.match(help).hasMatch())
            parser.addOption(option);
    }
}

void DbCommand::addDatabaseOption(QCommandLineParser &parser)
{
    addOptionsOnce(parser, {{u"db"_s,
                             tr("scan/db: vulnerability database file (default: %1).")
                                 .arg(ScanPaths::defaultDatabasePath()),
                             tr("PATH")}});
}

QString DbCommand::databasePath(const QCommandLineParser &parser)
{
    return parser.isSet(u"db"_s) ? parser.value(u"db"_s) : ScanPaths::defaultDatabasePath();
}

void DbCommand::addOptions(QCommandLineParser &parser)
{
    addDatabaseOption(parser);
    addOptionsOnce(parser,
                   {
                       {u"mirror"_s,
                        tr("db update: OSV mirror base URL (default: $WHARF_OSV_MIRROR or %1).")
                            .arg(OsvDownloader::defaultMirror().toString()),
                        tr("URL")},
                       {u"ecosystem"_s,
                        tr("db update: OSV ecosystem to fetch, repeatable (default: those in "
                           "the database, else Debian, Ubuntu and Alpine)."),
                        tr("NAME")},
                       {u"source"_s,
                        tr("db import: label for the imported data (default: from the file name)."),
                        tr("NAME")},
                   });
}

void DbCommand::execute(CommandEnv &env)
{
    const QString action = env.arguments.value(0);
    const QStringList rest = env.arguments.mid(1);
    if (action == u"import"_s) {
        if (rest.isEmpty()) {
            env.failWith(tr("usage: wharfctl db import ZIP... [--db PATH]"), ExitUsage);
            return;
        }
        importZips(env, rest);
    } else if (action == u"update"_s) {
        if (!rest.isEmpty()) {
            env.failWith(tr("usage: wharfctl db update [--mirror URL] [--ecosystem NAME]... "
                            "[--db PATH]"),
                         ExitUsage);
            return;
        }
        update(env);
    } else if (action == u"status"_s) {
        status(env);
    } else {
        env.failWith(tr("usage: wharfctl db import ZIP... | db update [--mirror URL] "
                        "[--ecosystem NAME]... | db status"),
                     ExitUsage);
    }
}

void DbCommand::importZips(CommandEnv &env, const QStringList &zips)
{
    const QString path = databasePath(*env.parser);
    for (const QString &zip : zips) {
        if (!QFileInfo(zip).isFile()) {
            env.failWith(tr("no such file: %1").arg(zip), ExitUsage);
            return;
        }
    }
    if (!ScanPaths::ensureParentDirectory(path)) {
        env.failWith(tr("cannot create the directory for %1").arg(path));
        return;
    }
    VulnerabilityDatabase db;
    if (!db.open(path)) {
        env.failWith(tr("cannot open %1: %2").arg(path, db.lastError()));
        return;
    }
    const bool explicitSource = env.parser->isSet(u"source"_s);
    QJsonArray imports;
    bool allOk = true;
    for (const QString &zip : zips) {
        const QString source = explicitSource ? env.parser->value(u"source"_s) : sourceNameFor(zip);
        auto progress = [&env, &zip](qint64 done, qint64 total) {
            if (env.progress && (done % 500 == 0 || done == total))
                *env.err << '\r' << tr("%1: %2 of %3 records").arg(zip).arg(done).arg(total)
                         << Qt::flush;
        };
        const VulnerabilityDatabase::ImportReport report =
            db.importZip(QFileInfo(zip).absoluteFilePath(), source, progress);
        if (env.progress)
            *env.err << '\r' << QString(80, u' ') << '\r' << Qt::flush;
        allOk = allOk && report.ok;
        imports.append(importJson(zip, source, report));
        if (!env.json) {
            if (report.ok)
                *env.out << importLine(zip, report) << '\n';
            else
                *env.err << "wharfctl: " << tr("importing %1 failed: %2").arg(zip, report.error)
                         << '\n';
            for (const QString &problem : report.problems)
                *env.err << "wharfctl: " << zip << ": " << problem << '\n';
        }
    }
    if (env.json)
        env.printJson(QJsonObject{{u"database"_s, path}, {u"imports"_s, imports}});
    else
        *env.out << tr("Database %1 now holds %2 records.").arg(path).arg(db.recordCount()) << '\n';
    env.finish(allOk ? ExitOk : ExitError);
}

void DbCommand::update(CommandEnv &env)
{
    const QString path = databasePath(*env.parser);
    QStringList ecosystems = env.parser->values(u"ecosystem"_s);
    if (ecosystems.isEmpty() && QFileInfo(path).isFile()) {
        VulnerabilityDatabase db;
        if (db.open(path)) {
            for (const auto &e : db.status().ecosystems) {
                // Ecosystem "Ubuntu:22.04:LTS" comes from the "Ubuntu" export.
                const QString bulk = e.ecosystem.section(u':', 0, 0);
                if (!bulk.isEmpty() && !ecosystems.contains(bulk))
                    ecosystems.append(bulk);
            }
        }
    }
    if (ecosystems.isEmpty())
        ecosystems = {u"Debian"_s, u"Ubuntu"_s, u"Alpine"_s};
    QUrl mirror = OsvDownloader::defaultMirror();
    const QString mirrorText = env.parser->isSet(u"mirror"_s)
                                   ? env.parser->value(u"mirror"_s)
                                   : qEnvironmentVariable("WHARF_OSV_MIRROR");
    if (!mirrorText.isEmpty()) {
        mirror = QUrl(mirrorText, QUrl::StrictMode);
        if (!mirror.isValid() || (mirror.scheme() != u"http"_s && mirror.scheme() != u"https"_s)) {
            env.failWith(tr("--mirror takes an http:// or https:// URL"), ExitUsage);
            return;
        }
    }
    if (!ScanPaths::ensureParentDirectory(path)) {
        env.failWith(tr("cannot create the directory for %1").arg(path));
        return;
    }

    auto *downloader = new OsvDownloader(nullptr, this);
    downloader->setMirror(mirror);
    downloader->setDownloadDirectory(ScanPaths::downloadDirectory());
    struct State
    {
        QStringList pending;
        QJsonArray results;
        bool allOk = true;
    };
    auto state = std::make_shared<State>();
    state->pending = ecosystems;
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, env, path, downloader, state, next] {
        if (state->pending.isEmpty()) {
            if (env.json)
                env.printJson(QJsonObject{{u"database"_s, path},
                                          {u"mirror"_s, downloader->mirror().toString()},
                                          {u"updates"_s, state->results}});
            downloader->deleteLater();
            // Break the self-reference once this call has returned.
            QMetaObject::invokeMethod(
                QCoreApplication::instance(), [next] { *next = nullptr; }, Qt::QueuedConnection);
            env.finish(state->allOk ? ExitOk : ExitError);
            return;
        }
        const QString ecosystem = state->pending.takeFirst();
        if (!env.json)
            *env.out
                << tr("%1: downloading %2").arg(ecosystem, downloader->urlFor(ecosystem).toString())
                << '\n'
                << Qt::flush;
        if (!downloader->start(ecosystem, path)) {
            state->allOk = false;
            *env.err << "wharfctl: " << tr("cannot start the download of %1").arg(ecosystem)
                     << '\n';
            QMetaObject::invokeMethod(
                this, [next] { (*next)(); }, Qt::QueuedConnection);
        }
    };
    if (env.progress) {
        connect(
            downloader, &OsvDownloader::downloadProgress, this,
            [env](qint64 received, qint64 total) {
                *env.err << '\r'
                         << (total > 0
                                 ? tr("%1 of %2").arg(Format::bytes(received), Format::bytes(total))
                                 : Format::bytes(received))
                         << "        " << Qt::flush;
            });
        connect(downloader, &OsvDownloader::importProgress, this, [env](qint64 done, qint64 total) {
            if (done % 500 == 0 || done == total)
                *env.err << '\r' << tr("importing %1 of %2 records").arg(done).arg(total)
                         << "        " << Qt::flush;
        });
    }
    connect(downloader, &OsvDownloader::finished, this,
            [env, state, next](const OsvDownloader::Result &r) {
                if (env.progress)
                    *env.err << '\r' << QString(60, u' ') << '\r' << Qt::flush;
                state->allOk = state->allOk && r.ok;
                QJsonObject o = importJson(r.zipPath, r.ecosystem, r.import);
                o.insert(u"ecosystem"_s, r.ecosystem);
                o.insert(u"url"_s, r.url.toString());
                o.insert(u"ok"_s, r.ok);
                o.insert(u"error"_s, r.error);
                o.insert(u"httpStatus"_s, r.httpStatus);
                o.insert(u"bytes"_s, r.bytes);
                o.insert(u"resumed"_s, r.resumed);
                o.insert(u"attempts"_s, r.attempts);
                o.insert(u"md5Verified"_s, r.md5Verified);
                state->results.append(o);
                if (!env.json) {
                    if (r.ok)
                        *env.out << importLine(r.ecosystem, r.import) << " ("
                                 << Format::bytes(r.bytes)
                                 << (r.resumed ? QStringLiteral(", resumed") : QString())
                                 << (r.md5Verified ? QStringLiteral(", MD5 verified") : QString())
                                 << ")\n";
                    else
                        *env.err << "wharfctl: " << r.ecosystem << ": " << r.error << '\n';
                }
                // The downloader is still winding down inside this signal: start the next one
                // from the event loop.
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [next] {
                        if (*next)
                            (*next)();
                    },
                    Qt::QueuedConnection);
            });
    (*next)();
}

void DbCommand::status(CommandEnv &env)
{
    const QString path = databasePath(*env.parser);
    if (!QFileInfo(path).isFile()) {
        env.failWith(tr("there is no vulnerability database at %1. %2").arg(path, howToImport()));
        return;
    }
    VulnerabilityDatabase db;
    if (!db.open(path)) {
        env.failWith(tr("cannot open %1: %2").arg(path, db.lastError()));
        return;
    }
    const VulnerabilityDatabase::Status s = db.status();
    if (!s.ok) {
        env.failWith(tr("cannot read %1: %2").arg(path, s.error));
        return;
    }
    if (env.json) {
        QJsonArray sources;
        for (const auto &src : s.sources)
            sources.append(
                QJsonObject{{u"name"_s, src.name},
                            {u"location"_s, src.location},
                            {u"importedAt"_s, Format::isoDateTime(src.importedAt)},
                            {u"records"_s, src.recordCount},
                            {u"newestModified"_s, Format::isoDateTime(src.newestModified)},
                            {u"malformed"_s, src.malformed},
                            {u"ageSeconds"_s, src.ageSeconds}});
        QJsonArray ecosystems;
        for (const auto &e : s.ecosystems)
            ecosystems.append(
                QJsonObject{{u"ecosystem"_s, e.ecosystem}, {u"records"_s, e.recordCount}});
        env.printJson(QJsonObject{{u"path"_s, path},
                                  {u"records"_s, s.totalRecords},
                                  {u"newestModified"_s, Format::isoDateTime(s.newestModified)},
                                  {u"lastImport"_s, Format::isoDateTime(s.lastImport)},
                                  {u"lastChange"_s, Format::isoDateTime(s.lastChange)},
                                  {u"ageSeconds"_s, s.ageSeconds},
                                  {u"sources"_s, sources},
                                  {u"ecosystems"_s, ecosystems}});
        env.finish(ExitOk);
        return;
    }
    QTextStream &out = *env.out;
    out << "Database:     " << path << '\n'
        << "Records:      " << s.totalRecords << '\n'
        << "Last import:  " << Format::dateTime(s.lastImport) << " (age " << age(s.ageSeconds)
        << ")\n"
        << "Newest data:  " << Format::dateTime(s.newestModified) << '\n';
    if (s.totalRecords == 0)
        out << '\n' << tr("The database is empty. %1").arg(howToImport()) << '\n';
    if (!s.sources.isEmpty()) {
        out << "\nSources:\n";
        TableWriter table({u"NAME"_s, u"RECORDS"_s, u"IMPORTED"_s, u"AGE"_s, u"LOCATION"_s});
        table.setRightAligned({1});
        for (const auto &src : s.sources)
            table.addRow({src.name, QString::number(src.recordCount),
                          Format::dateTime(src.importedAt), age(src.ageSeconds), src.location});
        table.write(out);
    }
    if (!s.ecosystems.isEmpty()) {
        out << "\nEcosystems:\n";
        TableWriter table({u"ECOSYSTEM"_s, u"RECORDS"_s});
        table.setRightAligned({1});
        for (const auto &e : s.ecosystems)
            table.addRow({e.ecosystem, QString::number(e.recordCount)});
        table.write(out);
    }
    env.finish(ExitOk);
}

} // namespace wharf::cli
