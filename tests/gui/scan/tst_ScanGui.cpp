// Scanning in the desktop app end to end: the main window against a real registry
// (docker-registry 2.8.2) holding an image built from the real Ubuntu dpkg database
// (ScanFixtures), scanned against the real Ubuntu OSV records. What it proves: scanning from the
// tag table through the queue and the jobs panel, the results panel and tag column with the
// expected findings, filters and sorting, exports that parse back, one scan per digest, the
// vulnerability database dialog (import from a picked zip, update from a local mirror), results
// coming back from the store in a new session and going stale, and Trivy as a second engine
// (a stand-in executable: no real trivy here).

#include "GuiTest.h"
#include "ScanFixtures.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableModel.h"
#include "scan/DatabaseImportJob.h"
#include "scan/DatabaseUpdateJob.h"
#include "scan/ScanController.h"
#include "scan/ScanFilterProxyModel.h"
#include "scan/ScanLayerModel.h"
#include "scan/ScanResultModel.h"
#include "scan/ScanResultsPanel.h"
#include "scan/SeverityStyle.h"
#include "scan/VulnerabilityDatabaseDialog.h"
#include "scan/service/ScanExporter.h"
#include "scan/service/ScanJob.h"
#include "scan/service/ScanPaths.h"
#include "scan/service/ScanQueue.h"
#include "scan/service/ScanResultStore.h"
#include "scan/service/TrivyEngine.h"
#include "scan/vuln/VulnerabilityDatabase.h"
#include "widgets/DetailPanel.h"
#include "widgets/JobListModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
using namespace wharf::scan;
namespace t = wharf::test;
using wharf::testing::child;
using Fx = t::ScanFixtures;

namespace {

constexpr int ScanTimeoutMs = 120000;

struct ExpectedFinding
{
    QString id;
    QString package;
    QString installed;
    QString fixed; // as the table shows it
    QString severity;
    int layer;
};

// The Ubuntu fixture's findings, worked out by hand in tests/scanner/tst_ScanRegistry.cpp
// (kUbuntuFindings): the base layer lacks gpgv, the second layer installs it.
const QList<ExpectedFinding> kUbuntu = {
    {u"UBUNTU-CVE-2025-15467"_s, u"libssl3"_s, u"3.0.2-0ubuntu1.20"_s, u"3.0.2-0ubuntu1.21"_s,
     u"Critical"_s, 0},
    {u"USN-7980-1"_s, u"libssl3"_s, u"3.0.2-0ubuntu1.20"_s, u"3.0.2-0ubuntu1.21"_s, u"High"_s, 0},
    {u"UBUNTU-CVE-2026-0861"_s, u"libc-bin (+1)"_s, u"2.35-0ubuntu3.11"_s, u"no fix"_s, u"High"_s,
     0},
    {u"UBUNTU-CVE-2025-68973"_s, u"gpgv"_s, u"2.2.27-3ubuntu2.4"_s, u"2.2.27-3ubuntu2.5"_s,
     u"High"_s, 1},
    // shadow builds login and passwd: the table names the first and counts the other.
    {u"UBUNTU-CVE-2023-29383"_s, u"login (+1)"_s, u"1:4.8.1-2ubuntu2.2"_s, u"no fix"_s, u"Low"_s,
     0},
    {u"CVE-2024-2236"_s, u"libgcrypt20"_s, u"1.9.4-3ubuntu3"_s, u"no fix"_s, u"Unknown"_s, 0},
};
const SeverityCounts kUbuntuCounts{6, 1, 3, 0, 1, 1};
const QString kBaseLayer = u"ADD ubuntu-base.tar /"_s;
const QString kGpgvLayer = u"/bin/sh -c apt-get install -y gpgv"_s;

QStringList column(const QAbstractItemModel *model, int col)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, col).data().toString();
    return values;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> records;
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            fields << field;
            records << fields;
            fields.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !fields.isEmpty())
        records << (fields << field);
    return records;
}

// Serves one zip at one path over HTTP/1.1 from the test's own event loop.
class MirrorServer : public QObject
{
public:
    QByteArray path;
    QByteArray body;
    QList<QByteArray> requestLines;

    quint16 listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost) ? m_server.serverPort() : 0;
    }

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray &request = m_pending[socket];
        request += socket->readAll();
        if (!request.contains("\r\n\r\n"))
            return;
        const QByteArray line = request.left(request.indexOf("\r\n"));
        m_pending.remove(socket);
        requestLines << line;
        const QList<QByteArray> words = line.split(' ');
        if (words.value(0) == "GET" && words.value(1) == path)
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: " +
                          QByteArray::number(body.size()) +
                          "\r\nETag: \"mirror-1\"\r\nConnection: close\r\n\r\n" + body);
        else
            socket->write(
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

} // namespace

class TestScanGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void noDatabaseExplainsInPlace();
    void importDatabaseThroughDialog();
    void scanSelectedTagFromTheTagTable();
    void filtersAndSorting();
    void exportFormats();
    void sameDigestScannedOnce();
    void scanRepositoryFromTheTree();
    void cancelFromThePanel();
    void reopenShowsStoredResultThenStale();
    void updateFromMirror();
    void trivyAsSecondEngine();

