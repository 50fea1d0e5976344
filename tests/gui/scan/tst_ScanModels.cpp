// The scan results views without a registry: ScanResultModel, ScanLayerModel and the filter
// proxy under QAbstractItemModelTester, the severity badges (colours and contrast), the
// summary bar, links that open advisories, and exports from the panel. The result is written by
// hand with the six findings the scanner reports for the Ubuntu fixture image
// (tests/scanner/tst_ScanRegistry.cpp has the derivation).

#include "scan/ScanFilterProxyModel.h"
#include "scan/ScanLayerModel.h"
#include "scan/ScanResultModel.h"
#include "scan/ScanResultsPanel.h"
#include "scan/SeverityBadgeDelegate.h"
#include "scan/SeverityStyle.h"
#include "scan/service/ScanResultJson.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
using namespace wharf::scan;

namespace {

const QString kBaseLayer = u"ADD ubuntu-base.tar /"_s;
const QString kGpgvLayer = u"/bin/sh -c apt-get install -y gpgv"_s;

ScanFinding finding(const QString &id, const QString &package, const QString &source,
                    const QString &installed, const QString &fixed, Severity severity, double cvss,
                    int layer)
{
    ScanFinding f;
    f.id = id;
    f.package = package;
    f.packages = {package};
    f.sourcePackage = source;
    f.installedVersion = installed;
    f.sourceVersion = installed;
    f.fixedVersion = fixed;
    f.severity = severity;
    if (cvss >= 0)
        f.cvssScore = cvss;
    f.title = u"%1 in %2"_s.arg(id, source);
    f.primaryUrl = u"https://ubuntu.com/security/"_s + id;
    f.ecosystem = u"Ubuntu:22.04:LTS"_s;
    f.layerIndex = layer;
    f.layerDigest = u"sha256:%1"_s.arg(QString(64, QChar(u'0' + layer)));
    f.createdBy = layer == 0 ? kBaseLayer : kGpgvLayer;
    return f;
}

// The Ubuntu fixture's findings, worst first (as the scanner sorts them).
ScanResult ubuntuResult()
{
    ScanResult r;
    r.registry = u"127.0.0.1:5000"_s;
    r.repository = u"scan/ubuntu"_s;
    r.reference = u"22.04"_s;
    r.digest = u"sha256:"_s + QString(64, u'a');
    r.topDigest = r.digest;
    r.platform = u"linux/amd64"_s;
    r.os.id = u"ubuntu"_s;
    r.os.versionId = u"22.04"_s;
    r.os.prettyName = u"Ubuntu 22.04.5 LTS"_s;
    r.packageCount = 101;
    r.scannedAt = QDateTime(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    r.databaseUpdatedAt = QDateTime(QDate(2025, 5, 30), QTime(8, 0), Qt::UTC);
    r.findings = {
        finding(u"UBUNTU-CVE-2025-15467"_s, u"libssl3"_s, u"openssl"_s, u"3.0.2-0ubuntu1.20"_s,
                u"3.0.2-0ubuntu1.21"_s, Severity::Critical, 9.8, 0),
        finding(u"USN-7980-1"_s, u"libssl3"_s, u"openssl"_s, u"3.0.2-0ubuntu1.20"_s,
                u"3.0.2-0ubuntu1.21"_s, Severity::High, 8.8, 0),
        finding(u"UBUNTU-CVE-2026-0861"_s, u"libc-bin"_s, u"glibc"_s, u"2.35-0ubuntu3.11"_s, {},
                Severity::High, 8.4, 0),
        finding(u"UBUNTU-CVE-2025-68973"_s, u"gpgv"_s, u"gnupg2"_s, u"2.2.27-3ubuntu2.4"_s,
                u"2.2.27-3ubuntu2.5"_s, Severity::High, 7.8, 1),
        finding(u"UBUNTU-CVE-2023-29383"_s, u"login"_s, u"shadow"_s, u"1:4.8.1-2ubuntu2.2"_s, {},
                Severity::Low, 3.3, 0),
        finding(u"CVE-2024-2236"_s, u"libgcrypt20"_s, u"libgcrypt20"_s, u"1.9.4-3ubuntu3"_s, {},
                Severity::Unknown, -1, 0),
    };
    r.findings[2].packages = {u"libc-bin"_s, u"libc6"_s};
    r.findings[5].primaryUrl.clear(); // one finding without a link
    for (int i = 0; i < 2; ++i) {
        ScanLayer layer;
        layer.index = i;
        layer.digest = u"sha256:%1"_s.arg(QString(64, QChar(u'0' + i)));
        layer.createdBy = i == 0 ? kBaseLayer : kGpgvLayer;
        layer.size = 1000 * (i + 1);
        layer.packages = i == 0 ? 100 : 1;
        r.layers << layer;
    }
    r.recount();
    return r;
}

QStringList column(const QAbstractItemModel *model, int col, int role = Qt::DisplayRole)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, col).data(role).toString();
    return values;
}

