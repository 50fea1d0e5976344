#pragma once

#include "CommandEnv.h"
#include "cleanup/DeletePlan.h"
#include "cleanup/DeleteResult.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace wharf::cli {

// The part `delete` and `cleanup` share once a plan exists: print it, refuse (exit 3) when it
// would remove tags nobody named, stop there on --dry-run, otherwise run a DeleteJob (recorded
// in the delete journal) and print one result per item. JSON shape:
// {"plan": {...}, "results": [{"ref", "digest", "status", "message"}], ...extra}.
class CleanupRunner : public QObject
{
    Q_OBJECT
public:
    CleanupRunner(CommandEnv env, DeletePlan plan, bool dryRun, QObject *parent);

    // Fields added to the JSON document (e.g. the retention decisions).
    void setExtraJson(const QJsonObject &extra) { m_extra = extra; }
    // Printed before the plan in human output.
    void setPreamble(std::function<void(QTextStream &)> preamble)
    {
        m_preamble = std::move(preamble);
    }

    void start();

    static QJsonObject planJson(const DeletePlan &plan);
    static QJsonArray resultsJson(const QList<DeleteResult> &results);
    static void printPlan(QTextStream &out, const DeletePlan &plan);
    static void printResults(QTextStream &out, const QList<DeleteResult> &results);
    static QString journalPathFor(const DeletePlan &plan);
    // wharfctl puts every command's options into one parser to find the command, and Qt warns
    // about a second option of the same name: delete and cleanup share --dry-run.
    static void addOptionsOnce(QCommandLineParser &parser,
                               const QList<QCommandLineOption> &options);

private:
    void finishWith(const QList<DeleteResult> &results, int code, const QString &message);

    CommandEnv m_env;
    DeletePlan m_plan;
    bool m_dryRun = false;
    QJsonObject m_extra;
    std::function<void(QTextStream &)> m_preamble;
};

} // namespace wharf::cli