private:
    void openWindow();
    void closeWindow();
    void showRepository(const QString &repository, int tags);
    void showTag(const QString &tag);
    void selectTags(const QStringList &tags);
    QString vulnerabilityText(const QString &tag) const;
    QList<Job *> scanJobsInJobsPanel() const;
    VulnerabilityDatabaseDialog *openDatabaseDialog();

    QTemporaryDir m_config;
    QTemporaryDir m_cache;
    QTemporaryDir m_data;
    QTemporaryDir m_work;
    t::TestRegistry m_registry;
    std::unique_ptr<t::OciLayout> m_layout;
    Fx::PushedImage m_ubuntu;
    QString m_zip;
    QString m_bookmarkId;
    std::unique_ptr<AppContext> m_context;
    std::unique_ptr<MainWindow> m_window;
    ScanController *m_controller = nullptr;
    ScanResultsPanel *m_panel = nullptr;
    DetailPanel *m_detail = nullptr;
};

void TestScanGui::initTestCase()
{
    qputenv("WHARF_CONFIG_DIR", m_config.path().toUtf8());
    qputenv("WHARF_CACHE_DIR", m_cache.path().toUtf8());
    qputenv("WHARF_DATA_DIR", m_data.path().toUtf8());
    qunsetenv("WHARF_OSV_MIRROR");
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_layout = std::make_unique<t::OciLayout>(m_work.filePath(u"layout"_s));

    const QByteArray status = Fx::ubuntuStatus();
    const QList<Fx::LayerSpec> layers = {
        {{t::TarEntry::directory(u"etc"_s),
          t::TarEntry::file(u"etc/os-release"_s,
                            Fx::osRelease(u"ubuntu"_s, u"22.04"_s, u"Ubuntu 22.04.5 LTS"_s)),
          t::TarEntry::file(u"var/lib/dpkg/status"_s, Fx::withoutPackage(status, u"gpgv"_s))},
         t::TarLayer::Compression::Gzip,
         kBaseLayer},
        {{t::TarEntry::file(u"var/lib/dpkg/status"_s, status),
          t::TarEntry::file(u"usr/bin/gpgv"_s, QByteArray(4096, '\x7f'), 0755)},
         t::TarLayer::Compression::Gzip,
         kGpgvLayer},
    };
    QVERIFY2(
        Fx::push(m_registry, *m_layout, u"scan/ubuntu"_s, u"22.04"_s, layers, &m_ubuntu, &error),
        qPrintable(error));
    // A second tag for the same digest.
    QVERIFY2(Fx::pushDescriptor(m_registry, *m_layout, m_ubuntu.image.manifest, u"scan/ubuntu"_s,
                                u"same"_s, &error),
             qPrintable(error));

    // The vulnerability data people would download: real Ubuntu records, synthetic others.
    m_zip = m_work.filePath(u"Ubuntu-all.zip"_s);
    QVERIFY2(Fx::writeZip(m_zip, Fx::ubuntuRecords() + Fx::alpineRecords() + Fx::debianRecords(),
                          &error),
             qPrintable(error));

    m_context = std::make_unique<AppContext>(new MemoryCredentialStore);
    Bookmark b;
    b.name = u"Scan registry"_s;
    b.url = QUrl(m_registry.url());
    const auto added = m_context->bookmarks()->add(b);
    if (!added)
        QFAIL(qPrintable(added.error().message));
    m_bookmarkId = added->id;
    openWindow();
    QCOMPARE(m_controller->storage()->databasePath(), m_data.filePath(u"vulnerabilities.db"_s));
    QCOMPARE(m_controller->storage()->resultsPath(), m_data.filePath(u"scan-results.db"_s));
}

void TestScanGui::cleanupTestCase()
{
    closeWindow();
    m_context.reset();
}

void TestScanGui::openWindow()
{
    if (!m_context)
        m_context = std::make_unique<AppContext>(new MemoryCredentialStore);
    m_window = std::make_unique<MainWindow>(m_context.get());
    new QAbstractItemModelTester(m_window->tagModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 m_window.get());
    new QAbstractItemModelTester(m_window->tagProxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 m_window.get());
    m_controller = m_window->findChild<ScanController *>();
    QVERIFY(m_controller);
    m_panel = m_controller->panel();
    QVERIFY(m_panel);
    m_detail = m_window->findChild<DetailPanel *>();
    QVERIFY(m_detail);
    // The results panel is a tab of the detail panel.
    QVERIFY(m_detail->isAncestorOf(m_panel));
    new QAbstractItemModelTester(m_panel->model(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, m_panel);
    new QAbstractItemModelTester(m_panel->proxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, m_panel);
    new QAbstractItemModelTester(m_panel->layerModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, m_panel);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // Where people look for the actions.
    auto *menu = child<QMenu>(m_window.get(), "menuSecurity");
    QVERIFY(menu->actions().contains(m_controller->scanTagsAction()));
    QVERIFY(menu->actions().contains(m_controller->scanRepositoryAction()));
    QVERIFY(menu->actions().contains(m_controller->databaseAction()));
    QVERIFY(child<QTableView>(m_window.get(), "tagTable")
                ->actions()
                .contains(m_controller->scanTagsAction()));
    QCOMPARE(m_controller->scanTagsAction()->shortcut(), QKeySequence(u"Ctrl+Shift+S"_s));
}

void TestScanGui::closeWindow()
{
    m_controller = nullptr;
    m_panel = nullptr;
    m_detail = nullptr;
    m_window.reset();
}

void TestScanGui::showRepository(const QString &repository, int tags)
{
    RegistryTreeModel *tree = m_window->treeModel();
    QSignalSpy revealed(tree, &RegistryTreeModel::pathRevealed);
    tree->revealPath(m_bookmarkId, repository);
    QTRY_VERIFY_WITH_TIMEOUT(!revealed.isEmpty() && revealed.last().at(1).toBool(), 30000);
    QTRY_COMPARE(m_window->tagModel()->repository(), repository);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->tagModel()->resolvedCount(), tags, 30000);
    QCOMPARE(m_window->currentTreeRepository(), repository);
}

