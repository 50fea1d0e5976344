#include "ScanCommand.h"

#include "DbCommand.h"

#include "TableWriter.h"
#include "client/RegistryClient.h"
#include "model/Format.h"
#include "reference/ImageReference.h"
#include "scan/service/ScanExporter.h"
#include "scan/service/ScanJob.h"
#include "scan/service/ScanPaths.h"
#include "scan/service/ScanResultJson.h"
#include "scan/service/ScanResultStore.h"
#include "scan/service/TrivyEngine.h"

#include <QFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::cli {

namespace {

QString ago(const QDateTime &time)
{
    if (!time.isValid())
        return QStringLiteral("never");
    const qint64 s = time.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 120)
        return QStringLiteral("%1 s ago").arg(s);
    if (s < 2 * 3600)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 2 * 86400)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 days ago").arg(s / 86400);
}

QString shortDigest(const QString &digest)
{
    return digest.left(19);
}

void printHuman(QTextStream &out, const ScanResult &r, const QString &storedAt)
{
    out << "Image:     " << r.registry << '/' << r.repository
        << (Digest::looksLikeDigest(r.reference) ? u"@"_s : u":"_s) << r.reference << " ("
        << r.platform << ")\n"
        << "Digest:    " << r.digest << '\n'
        << "OS:        "
        << (r.os.isKnown()
                ? (r.os.prettyName.isEmpty() ? r.osDisplayName() : r.os.prettyName) +
                      (r.os.ecosystem.isEmpty() ? QString() : u" ("_s + r.os.ecosystem + u')')
                : u"unknown"_s)
        << '\n'
        << "Packages:  " << r.packageCount << '\n'
        << "Engine:    " << r.engine << '\n';
    if (r.engine == u"wharf"_s)
        out << "Database:  updated " << Format::dateTime(r.databaseUpdatedAt) << " ("
            << ago(r.databaseUpdatedAt) << ")\n";
    if (!storedAt.isEmpty())
        out << "Stored in: " << storedAt << '\n';
    const SeverityCounts &c = r.counts;
    out << '\n'
        << "Total: " << c.total << " (CRITICAL: " << c.critical << ", HIGH: " << c.high
        << ", MEDIUM: " << c.medium << ", LOW: " << c.low << ", UNKNOWN: " << c.unknown << ")\n";
    if (!r.findings.isEmpty()) {
        out << '\n';
        TableWriter table({u"SEVERITY"_s, u"ID"_s, u"PACKAGE"_s, u"INSTALLED"_s, u"FIXED"_s,
                           u"LAYER"_s, u"TITLE"_s});
        for (const ScanFinding &f : r.findings) {
            QString package = f.package;
            if (f.packages.size() > 1)
                package += u" (+%1)"_s.arg(f.packages.size() - 1);
            if (f.sourcePackage != f.package && !f.sourcePackage.isEmpty())
                package += u" [" + f.sourcePackage + u']';
            table.addRow({severityName(f.severity).toUpper(), f.id, package, f.installedVersion,
                          f.fixedVersion.isEmpty() ? u"-"_s : f.fixedVersion,
                          f.layerIndex >= 0 ? QString::number(f.layerIndex) : u"?"_s,
                          (f.title.isEmpty() ? f.aliases.join(u", "_s) : f.title).left(70)});
        }
        table.write(out);
    }
    if (!r.layers.isEmpty()) {
        out << "\nLayers:\n";
        TableWriter layers({u"#"_s, u"DIGEST"_s, u"SIZE"_s, u"PKGS"_s, u"VULNS"_s, u"CRIT"_s,
                            u"HIGH"_s, u"MED"_s, u"LOW"_s, u"CREATED BY"_s});
        layers.setRightAligned({0, 2, 3, 4, 5, 6, 7, 8});
        for (const ScanLayer &l : r.layers)
            layers.addRow({QString::number(l.index), shortDigest(l.digest), Format::bytes(l.size),
                           QString::number(l.packages), QString::number(l.counts.total),
                           QString::number(l.counts.critical), QString::number(l.counts.high),
                           QString::number(l.counts.medium), QString::number(l.counts.low),
                           l.createdBy.left(60)});
        layers.write(out);
    }
    for (const QString &w : r.warnings)
        out << "warning: " << w << '\n';
}

} // namespace

QString ScanCommand::description() const
{
    return tr("Scan an image for vulnerabilities (OS packages against the local OSV database; "
              "see `wharfctl db`). The result is stored by digest.");
}

