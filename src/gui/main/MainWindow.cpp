#include "MainWindow.h"

#include "AppContext.h"
#include "WharfIcons.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cleanup/CleanupController.h"
#include "client/RegistryClient.h"
#include "credentials/KeychainCredentialStore.h"
#include "jobs/InventoryJob.h"
#include "model/Format.h"
#include "models/RegistryTreeModel.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableModel.h"
#ifdef WHARF_HAVE_SCANNER
#include "scan/ScanController.h"
#endif
#include "trust/RegistryAccessController.h"
#include "ui_MainWindow.h"
#include "widgets/BookmarkDialog.h"
#include "widgets/DetailPanel.h"
#include "widgets/JobListModel.h"
#include "widgets/JobStatusWidget.h"
#include "widgets/JobsPanel.h"

#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

using NodeType = RegistryTreeModel::NodeType;

NodeType typeOf(const QModelIndex &index)
{
    return index.data(RegistryTreeModel::NodeTypeRole).value<NodeType>();
}

} // namespace

MainWindow::MainWindow(AppContext *context, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_context(context)
    , m_uiSettings(std::make_unique<QSettings>(context->uiSettingsPath(), QSettings::IniFormat))
{
    m_ui->setupUi(this);
    setWindowIcon(WharfIcons::icon(u"wharf"_s));
    setupActions();
    setupTree();
    setupTags();
    setupDocks();
    restoreWindowState();
    updateActions();

    connect(m_context->sessions(), &SessionManager::registryWarning, this,
            [this](const QString &, const QString &text) {
                statusBar()->showMessage(tr("Registry says: %1").arg(text), 15000);
            });
    connect(m_context->credentials(), &SessionFallbackCredentialStore::keychainUnavailable, this,
            [this](const QString &explanation) {
                m_keychainWarning->setText(
                    tr("⚠ No keychain: passwords kept for this session only"));
                m_keychainWarning->setToolTip(explanation);
                m_keychainWarning->show();
            });
    new CleanupController(this);
    new RegistryAccessController(this);
#ifdef WHARF_HAVE_SCANNER
    new ScanController(this);
#endif
}

MainWindow::~MainWindow() = default;

void MainWindow::setupActions()
{
    auto setIcon = [](QAction *action, const QString &name) {
        action->setIcon(WharfIcons::icon(name));
    };
    setIcon(m_ui->actionAddRegistry, u"add"_s);
    setIcon(m_ui->actionEditRegistry, u"edit"_s);
    setIcon(m_ui->actionRemoveRegistry, u"remove"_s);
    setIcon(m_ui->actionRefresh, u"refresh"_s);
    setIcon(m_ui->actionCopyReference, u"copy"_s);
    setIcon(m_ui->actionDelete, u"delete"_s);
    setIcon(m_ui->actionRegistryTotals, u"registry"_s);

    // Ctrl+C copies a reference from the tree and the tag table, but text fields keep their
    // own Ctrl+C. Item views handle Copy themselves (the cell's text), so they are filtered.
    m_ui->actionCopyReference->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_ui->registryTree->addAction(m_ui->actionCopyReference);
    m_ui->tagTable->addAction(m_ui->actionCopyReference);
    m_ui->registryTree->installEventFilter(this);
    m_ui->tagTable->installEventFilter(this);
    m_ui->actionDelete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_ui->tagTable->addAction(m_ui->actionDelete);
    m_ui->actionDelete->setEnabled(false);
    m_ui->actionDelete->setToolTip(tr("Delete the selected tags (planned and confirmed first)"));

    connect(m_ui->actionAddRegistry, &QAction::triggered, this, &MainWindow::addRegistry);
    connect(m_ui->actionEditRegistry, &QAction::triggered, this, &MainWindow::editRegistry);
    connect(m_ui->actionRemoveRegistry, &QAction::triggered, this, &MainWindow::removeRegistry);
    connect(m_ui->actionMoveUp, &QAction::triggered, this, [this] { moveRegistry(-1); });
    connect(m_ui->actionMoveDown, &QAction::triggered, this, [this] { moveRegistry(+1); });
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui->actionCopyReference, &QAction::triggered, this, [this] { copyReference(); });
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        m_ui->filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->filterEdit->selectAll();
    });
    connect(m_ui->actionSelectMatching, &QAction::triggered, this, &MainWindow::selectAllMatching);
    connect(m_ui->actionRegistryTotals, &QAction::triggered, this,
            &MainWindow::computeRegistryTotals);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::setupTree()
{
    m_tree = new RegistryTreeModel(m_context->sessions(), this);
    m_ui->registryTree->setModel(m_tree);
    m_ui->registryTree->header()->setStretchLastSection(false);
    m_ui->registryTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui->registryTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(m_ui->registryTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onTreeCurrentChanged(current); });
    connect(m_ui->registryTree, &QTreeView::customContextMenuRequested, this,
            &MainWindow::showTreeContextMenu);
    connect(m_ui->registryTree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (typeOf(index) == NodeType::Error)
            m_tree->retry(index);
    });
    connect(m_ui->actionShowAttestations, &QAction::toggled, m_tree,
            &RegistryTreeModel::setShowAttestations);
    connect(m_tree, &RegistryTreeModel::pathRevealed, this, [this](const QModelIndex &index, bool) {
        if (!index.isValid())
            return;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            m_ui->registryTree->expand(p);
        m_ui->registryTree->setCurrentIndex(index);
        m_ui->registryTree->scrollTo(index);
    });
}