// Receives what QDesktopServices::openUrl would have opened.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public slots:
    void open(const QUrl &url) { urls << url; }
};

} // namespace

class TestScanModels : public QObject
{
    Q_OBJECT
private slots:
    void resultModelColumns();
    void layerModel();
    void filters();
    void sortingBySeverityRank();
    void severityColoursAreReadable();
    void shortCountsAndSortKey();
    void badgeDelegatePaintsTheSeverityColour();
    void panelSummaryAndFilterWidgets();
    void idCellOpensTheAdvisory();
    void panelExports();
    void panelStates();
};

void TestScanModels::resultModelColumns()
{
    ScanResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ScanResultModel::ColumnCount));
    model.setResult(ubuntuResult());
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(
        column(&model, ScanResultModel::IdColumn),
        (QStringList{u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2026-0861"_s,
                     u"UBUNTU-CVE-2025-68973"_s, u"UBUNTU-CVE-2023-29383"_s, u"CVE-2024-2236"_s}));
    QCOMPARE(column(&model, ScanResultModel::SeverityColumn),
             (QStringList{u"Critical"_s, u"High"_s, u"High"_s, u"High"_s, u"Low"_s, u"Unknown"_s}));
    QCOMPARE(column(&model, ScanResultModel::PackageColumn),
             (QStringList{u"libssl3"_s, u"libssl3"_s, u"libc-bin (+1)"_s, u"gpgv"_s, u"login"_s,
                          u"libgcrypt20"_s}));
    QCOMPARE(column(&model, ScanResultModel::FixedColumn),
             (QStringList{u"3.0.2-0ubuntu1.21"_s, u"3.0.2-0ubuntu1.21"_s, u"no fix"_s,
                          u"2.2.27-3ubuntu2.5"_s, u"no fix"_s, u"no fix"_s}));
    // The layer column: the index and the history line that made the layer.
    QCOMPARE(model.index(3, ScanResultModel::LayerColumn).data().toString(),
             u"1: /bin/sh -c apt-get install -y gpgv"_s);
    QCOMPARE(model.index(0, ScanResultModel::LayerColumn).data().toString(),
             u"0: ADD ubuntu-base.tar /"_s);
    QCOMPARE(model.index(3, 0).data(ScanResultModel::LayerIndexRole).toInt(), 1);
    QCOMPARE(model.index(0, 0).data(ScanResultModel::SeverityRole).toInt(),
             int(Severity::Critical));
    QVERIFY(model.index(0, 0).data(ScanResultModel::FixableRole).toBool());
    QVERIFY(!model.index(2, 0).data(ScanResultModel::FixableRole).toBool());
    QCOMPARE(model.index(0, ScanResultModel::IdColumn).data(ScanResultModel::UrlRole).toString(),
             u"https://ubuntu.com/security/UBUNTU-CVE-2025-15467"_s);
    QVERIFY(model.index(0, ScanResultModel::SeverityColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"9.8"_s));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.hasResult());
}

