#include "RegistryAccessController.h"

#include "AddRepositoryDialog.h"
#include "CertificateTrustDialog.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "main/WharfIcons.h"
#include "models/RegistryTreeModel.h"
#include "widgets/StatusColors.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

using NodeType = RegistryTreeModel::NodeType;

NodeType typeOf(const QModelIndex &index)
{
    return index.data(RegistryTreeModel::NodeTypeRole).value<NodeType>();
}

// The "add repositories by hand" message (or "no repositories") right below a registry.
bool isCatalogMessage(const QModelIndex &index)
{
    return typeOf(index) == NodeType::Message && typeOf(index.parent()) == NodeType::Bookmark;
}

QString windowText(int seconds)
{
    if (seconds <= 0)
        return {};
    if (seconds % 3600 == 0)
        return RegistryAccessController::tr("%1 h").arg(seconds / 3600);
    if (seconds % 60 == 0)
        return RegistryAccessController::tr("%1 min").arg(seconds / 60);
    return RegistryAccessController::tr("%1 s").arg(seconds);
}

} // namespace

RegistryAccessController::RegistryAccessController(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_certificateDirectory(TlsTrust::defaultDirectory())
{
    setObjectName(u"registryAccessController"_s);
    m_tree = window->findChild<QTreeView *>(u"registryTree"_s);

    m_addRepository = new QAction(WharfIcons::icon(u"add"_s), tr("Add Re&pository…"), this);
    m_addRepository->setObjectName(u"actionAddRepository"_s);
    m_addRepository->setToolTip(
        tr("Name repositories to show for a registry that does not list its own"));
    m_removeFromList = new QAction(WharfIcons::icon(u"remove"_s), tr("Remove from &List"), this);
    m_removeFromList->setObjectName(u"actionRemoveFromList"_s);
    m_removeFromList->setToolTip(
        tr("Take the repository off the bookmark's list (nothing in the registry changes)"));
    m_trustCertificate =
        new QAction(WharfIcons::icon(u"secure"_s), tr("Trust &Certificate…"), this);
    m_trustCertificate->setObjectName(u"actionTrustCertificate"_s);
    m_trustCertificate->setToolTip(
        tr("Show the registry's certificate and decide whether to trust it"));

    window->addRegistryAction(m_addRepository);
    window->addRegistryAction(m_trustCertificate);
    window->addRepositoryAction(m_removeFromList);
    if (auto *menu = window->findChild<QMenu *>(u"menuRegistry"_s)) {
        menu->addSeparator();
        menu->addAction(m_addRepository);
        menu->addAction(m_removeFromList);
        menu->addAction(m_trustCertificate);
        connect(menu, &QMenu::aboutToShow, this, &RegistryAccessController::updateActions);
    }

    connect(m_addRepository, &QAction::triggered, this,
            [this] { addRepositories(targetBookmarkId()); });
    connect(m_removeFromList, &QAction::triggered, this, [this] {
        removeFromList(m_window->currentTreeBookmarkId(), m_window->currentTreeRepository());
    });
    connect(m_trustCertificate, &QAction::triggered, this,
            [this] { trustCertificate(targetBookmarkId()); });

    m_certificateNotice = new QPushButton(window);
    m_certificateNotice->setObjectName(u"certificateNotice"_s);
    m_certificateNotice->setFlat(true);
    m_certificateNotice->setIcon(WharfIcons::icon(u"warning"_s));
    m_certificateNotice->hide();
    connect(m_certificateNotice, &QPushButton::clicked, this,
            [this] { trustCertificate(m_noticeBookmark); });
    m_rateLabel = new QLabel(window);
    m_rateLabel->setObjectName(u"rateLimitLabel"_s);
    m_rateLabel->hide();
    window->statusBar()->addPermanentWidget(m_certificateNotice);
    window->statusBar()->addPermanentWidget(m_rateLabel);

    SessionManager *sessions = window->context()->sessions();
    connect(sessions, &SessionManager::rateLimitChanged, this,
            [this](const QString &id, qint64 limit, qint64 remaining, int windowSeconds) {
                m_rateLimits.insert(id, {limit, remaining, windowSeconds});
                updateRateLabel();
            });
    connect(sessions, &SessionManager::clientReset, this,
            &RegistryAccessController::forgetBookmark);
    connect(window->context()->bookmarks(), &BookmarkStore::changed, this, [this] {
        // Gone bookmarks take their numbers and problems with them.
        const QStringList known = m_rateLimits.keys() + m_certificateProblems.keys();
        for (const QString &id : known) {
            if (!m_window->context()->bookmarks()->byId(id))
                forgetBookmark(id);
        }
        updateActions();
    });

    RegistryTreeModel *model = window->treeModel();
    connect(model, &QAbstractItemModel::rowsInserted, this,
            &RegistryAccessController::onRowsInserted);
    connect(model, &QAbstractItemModel::dataChanged, this,
            &RegistryAccessController::onRowsChanged);
    if (m_tree) {
        m_tree->viewport()->installEventFilter(this);
        connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
            updateActions();
            updateRateLabel();
            updateCertificateNotice();
        });
        // Double-click (or Enter) on the "add by hand" message does what it says.
        connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
            if (isCatalogMessage(index))
                addRepositories(index.data(RegistryTreeModel::BookmarkIdRole).toString());
        });
    }
    updateActions();
}

