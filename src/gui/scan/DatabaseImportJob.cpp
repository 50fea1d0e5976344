#include "DatabaseImportJob.h"

#include "jobs/Background.h"
#include "scan/service/ScanPaths.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::gui {

struct DatabaseImportJob::Shared
{
    std::atomic_bool cancel{false};
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{0};
    std::atomic_int current{0}; // index of the zip being imported
};

DatabaseImportJob::DatabaseImportJob(const QString &databasePath, QList<Import> imports,
                                     QObject *parent)
    : Job(imports.size() == 1 ? tr("Import %1").arg(QFileInfo(imports.first().zipPath).fileName())
                              : tr("Import OSV archives (%1)").arg(imports.size()),
          parent)
    , m_databasePath(databasePath)
    , m_imports(std::move(imports))
    , m_shared(std::make_shared<Shared>())
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &DatabaseImportJob::pollProgress);
}

DatabaseImportJob::~DatabaseImportJob()
{
    // The worker keeps its own reference to the shared state; it stops at the next entry.
    m_shared->cancel = true;
}

QString DatabaseImportJob::sourceNameFor(const QString &zipPath)
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

void DatabaseImportJob::run()
{
    if (m_imports.isEmpty()) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No archive to import.")));
        return;
    }
    setProgress(0, 0, tr("Opening the vulnerability database…"));
    m_poll.start();
    std::shared_ptr<Shared> shared = m_shared;
    const QString path = m_databasePath;
    const QList<Import> imports = m_imports;
    runInBackground<Outcome>(
        this,
        [shared, path, imports]() -> Outcome {
            Outcome outcome;
            if (!ScanPaths::ensureParentDirectory(path)) {
                outcome.error = tr("Cannot create the directory for %1.").arg(path);
                return outcome;
            }
            VulnerabilityDatabase db;
            if (!db.open(path)) {
                outcome.error = tr("Cannot open %1: %2").arg(path, db.lastError());
                return outcome;
            }
            for (int i = 0; i < imports.size() && !shared->cancel; ++i) {
                shared->current = i;
                shared->done = 0;
                shared->total = 0;
                const Import &item = imports.at(i);
                const QString source =
                    item.sourceName.isEmpty() ? sourceNameFor(item.zipPath) : item.sourceName;
                outcome.reports << db.importZip(
                    QFileInfo(item.zipPath).absoluteFilePath(), source,
                    [shared](qint64 done, qint64 total) {
                        shared->done = done;
                        shared->total = total;
                    },
                    &shared->cancel);
            }
            outcome.recordCount = db.recordCount();
            return outcome;
        },
        [this](Outcome outcome) { onFinished(outcome); });
}

void DatabaseImportJob::abort()
{
    m_shared->cancel = true;
    m_poll.stop();
}

void DatabaseImportJob::pollProgress()
{
    const int current = m_shared->current;
    const QString name = QFileInfo(m_imports.value(current).zipPath).fileName();
    const qint64 total = m_shared->total;
    const qint64 done = m_shared->done;
    setProgress(done, total,
                total > 0 ? tr("%1: %2 of %3 records").arg(name).arg(done).arg(total)
                          : tr("%1: reading the archive…").arg(name));
}

void DatabaseImportJob::onFinished(const Outcome &outcome)
{
    m_poll.stop();
    m_reports = outcome.reports;
    m_recordCount = outcome.recordCount;
    if (isFinished()) // cancelled meanwhile
        return;
    if (!outcome.error.isEmpty()) {
        fail(Error::make(Error::Kind::Io, outcome.error));
        return;
    }
    QStringList failures;
    qint64 records = 0;
    for (int i = 0; i < m_reports.size(); ++i) {
        const auto &r = m_reports.at(i);
        records += r.entries;
        if (!r.ok)
            failures << tr("%1: %2").arg(QFileInfo(m_imports.at(i).zipPath).fileName(), r.error);
    }
    if (!failures.isEmpty()) {
        fail(Error::make(Error::Kind::InvalidInput,
                         tr("The import failed. %1").arg(failures.join(u"; "_s))));
        return;
    }
    setProgress(
        records, records,
        tr("records read: %1; the database now holds %2 records").arg(records).arg(m_recordCount));
    succeed();
}

} // namespace wharf::gui