void MainWindow::setupTags()
{
    m_tags = new TagTableModel(m_context->sessions(), this);
    m_proxy = new TagFilterProxyModel(this);
    m_proxy->setSourceModel(m_tags);
    m_ui->tagTable->setModel(m_proxy);
    m_ui->tagTable->sortByColumn(TagTableModel::TagColumn, Qt::AscendingOrder);
    m_ui->tagTable->verticalHeader()->hide();
    m_ui->tagTable->verticalHeader()->setDefaultSectionSize(m_ui->tagTable->fontMetrics().height() +
                                                            6);
    QHeaderView *header = m_ui->tagTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(TagTableModel::TagColumn, 200);
    header->resizeSection(TagTableModel::DigestColumn, 150);
    header->resizeSection(TagTableModel::PlatformsColumn, 220);
    header->resizeSection(TagTableModel::SizeColumn, 170);
    header->resizeSection(TagTableModel::CreatedColumn, 150);

    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_proxy,
            &TagFilterProxyModel::setFilterText);
    connect(m_proxy, &TagFilterProxyModel::filterErrorChanged, this, [this](const QString &error) {
        m_ui->filterEdit->setToolTip(error);
        if (!error.isEmpty())
            statusBar()->showMessage(tr("Filter: %1").arg(error), 5000);
    });
    connect(m_ui->tagTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onTagCurrentChanged(current); });
    connect(m_ui->tagTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(m_ui->tagTable, &QTableView::customContextMenuRequested, this,
            &MainWindow::showTagContextMenu);
    connect(m_tags, &TagTableModel::loadStarted, this, &MainWindow::trackJob);
    connect(m_tags, &TagTableModel::totalsChanged, this, &MainWindow::updateTotals);
    connect(m_tags, &TagTableModel::loadFailed, this, [this](const Error &error) {
        m_ui->totalsLabel->setText(tr("<span>%1</span>").arg(error.message.toHtmlEscaped()));
    });
}

void MainWindow::setupDocks()
{
    m_jobs = new JobListModel(this);
    m_jobsPanel = new JobsPanel(m_jobs, this);
    auto *dock = new QDockWidget(tr("Jobs"), this);
    dock->setObjectName(u"jobsDock"_s);
    dock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    QAction *toggle = dock->toggleViewAction();
    toggle->setIcon(WharfIcons::icon(u"jobs"_s));
    toggle->setShortcut(QKeySequence(u"Ctrl+J"_s));
    m_ui->menuView->addAction(toggle);

    m_jobStatus = new JobStatusWidget(m_jobs, this);
    statusBar()->addPermanentWidget(m_jobStatus);
    m_keychainWarning = new QLabel(this);
    m_keychainWarning->hide();
    statusBar()->addPermanentWidget(m_keychainWarning);
}

QString MainWindow::shownBookmarkId() const
{
    return m_tags->bookmarkId();
}

QString MainWindow::shownRepository() const
{
    return m_tags->repository();
}

QStringList MainWindow::selectedTags() const
{
    return m_proxy->tagsForRows(m_ui->tagTable->selectionModel()->selectedRows());
}

