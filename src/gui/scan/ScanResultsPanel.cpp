#include "ScanResultsPanel.h"

#include "ScanFilterProxyModel.h"
#include "ScanLayerModel.h"
#include "ScanResultModel.h"
#include "SeverityBadgeDelegate.h"
#include "SeverityStyle.h"
#include "VulnerabilityLinkDelegate.h"
#include "jobs/Background.h"
#include "jobs/Job.h"
#include "main/WharfIcons.h"
#include "model/Format.h"
#include "ui_ScanResultsPanel.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace wharf::scan;

namespace wharf::gui {

ScanResultsPanel::ScanResultsPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ScanResultsPanel>())
    , m_model(new ScanResultModel(this))
    , m_proxy(new ScanFilterProxyModel(this))
    , m_layers(new ScanLayerModel(this))
{
    m_ui->setupUi(this);
    m_ui->mainLayout->setStretchFactor(m_ui->resultWidget, 1);
    m_ui->scanButton->setIcon(WharfIcons::icon(u"scan"_s));
    m_ui->cancelButton->setIcon(WharfIcons::icon(u"cancel"_s));

    m_proxy->setSourceModel(m_model);
    QTableView *findings = m_ui->findingsView;
    findings->setModel(m_proxy);
    findings->setItemDelegateForColumn(
        ScanResultModel::SeverityColumn,
        new SeverityBadgeDelegate(ScanResultModel::SeverityRole, findings));
    findings->setItemDelegateForColumn(
        ScanResultModel::IdColumn,
        new VulnerabilityLinkDelegate(ScanResultModel::UrlRole, findings));
    findings->verticalHeader()->hide();
    findings->verticalHeader()->setDefaultSectionSize(findings->fontMetrics().height() + 8);
    findings->sortByColumn(ScanResultModel::SeverityColumn, Qt::DescendingOrder);
    QHeaderView *header = findings->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(ScanResultModel::SeverityColumn, 100);
    header->resizeSection(ScanResultModel::IdColumn, 190);
    header->resizeSection(ScanResultModel::PackageColumn, 140);
    header->resizeSection(ScanResultModel::InstalledColumn, 150);
    header->resizeSection(ScanResultModel::FixedColumn, 150);
    header->resizeSection(ScanResultModel::LayerColumn, 220);
    connect(findings, &QTableView::clicked, this, [this](const QModelIndex &index) {
        if (index.column() == ScanResultModel::IdColumn)
            openLink(index);
    });
    // Enter on a row opens its advisory, whichever cell has the focus.
    connect(findings, &QTableView::activated, this, &ScanResultsPanel::openLink);

    auto *layerProxy = new QSortFilterProxyModel(this);
    layerProxy->setSourceModel(m_layers);
    layerProxy->setSortRole(ScanLayerModel::SortRole);
    QTableView *layers = m_ui->layersView;
    layers->setModel(layerProxy);
    layers->verticalHeader()->hide();
    layers->sortByColumn(ScanLayerModel::IndexColumn, Qt::AscendingOrder);
    layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layers->horizontalHeader()->setStretchLastSection(true);
    connect(layers->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ScanResultsPanel::onLayerSelected);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);

    QComboBox *minimum = m_ui->minimumSeverityCombo;
    minimum->addItem(tr("Any"), int(Severity::Unknown));
    for (Severity s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
        minimum->addItem(SeverityStyle::displayName(s), int(s));
    connect(minimum, &QComboBox::currentIndexChanged, this, &ScanResultsPanel::applyFilter);
    connect(m_ui->fixableCheck, &QCheckBox::toggled, this, &ScanResultsPanel::applyFilter);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, this, &ScanResultsPanel::applyFilter);

    auto *exportMenu = new QMenu(this);
    exportMenu->setObjectName(u"exportMenu"_s);
    exportMenu->addAction(tr("JSON…"), this,
                          [this] { chooseExportFile(ScanExporter::Format::Json); });
    exportMenu->addAction(tr("CSV…"), this,
                          [this] { chooseExportFile(ScanExporter::Format::Csv); });
    exportMenu->addAction(tr("SARIF 2.1.0…"), this,
                          [this] { chooseExportFile(ScanExporter::Format::Sarif); });
    m_ui->exportButton->setMenu(exportMenu);

    connect(m_ui->scanButton, &QPushButton::clicked, this, &ScanResultsPanel::scanRequested);
    connect(m_ui->trivyButton, &QPushButton::clicked, this, &ScanResultsPanel::trivyScanRequested);
    connect(m_ui->databaseButton, &QPushButton::clicked, this,
            &ScanResultsPanel::databaseDialogRequested);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });

    m_exportDirectory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    showNoImage();
}

ScanResultsPanel::~ScanResultsPanel() = default;

QTableView *ScanResultsPanel::findingsView() const
{
    return m_ui->findingsView;
}

QTableView *ScanResultsPanel::layersView() const
{
    return m_ui->layersView;
}

bool ScanResultsPanel::hasResult() const
{
    return m_model->hasResult();
}

const ScanResult &ScanResultsPanel::result() const
{
    return m_model->result();
}