void TestScanGui::showTag(const QString &tag)
{
    auto *table = child<QTableView>(m_window.get(), "tagTable");
    const int row = m_window->tagModel()->rowOfTag(tag);
    QVERIFY2(row >= 0, qPrintable(tag));
    table->selectionModel()->clear();
    table->selectionModel()->setCurrentIndex(
        m_window->tagProxy()->mapFromSource(m_window->tagModel()->index(row, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_detail->state() == DetailPanel::State::Loaded && m_detail->reference() == tag, 30000);
    QTRY_COMPARE(m_controller->shownDigest(), m_ubuntu.digest());
}

void TestScanGui::selectTags(const QStringList &tags)
{
    auto *table = child<QTableView>(m_window.get(), "tagTable");
    table->clearSelection();
    for (const QString &tag : tags) {
        const int row = m_window->tagModel()->rowOfTag(tag);
        QVERIFY2(row >= 0, qPrintable(tag));
        table->selectionModel()->select(
            m_window->tagProxy()->mapFromSource(m_window->tagModel()->index(row, 0)),
            QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QCOMPARE(sorted(m_window->selectedTags()), sorted(tags));
}

QString TestScanGui::vulnerabilityText(const QString &tag) const
{
    const TagTableModel *model = m_window->tagModel();
    return model->index(model->rowOfTag(tag), TagTableModel::VulnerabilitiesColumn)
        .data()
        .toString();
}

QList<Job *> TestScanGui::scanJobsInJobsPanel() const
{
    QList<Job *> jobs;
    for (int row = 0; row < m_window->jobs()->rowCount(); ++row) {
        Job *job = m_window->jobs()->jobAt(row);
        if (qobject_cast<ScanJob *>(job) || qobject_cast<TrivyEngine *>(job))
            jobs << job;
    }
    return jobs;
}

VulnerabilityDatabaseDialog *TestScanGui::openDatabaseDialog()
{
    m_controller->databaseAction()->trigger();
    auto *dialog = m_window->findChild<VulnerabilityDatabaseDialog *>();
    if (dialog && !dialog->isVisible())
        return nullptr;
    return dialog;
}

void TestScanGui::noDatabaseExplainsInPlace()
{
    CHECKED(showRepository(u"scan/ubuntu"_s, 2));
    CHECKED(showTag(u"22.04"_s));
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::NoDatabase);
    QVERIFY2(m_panel->message().contains(u"no vulnerability database"_s),
             qPrintable(m_panel->message()));
    QVERIFY(!child<QPushButton>(m_panel, "databaseButton")->isHidden());
    // Looking creates no files: neither the database nor the results store.
    QVERIFY(!QFileInfo::exists(m_controller->storage()->databasePath()));
    QVERIFY(!QFileInfo::exists(m_controller->storage()->resultsPath()));

    // Scanning explains instead of queueing a job doomed to fail, in the Vulnerabilities tab.
    CHECKED(selectTags({u"22.04"_s}));
    QVERIFY(m_controller->scanTagsAction()->isEnabled());
    const int jobsBefore = m_window->jobs()->rowCount();
    m_controller->scanTagsAction()->trigger();
    QCOMPARE(m_window->jobs()->rowCount(), jobsBefore);
    QVERIFY(m_controller->activeScans().isEmpty());
    QCOMPARE(m_panel->state(), ScanResultsPanel::State::NoDatabase);
    QCOMPARE(child<QTabWidget>(m_detail, "tabs")->currentWidget(), m_panel);
    QVERIFY(m_panel->isVisible());
    QVERIFY(child<QPushButton>(m_panel, "databaseButton")->isVisible());
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"Vulnerability Database"_s));
}

void TestScanGui::importDatabaseThroughDialog()
{
    VulnerabilityDatabaseDialog *dialog = openDatabaseDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->statusText().contains(u"no vulnerability database"_s));

    // Import OSV Zip… opens a file picker; choosing the zip starts the import.
    QSignalSpy started(m_controller, &ScanController::databaseJobStarted);
    QTest::mouseClick(child<QPushButton>(dialog, "importButton"), Qt::LeftButton);
    QFileDialog *picker = nullptr;
    QTRY_VERIFY((picker = dialog->findChild<QFileDialog *>(u"importFileDialog"_s)));
    QTRY_VERIFY(picker->isVisible());
    picker->selectFile(m_zip);
    static_cast<QDialog *>(picker)->accept(); // QFileDialog hides it
    QTRY_COMPARE(started.size(), 1);
    Job *job = m_controller->databaseJob();
    QVERIFY(job);
    QVERIFY(m_window->jobs()->rowOf(job) >= 0); // in the jobs panel, with progress and Cancel
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 60000);
    QVERIFY2(job->state() == Job::State::Succeeded,
             qPrintable(job->error() ? job->error()->message : QString()));

    // The dialog shows what the database holds, as the database itself reports it.
    QTRY_VERIFY2(dialog->statusText().contains(u"Records: 23."_s),
                 qPrintable(dialog->statusText()));
    QStringList expected;
    {
        VulnerabilityDatabase db;
        QVERIFY(db.open(m_controller->storage()->databasePath()));
        const auto status = db.status();
        QCOMPARE(status.totalRecords, 12 + 9 + 2);
        for (const auto &e : status.ecosystems)
            expected << e.ecosystem + u' ' + QString::number(e.recordCount);
    }
    QVERIFY(expected.contains(u"Alpine:v3.20 9"_s) || expected.join(u' ').contains(u"Alpine"_s));
    QCOMPARE(sorted(dialog->ecosystemRows()), sorted(expected));
    QVERIFY(dialog->statusText().contains(u"Last import"_s));

    // The Vulnerabilities tab now offers to scan.
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::NotScanned);
    QVERIFY(child<QPushButton>(m_panel, "scanButton")->isEnabled());
    dialog->close();
}

