#pragma once

#include "Error.h"
#include "model/ImageInfo.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

namespace Ui {
class DetailPanel;
}

class QPushButton;
class QSortFilterProxyModel;

namespace wharf {
class RegistryClient;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

class LayerTableModel;

// Everything about one tag or digest: overview (references, digest, media type, created, sizes,
// platforms, pull commands), layers with size bars, config, history and the raw manifests.
// Loads through ImageResolver with asynchronous calls only; shows a loading state meanwhile
// and errors in place with a Retry button. For a multi-arch tag a platform picker chooses
// which platform image the Layers, Config, History and Manifest tabs show.
class DetailPanel : public QWidget
{
    Q_OBJECT
public:
    enum class State { Empty, Loading, Failed, Loaded };
    Q_ENUM(State)
    enum Tab { OverviewTab, LayersTab, ConfigTab, HistoryTab, ManifestTab };

    explicit DetailPanel(QWidget *parent = nullptr);
    ~DetailPanel() override;

    // Loads repository:reference (a tag or a digest) of the bookmark's registry; selects the
    // platform manifest platformDigest when given. Replaces whatever was shown or loading.
    void showImage(SessionManager *sessions, const QString &bookmarkId, const QString &repository,
                   const QString &reference, const QString &platformDigest = {});
    // Asks the registry again for what is shown (or failed to show).
    void retry();
    void clear();

    State state() const { return m_state; }
    QString errorMessage() const { return m_error ? m_error->message : QString(); }
    const std::optional<ResolvedImage> &image() const { return m_image; }
    QString bookmarkId() const { return m_bookmarkId; }
    QString repository() const { return m_repository; }
    QString reference() const { return m_reference; }

    // Index into image()->platforms of the platform shown in the tabs; -1 when none.
    int currentPlatform() const { return m_platform; }
    void setCurrentPlatform(int index);
    bool selectPlatform(const QString &platformDigest);

    // "host:port/repo:tag" (or "…@digest" when loaded by digest).
    QString fullReference() const;
    // "host:port/repo@sha256:…" of the top-level manifest, once loaded.
    QString digestReference() const;
    QString pullByDigestCommand() const;
    QString pullByTagCommand() const; // empty when loaded by digest

    LayerTableModel *layerModel() const { return m_layers; }

    // Adds a page after the built-in tabs, for feature areas (the scanner's Vulnerabilities
    // tab); it follows the shown image through stateChanged/platformChanged. Returns its index.
    int addTab(QWidget *page, const QString &title);

signals:
    void stateChanged(wharf::gui::DetailPanel::State state);
    void platformChanged(const QString &platformDigest);

private:
    void load();
    void cancelRequest();
    void setState(State state);
    void fail(const Error &error);
    void present(ResolvedImage image);
    void fillOverview();
    void fillPlatform();
    void fillConfig(const ImagePlatform &platform);
    void fillHistory(const ImagePlatform &platform);
    void fillManifestChoices();
    void showManifest();
    void copyToClipboard(const QString &text, QPushButton *button);
    QString repositoryReference() const; // host:port/repo

    std::unique_ptr<Ui::DetailPanel> m_ui;
    LayerTableModel *m_layers;
    QSortFilterProxyModel *m_layersProxy;

    QPointer<SessionManager> m_sessions;
    QMetaObject::Connection m_resetConnection;
    QString m_bookmarkId;
    QString m_repository;
    QString m_reference;
    QString m_wantedPlatformDigest;
    QString m_hostPort;
    QPointer<RegistryClient> m_client;
    QObject *m_request = nullptr; // the context of the load in flight; replaced per load

    State m_state = State::Empty;
    std::optional<Error> m_error;
    std::optional<ResolvedImage> m_image;
    int m_platform = -1;
    quint64 m_manifestGeneration = 0; // drops pretty-printed text for an earlier selection
};

} // namespace wharf::gui
