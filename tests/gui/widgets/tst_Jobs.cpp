// JobListModel under QAbstractItemModelTester, the jobs panel's Cancel/Clear and the status bar
// widget, driven by a scripted Job.

#include "widgets/JobListModel.h"
#include "widgets/JobStatusWidget.h"
#include "widgets/JobsPanel.h"

#include "jobs/Job.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;

namespace {

// A job the test moves along by hand.
class ScriptedJob : public Job
{
public:
    using Job::Job;
    void step(qint64 done, qint64 total, const QString &text = {})
    {
        setProgress(done, total, text);
    }
    void succeedNow() { succeed(); }
    void failNow(const Error &e) { fail(e); }
    bool aborted = false;

protected:
    void run() override {}
    void abort() override { aborted = true; }
};

} // namespace

class TestJobs : public QObject
{
    Q_OBJECT
private slots:
    void modelTracksJobLifecycle();
    void failedJobShowsErrorAndAdvice();
    void destroyedJobLeavesTheModel();
    void clearFinishedKeepsRunningJobs();
    void historyLimitDropsOldestFinished();
    void panelCancelsSelectedRunningJobs();
    void statusWidgetFollowsTheNewestRunningJob();
};

void TestJobs::modelTracksJobLifecycle()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy active(&model, &JobListModel::activeCountChanged);

    ScriptedJob job(u"Inventory of registry"_s);
    model.addJob(&job);
    model.addJob(&job); // once only
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.jobAt(0), &job);
    QCOMPARE(model.index(0, JobListModel::TitleColumn).data().toString(),
             u"Inventory of registry"_s);
    QCOMPARE(model.index(0, 0).data(JobListModel::StateRole).toInt(), int(Job::State::Pending));
    QCOMPARE(model.activeCount(), 1);

    job.start();
    job.step(0, 0, u"Listing repositories"_s);
    // Unknown total: busy.
    QTRY_COMPARE(model.index(0, 0).data(JobListModel::ProgressRole).toInt(), -1);
    QCOMPARE(model.index(0, JobListModel::StatusColumn).data().toString(),
             u"Listing repositories"_s);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int i = 1; i <= 40; ++i)
        job.step(i, 80, u"Tags"_s);
    // Many progress signals, few repaints.
    QTRY_COMPARE(model.index(0, 0).data(JobListModel::ProgressRole).toInt(), 50);
    QVERIFY2(changed.size() < 5, qPrintable(QString::number(changed.size())));
    QCOMPARE(model.index(0, JobListModel::ProgressColumn).data().toString(), u"50%"_s);

    job.succeedNow();
    QCOMPARE(model.index(0, 0).data(JobListModel::StateRole).toInt(), int(Job::State::Succeeded));
    QCOMPARE(model.index(0, 0).data(JobListModel::ProgressRole).toInt(), 100);
    QVERIFY(model.index(0, 0).data(JobListModel::FinishedRole).toBool());
    QVERIFY(model.index(0, JobListModel::StatusColumn).data().toString().startsWith(u"Done"_s));
    QCOMPARE(model.activeCount(), 0);
    QCOMPARE(active.size(), 2); // 0 -> 1 -> 0
    QCOMPARE(active.last().first().toInt(), 0);
}

void TestJobs::failedJobShowsErrorAndAdvice()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ScriptedJob job(u"Load tags"_s);
    model.addJob(&job);
    job.start();
    job.failNow(Error::make(Error::Kind::Unauthorized,
                            u"127.0.0.1:5000 rejected the username or password."_s));
    const QModelIndex status = model.index(0, JobListModel::StatusColumn);
    QCOMPARE(status.data(JobListModel::ErrorRole).toString(),
             u"127.0.0.1:5000 rejected the username or password."_s);
    QVERIFY(status.data().toString().contains(u"rejected the username or password"_s));
    const QString tip = status.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"rejected the username or password"_s), qPrintable(tip));
    QVERIFY2(tip.contains(JobListModel::adviceFor(*job.error())), qPrintable(tip));
    QVERIFY(!JobListModel::adviceFor(*job.error()).isEmpty());
    QCOMPARE(status.data(Qt::DecorationRole).typeId(), QMetaType::QIcon);
}