void TestScanGui::scanSelectedTagFromTheTagTable()
{
    CHECKED(showTag(u"22.04"_s));
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::NotScanned);
    QSignalSpy panelStates(m_panel, &ScanResultsPanel::stateChanged);
    QSignalSpy stored(m_controller, &ScanController::resultStored);
    const QList<Job *> before = scanJobsInJobsPanel();
    CHECKED(selectTags({u"22.04"_s}));
    m_controller->scanTagsAction()->trigger();

    // A job in the jobs panel, followed by the Vulnerabilities tab.
    QTRY_COMPARE(scanJobsInJobsPanel().size(), before.size() + 1);
    auto *job = qobject_cast<ScanJob *>(scanJobsInJobsPanel().constLast());
    QVERIFY(job);
    QCOMPARE(job->repository(), u"scan/ubuntu"_s);
    QCOMPARE(job->reference(), u"22.04"_s);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), ScanTimeoutMs);
    QVERIFY2(job->state() == Job::State::Succeeded,
             qPrintable(job->error() ? job->error()->message : QString()));
    bool sawScanning = false;
    for (const QList<QVariant> &args : std::as_const(panelStates))
        sawScanning = sawScanning || args.at(0).value<ScanResultsPanel::State>() ==
                                         ScanResultsPanel::State::Scanning;
    QVERIFY(sawScanning);

    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
    QVERIFY(!m_panel->isStale());
    const ScanResultModel *model = m_panel->model();
    QCOMPARE(model->rowCount(), kUbuntu.size());
    for (int i = 0; i < kUbuntu.size(); ++i) {
        const ExpectedFinding &e = kUbuntu.at(i);
        auto cell = [model, i](int col) { return model->index(i, col).data().toString(); };
        const QByteArray where = e.id.toUtf8();
        QVERIFY2(cell(ScanResultModel::IdColumn) == e.id, where.constData());
        QVERIFY2(cell(ScanResultModel::PackageColumn) == e.package,
                 qPrintable(cell(ScanResultModel::PackageColumn)));
        QVERIFY2(cell(ScanResultModel::InstalledColumn) == e.installed, where.constData());
        QVERIFY2(cell(ScanResultModel::FixedColumn) == e.fixed, where.constData());
        QVERIFY2(cell(ScanResultModel::SeverityColumn) == e.severity, where.constData());
        // Layer: index and created_by of the layer that introduced the package.
        const QString layer = u"%1: %2"_s.arg(e.layer).arg(e.layer == 0 ? kBaseLayer : kGpgvLayer);
        QVERIFY2(cell(ScanResultModel::LayerColumn) == layer,
                 qPrintable(cell(ScanResultModel::LayerColumn)));
        QVERIFY2(model->index(i, ScanResultModel::IdColumn)
                     .data(ScanResultModel::UrlRole)
                     .toString()
                     .startsWith(u"https://ubuntu.com/security/"_s),
                 where.constData());
    }
    // The summary bar: {total, critical, high, medium, low} (+ unknown) and per layer.
    QCOMPARE(m_panel->result().counts, kUbuntuCounts);
    const QString summary = m_panel->summaryText();
    for (const QString &part :
         {u"Total: 6"_s, u"1 Critical"_s, u"3 High"_s, u"0 Medium"_s, u"1 Low"_s, u"1 Unknown"_s,
          u"By layer: #0: 1 C · 2 H · 1 L · 1 ?, #1: 1 H"_s})
        QVERIFY2(summary.contains(part), qPrintable(summary + u" lacks "_s + part));
    QCOMPARE(m_panel->layerModel()->rowCount(), 2);
    QCOMPARE(m_panel->layerModel()->index(0, ScanLayerModel::TotalColumn).data().toInt(), 5);
    QCOMPARE(m_panel->layerModel()->index(1, ScanLayerModel::CreatedByColumn).data().toString(),
             kGpgvLayer);
    QVERIFY(m_panel->headerText().contains(u"Ubuntu 22.04.5 LTS"_s));

    // The tag table's column, for both tags of the digest.
    QCOMPARE(vulnerabilityText(u"22.04"_s), u"1 C · 3 H · 1 L · 1 ?"_s);
    QCOMPARE(vulnerabilityText(u"same"_s), u"1 C · 3 H · 1 L · 1 ?"_s);
    const TagTableModel *tags = m_window->tagModel();
    QCOMPARE(tags->index(tags->rowOfTag(u"22.04"_s), TagTableModel::VulnerabilitiesColumn)
                 .data(TagTableModel::SortRole)
                 .toInt(),
             SeverityStyle::sortKey(kUbuntuCounts));

    // Stored by digest, as another client of the store reads it.
    QTRY_VERIFY(!stored.isEmpty());
    QCOMPARE(stored.last().at(0).toString(), m_ubuntu.digest());
    QCOMPARE(stored.last().at(1).toString(), QString());
    ScanResultStore store;
    QVERIFY(store.open(m_controller->storage()->resultsPath()));
    const auto loaded = store.load(m_ubuntu.digest());
    QVERIFY(loaded);
    QCOMPARE(loaded->findings.size(), 6);
    QCOMPARE(loaded->counts, kUbuntuCounts);
}