RegistryAccessController::~RegistryAccessController() = default;

QString RegistryAccessController::targetBookmarkId() const
{
    QString id = m_window->currentTreeBookmarkId();
    if (id.isEmpty())
        id = m_window->shownBookmarkId();
    const QList<Bookmark> &all = m_window->context()->bookmarks()->bookmarks();
    if (id.isEmpty() && all.size() == 1)
        id = all.first().id;
    return id;
}

void RegistryAccessController::updateActions()
{
    const auto bookmark = m_window->context()->bookmarks()->byId(targetBookmarkId());
    m_addRepository->setEnabled(bookmark.has_value());
    m_trustCertificate->setEnabled(bookmark && bookmark->url.scheme() == u"https"_s);
    const QString repository = m_window->currentTreeRepository();
    const auto current = m_window->context()->bookmarks()->byId(m_window->currentTreeBookmarkId());
    const bool listed =
        current && !repository.isEmpty() && current->repositories.contains(repository);
    // Only repositories the bookmark lists can come off the list: hidden for the others.
    m_removeFromList->setVisible(listed);
    m_removeFromList->setEnabled(listed);
}

AddRepositoryDialog *RegistryAccessController::addRepositories(const QString &bookmarkId)
{
    BookmarkStore *store = m_window->context()->bookmarks();
    if (!store->byId(bookmarkId)) {
        m_window->showStatus(tr("Select a registry first."), 5000);
        return nullptr;
    }
    auto *dialog = new AddRepositoryDialog(store, bookmarkId, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, bookmarkId] {
        const QStringList added = dialog->addedNames();
        if (added.isEmpty())
            return;
        m_window->showStatus(tr("Added %1 to the registry's list.").arg(added.join(u", "_s)));
        // The bookmark changed, so the tree reloads it; show the first new repository.
        m_window->treeModel()->revealPath(bookmarkId, added.first());
    });
    dialog->open();
    return dialog;
}

bool RegistryAccessController::removeFromList(const QString &bookmarkId, const QString &repository)
{
    BookmarkStore *store = m_window->context()->bookmarks();
    auto bookmark = store->byId(bookmarkId);
    if (!bookmark || !bookmark->repositories.removeOne(repository))
        return false;
    const auto saved = store->update(*bookmark);
    if (!saved) {
        m_window->showStatus(saved.error().message, 10000);
        return false;
    }
    m_window->showStatus(tr("Removed %1 from the registry's list.").arg(repository));
    return true;
}

