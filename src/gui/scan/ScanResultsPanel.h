#pragma once

#include "jobs/Job.h"
#include "scan/service/ScanExporter.h"
#include "scan/service/ScanResult.h"
#include "widgets/StatusColors.h"

#include <QPointer>
#include <QWidget>

#include <memory>

namespace Ui {
class ScanResultsPanel;
}

class QTableView;

namespace wharf::gui {

class ScanFilterProxyModel;
class ScanLayerModel;
class ScanResultModel;

// The vulnerabilities of one platform image: a summary bar (counts per severity, the layers
// with what each introduced), the findings table (severity badges, ids that open their
// advisory, filter by text / fixable / minimum severity / layer) and export. Also the states
// around a result: nothing selected, not scanned yet (with Scan buttons), scanning (progress
// and Cancel), failed, no vulnerability database (what to do about it), stale.
//
// The panel only shows what it is told; ScanController decides what that is.
class ScanResultsPanel : public QWidget
{
    Q_OBJECT
public:
    enum class State { NoImage, Loading, NotScanned, Scanning, Failed, NoDatabase, Loaded };
    Q_ENUM(State)

    explicit ScanResultsPanel(QWidget *parent = nullptr);
    ~ScanResultsPanel() override;

    void showNoImage();
    void showLoading(const QString &what);
    void showNotScanned(const QString &what);
    // Follows the job's progress; Cancel cancels it. A result already shown stays visible.
    void showScanning(Job *job, const QString &what);
    void showFailed(const QString &message);
    // No usable vulnerability database: explains how to get one, with the button for it.
    void showNoDatabase(const QString &explanation);
    void showResult(const scan::ScanResult &result, bool stale, const QString &staleReason = {});
    void setStale(bool stale, const QString &reason = {});

    // Whether the Scan buttons are offered (an image is shown) and Trivy is installed.
    void setScanAvailable(bool available);
    void setTrivyAvailable(bool available);

    State state() const { return m_state; }
    bool isStale() const { return m_stale; }
    bool hasResult() const;
    const scan::ScanResult &result() const;
    QString message() const;
    QString staleMessage() const;
    QString summaryText() const; // the summary bar as plain text
    QString headerText() const;
    Job *scanningJob() const { return m_job; }

    ScanResultModel *model() const { return m_model; }
    ScanFilterProxyModel *proxy() const { return m_proxy; }
    ScanLayerModel *layerModel() const { return m_layers; }
    QTableView *findingsView() const;
    QTableView *layersView() const;

    // Writes the shown result in the background; exported() tells how it went.
    void exportTo(const QString &path, scan::ScanExporter::Format format);
    // Opens a save dialog (window-modal, object name "exportDialog") for the format.
    void chooseExportFile(scan::ScanExporter::Format format);
    static QString suggestedFileName(const scan::ScanResult &result,
                                     scan::ScanExporter::Format format);

signals:
    void scanRequested();
    void trivyScanRequested();
    void databaseDialogRequested();
    void exported(const QString &path, const QString &error);
    void stateChanged(wharf::gui::ScanResultsPanel::State state);

private:
    void setState(State state);
    void setMessage(const QString &text, StatusColors::Severity severity);
    void fillSummary();
    void openLink(const QModelIndex &index);
    void onLayerSelected();
    void applyFilter();
    void updateButtons();

    std::unique_ptr<Ui::ScanResultsPanel> m_ui;
    ScanResultModel *m_model;
    ScanFilterProxyModel *m_proxy;
    ScanLayerModel *m_layers;
    State m_state = State::NoImage;
    bool m_stale = false;
    bool m_scanAvailable = false;
    bool m_trivyAvailable = false;
    QPointer<Job> m_job;
    QMetaObject::Connection m_jobProgress;
    QString m_exportDirectory;
};

} // namespace wharf::gui
