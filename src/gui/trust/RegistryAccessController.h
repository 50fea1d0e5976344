#pragma once

#include "tls/TlsTrust.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QModelIndex;
class QPushButton;
class QTreeView;

namespace wharf::gui {

class AddRepositoryDialog;
class CertificateTrustDialog;
class MainWindow;

// Plugs the real-world registry helpers of issue 6 into the main window:
//  - registries without a catalog: "Add Repository…" on the registry's context menu, on the
//    tree's "add repositories by hand" message row (menu and double-click) and in the Registry
//    menu; "Remove from List" on repositories the bookmark lists by hand;
//  - certificates: when rows of an https registry fail, the server's chain is read; if it does
//    not verify, the status bar offers "Trust certificate…" (also on the registry's and the
//    error row's context menu), which opens CertificateTrustDialog and, only on confirmation,
//    makes the saved certificate the bookmark's CA file and loads the registry again;
//  - rate limits: the current registry's pull quota in the status bar ("Pulls left: 76/100
//    per 6 h") whenever the registry sends RateLimit headers.
class RegistryAccessController : public QObject
{
    Q_OBJECT
public:
    explicit RegistryAccessController(MainWindow *window);
    ~RegistryAccessController() override;

    QAction *addRepositoryAction() const { return m_addRepository; }
    QAction *removeFromListAction() const { return m_removeFromList; }
    QAction *trustCertificateAction() const { return m_trustCertificate; }
    QLabel *rateLimitLabel() const { return m_rateLabel; }
    QPushButton *certificateNotice() const { return m_certificateNotice; }

    // Opens the Add Repository dialog for the bookmark (window-modal, deleted on close) and
    // reveals the first added repository once it is saved; null when the bookmark is unknown.
    AddRepositoryDialog *addRepositories(const QString &bookmarkId);
    // Takes repository off the bookmark's own list; false when it is not listed there.
    bool removeFromList(const QString &bookmarkId, const QString &repository);
    // Reads the registry's certificate chain, then opens CertificateTrustDialog (window-modal,
    // deleted on close) and passes it to opened; on failure the status bar says why and opened
    // gets null.
    void trustCertificate(const QString &bookmarkId,
                          std::function<void(CertificateTrustDialog *)> opened = {});
    // A certificate problem seen on this bookmark's failed rows, until its settings change.
    std::optional<TlsTrust::PeerChain> certificateProblem(const QString &bookmarkId) const;
    // Fills the context menu of a status row (the "add by hand" message, an error row of a
    // registry whose certificate failed); false when the row is not one of those.
    bool fillStatusRowMenu(const QModelIndex &index, QMenu *menu);
    // Where trusted certificates go; default TlsTrust::defaultDirectory().
    void setCertificateDirectory(const QString &directory) { m_certificateDirectory = directory; }

    // "Pulls left: 76/100 per 6 h" (limit or window left out when unknown).
    static QString rateLimitText(qint64 limit, qint64 remaining, int windowSeconds);

signals:
    void certificateProblemFound(const QString &bookmarkId);
    void certificateTrusted(const QString &bookmarkId, const QString &caFile);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct RateLimit
    {
        qint64 limit = -1;
        qint64 remaining = -1;
        int windowSeconds = 0;
    };

    QString targetBookmarkId() const;
    void updateActions();
    void updateRateLabel();
    void updateCertificateNotice();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void checkErrorRow(const QModelIndex &index);
    void forgetBookmark(const QString &bookmarkId);
    void applyTrustedCertificate(const QString &bookmarkId, const QString &file);

    MainWindow *m_window;
    QTreeView *m_tree = nullptr;
    QAction *m_addRepository;
    QAction *m_removeFromList;
    QAction *m_trustCertificate;
    QLabel *m_rateLabel;
    QPushButton *m_certificateNotice;
    QString m_certificateDirectory;
    QHash<QString, RateLimit> m_rateLimits;
    QHash<QString, TlsTrust::PeerChain> m_certificateProblems;
    QSet<QString> m_checking;              // bookmarks whose chain is being read
    QSet<QString> m_checkedFine;           // chain read and trusted: no need to read it again
    QHash<QString, quint64> m_generations; // bumped when a bookmark's settings change
    QString m_noticeBookmark;
};

} // namespace wharf::gui