QString ScanResultsPanel::message() const
{
    return m_ui->messageLabel->text();
}

QString ScanResultsPanel::staleMessage() const
{
    return m_stale ? m_ui->staleLabel->text() : QString();
}

QString ScanResultsPanel::headerText() const
{
    return m_ui->headerLabel->text();
}

QString ScanResultsPanel::summaryText() const
{
    QTextDocument doc;
    doc.setHtml(m_ui->summaryLabel->text());
    return doc.toPlainText().simplified();
}

void ScanResultsPanel::setMessage(const QString &text, StatusColors::Severity severity)
{
    StatusColors::show(m_ui->messageLabel, text, severity);
}

void ScanResultsPanel::setState(State state)
{
    m_state = state;
    if (state != State::Scanning) {
        disconnect(m_jobProgress);
        m_job = nullptr;
    }
    const bool showResult =
        m_model->hasResult() && (state == State::Loaded || state == State::Scanning);
    m_ui->resultWidget->setVisible(showResult);
    m_ui->progressBar->setVisible(state == State::Scanning || state == State::Loading);
    m_ui->cancelButton->setVisible(state == State::Scanning);
    m_ui->databaseButton->setVisible(state == State::NoDatabase);
    if (!showResult)
        setStale(false);
    updateButtons();
    emit stateChanged(state);
}

void ScanResultsPanel::updateButtons()
{
    const bool canScan = m_scanAvailable && m_state != State::Scanning &&
                         m_state != State::NoImage && m_state != State::Loading;
    m_ui->scanButton->setVisible(m_scanAvailable && m_state != State::NoImage);
    m_ui->scanButton->setEnabled(canScan);
    m_ui->scanButton->setText(m_model->hasResult() ? tr("&Scan Again") : tr("&Scan"));
    m_ui->trivyButton->setVisible(m_trivyAvailable && m_scanAvailable && m_state != State::NoImage);
    m_ui->trivyButton->setEnabled(canScan);
    m_ui->exportButton->setVisible(m_model->hasResult() &&
                                   (m_state == State::Loaded || m_state == State::Scanning));
}

void ScanResultsPanel::setScanAvailable(bool available)
{
    m_scanAvailable = available;
    updateButtons();
}

void ScanResultsPanel::setTrivyAvailable(bool available)
{
    m_trivyAvailable = available;
    updateButtons();
}

void ScanResultsPanel::showNoImage()
{
    m_model->clear();
    m_layers->clear();
    m_ui->headerLabel->setText(tr("Select a tag or platform to see its vulnerabilities."));
    setMessage({}, StatusColors::Severity::Neutral);
    setState(State::NoImage);
}

void ScanResultsPanel::showLoading(const QString &what)
{
    m_model->clear();
    m_layers->clear();
    m_ui->headerLabel->setText(what);
    setMessage(tr("Looking for earlier scan results…"), StatusColors::Severity::Neutral);
    m_ui->progressBar->setRange(0, 0);
    setState(State::Loading);
}

void ScanResultsPanel::showNotScanned(const QString &what)
{
    m_model->clear();
    m_layers->clear();
    m_ui->headerLabel->setText(what);
    setMessage(tr("This image has not been scanned yet. Scanning reads its layers from the "
                  "registry and matches the installed OS packages against the local "
                  "vulnerability database."),
               StatusColors::Severity::Neutral);
    setState(State::NotScanned);
}

void ScanResultsPanel::showScanning(Job *job, const QString &what)
{
    if (!m_model->hasResult())
        m_ui->headerLabel->setText(what);
    disconnect(m_jobProgress);
    m_job = job;
    auto update = [this] {
        if (!m_job)
            return;
        const qint64 total = m_job->total();
        if (total > 0) {
            m_ui->progressBar->setRange(0, 1000);
            m_ui->progressBar->setValue(int(m_job->done() * 1000 / total));
        } else {
            m_ui->progressBar->setRange(0, 0);
        }
        setMessage(m_job->statusText().isEmpty() ? tr("Waiting for a free scan slot…")
                                                 : m_job->statusText(),
                   StatusColors::Severity::Neutral);
    };
    m_jobProgress = connect(job, &Job::progressChanged, this, update);
    setState(State::Scanning);
    update();
}

void ScanResultsPanel::showFailed(const QString &message)
{
    m_model->clear();
    m_layers->clear();
    setMessage(tr("The scan failed: %1").arg(message), StatusColors::Severity::Error);
    setState(State::Failed);
}

void ScanResultsPanel::showNoDatabase(const QString &explanation)
{
    m_model->clear();
    m_layers->clear();
    setMessage(explanation, StatusColors::Severity::Warning);
    setState(State::NoDatabase);
}