QString MainWindow::currentTreeBookmarkId() const
{
    return m_ui->registryTree->currentIndex().data(RegistryTreeModel::BookmarkIdRole).toString();
}

QString MainWindow::currentTreeRepository() const
{
    return m_ui->registryTree->currentIndex().data(RegistryTreeModel::RepositoryRole).toString();
}

QAction *MainWindow::deleteAction() const
{
    return m_ui->actionDelete;
}

void MainWindow::addTagAction(QAction *action)
{
    m_tagActions << action;
    m_ui->tagTable->addAction(action);
}

void MainWindow::addRepositoryAction(QAction *action)
{
    m_repositoryActions << action;
}

void MainWindow::addRegistryAction(QAction *action)
{
    m_registryActions << action;
}

void MainWindow::showStatus(const QString &text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::trackJob(Job *job)
{
    m_jobs->addJob(job);
}

QString MainWindow::currentBookmarkId() const
{
    const QModelIndex current = m_ui->registryTree->currentIndex();
    if (current.isValid())
        return current.data(RegistryTreeModel::BookmarkIdRole).toString();
    return m_shownBookmark;
}

QString MainWindow::registryHost(const QString &bookmarkId) const
{
    const auto b = m_context->bookmarks()->byId(bookmarkId);
    if (!b)
        return {};
    return b->url.port() > 0 ? b->url.host() + u':' + QString::number(b->url.port())
                             : b->url.host();
}

void MainWindow::onTreeCurrentChanged(const QModelIndex &current)
{
    updateActions();
    if (!current.isValid())
        return;
    const QString bookmarkId = current.data(RegistryTreeModel::BookmarkIdRole).toString();
    const QString repository = current.data(RegistryTreeModel::RepositoryRole).toString();
    const QString tag = current.data(RegistryTreeModel::TagRole).toString();
    const NodeType type = typeOf(current);

    if (type == NodeType::Error || type == NodeType::Message) {
        statusBar()->showMessage(current.data(Qt::DisplayRole).toString(), 10000);
        return;
    }
    if (bookmarkId != m_shownBookmark)
        m_registryTotals.clear();
    if (type == NodeType::Bookmark || type == NodeType::Namespace) {
        m_shownBookmark = bookmarkId;
        const auto b = m_context->bookmarks()->byId(bookmarkId);
        m_ui->repositoryTitle->setText(
            b ? tr("<b>%1</b> — %2").arg(b->name.toHtmlEscaped(), b->displayUrl().toHtmlEscaped())
              : QString());
        updateTotals();
        return;
    }
    if (repository.isEmpty())
        return;
    if (bookmarkId != m_shownBookmark || repository != m_shownRepository) {
        m_shownBookmark = bookmarkId;
        m_shownRepository = repository;
        m_ui->filterEdit->clear();
        m_tags->setRepository(bookmarkId, repository);
        m_ui->repositoryTitle->setText(
            tr("<b>%1</b>/%2")
                .arg(registryHost(bookmarkId).toHtmlEscaped(), repository.toHtmlEscaped()));
        updateTotals();
    }
    if (type == NodeType::Tag || type == NodeType::Platform || type == NodeType::Attestation) {
        const QString platform = type == NodeType::Tag
                                     ? QString()
                                     : current.data(RegistryTreeModel::DigestRole).toString();
        m_ui->detailPanel->showImage(m_context->sessions(), bookmarkId, repository, tag, platform);
        const int row = m_tags->rowOfTag(tag);
        if (row >= 0) {
            const QModelIndex proxyIndex = m_proxy->mapFromSource(m_tags->index(row, 0));
            if (proxyIndex.isValid()) {
                QSignalBlocker block(m_ui->tagTable->selectionModel());
                m_ui->tagTable->selectionModel()->setCurrentIndex(
                    proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                m_ui->tagTable->scrollTo(proxyIndex);
            }
        }
    }
}

void MainWindow::onTagCurrentChanged(const QModelIndex &current)
{
    updateActions();
    if (!current.isValid())
        return;
    const QString tag = current.data(TagTableModel::TagRole).toString();
    m_ui->detailPanel->showImage(m_context->sessions(), m_tags->bookmarkId(), m_tags->repository(),
                                 tag);
}

void MainWindow::updateTotals()
{
    QString text;
    if (!m_shownRepository.isEmpty() && m_tags->repository() == m_shownRepository) {
        text = tr("%n tag(s)", nullptr, m_tags->tagCount());
        if (m_tags->resolvedCount() > 0)
            text += tr(" · %1 unique (%2 bytes, shared layers counted once)")
                        .arg(Format::bytes(m_tags->uniqueBytes()))
                        .arg(m_tags->uniqueBytes());
        if (m_tags->resolvedCount() + m_tags->failedCount() < m_tags->tagCount())
            text += tr(" · reading %1 of %2…")
                        .arg(m_tags->resolvedCount() + m_tags->failedCount())
                        .arg(m_tags->tagCount());
        if (m_tags->failedCount() > 0)
            text += tr(" · %n could not be read", nullptr, m_tags->failedCount());
    }
    if (!m_registryTotals.isEmpty())
        text = text.isEmpty() ? m_registryTotals : text + u"   |   "_s + m_registryTotals;
    m_ui->totalsLabel->setText(text);
}

void MainWindow::computeRegistryTotals()
{
    const QString bookmarkId = currentBookmarkId();
    if (bookmarkId.isEmpty()) {
        statusBar()->showMessage(tr("Select a registry first."), 5000);
        return;
    }
    m_context->sessions()->client(
        bookmarkId, this, [this, bookmarkId](Expected<RegistryClient *> client) {
            if (!client) {
                statusBar()->showMessage(client.error().message, 15000);
                return;
            }
            InventoryJob::Options options;
            if (const auto b = m_context->bookmarks()->byId(bookmarkId))
                options.repositories = b->repositories;
            auto *job = new InventoryJob(*client, options, this);
            connect(job, &Job::finished, this, [this, job, bookmarkId] {
                job->deleteLater();
                if (job->state() != Job::State::Succeeded)
                    return; // the jobs panel shows why
                const Inventory &inv = job->inventory();
                qint64 tags = 0;
                for (const InventoryRepository &r : inv.repositories)
                    tags += r.tags.size();
                const QString text = tr("Registry: %1 repositories, %2 tags, %3 unique (%4 bytes)")
                                         .arg(inv.repositories.size())
                                         .arg(tags)
                                         .arg(Format::bytes(inv.uniqueBytes))
                                         .arg(inv.uniqueBytes);
                if (currentBookmarkId() == bookmarkId) {
                    m_registryTotals = text;
                    updateTotals();
                }
                statusBar()->showMessage(text, 30000);
            });
            trackJob(job);
            job->start();
        });
}

QStringList MainWindow::selectedTagReferences() const
{
    const QStringList tags = m_proxy->tagsForRows(m_ui->tagTable->selectionModel()->selectedRows());
    const QString host = registryHost(m_tags->bookmarkId());
    QStringList refs;
    for (const QString &tag : tags) {
        const int row = m_tags->rowOfTag(tag);
        QString ref = host + u'/' + m_tags->repository() + u':' + tag;
        if (row >= 0 && !m_tags->digestAt(row).isEmpty())
            ref += u'@' + m_tags->digestAt(row);
        refs << ref;
    }
    return refs;
}

void MainWindow::copyReference(QObject *from)
{
    if (!from)
        from = focusWidget();
    QString text;
    if (from == m_ui->tagTable) {
        text = selectedTagReferences().join(u'\n');
    } else {
        const QModelIndex current = m_ui->registryTree->currentIndex();
        const QString host =
            registryHost(current.data(RegistryTreeModel::BookmarkIdRole).toString());
        const QString repository = current.data(RegistryTreeModel::RepositoryRole).toString();
        const QString tag = current.data(RegistryTreeModel::TagRole).toString();
        const QString digest = current.data(RegistryTreeModel::DigestRole).toString();
        if (!repository.isEmpty()) {
            text = host + u'/' + repository;
            if (typeOf(current) == NodeType::Platform && !digest.isEmpty())
                text += u'@' + digest;
            else if (!tag.isEmpty())
                text += u':' + tag + (digest.isEmpty() ? QString() : u'@' + digest);
        } else {
            text = host;
        }
    }
    if (text.isEmpty() && m_ui->detailPanel->state() == DetailPanel::State::Loaded)
        text = m_ui->detailPanel->digestReference();
    if (text.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(text);
    statusBar()->showMessage(tr("Copied %1").arg(text.section(u'\n', 0, 0)) +
                                 (text.contains(u'\n') ? tr(" and more") : QString()),
                             4000);
}

void MainWindow::selectAllMatching()
{
    m_ui->tagTable->selectAll();
    m_ui->tagTable->setFocus();
    statusBar()->showMessage(
        tr("Selected %n tag(s) matching the filter", nullptr, m_proxy->rowCount()), 4000);
}

void MainWindow::refresh()
{
    const QModelIndex current = m_ui->registryTree->currentIndex();
    if (m_ui->tagTable->hasFocus() && !m_tags->repository().isEmpty()) {
        m_tags->reload();
        return;
    }
    m_tree->refresh(current);
    if (!m_tags->repository().isEmpty() &&
        (typeOf(current) == NodeType::Repository || typeOf(current) == NodeType::Tag))
        m_tags->reload();
}

void MainWindow::addRegistry()
{
    BookmarkDialog dialog(m_context->bookmarks(), m_context->credentials(), this);
    if (dialog.exec() != QDialog::Accepted || !dialog.savedBookmark())
        return;
    const QString id = dialog.savedBookmark()->id;
    m_tree->revealPath(id);
}

void MainWindow::editRegistry()
{
    const auto b = m_context->bookmarks()->byId(currentBookmarkId());
    if (!b)
        return;
    BookmarkDialog dialog(m_context->bookmarks(), m_context->credentials(), this);
    dialog.setBookmark(*b);
    if (dialog.exec() == QDialog::Accepted)
        m_context->sessions()->reset(b->id); // the password may have changed too
}

void MainWindow::removeRegistry()
{
    const auto b = m_context->bookmarks()->byId(currentBookmarkId());
    if (!b)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Remove registry"),
        tr("Remove the bookmark “%1” (%2) and its stored password?\nNothing in the registry "
           "itself is changed.")
            .arg(b->name, b->displayUrl()));
    if (answer != QMessageBox::Yes)
        return;
    const QString id = b->id;
    if (m_shownBookmark == id) {
        m_tags->clear();
        m_ui->detailPanel->clear();
        m_shownBookmark.clear();
        m_shownRepository.clear();
    }
    m_context->bookmarks()->remove(id);
    m_context->credentials()->removeSecret(id, this, [this](Expected<Done> r) {
        if (!r)
            statusBar()->showMessage(r.error().message, 10000);
    });
}

void MainWindow::moveRegistry(int delta)
{
    const QString id = currentBookmarkId();
    const int from = m_context->bookmarks()->indexOf(id);
    if (from < 0)
        return;
    if (m_context->bookmarks()->move(from, from + delta))
        m_tree->revealPath(id);
}

void MainWindow::updateActions()
{
    const QModelIndex current = m_ui->registryTree->currentIndex();
    const bool onRegistry =
        current.isValid() && !current.data(RegistryTreeModel::BookmarkIdRole).toString().isEmpty();
    m_ui->actionEditRegistry->setEnabled(onRegistry);
    m_ui->actionRemoveRegistry->setEnabled(onRegistry);
    m_ui->actionMoveUp->setEnabled(onRegistry);
    m_ui->actionMoveDown->setEnabled(onRegistry);
    m_ui->actionRegistryTotals->setEnabled(onRegistry);
}

void MainWindow::showTreeContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_ui->registryTree->indexAt(pos);
    QMenu menu(this);
    if (index.isValid()) {
        const NodeType type = typeOf(index);
        if (type == NodeType::Error)
            menu.addAction(WharfIcons::icon(u"refresh"_s), tr("Retry"), this,
                           [this, index] { m_tree->retry(index); });
        menu.addAction(m_ui->actionRefresh);
        if (type == NodeType::Repository || type == NodeType::Tag || type == NodeType::Platform)
            menu.addAction(m_ui->actionCopyReference);
        menu.addSeparator();
        if (type == NodeType::Repository)
            menu.addActions(m_repositoryActions);
        if (type == NodeType::Bookmark)
            menu.addActions(m_registryActions);
        if (type == NodeType::Bookmark) {
            menu.addAction(m_ui->actionRegistryTotals);
            menu.addAction(m_ui->actionEditRegistry);
            menu.addAction(m_ui->actionMoveUp);
            menu.addAction(m_ui->actionMoveDown);
            menu.addAction(m_ui->actionRemoveRegistry);
        }
    }
    menu.addAction(m_ui->actionAddRegistry);
    menu.addAction(m_ui->actionShowAttestations);
    menu.exec(m_ui->registryTree->viewport()->mapToGlobal(pos));
}

void MainWindow::showTagContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(m_ui->actionCopyReference);
    const QModelIndex index = m_ui->tagTable->indexAt(pos);
    if (index.isValid()) {
        const QString tag = index.data(TagTableModel::TagRole).toString();
        const QString pull = u"docker pull "_s + registryHost(m_tags->bookmarkId()) + u'/' +
                             m_tags->repository() + u':' + tag;
        menu.addAction(WharfIcons::icon(u"copy"_s), tr("Copy Pull Command"), this, [this, pull] {
            QGuiApplication::clipboard()->setText(pull);
            statusBar()->showMessage(tr("Copied %1").arg(pull), 4000);
        });
    }
    menu.addSeparator();
    menu.addAction(m_ui->actionSelectMatching);
    menu.addAction(m_ui->actionRefresh);
    if (!m_tagActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_tagActions);
    }
    menu.addSeparator();
    menu.addAction(m_ui->actionDelete);
    menu.exec(m_ui->tagTable->viewport()->mapToGlobal(pos));
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Wharf"),
        tr("<h3>Wharf %1</h3><p>A desktop client for Docker/OCI container registries.</p>"
           "<p>Credentials are kept in %2.</p>")
            .arg(QStringLiteral(WHARF_VERSION), m_context->credentials()->description()));
}