void RegistryAccessController::trustCertificate(
    const QString &bookmarkId, std::function<void(CertificateTrustDialog *)> opened)
{
    const auto bookmark = m_window->context()->bookmarks()->byId(bookmarkId);
    if (!bookmark || bookmark->url.scheme() != u"https"_s) {
        m_window->showStatus(tr("Select a registry reached over HTTPS first."), 5000);
        if (opened)
            opened(nullptr);
        return;
    }
    const RegistryConfig config = bookmark->toConfig();
    m_window->showStatus(tr("Reading the certificate of %1…").arg(config.hostPort()));
    // Fresh: the certificate may have changed since a row failed.
    TlsTrust::fetchPeerChain(
        config, this, [this, bookmarkId, config, opened](Expected<TlsTrust::PeerChain> chain) {
            if (!chain) {
                m_window->showStatus(tr("Could not read the certificate of %1: %2")
                                         .arg(config.hostPort(), chain.error().message),
                                     15000);
                if (opened)
                    opened(nullptr);
                return;
            }
            m_window->statusBar()->clearMessage();
            auto *dialog = new CertificateTrustDialog(*chain, config, bookmarkId, m_window);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setCertificateDirectory(m_certificateDirectory);
            connect(dialog, &CertificateTrustDialog::trusted, this,
                    [this, bookmarkId](const QString &file) {
                        applyTrustedCertificate(bookmarkId, file);
                    });
            dialog->open();
            if (opened)
                opened(dialog);
        });
}

void RegistryAccessController::applyTrustedCertificate(const QString &bookmarkId,
                                                       const QString &file)
{
    BookmarkStore *store = m_window->context()->bookmarks();
    auto bookmark = store->byId(bookmarkId);
    if (!bookmark)
        return;
    const bool samePath = bookmark->caCertificateFile == file;
    bookmark->caCertificateFile = file;
    const auto saved = store->update(*bookmark);
    if (!saved) {
        m_window->showStatus(saved.error().message, 15000);
        return;
    }
    // A new path resets the registry's client by itself; the same path with new contents
    // needs telling, or the old client keeps its old trust.
    if (samePath)
        m_window->context()->sessions()->reset(bookmarkId);
    forgetBookmark(bookmarkId);
    m_window->showStatus(
        tr("The certificate is trusted for %1; loading it again.").arg(bookmark->name));
    emit certificateTrusted(bookmarkId, file);
}

std::optional<TlsTrust::PeerChain>
RegistryAccessController::certificateProblem(const QString &bookmarkId) const
{
    const auto it = m_certificateProblems.constFind(bookmarkId);
    if (it == m_certificateProblems.cend())
        return std::nullopt;
    return *it;
}

void RegistryAccessController::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    RegistryTreeModel *model = m_window->treeModel();
    for (int row = first; row <= last; ++row)
        checkErrorRow(model->index(row, 0, parent));
}

void RegistryAccessController::onRowsChanged(const QModelIndex &topLeft,
                                             const QModelIndex &bottomRight)
{
    // A Loading row turns into an Error row in place.
    RegistryTreeModel *model = m_window->treeModel();
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        checkErrorRow(model->index(row, 0, topLeft.parent()));
}

void RegistryAccessController::checkErrorRow(const QModelIndex &index)
{
    if (!index.isValid() || typeOf(index) != NodeType::Error)
        return;
    const QString id = index.data(RegistryTreeModel::BookmarkIdRole).toString();
    const auto bookmark = m_window->context()->bookmarks()->byId(id);
    if (!bookmark || bookmark->url.scheme() != u"https"_s || bookmark->skipTlsVerify ||
        m_checking.contains(id) || m_checkedFine.contains(id) || m_certificateProblems.contains(id))
        return;
    // Whether the failure is the certificate's fault: one handshake that only looks at it.
    m_checking.insert(id);
    const quint64 generation = m_generations.value(id);
    TlsTrust::fetchPeerChain(
        bookmark->toConfig(), this, [this, id, generation](Expected<TlsTrust::PeerChain> chain) {
            if (m_generations.value(id) != generation)
                return; // settings changed meanwhile: a later failure asks again
            m_checking.remove(id);
            if (!chain)
                return; // not reachable at all: the error row says so
            if (chain->isTrusted()) {
                m_checkedFine.insert(id);
                return;
            }
            m_certificateProblems.insert(id, *chain);
            updateCertificateNotice();
            emit certificateProblemFound(id);
        });
}

void RegistryAccessController::forgetBookmark(const QString &bookmarkId)
{
    m_generations[bookmarkId] += 1;
    m_checking.remove(bookmarkId);
    m_checkedFine.remove(bookmarkId);
    m_certificateProblems.remove(bookmarkId);
    if (!m_window->context()->bookmarks()->byId(bookmarkId)) {
        m_rateLimits.remove(bookmarkId);
        m_generations.remove(bookmarkId);
    }
    updateCertificateNotice();
    updateRateLabel();
}