void TestScanModels::layerModel()
{
    ScanLayerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setLayers(ubuntuResult().layers);
    QCOMPARE(model.rowCount(), 2);
    auto value = [&model](int row, int col) { return model.index(row, col).data().toInt(); };
    // Layer 0 brought openssl (critical + high), glibc (high), shadow (low), libgcrypt20.
    QCOMPARE(value(0, ScanLayerModel::TotalColumn), 5);
    QCOMPARE(value(0, ScanLayerModel::CriticalColumn), 1);
    QCOMPARE(value(0, ScanLayerModel::HighColumn), 2);
    QCOMPARE(value(0, ScanLayerModel::MediumColumn), 0);
    QCOMPARE(value(0, ScanLayerModel::LowColumn), 1);
    QCOMPARE(value(1, ScanLayerModel::TotalColumn), 1);
    QCOMPARE(value(1, ScanLayerModel::HighColumn), 1);
    QCOMPARE(model.index(1, ScanLayerModel::CreatedByColumn).data().toString(), kGpgvLayer);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestScanModels::filters()
{
    ScanResultModel model;
    ScanFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setResult(ubuntuResult());
    QCOMPARE(proxy.rowCount(), 6);

    proxy.setFixableOnly(true);
    QCOMPARE(
        column(&proxy, ScanResultModel::IdColumn),
        (QStringList{u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2025-68973"_s}));
    proxy.setFixableOnly(false);
    proxy.setMinimumSeverity(Severity::High);
    QCOMPARE(column(&proxy, ScanResultModel::IdColumn),
             (QStringList{u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2026-0861"_s,
                          u"UBUNTU-CVE-2025-68973"_s}));
    proxy.setFixableOnly(true);
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setMinimumSeverity(Severity::Critical);
    QCOMPARE(column(&proxy, ScanResultModel::IdColumn), QStringList{u"UBUNTU-CVE-2025-15467"_s});
    proxy.setFixableOnly(false);
    proxy.setMinimumSeverity(Severity::Low); // Unknown severity is below Low
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setMinimumSeverity(Severity::Unknown);

    // Text: every word must match id, aliases, packages, source package or title.
    proxy.setFilterText(u"OPENSSL"_s);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterText(u"libc6"_s); // a second binary of the glibc finding
    QCOMPARE(column(&proxy, ScanResultModel::IdColumn), QStringList{u"UBUNTU-CVE-2026-0861"_s});
    proxy.setFilterText(u"openssl usn"_s);
    QCOMPARE(column(&proxy, ScanResultModel::IdColumn), QStringList{u"USN-7980-1"_s});
    proxy.setFilterText(u"nothing-like-this"_s);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilterText({});

    proxy.setLayerIndex(1);
    QCOMPARE(column(&proxy, ScanResultModel::IdColumn), QStringList{u"UBUNTU-CVE-2025-68973"_s});
    proxy.setLayerIndex(-1);
    QCOMPARE(proxy.rowCount(), 6);
}

void TestScanModels::sortingBySeverityRank()
{
    ScanResultModel model;
    ScanFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ScanResult r = ubuntuResult();
    std::reverse(r.findings.begin(), r.findings.end()); // arrive unsorted
    model.setResult(r);
    proxy.sort(ScanResultModel::SeverityColumn, Qt::DescendingOrder);
    // By rank, not alphabetically (which would put Critical before High before Low before
    // Unknown only by luck, and Medium wrongly); among the highs the CVSS score decides.
    QCOMPARE(
        column(&proxy, ScanResultModel::IdColumn),
        (QStringList{u"UBUNTU-CVE-2025-15467"_s, u"USN-7980-1"_s, u"UBUNTU-CVE-2026-0861"_s,
                     u"UBUNTU-CVE-2025-68973"_s, u"UBUNTU-CVE-2023-29383"_s, u"CVE-2024-2236"_s}));
    proxy.sort(ScanResultModel::SeverityColumn, Qt::AscendingOrder);
    QCOMPARE(column(&proxy, ScanResultModel::SeverityColumn),
             (QStringList{u"Unknown"_s, u"Low"_s, u"High"_s, u"High"_s, u"High"_s, u"Critical"_s}));
    // A medium finding sorts between high and low, although "Medium" < "Low" is false and
    // "Medium" > "High" alphabetically.
    r.findings.append(
        finding(u"X-MEDIUM"_s, u"zlib1g"_s, u"zlib"_s, u"1"_s, u"2"_s, Severity::Medium, 5.0, 0));
    model.setResult(r);
    proxy.sort(ScanResultModel::SeverityColumn, Qt::DescendingOrder);
    QCOMPARE(column(&proxy, ScanResultModel::SeverityColumn),
             (QStringList{u"Critical"_s, u"High"_s, u"High"_s, u"High"_s, u"Medium"_s, u"Low"_s,
                          u"Unknown"_s}));
    proxy.sort(ScanResultModel::LayerColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, ScanResultModel::IdColumn).data().toString(),
             u"UBUNTU-CVE-2025-68973"_s);
}

void TestScanModels::severityColoursAreReadable()
{
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf7, 0xf7));
    light.setColor(QPalette::Text, Qt::black);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    for (const QPalette &palette : {light, dark}) {
        for (Severity s : {Severity::Unknown, Severity::Negligible, Severity::Low, Severity::Medium,
                           Severity::High, Severity::Critical}) {
            const double ratio = SeverityStyle::contrastRatio(
                SeverityStyle::badgeColor(s, palette), SeverityStyle::badgeTextColor(s, palette));
            QVERIFY2(ratio >= 4.5, qPrintable(u"%1: %2"_s.arg(severityName(s)).arg(ratio)));
        }
    }
    // Unknown follows the palette; the others are distinct fixed colours.
    QVERIFY(SeverityStyle::badgeColor(Severity::Unknown, light) !=
            SeverityStyle::badgeColor(Severity::Unknown, dark));
    QCOMPARE(SeverityStyle::badgeTextColor(Severity::Unknown, dark), dark.color(QPalette::Text));
    QSet<QRgb> colours;
    for (Severity s : {Severity::Negligible, Severity::Low, Severity::Medium, Severity::High,
                       Severity::Critical})
        colours.insert(SeverityStyle::badgeColor(s, light).rgb());
    QCOMPARE(colours.size(), 5);
    // The WCAG formula itself: black on white is 21:1.
    QCOMPARE(qRound(SeverityStyle::contrastRatio(Qt::black, Qt::white)), 21);
}

void TestScanModels::shortCountsAndSortKey()
{
    const SeverityCounts ubuntu{6, 1, 3, 0, 1, 1};
    QCOMPARE(SeverityStyle::shortCounts(ubuntu), u"1 C · 3 H · 1 L · 1 ?"_s);
    QCOMPARE(SeverityStyle::shortCounts(SeverityCounts{18, 2, 5, 11, 0, 0}), u"2 C · 5 H · 11 M"_s);
    QCOMPARE(SeverityStyle::shortCounts(SeverityCounts{}), u"none found"_s);
    const int oneCritical = SeverityStyle::sortKey(SeverityCounts{1, 1, 0, 0, 0, 0});
    const int manyHigh = SeverityStyle::sortKey(SeverityCounts{5000, 0, 5000, 0, 0, 0});
    const int oneMedium = SeverityStyle::sortKey(SeverityCounts{1, 0, 0, 1, 0, 0});
    const int clean = SeverityStyle::sortKey(SeverityCounts{});
    QVERIFY(oneCritical > manyHigh);
    QVERIFY(manyHigh > oneMedium);
    QVERIFY(oneMedium > clean);
    QCOMPARE(clean, 0); // above "not scanned" (-1) in the tag table
    QVERIFY(SeverityStyle::sortKey(SeverityCounts{9999, 9999, 9999, 9999, 0, 0}) >
            0); // no overflow
}

void TestScanModels::badgeDelegatePaintsTheSeverityColour()
{
    ScanResultModel model;
    model.setResult(ubuntuResult());
    QTableView view;
    view.setModel(&model);
    auto *delegate = new SeverityBadgeDelegate(ScanResultModel::SeverityRole, &view);
    view.setItemDelegateForColumn(ScanResultModel::SeverityColumn, delegate);
    view.resize(800, 300);
    view.horizontalHeader()->resizeSection(ScanResultModel::SeverityColumn, 120);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.viewport()->grab().toImage();
    const QFontMetrics metrics(view.font());
    for (int row : {0, 1, 4}) { // critical, high, low
        const QModelIndex index = model.index(row, ScanResultModel::SeverityColumn);
        const QRect cell = view.visualRect(index);
        const QRect badge = SeverityBadgeDelegate::badgeRect(
            cell, metrics.horizontalAdvance(index.data().toString()), metrics.height());
        // Left inside the badge, before the text starts.
        const QPoint probe(badge.left() + 3, badge.center().y());
        const QColor painted = image.pixelColor(probe * image.devicePixelRatio());
        const QColor expected = SeverityStyle::badgeColor(
            Severity(index.data(ScanResultModel::SeverityRole).toInt()), view.palette());
        QVERIFY2(painted.rgb() == expected.rgb(),
                 qPrintable(u"row %1: %2 != %3"_s.arg(row).arg(painted.name(), expected.name())));
    }
    QVERIFY(delegate->sizeHint(QStyleOptionViewItem(), model.index(0, 0)).width() >
            metrics.horizontalAdvance(u"Critical"_s));
}

void TestScanModels::panelSummaryAndFilterWidgets()
{
    ScanResultsPanel panel;
    QAbstractItemModelTester t1(panel.model(),
                                QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester t2(panel.proxy(),
                                QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester t3(panel.layerModel(),
                                QAbstractItemModelTester::FailureReportingMode::Fatal);
    panel.show();
    panel.showResult(ubuntuResult(), false);
    QCOMPARE(panel.state(), ScanResultsPanel::State::Loaded);
    // The original scan-results shape: total, critical, high, medium, low (+ unknown), layers.
    const QString summary = panel.summaryText();
    for (const QString &part :
         {u"Total: 6"_s, u"1 Critical"_s, u"3 High"_s, u"0 Medium"_s, u"1 Low"_s, u"1 Unknown"_s,
          u"By layer: #0: 1 C · 2 H · 1 L · 1 ?, #1: 1 H"_s})
        QVERIFY2(summary.contains(part), qPrintable(summary + u" lacks "_s + part));
    QVERIFY(panel.headerText().contains(u"Ubuntu 22.04.5 LTS"_s));
    QVERIFY(panel.headerText().contains(u"packages: 101"_s));
    QCOMPARE(panel.layerModel()->rowCount(), 2);

    panel.findChild<QCheckBox *>(u"fixableCheck"_s)->setChecked(true);
    QCOMPARE(panel.proxy()->rowCount(), 3);
    auto *minimum = panel.findChild<QComboBox *>(u"minimumSeverityCombo"_s);
    minimum->setCurrentIndex(minimum->findData(int(Severity::High)));
    QCOMPARE(panel.proxy()->rowCount(), 3);
    panel.findChild<QCheckBox *>(u"fixableCheck"_s)->setChecked(false);
    QCOMPARE(panel.proxy()->rowCount(), 4);
    minimum->setCurrentIndex(0);
    panel.findChild<QLineEdit *>(u"filterEdit"_s)->setText(u"gnupg2"_s);
    QCOMPARE(panel.proxy()->rowCount(), 1);
    panel.findChild<QLineEdit *>(u"filterEdit"_s)->clear();

    // Selecting a layer lists what it introduced.
    QTableView *layers = panel.layersView();
    const QModelIndex second = layers->model()->index(1, 0);
    layers->selectionModel()->select(second, QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
    QCOMPARE(panel.proxy()->rowCount(), 1);
    layers->clearSelection();
    QCOMPARE(panel.proxy()->rowCount(), 6);
}

void TestScanModels::idCellOpensTheAdvisory()
{
    UrlCatcher catcher;
    QDesktopServices::setUrlHandler(u"https"_s, &catcher, "open");
    ScanResultsPanel panel;
    panel.resize(1000, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.showResult(ubuntuResult(), false);
    QTableView *view = panel.findingsView();
    const QModelIndex id = view->model()->index(0, ScanResultModel::IdColumn);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(id).center());
    QCOMPARE(catcher.urls,
             QList<QUrl>{QUrl(u"https://ubuntu.com/security/UBUNTU-CVE-2025-15467"_s)});
    // Other columns do not open links on a click; the finding without a URL never does.
    QTest::mouseClick(
        view->viewport(), Qt::LeftButton, {},
        view->visualRect(view->model()->index(0, ScanResultModel::TitleColumn)).center());
    const QModelIndex noUrl = view->model()->index(5, ScanResultModel::IdColumn);
    QCOMPARE(noUrl.data().toString(), u"CVE-2024-2236"_s);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(noUrl).center());
    QCOMPARE(catcher.urls.size(), 1);
    QDesktopServices::unsetUrlHandler(u"https"_s);
}

void TestScanModels::panelExports()
{
    QTemporaryDir dir;
    ScanResultsPanel panel;
    panel.showResult(ubuntuResult(), false);
    QSignalSpy exported(&panel, &ScanResultsPanel::exported);
    const QString json = dir.filePath(u"r.json"_s);
    panel.exportTo(json, ScanExporter::Format::Json);
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto parsed = ScanResultJson::fromJson(QJsonDocument::fromJson(file.readAll()).object());
    QVERIFY(parsed);
    QCOMPARE(parsed->findings.size(), 6);
    QCOMPARE(parsed->counts, (SeverityCounts{6, 1, 3, 0, 1, 1}));
    // An unwritable place is reported, not ignored.
    panel.exportTo(dir.filePath(u"missing/dir/r.csv"_s), ScanExporter::Format::Csv);
    QTRY_COMPARE(exported.size(), 2);
    QVERIFY(!exported.at(1).at(1).toString().isEmpty());
    QCOMPARE(ScanResultsPanel::suggestedFileName(ubuntuResult(), ScanExporter::Format::Sarif),
             u"scan_ubuntu-22.04.sarif"_s);
}

void TestScanModels::panelStates()
{
    ScanResultsPanel panel;
    QSignalSpy scan(&panel, &ScanResultsPanel::scanRequested);
    QSignalSpy database(&panel, &ScanResultsPanel::databaseDialogRequested);
    panel.show();
    QCOMPARE(panel.state(), ScanResultsPanel::State::NoImage);
    panel.setScanAvailable(true);
    panel.showNotScanned(u"scan/ubuntu:22.04"_s);
    auto *scanButton = panel.findChild<QPushButton *>(u"scanButton"_s);
    QVERIFY(scanButton->isVisible() && scanButton->isEnabled());
    QTest::mouseClick(scanButton, Qt::LeftButton);
    QCOMPARE(scan.size(), 1);
    panel.showNoDatabase(u"There is no vulnerability database yet."_s);
    QCOMPARE(panel.message(), u"There is no vulnerability database yet."_s);
    auto *databaseButton = panel.findChild<QPushButton *>(u"databaseButton"_s);
    QVERIFY(databaseButton->isVisible());
    QTest::mouseClick(databaseButton, Qt::LeftButton);
    QCOMPARE(database.size(), 1);
    QVERIFY(!panel.findingsView()->isVisible());

    panel.showResult(ubuntuResult(), true, u"the database is newer."_s);
    QVERIFY(panel.isStale());
    QVERIFY(panel.staleMessage().contains(u"the database is newer."_s));
    QVERIFY(panel.findingsView()->isVisible());
    panel.setStale(false);
    QVERIFY(!panel.isStale());
    panel.showFailed(u"boom"_s);
    QCOMPARE(panel.state(), ScanResultsPanel::State::Failed);
    QVERIFY(panel.message().contains(u"boom"_s));
    QVERIFY(!panel.hasResult());
}

QTEST_MAIN(TestScanModels)
#include "tst_ScanModels.moc"