void MainWindow::saveState()
{
    QSettings &s = *m_uiSettings;
    s.setValue(u"window/geometry"_s, saveGeometry());
    s.setValue(u"window/state"_s, QMainWindow::saveState());
    s.setValue(u"window/mainSplitter"_s, m_ui->mainSplitter->saveState());
    s.setValue(u"window/rightSplitter"_s, m_ui->rightSplitter->saveState());
    s.setValue(u"window/tagHeader"_s, m_ui->tagTable->horizontalHeader()->saveState());
    s.setValue(u"view/showAttestations"_s, m_ui->actionShowAttestations->isChecked());
    const QModelIndex current = m_ui->registryTree->currentIndex();
    s.setValue(u"selection/bookmark"_s, current.data(RegistryTreeModel::BookmarkIdRole));
    s.setValue(u"selection/repository"_s, current.data(RegistryTreeModel::RepositoryRole));
    s.setValue(u"selection/tag"_s, current.data(RegistryTreeModel::TagRole));
    s.setValue(u"selection/platform"_s, typeOf(current) == NodeType::Platform
                                            ? current.data(RegistryTreeModel::DigestRole)
                                            : QVariant());
    s.sync();
}

void MainWindow::restoreWindowState()
{
    QSettings &s = *m_uiSettings;
    if (!restoreGeometry(s.value(u"window/geometry"_s).toByteArray()))
        resize(1400, 900);
    QMainWindow::restoreState(s.value(u"window/state"_s).toByteArray());
    if (!m_ui->mainSplitter->restoreState(s.value(u"window/mainSplitter"_s).toByteArray()))
        m_ui->mainSplitter->setSizes({380, 1020});
    if (!m_ui->rightSplitter->restoreState(s.value(u"window/rightSplitter"_s).toByteArray()))
        m_ui->rightSplitter->setSizes({420, 480});
    m_ui->tagTable->horizontalHeader()->restoreState(s.value(u"window/tagHeader"_s).toByteArray());
    m_ui->actionShowAttestations->setChecked(s.value(u"view/showAttestations"_s, false).toBool());
}

void MainWindow::restoreSelection()
{
    QSettings &s = *m_uiSettings;
    const QString bookmark = s.value(u"selection/bookmark"_s).toString();
    if (bookmark.isEmpty() || !m_context->bookmarks()->byId(bookmark)) {
        if (!m_context->bookmarks()->bookmarks().isEmpty())
            m_tree->revealPath(m_context->bookmarks()->bookmarks().first().id);
        return;
    }
    m_tree->revealPath(bookmark, s.value(u"selection/repository"_s).toString(),
                       s.value(u"selection/tag"_s).toString(),
                       s.value(u"selection/platform"_s).toString());
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_ui->registryTree || watched == m_ui->tagTable) &&
        event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copyReference(watched);
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace wharf::gui