void TestScanGui::filtersAndSorting()
{
    QCOMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
    const ScanFilterProxyModel *proxy = m_panel->proxy();
    auto *fixable = child<QCheckBox>(m_panel, "fixableCheck");
    auto *minimum = child<QComboBox>(m_panel, "minimumSeverityCombo");
    fixable->setChecked(true);
    QCOMPARE(sorted(column(proxy, ScanResultModel::IdColumn)),
             sorted({u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2025-68973"_s}));
    fixable->setChecked(false);
    minimum->setCurrentIndex(minimum->findData(int(Severity::High)));
    QCOMPARE(sorted(column(proxy, ScanResultModel::IdColumn)),
             sorted({u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2026-0861"_s,
                     u"UBUNTU-CVE-2025-68973"_s}));
    fixable->setChecked(true);
    QCOMPARE(proxy->rowCount(), 3);
    fixable->setChecked(false);
    minimum->setCurrentIndex(0);
    QCOMPARE(proxy->rowCount(), 6);

    // Sorting through the view's header: severity by rank (CVSS within a rank).
    QTableView *view = m_panel->findingsView();
    view->sortByColumn(ScanResultModel::SeverityColumn, Qt::AscendingOrder);
    QCOMPARE(column(proxy, ScanResultModel::SeverityColumn),
             (QStringList{u"Unknown"_s, u"Low"_s, u"High"_s, u"High"_s, u"High"_s, u"Critical"_s}));
    QCOMPARE(proxy->index(2, ScanResultModel::IdColumn).data().toString(),
             u"UBUNTU-CVE-2025-68973"_s); // 7.8 < 8.4 < 8.8
    view->sortByColumn(ScanResultModel::SeverityColumn, Qt::DescendingOrder);
    QStringList ids;
    for (const ExpectedFinding &e : kUbuntu)
        ids << e.id;
    QCOMPARE(column(proxy, ScanResultModel::IdColumn), ids);
}

void TestScanGui::exportFormats()
{
    QCOMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
    QSignalSpy exported(m_panel, &ScanResultsPanel::exported);
    const QString json = m_work.filePath(u"result.json"_s);
    const QString csv = m_work.filePath(u"result.csv"_s);
    const QString sarif = m_work.filePath(u"result.sarif"_s);
    m_panel->exportTo(json, ScanExporter::Format::Json);
    m_panel->exportTo(csv, ScanExporter::Format::Csv);
    // SARIF through the save dialog the Export menu opens.
    m_panel->chooseExportFile(ScanExporter::Format::Sarif);
    QFileDialog *picker = nullptr;
    QTRY_VERIFY((picker = m_panel->findChild<QFileDialog *>(u"exportDialog"_s)));
    QVERIFY(picker->selectedFiles().value(0).endsWith(u"scan_ubuntu-22.04.sarif"_s));
    picker->selectFile(sarif);
    static_cast<QDialog *>(picker)->accept(); // QFileDialog hides it
    QTRY_COMPARE(exported.size(), 3);
    for (const QList<QVariant> &args : std::as_const(exported))
        QVERIFY2(args.at(1).toString().isEmpty(), qPrintable(args.at(1).toString()));

    auto read = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    // JSON: the original scan-results shape plus the findings.
    QJsonParseError parseError{};
    const QJsonObject o = QJsonDocument::fromJson(read(json), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(o.value(u"digest"_s).toString(), m_ubuntu.digest());
    QCOMPARE(o.value(u"total"_s).toInt(), 6);
    QCOMPARE(o.value(u"critical"_s).toInt(), 1);
    QCOMPARE(o.value(u"high"_s).toInt(), 3);
    QCOMPARE(o.value(u"medium"_s).toInt(), 0);
    QCOMPARE(o.value(u"low"_s).toInt(), 1);
    QCOMPARE(o.value(u"unknown"_s).toInt(), 1);
    const QJsonArray layers = o.value(u"layers"_s).toArray();
    QCOMPARE(layers.size(), 2);
    QCOMPARE(layers[0].toObject().value(u"total"_s).toInt(), 5);
    QCOMPARE(layers[1].toObject().value(u"createdBy"_s).toString(), kGpgvLayer);
    const QJsonArray vulns = o.value(u"vulnerabilities"_s).toArray();
    QCOMPARE(vulns.size(), 6);
    QCOMPARE(vulns[0].toObject().value(u"id"_s).toString(), u"UBUNTU-CVE-2025-15467"_s);
    QCOMPARE(vulns[0].toObject().value(u"fixedVersion"_s).toString(), u"3.0.2-0ubuntu1.21"_s);

    // CSV: a header and one record per finding, every record as wide as the header.
    const QList<QStringList> records = parseCsv(QString::fromUtf8(read(csv)));
    QCOMPARE(records.size(), 1 + 6);
    QCOMPARE(records.first(), ScanExporter::csvHeader());
    const int idColumn = int(records.first().indexOf(u"id"_s));
    QVERIFY(idColumn >= 0);
    QStringList csvIds;
    for (qsizetype i = 1; i < records.size(); ++i) {
        QCOMPARE(records.at(i).size(), records.first().size());
        csvIds << records.at(i).at(idColumn);
    }
    QStringList ids;
    for (const ExpectedFinding &e : kUbuntu)
        ids << e.id;
    QCOMPARE(sorted(csvIds), sorted(ids));

    // SARIF 2.1.0: one result per finding, one rule per id.
    const QJsonObject s = QJsonDocument::fromJson(read(sarif), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(s.value(u"version"_s).toString(), u"2.1.0"_s);
    QVERIFY(s.value(u"$schema"_s).toString().contains(u"sarif"_s));
    const QJsonObject run = s.value(u"runs"_s).toArray().at(0).toObject();
    QCOMPARE(run.value(u"results"_s).toArray().size(), 6);
    QCOMPARE(run.value(u"tool"_s)
                 .toObject()
                 .value(u"driver"_s)
                 .toObject()
                 .value(u"rules"_s)
                 .toArray()
                 .size(),
             6);
}

void TestScanGui::sameDigestScannedOnce()
{
    // Both tags point at one digest: two requests, one scan.
    CHECKED(selectTags({u"22.04"_s, u"same"_s}));
    QSignalSpy added(m_controller->queue(), &ScanQueue::jobAdded);
    m_controller->scanTagsAction()->trigger();
    QTRY_COMPARE(added.size(), 2);
    QList<QPointer<ScanJob>> jobs;
    for (const QList<QVariant> &args : std::as_const(added))
        jobs << qobject_cast<ScanJob *>(args.at(0).value<Job *>());
    QVERIFY(jobs[0] && jobs[1]);
    QTRY_VERIFY_WITH_TIMEOUT(jobs[0]->isFinished() && jobs[1]->isFinished(), ScanTimeoutMs);
    for (const QPointer<ScanJob> &job : jobs)
        QVERIFY2(job->state() == Job::State::Succeeded,
                 qPrintable(job->error() ? job->error()->message : QString()));
    QVERIFY(jobs[0]->tookSharedResult() != jobs[1]->tookSharedResult());
    QCOMPARE(jobs[0]->result().digest, m_ubuntu.digest());
    QCOMPARE(jobs[1]->result().digest, m_ubuntu.digest());
    QCOMPARE(jobs[0]->result().counts, kUbuntuCounts);
    QCOMPARE(jobs[1]->result().counts, kUbuntuCounts);
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
}

void TestScanGui::scanRepositoryFromTheTree()
{
    // The tree's current node is the repository (revealPath selected it).
    QCOMPARE(m_window->currentTreeRepository(), u"scan/ubuntu"_s);
    QAction *action = m_controller->scanRepositoryAction();
    QVERIFY(action->isEnabled());
    QVERIFY(action->text().contains(u"scan/ubuntu"_s));
    QSignalSpy added(m_controller->queue(), &ScanQueue::jobAdded);
    action->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 2, 20000); // every tag
    QStringList references;
    QList<QPointer<ScanJob>> jobs;
    for (const QList<QVariant> &args : std::as_const(added)) {
        auto *job = qobject_cast<ScanJob *>(args.at(0).value<Job *>());
        jobs << job;
        references << job->reference();
    }
    QCOMPARE(sorted(references), (QStringList{u"22.04"_s, u"same"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(jobs[0]->isFinished() && jobs[1]->isFinished(), ScanTimeoutMs);
    QCOMPARE(jobs[0]->state(), Job::State::Succeeded);
    QCOMPARE(jobs[1]->state(), Job::State::Succeeded);
}

void TestScanGui::cancelFromThePanel()
{
    CHECKED(showTag(u"22.04"_s));
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
    // Cancel as soon as the panel shows the scan (the image scans in well under a second).
    auto *cancel = child<QPushButton>(m_panel, "cancelButton");
    QPointer<Job> cancelled;
    auto connection =
        connect(m_panel, &ScanResultsPanel::stateChanged, this, [&](ScanResultsPanel::State state) {
            if (state != ScanResultsPanel::State::Scanning || cancelled)
                return;
            cancelled = m_panel->scanningJob();
            QVERIFY(!cancel->isHidden());
            cancel->click();
        });
    QTest::mouseClick(child<QPushButton>(m_panel, "scanButton"), Qt::LeftButton);
    QTRY_VERIFY(cancelled);
    disconnect(connection);
    QTRY_VERIFY(cancelled->isFinished());
    QCOMPARE(cancelled->state(), Job::State::Cancelled);
    const JobListModel *jobs = m_window->jobs();
    QCOMPARE(jobs->index(jobs->rowOf(cancelled), 0).data(JobListModel::StateRole).toInt(),
             int(Job::State::Cancelled));
    // The earlier result comes back; a cancelled scan is no failure.
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::Loaded);
    QCOMPARE(m_panel->model()->rowCount(), 6);
    QVERIFY(m_controller->activeScans().isEmpty());
}

void TestScanGui::reopenShowsStoredResultThenStale()
{
    closeWindow();
    CHECKED(openWindow());
    QVERIFY(m_controller->activeScans().isEmpty());
    CHECKED(showRepository(u"scan/ubuntu"_s, 2));
    // The column comes from the store when the repository loads.
    QTRY_COMPARE(vulnerabilityText(u"22.04"_s), u"1 C · 3 H · 1 L · 1 ?"_s);
    QCOMPARE(vulnerabilityText(u"same"_s), u"1 C · 3 H · 1 L · 1 ?"_s);
    CHECKED(showTag(u"22.04"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->state(), ScanResultsPanel::State::Loaded, 3000);
    QCOMPARE(m_panel->model()->rowCount(), 6);
    QCOMPARE(m_panel->result().counts, kUbuntuCounts);
    QTRY_VERIFY(m_controller->databaseState().has_value());
    QVERIFY(!m_panel->isStale());
    QVERIFY(scanJobsInJobsPanel().isEmpty()); // from the store, not a new scan

    // Newer vulnerability data: the result and the column are marked stale.
    const QString newer = m_work.filePath(u"newer.zip"_s);
    QString error;
    QVERIFY2(Fx::writeZip(newer,
                          {{u"DEBIAN-SYN-9000.json"_s,
                            QByteArrayLiteral(
                                "{\"id\":\"DEBIAN-SYN-9000\",\"modified\":\"2026-01-01T00:00:00Z\","
                                "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":"
                                "\"zlib\"},\"versions\":[\"1\"]}]}")}},
                          &error),
             qPrintable(error));
    Job *job = m_controller->importDatabase({newer});
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 60000);
    QCOMPARE(job->state(), Job::State::Succeeded);
    QTRY_VERIFY(m_panel->isStale());
    QVERIFY2(m_panel->staleMessage().contains(u"Scan again"_s),
             qPrintable(m_panel->staleMessage()));
    QCOMPARE(m_panel->model()->rowCount(), 6); // still shown
    QTRY_COMPARE(vulnerabilityText(u"22.04"_s), u"1 C · 3 H · 1 L · 1 ? (stale)"_s);

    // Scanning again brings it up to date.
    child<QPushButton>(m_panel, "scanButton")->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->activeScans().isEmpty() &&
                                 m_panel->state() == ScanResultsPanel::State::Loaded &&
                                 !m_panel->isStale(),
                             ScanTimeoutMs);
    QCOMPARE(scanJobsInJobsPanel().size(), 1);
    QCOMPARE(qobject_cast<ScanJob *>(scanJobsInJobsPanel().first())->reference(),
             m_ubuntu.digest()); // exactly the platform shown
    QTRY_COMPARE(vulnerabilityText(u"22.04"_s), u"1 C · 3 H · 1 L · 1 ?"_s);
}

void TestScanGui::updateFromMirror()
{
    MirrorServer mirror;
    mirror.path = "/Alpine/all.zip";
    QString error;
    const QString zip = m_work.filePath(u"alpine-mirror.zip"_s);
    QVERIFY2(Fx::writeZip(zip, Fx::alpineRecords(), &error), qPrintable(error));
    QFile file(zip);
    QVERIFY(file.open(QIODevice::ReadOnly));
    mirror.body = file.readAll();
    const quint16 port = mirror.listen();
    QVERIFY(port != 0);
    const QString url = u"http://127.0.0.1:%1"_s.arg(port);

    VulnerabilityDatabaseDialog *dialog = openDatabaseDialog();
    QVERIFY(dialog);
    // The default mirror is the OSV bucket.
    QCOMPARE(child<QLineEdit>(dialog, "mirrorEdit")->text(),
             OsvDownloader::defaultMirror().toString());
    // Default ecosystems: those in the database.
    QTRY_VERIFY(child<QLineEdit>(dialog, "ecosystemsEdit")->text().contains(u"Ubuntu"_s));
    child<QLineEdit>(dialog, "mirrorEdit")->setText(url);
    child<QLineEdit>(dialog, "ecosystemsEdit")->setText(u"Alpine"_s);
    QSignalSpy started(m_controller, &ScanController::databaseJobStarted);
    QTest::mouseClick(child<QPushButton>(dialog, "updateButton"), Qt::LeftButton);
    QTRY_COMPARE(started.size(), 1);
    auto *job = qobject_cast<DatabaseUpdateJob *>(started.first().at(0).value<Job *>());
    QVERIFY(job);
    QCOMPARE(dialog->shownJob(), job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 60000);
    QVERIFY2(job->state() == Job::State::Succeeded,
             qPrintable(job->error() ? job->error()->message : QString()));
    QCOMPARE(job->results().size(), 1);
    QVERIFY(job->results().first().ok);
    QCOMPARE(job->results().first().import.entries, 9);
    QVERIFY(mirror.requestLines.contains("GET /Alpine/all.zip HTTP/1.1"));
    QCOMPARE(child<QLabel>(dialog, "progressLabel")->text(),
             u"Done: Alpine: 9 records (0 new, 0 updated, 9 unchanged)"_s);
    QTRY_VERIFY(dialog->statusText().contains(u"Last import"_s));

    // The mirror is remembered, in the UI settings and in the next dialog.
    QCOMPARE(m_controller->mirror(), QUrl(url));
    QSettings settings(m_context->uiSettingsPath(), QSettings::IniFormat);
    QCOMPARE(settings.value(u"scan/osvMirror"_s).toString(), url);
    dialog->close();
    QTRY_VERIFY(!m_window->findChild<VulnerabilityDatabaseDialog *>());
    dialog = openDatabaseDialog();
    QVERIFY(dialog);
    QCOMPARE(child<QLineEdit>(dialog, "mirrorEdit")->text(), url);
    // "Default" puts the OSV bucket back.
    QTest::mouseClick(child<QPushButton>(dialog, "defaultMirrorButton"), Qt::LeftButton);
    QCOMPARE(child<QLineEdit>(dialog, "mirrorEdit")->text(),
             OsvDownloader::defaultMirror().toString());
    dialog->close();
}

void TestScanGui::trivyAsSecondEngine()
{
    // No trivy here: a stand-in on PATH checks its command line and writes a report in Trivy's
    // JSON schema. What this proves is the app's side (the action, the job, the result shown
    // and stored), not Trivy itself.
    QTemporaryDir bin;
    const QString script = bin.filePath(u"trivy"_s);
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"sh(#!/bin/sh
[ "$1" = image ] && [ "$2" = --input ] && [ -s "$3" ] && [ "$6" = --output ] || exit 2
cat > "$7" <<'REPORT'
{"SchemaVersion": 2, "ArtifactName": "image.tar",
 "Metadata": {"OS": {"Family": "ubuntu", "Name": "22.04"}},
 "Results": [{"Target": "image.tar (ubuntu 22.04)", "Class": "os-pkgs", "Type": "ubuntu",
   "Vulnerabilities": [{"VulnerabilityID": "CVE-2025-15467", "PkgName": "libssl3",
     "InstalledVersion": "3.0.2-0ubuntu1.20", "FixedVersion": "3.0.2-0ubuntu1.21",
     "Severity": "HIGH", "Title": "openssl: stand-in finding",
     "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2025-15467"}]}]}
REPORT
)sh");
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", bin.path().toUtf8() + ':' + path);
    closeWindow();
    openWindow();
    qputenv("PATH", path);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_controller->isTrivyAvailable());
    QAction *trivy = m_controller->scanTagsWithTrivyAction();
    QVERIFY(trivy->isVisible());
    QVERIFY(child<QMenu>(m_window.get(), "menuSecurity")->actions().contains(trivy));

    CHECKED(showRepository(u"scan/ubuntu"_s, 2));
    CHECKED(showTag(u"22.04"_s));
    QTRY_COMPARE(m_panel->state(), ScanResultsPanel::State::Loaded); // Wharf's earlier result
    QVERIFY(!child<QPushButton>(m_panel, "trivyButton")->isHidden());
    CHECKED(selectTags({u"22.04"_s}));
    QVERIFY(trivy->isEnabled());
    trivy->trigger();
    QTRY_COMPARE(scanJobsInJobsPanel().size(), 1);
    auto *job = qobject_cast<TrivyEngine *>(scanJobsInJobsPanel().first());
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), ScanTimeoutMs);
    QVERIFY2(job->state() == Job::State::Succeeded,
             qPrintable(job->error() ? job->error()->message : QString()));
    QTRY_VERIFY(m_panel->state() == ScanResultsPanel::State::Loaded &&
                m_panel->result().engine == u"trivy"_s);
    QCOMPARE(m_panel->model()->rowCount(), 1);
    QCOMPARE(m_panel->model()->index(0, ScanResultModel::IdColumn).data().toString(),
             u"CVE-2025-15467"_s);
    QVERIFY(m_panel->headerText().contains(u"Trivy"_s));
    QVERIFY(!m_panel->isStale()); // Trivy brings its own data: never stale against Wharf's
    QTRY_COMPARE(vulnerabilityText(u"22.04"_s), u"1 H"_s);
}

QTEST_MAIN(TestScanGui)
#include "tst_ScanGui.moc"