void TestJobs::destroyedJobLeavesTheModel()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto first = std::make_unique<ScriptedJob>(u"first"_s);
    ScriptedJob second(u"second"_s);
    model.addJob(first.get());
    model.addJob(&second);
    first->start();
    QCOMPARE(model.activeCount(), 2);
    first.reset(); // destroyed while running
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.jobAt(0), &second);
    QCOMPARE(model.activeCount(), 1);
}

void TestJobs::clearFinishedKeepsRunningJobs()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ScriptedJob a(u"a"_s), b(u"b"_s), c(u"c"_s), d(u"d"_s);
    for (ScriptedJob *j : {&a, &b, &c, &d}) {
        model.addJob(j);
        j->start();
    }
    a.succeedNow();
    b.succeedNow();
    d.cancel();
    model.clearFinished();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.jobAt(0), &c);
}

void TestJobs::historyLimitDropsOldestFinished()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setHistoryLimit(2);
    std::vector<std::unique_ptr<ScriptedJob>> jobs;
    for (int i = 0; i < 5; ++i) {
        jobs.push_back(std::make_unique<ScriptedJob>(u"job %1"_s.arg(i)));
        model.addJob(jobs.back().get());
        jobs.back()->start();
    }
    for (int i = 0; i < 4; ++i)
        jobs[i]->succeedNow();
    // Two finished kept (the newest), the running one untouched.
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.jobAt(0), jobs[2].get());
    QCOMPARE(model.jobAt(1), jobs[3].get());
    QCOMPARE(model.jobAt(2), jobs[4].get());
}

void TestJobs::panelCancelsSelectedRunningJobs()
{
    JobListModel model;
    JobsPanel panel(&model);
    panel.show();
    auto *view = panel.findChild<QTreeView *>(u"jobsView"_s);
    auto *cancel = panel.findChild<QPushButton *>(u"cancelButton"_s);
    auto *clear = panel.findChild<QPushButton *>(u"clearButton"_s);
    QVERIFY(view && cancel && clear);

    ScriptedJob running(u"running"_s), other(u"other"_s), done(u"done"_s);
    for (ScriptedJob *j : {&running, &other, &done}) {
        model.addJob(j);
        j->start();
    }
    done.succeedNow();
    QVERIFY(!cancel->isEnabled()); // nothing selected
    QVERIFY(clear->isEnabled());

    view->selectionModel()->select(model.index(2, 0),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(!cancel->isEnabled()); // a finished job cannot be cancelled
    view->selectionModel()->select(model.index(0, 0),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(running.state(), Job::State::Cancelled);
    QVERIFY(running.aborted);
    QCOMPARE(other.state(), Job::State::Running);
    QVERIFY(!cancel->isEnabled());

    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.jobAt(0), &other);
}

void TestJobs::statusWidgetFollowsTheNewestRunningJob()
{
    JobListModel model;
    QWidget statusBar;
    auto *status = new JobStatusWidget(&model, &statusBar);
    statusBar.show();
    QVERIFY(status->isHidden()); // idle
    auto *title = status->findChild<QLabel *>(u"titleLabel"_s);
    auto *bar = status->findChild<QProgressBar *>(u"progressBar"_s);
    auto *cancel = status->findChild<QToolButton *>(u"cancelButton"_s);
    QVERIFY(title && bar && cancel);

    ScriptedJob first(u"Load sample/app"_s), second(u"Inventory"_s);
    model.addJob(&first);
    first.start();
    QVERIFY(!status->isHidden());
    QCOMPARE(title->text(), u"Load sample/app"_s);
    QCOMPARE(bar->maximum(), 0); // busy until a total is known

    model.addJob(&second);
    second.start();
    second.step(3, 4);
    QTRY_COMPARE(bar->value(), 75);
    QCOMPARE(bar->maximum(), 100);
    QVERIFY2(title->text().startsWith(u"Inventory"_s), qPrintable(title->text()));
    QVERIFY2(title->text().contains(u"1 more"_s), qPrintable(title->text()));
    QCOMPARE(status->currentJob(), &second);

    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(second.state(), Job::State::Cancelled);
    QCOMPARE(status->currentJob(), &first);
    QCOMPARE(title->text(), u"Load sample/app"_s);

    first.succeedNow();
    QVERIFY(status->isHidden());
    QCOMPARE(status->currentJob(), nullptr);
}

QTEST_MAIN(TestJobs)
#include "tst_Jobs.moc"