void ScanResultsPanel::showResult(const ScanResult &result, bool stale, const QString &staleReason)
{
    m_model->setResult(result);
    m_layers->setLayers(result.layers);
    m_ui->layersView->clearSelection();
    m_proxy->setLayerIndex(-1);

    QStringList header;
    const QString os =
        result.os.prettyName.isEmpty() ? result.osDisplayName() : result.os.prettyName;
    header << (os.isEmpty() ? tr("Unknown OS") : os);
    if (!result.platform.isEmpty())
        header << result.platform;
    header << tr("packages: %1").arg(result.packageCount);
    header << tr("scanned %1 by %2")
                  .arg(Format::dateTime(result.scannedAt),
                       result.engine == u"trivy"_s ? tr("Trivy") : tr("Wharf"));
    if (result.databaseUpdatedAt.isValid())
        header << tr("database of %1").arg(Format::dateTime(result.databaseUpdatedAt));
    m_ui->headerLabel->setText(header.join(u" · "_s));
    m_ui->headerLabel->setToolTip(result.digest);
    fillSummary();
    setMessage(result.warnings.join(u'\n'), StatusColors::Severity::Warning);
    setState(State::Loaded);
    setStale(stale, staleReason);
}

void ScanResultsPanel::setStale(bool stale, const QString &reason)
{
    m_stale = stale && m_model->hasResult();
    StatusColors::show(m_ui->staleLabel,
                       m_stale ? tr("Stale: %1 Scan again to bring it up to date.")
                                     .arg(reason.isEmpty()
                                              ? tr("the vulnerability database changed after this "
                                                   "scan, so newer vulnerabilities or fixes may be "
                                                   "missing.")
                                              : reason)
                               : QString(),
                       StatusColors::Severity::Warning);
}

void ScanResultsPanel::fillSummary()
{
    const ScanResult &r = m_model->result();
    QString html = SeverityStyle::countsHtml(r.counts, palette());
    QStringList layers;
    for (const ScanLayer &l : r.layers) {
        if (l.counts.total > 0)
            layers << tr("#%1: %2").arg(l.index).arg(SeverityStyle::shortCounts(l.counts));
    }
    if (!layers.isEmpty())
        html += u"<br>"_s + tr("By layer: %1").arg(layers.join(u", "_s)).toHtmlEscaped();
    m_ui->summaryLabel->setText(html);
}

void ScanResultsPanel::applyFilter()
{
    m_proxy->setFilterText(m_ui->filterEdit->text());
    m_proxy->setFixableOnly(m_ui->fixableCheck->isChecked());
    m_proxy->setMinimumSeverity(Severity(m_ui->minimumSeverityCombo->currentData().toInt()));
}

void ScanResultsPanel::onLayerSelected()
{
    const QModelIndexList rows = m_ui->layersView->selectionModel()->selectedRows();
    m_proxy->setLayerIndex(
        rows.isEmpty() ? -1 : rows.first().data(ScanLayerModel::LayerIndexRole).toInt());
}

void ScanResultsPanel::openLink(const QModelIndex &index)
{
    const QString url = index.data(ScanResultModel::UrlRole).toString();
    if (!url.isEmpty())
        QDesktopServices::openUrl(QUrl(url));
}

QString ScanResultsPanel::suggestedFileName(const ScanResult &result, ScanExporter::Format format)
{
    QString base = result.repository.isEmpty() ? u"scan"_s : result.repository;
    const QString ref =
        result.reference.startsWith(u"sha256:"_s) ? result.reference.mid(7, 12) : result.reference;
    if (!ref.isEmpty())
        base += u'-' + ref;
    base.replace(u'/', u'_').replace(u':', u'_');
    switch (format) {
    case ScanExporter::Format::Json:
        return base + u".json"_s;
    case ScanExporter::Format::Csv:
        return base + u".csv"_s;
    case ScanExporter::Format::Sarif:
        return base + u".sarif"_s;
    }
    return base;
}

void ScanResultsPanel::chooseExportFile(ScanExporter::Format format)
{
    if (!m_model->hasResult())
        return;
    QString filter;
    switch (format) {
    case ScanExporter::Format::Json:
        filter = tr("JSON (*.json)");
        break;
    case ScanExporter::Format::Csv:
        filter = tr("CSV (*.csv)");
        break;
    case ScanExporter::Format::Sarif:
        filter = tr("SARIF (*.sarif *.sarif.json *.json)");
        break;
    }
    auto *dialog = new QFileDialog(this, tr("Export Scan Result"), m_exportDirectory, filter);
    dialog->setObjectName(u"exportDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->selectFile(suggestedFileName(m_model->result(), format));
    connect(dialog, &QFileDialog::fileSelected, this, [this, format](const QString &path) {
        m_exportDirectory = QFileInfo(path).absolutePath();
        exportTo(path, format);
    });
    dialog->open();
}

void ScanResultsPanel::exportTo(const QString &path, ScanExporter::Format format)
{
    if (!m_model->hasResult()) {
        emit exported(path, tr("There is no result to export."));
        return;
    }
    const ScanResult result = m_model->result();
    runInBackground<QString>(
        this,
        [result, path, format]() -> QString {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return file.errorString();
            const QByteArray bytes = ScanExporter::exportResult(result, format);
            if (file.write(bytes) != bytes.size() || !file.commit())
                return file.errorString();
            return {};
        },
        [this, path](QString error) { emit exported(path, error); });
}

} // namespace wharf::gui