void RegistryAccessController::updateCertificateNotice()
{
    // The current registry's problem, else any registry's: the user may not have selected it.
    QString id = targetBookmarkId();
    if (!m_certificateProblems.contains(id)) {
        id.clear();
        for (const Bookmark &b : m_window->context()->bookmarks()->bookmarks()) {
            if (m_certificateProblems.contains(b.id)) {
                id = b.id;
                break;
            }
        }
    }
    m_noticeBookmark = id;
    const auto bookmark = m_window->context()->bookmarks()->byId(id);
    if (!bookmark) {
        m_certificateNotice->hide();
        return;
    }
    const TlsTrust::PeerChain &chain = m_certificateProblems[id];
    const bool trustable =
        CertificateTrustDialog::assess(chain) != CertificateTrustDialog::Verdict::NotFixable;
    m_certificateNotice->setText(
        trustable ? tr("Certificate of %1 not trusted – Trust…").arg(bookmark->name)
                  : tr("Certificate of %1 is invalid – Details…").arg(bookmark->name));
    m_certificateNotice->setToolTip(CertificateTrustDialog::reasons(chain));
    m_certificateNotice->show();
}

QString RegistryAccessController::rateLimitText(qint64 limit, qint64 remaining, int windowSeconds)
{
    if (remaining < 0)
        return {};
    QString text = limit >= 0 ? tr("Pulls left: %1/%2").arg(remaining).arg(limit)
                              : tr("Pulls left: %1").arg(remaining);
    const QString period = windowText(windowSeconds);
    if (!period.isEmpty())
        text = tr("%1 per %2").arg(text, period);
    return text;
}

void RegistryAccessController::updateRateLabel()
{
    const QString id = targetBookmarkId();
    const auto it = m_rateLimits.constFind(id);
    if (id.isEmpty() || it == m_rateLimits.cend()) {
        m_rateLabel->clear();
        m_rateLabel->hide();
        return;
    }
    const RateLimit &r = *it;
    const bool low = r.limit > 0 && r.remaining * 10 <= r.limit;
    StatusColors::show(m_rateLabel, rateLimitText(r.limit, r.remaining, r.windowSeconds),
                       low ? StatusColors::Severity::Warning : StatusColors::Severity::Neutral);
    const auto bookmark = m_window->context()->bookmarks()->byId(id);
    m_rateLabel->setToolTip(
        tr("Pull quota the registry %1 reports (RateLimit headers, as Docker Hub sends them). "
           "Each manifest download counts as a pull.")
            .arg(bookmark ? bookmark->name : QString()));
}

bool RegistryAccessController::fillStatusRowMenu(const QModelIndex &index, QMenu *menu)
{
    const QString id = index.data(RegistryTreeModel::BookmarkIdRole).toString();
    auto *refresh = m_window->findChild<QAction *>(u"actionRefresh"_s);
    if (isCatalogMessage(index)) {
        menu->addAction(WharfIcons::icon(u"add"_s), tr("Add Re&pository…"), this,
                        [this, id] { addRepositories(id); });
        if (refresh)
            menu->addAction(refresh);
        return true;
    }
    if (typeOf(index) == NodeType::Error && m_certificateProblems.contains(id)) {
        const QPersistentModelIndex row(index);
        menu->addAction(WharfIcons::icon(u"secure"_s), tr("Trust &Certificate…"), this,
                        [this, id] { trustCertificate(id); });
        menu->addAction(WharfIcons::icon(u"refresh"_s), tr("Retry"), this, [this, row] {
            if (row.isValid())
                m_window->treeModel()->retry(row);
        });
        if (refresh)
            menu->addAction(refresh);
        return true;
    }
    return false;
}

bool RegistryAccessController::eventFilter(QObject *watched, QEvent *event)
{
    // The window's own tree menu knows nothing of status rows' remedies: these rows get ours.
    if (m_tree && watched == m_tree->viewport() && event->type() == QEvent::ContextMenu) {
        auto *e = static_cast<QContextMenuEvent *>(event);
        const QModelIndex index = m_tree->indexAt(e->pos());
        const NodeType type = typeOf(index);
        if (type == NodeType::Message || type == NodeType::Error) {
            QMenu menu(m_window);
            if (fillStatusRowMenu(index, &menu)) {
                menu.exec(e->globalPos());
                return true;
            }
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace wharf::gui