void ScanCommand::addOptions(QCommandLineParser &parser)
{
    DbCommand::addDatabaseOption(parser);
    DbCommand::addOptionsOnce(
        parser, {
                    {u"platform"_s,
                     tr("scan: platform of a multi-platform image (default linux/amd64, else "
                        "the first)."),
                     tr("OS/ARCH[/VARIANT]")},
                    {u"format"_s,
                     tr("scan: output format json, csv or sarif (default: a summary, or json "
                        "with --json)."),
                     tr("FORMAT")},
                    {{u"o"_s, u"output"_s},
                     tr("scan: write the export to FILE (a summary still goes to "
                        "stdout)."),
                     tr("FILE")},
                    {u"engine"_s, tr("scan: wharf (default) or trivy (needs `trivy` on PATH)."),
                     tr("NAME")},
                    {u"no-store"_s, tr("scan: do not save the result in the results store.")},
                });
}

void ScanCommand::execute(CommandEnv &env)
{
    if (env.arguments.size() != 1) {
        env.failWith(tr("usage: wharfctl scan REPO:TAG|REPO@DIGEST"), ExitUsage);
        return;
    }
    auto ref = ImageReference::parseInRegistry(env.registry.hostPort(), env.arguments.first());
    if (!ref) {
        env.failWith(ref.error().message, ExitUsage);
        return;
    }
    std::optional<ScanExporter::Format> format;
    if (env.parser->isSet(u"format"_s)) {
        format = ScanExporter::formatFromName(env.parser->value(u"format"_s));
        if (!format) {
            env.failWith(tr("--format takes json, csv or sarif"), ExitUsage);
            return;
        }
    } else if (env.json) {
        format = ScanExporter::Format::Json;
    }
    const QString outputPath = env.parser->value(u"output"_s);
    if (!outputPath.isEmpty() && !format)
        format = ScanExporter::Format::Json;
    const QString engine =
        env.parser->isSet(u"engine"_s) ? env.parser->value(u"engine"_s) : u"wharf"_s;
    if (engine != u"wharf"_s && engine != u"trivy"_s) {
        env.failWith(tr("--engine takes wharf or trivy"), ExitUsage);
        return;
    }
    const bool store = !env.parser->isSet(u"no-store"_s);

    Job *job = nullptr;
    std::function<ScanResult()> resultOf;
    if (engine == u"trivy"_s) {
        TrivyEngine::Options options;
        options.platform = env.parser->value(u"platform"_s);
        auto *trivy = new TrivyEngine(env.client(), ref->repository(), ref->manifestReference(),
                                      options, this);
        resultOf = [trivy] { return trivy->result(); };
        job = trivy;
    } else {
        ScanJob::Options options;
        options.databasePath = env.parser->isSet(u"db"_s) ? env.parser->value(u"db"_s)
                                                          : ScanPaths::defaultDatabasePath();
        options.platform = env.parser->value(u"platform"_s);
        auto *scan =
            new ScanJob(env.client(), ref->repository(), ref->manifestReference(), options, this);
        resultOf = [scan] { return scan->result(); };
        job = scan;
    }
    if (env.progress) {
        connect(job, &Job::progressChanged, this,
                [env](qint64 done, qint64 total, const QString &text) {
                    QString line = text;
                    if (total > 0)
                        line += u" (%1%)"_s.arg(done * 100 / total);
                    *env.err << '\r' << line.left(100).leftJustified(100) << Qt::flush;
                });
    }
    connect(job, &Job::finished, this, [env, job, resultOf, format, outputPath, store] {
        if (env.progress)
            *env.err << '\r' << QString(100, u' ') << '\r' << Qt::flush;
        if (job->state() != Job::State::Succeeded) {
            env.failWith(job->error() ? job->error()->message : tr("the scan failed"));
            return;
        }
        const ScanResult result = resultOf();
        QString storedAt;
        if (store) {
            ScanResultStore results;
            if (results.open(ScanResultStore::defaultPath()) && results.save(result))
                storedAt = results.path();
            else
                *env.err << "wharfctl: "
                         << tr("could not store the result: %1").arg(results.lastError()) << '\n';
        }
        if (!outputPath.isEmpty()) {
            QSaveFile file(outputPath);
            if (!file.open(QIODevice::WriteOnly) ||
                file.write(ScanExporter::exportResult(result, *format)) < 0 || !file.commit()) {
                env.failWith(tr("cannot write %1: %2").arg(outputPath, file.errorString()));
                return;
            }
            if (env.json)
                env.printJson(ScanResultJson::toJson(result));
            else
                printHuman(*env.out, result, storedAt);
        } else if (format) {
            *env.out << QString::fromUtf8(ScanExporter::exportResult(result, *format));
        } else {
            printHuman(*env.out, result, storedAt);
        }
        env.out->flush();
        env.finish(ExitOk);
    });
    job->start();
}

} // namespace wharf::cli
