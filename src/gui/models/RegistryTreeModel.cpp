#include "RegistryTreeModel.h"

#include "bookmarks/Bookmark.h"
#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "client/ImageResolver.h"
#include "client/RegistryClient.h"
#include "client/TagOrder.h"
#include "model/Format.h"
#include "models/ModelIcons.h"

#include <QMap>
#include <QSet>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::gui {

struct RegistryTreeModel::Node
{
    NodeType type = NodeType::Root;
    Node *parent = nullptr;
    int row = 0;
    quint64 id = 0;
    std::vector<NodePtr> children;

    LoadState state = LoadState::Loaded;
    bool startPending = false; // fetchMore() queued a start for the next event-loop turn
    quint64 generation = 0;    // bumped on every (re)load: older replies are ignored
    QObject *requestContext = nullptr;

    QString name; // bookmark name, namespace prefix ("team/"), repository, tag, platform, text
    QString bookmarkId;
    QString repository;
    QString tag;
    QString digest;
    QString platform;
    QString error;
    qint64 size = -1;
    ResolvedImagePtr image; // resolved tags

    // Bookmarks: what decides the content, and what the rows show.
    QString fingerprint;
    QString url;
    bool skipTlsVerify = false;
    QStringList manualRepositories;

    static bool isStatus(NodeType t)
    {
        return t == NodeType::Loading || t == NodeType::Error || t == NodeType::Message;
    }
    bool hasStatusRow() const { return !children.empty() && isStatus(children.back()->type); }
    int contentCount() const { return int(children.size()) - (hasStatusRow() ? 1 : 0); }
};

namespace {

// Namespaces first, then repositories; status rows last.
int groupOf(RegistryTreeModel::NodeType type)
{
    using T = RegistryTreeModel::NodeType;
    switch (type) {
    case T::Namespace:
        return 0;
    case T::Loading:
    case T::Error:
    case T::Message:
        return 2;
    default:
        return 1;
    }
}

QString bookmarkFingerprint(const Bookmark &b)
{
    return b.url.toString() + u'\n' + Bookmark::authModeName(b.authMode) + u'\n' + b.username +
           u'\n' + (b.skipTlsVerify ? u"1"_s : u"0"_s) + u'\n' + b.caCertificateFile + u'\n' +
           b.repositories.join(u'\n');
}

} // namespace

RegistryTreeModel::RegistryTreeModel(SessionManager *sessions, QObject *parent)
    : QAbstractItemModel(parent)
    , m_sessions(sessions)
    , m_root(std::make_unique<Node>())
{
    m_root->id = 0;
    connect(m_sessions->bookmarks(), &BookmarkStore::changed, this,
            &RegistryTreeModel::syncBookmarks);
    connect(m_sessions, &SessionManager::clientReset, this, &RegistryTreeModel::onClientReset);
    syncBookmarks();
}

RegistryTreeModel::~RegistryTreeModel()
{
    // Replies must not find their way back into a half-destroyed model.
    if (m_sessions)
        cancelSubtree(m_root.get());
}

SessionManager *RegistryTreeModel::sessions() const
{
    return m_sessions;
}

// ---------------------------------------------------------------------------------------------
// Basic model interface

RegistryTreeModel::Node *RegistryTreeModel::nodeFor(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_root.get();
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex RegistryTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex RegistryTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *p = nodeFor(parent);
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex RegistryTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeFor(child)->parent);
}

int RegistryTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int RegistryTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool RegistryTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    if (isContainer(node->type) &&
        (node->state == LoadState::Unloaded || node->state == LoadState::Loading))
        return true;
    return !node->children.empty();
}

bool RegistryTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (!parent.isValid() || parent.column() != 0)
        return false;
    const Node *node = nodeFor(parent);
    return isContainer(node->type) && node->state == LoadState::Unloaded;
}

void RegistryTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    scheduleStart(nodeFor(parent));
}

bool RegistryTreeModel::isContainer(NodeType type)
{
    // Namespaces are filled by their bookmark's catalog and never load on their own.
    return type == NodeType::Bookmark || type == NodeType::Repository || type == NodeType::Tag;
}

RegistryTreeModel::NodeType RegistryTreeModel::nodeType(const QModelIndex &index) const
{
    return nodeFor(index)->type;
}

RegistryTreeModel::LoadState RegistryTreeModel::loadState(const QModelIndex &index) const
{
    return nodeFor(index)->state;
}

Qt::ItemFlags RegistryTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Node *node = nodeFor(index);
    Qt::ItemFlags f = Qt::ItemIsEnabled;
    if (node->type != NodeType::Loading)
        f |= Qt::ItemIsSelectable;
    if (!isContainer(node->type) && node->type != NodeType::Namespace)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant RegistryTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    default:
        return {};
    }
}

QVariant RegistryTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == SizeColumn) {
            if (node->size < 0)
                return QString();
            const bool multi =
                node->type == NodeType::Tag && node->image && node->image->platforms.size() > 1;
            return multi ? tr("%1 (all platforms)").arg(Format::bytes(node->size))
                         : Format::bytes(node->size);
        }
        return displayText(node);
    case Qt::ToolTipRole:
        return toolTip(node);
    case Qt::DecorationRole:
        if (index.column() != NameColumn)
            return {};
        return icon(node);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case NodeTypeRole:
        return QVariant::fromValue(node->type);
    case BookmarkIdRole:
        return node->bookmarkId;
    case RepositoryRole:
        return node->repository;
    case TagRole:
        return node->tag;
    case DigestRole:
        return node->digest;
    case PlatformRole:
        return node->platform;
    case SizeRole:
        return node->size;
    case ErrorRole:
        return node->error;
    case LoadStateRole:
        return QVariant::fromValue(node->state);
    case CanRetryRole:
        return node->type == NodeType::Error || node->state == LoadState::Failed;
    case NamespaceRole:
        return node->type == NodeType::Namespace ? node->name : QString();
    case ResolvedImageRole:
        if (!node->image)
            return {};
        return QVariant::fromValue(node->image);
    default:
        return {};
    }
}

QString RegistryTreeModel::displayText(const Node *node) const
{
    switch (node->type) {
    case NodeType::Loading:
        return tr("Loading…");
    case NodeType::Platform:
        return node->platform.isEmpty() ? tr("unknown platform") : node->platform;
    case NodeType::Attestation:
        return node->platform.isEmpty() ? tr("Attestation %1").arg(node->digest.left(19))
                                        : tr("Attestation for %1").arg(node->platform);
    default:
        return node->name;
    }
}

QString RegistryTreeModel::toolTip(const Node *node) const
{
    switch (node->type) {
    case NodeType::Bookmark: {
        QString text = node->url;
        if (node->skipTlsVerify)
            text += u'\n' + tr("TLS certificate verification is switched off for this registry.");
        if (!node->manualRepositories.isEmpty())
            text += u'\n' + tr("Shows the repositories listed in the bookmark.");
        if (!node->error.isEmpty())
            text += u'\n' + node->error;
        return text;
    }
    case NodeType::Namespace:
        return tr("Namespace %1").arg(node->name);
    case NodeType::Repository:
        return node->error.isEmpty() ? node->repository : node->repository + u'\n' + node->error;
    case NodeType::Tag: {
        QString text = node->repository + u':' + node->tag;
        if (!node->digest.isEmpty())
            text += u'\n' + node->digest;
        if (!node->error.isEmpty())
            text += u'\n' + node->error;
        return text;
    }
    case NodeType::Platform: {
        QString text = displayText(node) + u'\n' + node->digest;
        if (node->size >= 0)
            text += u'\n' + tr("Size: %1").arg(Format::bytes(node->size));
        if (!node->error.isEmpty())
            text += u'\n' + tr("Incomplete: %1").arg(node->error);
        return text;
    }
    case NodeType::Attestation:
        return tr("Build attestation (provenance/SBOM) manifest\n%1").arg(node->digest);
    case NodeType::Error:
        return node->name + u'\n' + tr("Choose Retry or press F5 to try again.");
    case NodeType::Message:
        return node->error.isEmpty() ? node->name : node->name + u"\n\n"_s + node->error;
    default:
        return displayText(node);
    }
}

QIcon RegistryTreeModel::icon(const Node *node) const
{
    switch (node->type) {
    case NodeType::Bookmark:
        return ModelIcons::icon(node->skipTlsVerify ? u"insecure"_s : u"registry"_s);
    case NodeType::Namespace:
        return ModelIcons::icon(u"namespace"_s);
    case NodeType::Repository:
        return ModelIcons::icon(u"repository"_s);
    case NodeType::Tag:
        return ModelIcons::icon(node->state == LoadState::Failed ? u"warning"_s : u"tag"_s);
    case NodeType::Platform:
        return ModelIcons::icon(node->error.isEmpty() ? u"platform"_s : u"warning"_s);
    case NodeType::Attestation:
        return ModelIcons::icon(u"attestation"_s);
    case NodeType::Loading:
        return ModelIcons::icon(u"loading"_s);
    case NodeType::Error:
        return ModelIcons::icon(u"error"_s);
    case NodeType::Message:
        return ModelIcons::icon(u"info"_s);
    default:
        return {};
    }
}

// ---------------------------------------------------------------------------------------------
// Node bookkeeping and structure changes

RegistryTreeModel::Node *RegistryTreeModel::nodeById(quint64 id) const
{
    return m_nodes.value(id, nullptr);
}

RegistryTreeModel::NodePtr RegistryTreeModel::makeNode(NodeType type, Node *parent)
{
    auto node = std::make_unique<Node>();
    node->type = type;
    node->id = m_nextId++;
    node->parent = parent;
    node->state = isContainer(type) ? LoadState::Unloaded : LoadState::Loaded;
    if (parent) {
        node->bookmarkId = parent->bookmarkId;
        node->repository = parent->repository;
        node->tag = parent->tag;
    }
    return node;
}

void RegistryTreeModel::registerSubtree(Node *node)
{
    m_nodes.insert(node->id, node);
    for (const NodePtr &child : node->children)
        registerSubtree(child.get());
}

void RegistryTreeModel::forgetSubtree(Node *node)
{
    m_nodes.remove(node->id);
    for (const NodePtr &child : node->children)
        forgetSubtree(child.get());
}

void RegistryTreeModel::insertChildren(Node *parent, int position, std::vector<NodePtr> nodes)
{
    if (nodes.empty())
        return;
    const int count = int(nodes.size());
    beginInsertRows(indexOf(parent), position, position + count - 1);
    for (NodePtr &n : nodes) {
        n->parent = parent;
        registerSubtree(n.get());
    }
    parent->children.insert(parent->children.begin() + position,
                            std::make_move_iterator(nodes.begin()),
                            std::make_move_iterator(nodes.end()));
    for (std::size_t i = std::size_t(position); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
    endInsertRows();
}

void RegistryTreeModel::insertSorted(Node *parent, std::vector<NodePtr> nodes)
{
    auto less = [](const Node *a, const Node *b) {
        const int ga = groupOf(a->type);
        const int gb = groupOf(b->type);
        return ga != gb ? ga < gb : a->name < b->name;
    };
    std::sort(nodes.begin(), nodes.end(),
              [&](const NodePtr &a, const NodePtr &b) { return less(a.get(), b.get()); });
    std::size_t i = 0;
    while (i < nodes.size()) {
        const auto begin = parent->children.begin();
        const auto end = begin + parent->contentCount();
        const auto at = std::lower_bound(
            begin, end, nodes[i].get(),
            [&](const NodePtr &existing, const Node *n) { return less(existing.get(), n); });
        // Every new node that sorts before the same existing one goes in with it in one run.
        std::size_t j = i + 1;
        while (j < nodes.size() && (at == end || less(nodes[j].get(), at->get())))
            ++j;
        const int position = int(at - begin);
        std::vector<NodePtr> run;
        run.reserve(j - i);
        for (std::size_t k = i; k < j; ++k)
            run.push_back(std::move(nodes[k]));
        insertChildren(parent, position, std::move(run));
        i = j;
    }
}

void RegistryTreeModel::removeChildren(Node *parent, int first, int count)
{
    if (count <= 0)
        return;
    for (int i = first; i < first + count; ++i)
        cancelSubtree(parent->children[std::size_t(i)].get());
    beginRemoveRows(indexOf(parent), first, first + count - 1);
    std::vector<NodePtr> removed;
    removed.reserve(std::size_t(count));
    const auto from = parent->children.begin() + first;
    std::move(from, from + count, std::back_inserter(removed));
    parent->children.erase(from, from + count);
    for (std::size_t i = std::size_t(first); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
    for (const NodePtr &n : removed)
        forgetSubtree(n.get());
    endRemoveRows();
}

void RegistryTreeModel::clearChildren(Node *parent)
{
    removeChildren(parent, 0, int(parent->children.size()));
}

void RegistryTreeModel::setStatusRow(Node *parent, NodeType type, const QString &text,
                                     const QString &error)
{
    if (parent->hasStatusRow()) {
        // Loading turns into Error or Message in place: the row stays where the user looks.
        Node *status = parent->children.back().get();
        status->type = type;
        status->name = text;
        status->error = error;
        emitChanged(status);
        return;
    }
    NodePtr status = makeNode(type, parent);
    status->name = text;
    status->error = error;
    std::vector<NodePtr> one;
    one.push_back(std::move(status));
    insertChildren(parent, int(parent->children.size()), std::move(one));
}

void RegistryTreeModel::clearStatusRow(Node *parent)
{
    if (parent->hasStatusRow())
        removeChildren(parent, int(parent->children.size()) - 1, 1);
}

void RegistryTreeModel::emitChanged(Node *node)
{
    if (node == m_root.get())
        return;
    emit dataChanged(indexOf(node, 0), indexOf(node, ColumnCount - 1));
}

// ---------------------------------------------------------------------------------------------
// Loading

void RegistryTreeModel::scheduleStart(Node *node)
{
    node->state = LoadState::Loading;
    node->startPending = true;
    m_pendingStarts.append(node->id);
    if (m_startScheduled)
        return;
    m_startScheduled = true;
    QTimer::singleShot(0, this, &RegistryTreeModel::startPending);
}

void RegistryTreeModel::startPending()
{
    m_startScheduled = false;
    const QList<quint64> ids = std::exchange(m_pendingStarts, {});
    for (quint64 id : ids) {
        Node *node = nodeById(id);
        if (!node || !node->startPending)
            continue; // gone, reset, or already started
        node->startPending = false;
        startLoad(node);
    }
}

bool RegistryTreeModel::isCurrent(const Node *node, quint64 generation) const
{
    return node && node->generation == generation && node->state == LoadState::Loading;
}

void RegistryTreeModel::startLoad(Node *node)
{
    if (node->state != LoadState::Loading)
        return;
    const quint64 generation = ++node->generation;
    if (node->type == NodeType::Bookmark && !node->manualRepositories.isEmpty()) {
        // Listed in the bookmark: nothing to ask the registry.
        addRepositories(node, node->manualRepositories);
        finishNode(node);
        return;
    }
    setStatusRow(node, NodeType::Loading, tr("Loading…"));
    node->error.clear();
    auto *context = new QObject(this);
    node->requestContext = context;
    const quint64 id = node->id;
    m_sessions->client(node->bookmarkId, context,
                       [this, id, generation](Expected<RegistryClient *> client) {
                           Node *n = nodeById(id);
                           if (!isCurrent(n, generation))
                               return;
                           if (!client) {
                               failNode(n, client.error());
                               return;
                           }
                           switch (n->type) {
                           case NodeType::Bookmark:
                               loadCatalog(n, *client);
                               break;
                           case NodeType::Repository:
                               loadTags(n, *client);
                               break;
                           case NodeType::Tag:
                               resolveTag(n, *client);
                               break;
                           default:
                               break;
                           }
                       });
}

void RegistryTreeModel::loadCatalog(Node *node, RegistryClient *client)
{
    const quint64 id = node->id;
    const quint64 generation = node->generation;
    client->listRepositories(
        node->requestContext,
        [this, id, generation](const QStringList &page) {
            Node *n = nodeById(id);
            if (!isCurrent(n, generation))
                return;
            // Rows for each catalog page as it arrives, not after the last one.
            addRepositories(n, page);
            continueReveal();
        },
        [this, id, generation](Expected<QStringList> all) {
            Node *n = nodeById(id);
            if (!isCurrent(n, generation))
                return;
            if (!all) {
                catalogFailed(id, generation, all.error());
                return;
            }
            if (n->contentCount() == 0) {
                finishWithMessage(n, tr("This registry has no repositories."));
                return;
            }
            finishNode(n);
        });
}

void RegistryTreeModel::catalogFailed(quint64 id, quint64 generation, const Error &error)
{
    Node *n = nodeById(id);
    const bool refused =
        error.httpStatus == 401 || error.httpStatus == 403 || error.httpStatus == 404;
    RegistryClient *client = m_sessions->existingClient(n->bookmarkId);
    if (!refused || !client) {
        failNode(n, error);
        return;
    }
    // 401/403/404 can also be the answer to /v2/ itself (a wrong URL): only a registry that
    // answers /v2/ but not _catalog is one that simply does not offer a catalog.
    client->ping(n->requestContext, [this, id, generation, error](Expected<PingResult> ping) {
        Node *node = nodeById(id);
        if (!isCurrent(node, generation))
            return;
        if (!ping) {
            failNode(node, ping.error());
            return;
        }
        const QString text =
            error.httpStatus == 401
                ? tr("This registry did not let Wharf list its repositories (HTTP 401). Check "
                     "the credentials, or add the repositories you use to the bookmark by hand.")
                : tr("This registry does not list its repositories (HTTP %1). Add the "
                     "repositories you use to the bookmark by hand.")
                      .arg(error.httpStatus);
        finishWithMessage(node, text, error.message);
    });
}

void RegistryTreeModel::loadTags(Node *node, RegistryClient *client)
{
    const quint64 id = node->id;
    const quint64 generation = node->generation;
    client->listTags(node->repository, node->requestContext,
                     [this, id, generation](Expected<QStringList> tags) {
                         Node *n = nodeById(id);
                         if (!isCurrent(n, generation))
                             return;
                         if (!tags) {
                             failNode(n, tags.error());
                             return;
                         }
                         QStringList names = std::move(*tags);
                         TagOrder::sort(names);
                         std::vector<NodePtr> nodes;
                         nodes.reserve(std::size_t(names.size()));
                         for (const QString &tag : std::as_const(names)) {
                             NodePtr t = makeNode(NodeType::Tag, n);
                             t->tag = tag;
                             t->name = tag;
                             nodes.push_back(std::move(t));
                         }
                         // Insert before dropping the Loading row so the parent never looks empty.
                         insertChildren(n, 0, std::move(nodes));
                         if (n->contentCount() == 0) {
                             finishWithMessage(n, tr("No tags"));
                             return;
                         }
                         finishNode(n);
                     });
}

void RegistryTreeModel::resolveTag(Node *node, RegistryClient *client)
{
    const quint64 id = node->id;
    const quint64 generation = node->generation;
    ImageResolver::Options options;
    options.fetchConfigs = false; // the tree needs platforms and sizes, not configs
    ImageResolver::resolve(client, node->repository, node->tag, options, node->requestContext,
                           [this, id, generation](Expected<ResolvedImage> image) {
                               Node *n = nodeById(id);
                               if (!isCurrent(n, generation))
                                   return;
                               if (!image) {
                                   failNode(n, image.error());
                                   return;
                               }
                               setTagImage(n, std::move(*image));
                           });
}

void RegistryTreeModel::releaseContext(Node *node)
{
    // Later, not now: this usually runs inside a reply delivered for that very context.
    if (node->requestContext) {
        node->requestContext->deleteLater();
        node->requestContext = nullptr;
    }
}

void RegistryTreeModel::failNode(Node *node, const Error &error)
{
    node->error = error.message;
    setStatusRow(node, NodeType::Error, error.message, error.message);
    releaseContext(node);
    node->state = LoadState::Failed;
    emitChanged(node);
    continueReveal();
}

void RegistryTreeModel::finishNode(Node *node)
{
    clearStatusRow(node);
    releaseContext(node);
    node->state = LoadState::Loaded;
    emitChanged(node);
    continueReveal();
}

void RegistryTreeModel::finishWithMessage(Node *node, const QString &text, const QString &detail)
{
    setStatusRow(node, NodeType::Message, text, detail);
    releaseContext(node);
    node->state = LoadState::Loaded;
    emitChanged(node);
    continueReveal();
}

void RegistryTreeModel::cancelSubtree(Node *node)
{
    if (node->requestContext) {
        if (RegistryClient *client = m_sessions->existingClient(node->bookmarkId))
            client->cancelFor(node->requestContext);
        node->requestContext->deleteLater();
        node->requestContext = nullptr;
    }
    ++node->generation;
    node->startPending = false;
    for (const NodePtr &child : node->children)
        cancelSubtree(child.get());
}

void RegistryTreeModel::resetNode(Node *node, bool reload)
{
    cancelSubtree(node);
    // Unloaded before the rows go, so hasChildren() stays true and views keep it expanded.
    node->state = LoadState::Unloaded;
    node->error.clear();
    if (node->type == NodeType::Tag) {
        node->image.reset();
        node->digest.clear();
        node->size = -1;
    }
    clearChildren(node);
    emitChanged(node);
    // Whoever watched the removal (a view, a model tester) may already have fetched it again.
    if (reload && node->state == LoadState::Unloaded)
        scheduleStart(node);
}

void RegistryTreeModel::retry(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Node *node = nodeFor(index);
    if (node->type == NodeType::Error && node->parent)
        node = node->parent;
    if (node->state != LoadState::Failed)
        return;
    resetNode(node, true);
}

void RegistryTreeModel::refresh(const QModelIndex &index)
{
    if (!index.isValid()) {
        for (const NodePtr &b : m_root->children) {
            if (b->state != LoadState::Unloaded)
                resetNode(b.get(), true);
        }
        return;
    }
    Node *node = nodeFor(index);
    while (node && node != m_root.get() && !isContainer(node->type))
        node = node->parent;
    if (!node || node == m_root.get())
        return;
    resetNode(node, true);
}

// ---------------------------------------------------------------------------------------------
// Content

void RegistryTreeModel::addRepositories(Node *bookmark, const QStringList &names)
{
    mergeRepositories(bookmark, QString(), names);
}

RegistryTreeModel::Node *RegistryTreeModel::findChild(const Node *parent, NodeType type,
                                                      const QString &key) const
{
    for (const NodePtr &child : parent->children) {
        if (child->type == type && child->name == key)
            return child.get();
    }
    return nullptr;
}

void RegistryTreeModel::mergeRepositories(Node *container, const QString &prefix,
                                          const QStringList &names)
{
    // Names directly in this container, and the rest grouped by their next namespace.
    QStringList direct;
    QMap<QString, QStringList> nested; // "team/" → full names below it
    for (const QString &name : names) {
        const int slash = name.indexOf(u'/', prefix.size());
        if (slash < 0)
            direct << name;
        else
            nested[name.left(slash + 1)] << name;
    }

    QSet<QString> existing;
    for (const NodePtr &child : container->children)
        existing.insert(child->name);

    std::vector<NodePtr> fresh;
    for (const QString &name : std::as_const(direct)) {
        if (existing.contains(name))
            continue;
        NodePtr repo = makeNode(NodeType::Repository, container);
        repo->name = name;
        repo->repository = name;
        fresh.push_back(std::move(repo));
        existing.insert(name);
    }
    for (auto it = nested.cbegin(); it != nested.cend(); ++it) {
        if (Node *ns = findChild(container, NodeType::Namespace, it.key())) {
            mergeRepositories(ns, it.key(), it.value());
            continue;
        }
        // A new namespace is built complete, then inserted with its subtree in one go.
        NodePtr ns = makeNode(NodeType::Namespace, container);
        ns->name = it.key();
        buildRepositoryTree(ns.get(), it.key(), it.value());
        fresh.push_back(std::move(ns));
    }
    insertSorted(container, std::move(fresh));
}

void RegistryTreeModel::buildRepositoryTree(Node *container, const QString &prefix,
                                            const QStringList &names)
{
    // Off-model construction (no signals): the caller inserts the finished subtree.
    QStringList direct;
    QMap<QString, QStringList> nested;
    for (const QString &name : names) {
        const int slash = name.indexOf(u'/', prefix.size());
        if (slash < 0)
            direct << name;
        else
            nested[name.left(slash + 1)] << name;
    }
    for (auto it = nested.cbegin(); it != nested.cend(); ++it) {
        NodePtr ns = makeNode(NodeType::Namespace, container);
        ns->name = it.key();
        buildRepositoryTree(ns.get(), it.key(), it.value());
        container->children.push_back(std::move(ns));
    }
    direct.sort();
    direct.removeDuplicates();
    for (const QString &name : std::as_const(direct)) {
        NodePtr repo = makeNode(NodeType::Repository, container);
        repo->name = name;
        repo->repository = name;
        container->children.push_back(std::move(repo));
    }
    for (std::size_t i = 0; i < container->children.size(); ++i)
        container->children[i]->row = int(i);
}

std::vector<RegistryTreeModel::NodePtr> RegistryTreeModel::attestationNodes(Node *tag)
{
    std::vector<NodePtr> nodes;
    if (!tag->image)
        return nodes;
    for (const ImageAttestation &a : tag->image->attestations) {
        NodePtr n = makeNode(NodeType::Attestation, tag);
        n->digest = a.digest.toString();
        n->name = n->digest;
        for (const ImagePlatform &p : tag->image->platforms) {
            if (p.digest.toString() == a.subject)
                n->platform = p.platform.toString();
        }
        nodes.push_back(std::move(n));
    }
    return nodes;
}

void RegistryTreeModel::setTagImage(Node *tag, ResolvedImage image)
{
    auto resolved = std::make_shared<const ResolvedImage>(std::move(image));
    tag->image = resolved;
    tag->digest = resolved->digest.toString();
    tag->size = resolved->platforms.size() == 1 ? resolved->platforms.constFirst().size()
                                                : resolved->uniqueBytes();
    std::vector<NodePtr> nodes;
    for (const ImagePlatform &p : resolved->platforms) {
        NodePtr n = makeNode(NodeType::Platform, tag);
        n->platform = p.platform.isEmpty() ? QString() : p.platform.toString();
        n->name = n->platform;
        n->digest = p.digest.toString();
        n->size = p.size();
        n->error = p.error;
        nodes.push_back(std::move(n));
    }
    if (m_showAttestations) {
        std::vector<NodePtr> attestations = attestationNodes(tag);
        std::move(attestations.begin(), attestations.end(), std::back_inserter(nodes));
    }
    insertChildren(tag, 0, std::move(nodes));
    if (tag->contentCount() == 0) {
        finishWithMessage(tag, tr("No runnable images in this manifest"));
        return;
    }
    finishNode(tag);
}

void RegistryTreeModel::setShowAttestations(bool show)
{
    if (show == m_showAttestations)
        return;
    m_showAttestations = show;
    QList<Node *> tags;
    for (Node *node : std::as_const(m_nodes)) {
        if (node->type == NodeType::Tag && node->state == LoadState::Loaded && node->image &&
            !node->image->attestations.isEmpty())
            tags << node;
    }
    for (Node *tag : std::as_const(tags)) {
        if (show) {
            insertChildren(tag, tag->contentCount(), attestationNodes(tag));
            continue;
        }
        int first = -1;
        int count = 0;
        for (const NodePtr &child : tag->children) {
            if (child->type != NodeType::Attestation)
                continue;
            if (first < 0)
                first = child->row;
            ++count;
        }
        if (first >= 0)
            removeChildren(tag, first, count); // attestations are contiguous: appended last
    }
}

// ---------------------------------------------------------------------------------------------
// Bookmarks

RegistryTreeModel::Node *RegistryTreeModel::bookmarkNode(const QString &bookmarkId) const
{
    for (const NodePtr &b : m_root->children) {
        if (b->bookmarkId == bookmarkId)
            return b.get();
    }
    return nullptr;
}

void RegistryTreeModel::updateBookmarkNode(Node *node, const Bookmark &bookmark)
{
    const QString fingerprint = bookmarkFingerprint(bookmark);
    const bool contentChanged = !node->fingerprint.isEmpty() && node->fingerprint != fingerprint;
    const bool looksChanged = node->name != bookmark.name || node->url != bookmark.displayUrl() ||
                              node->skipTlsVerify != bookmark.skipTlsVerify;
    node->name = bookmark.name;
    node->url = bookmark.displayUrl();
    node->skipTlsVerify = bookmark.skipTlsVerify;
    node->manualRepositories = bookmark.repositories;
    node->fingerprint = fingerprint;
    if (contentChanged)
        resetNode(node, node->state != LoadState::Unloaded); // stays expanded, shows new content
    else if (looksChanged && node->row >= 0 && node->parent &&
             std::size_t(node->row) < node->parent->children.size() &&
             node->parent->children[std::size_t(node->row)].get() == node)
        emitChanged(node); // (a node being created is not in the model yet: nothing to announce)
}

void RegistryTreeModel::syncBookmarks()
{
    BookmarkStore *store = m_sessions->bookmarks();
    for (int i = int(m_root->children.size()) - 1; i >= 0; --i) {
        if (!store->byId(m_root->children[std::size_t(i)]->bookmarkId))
            removeChildren(m_root.get(), i, 1);
    }
    const QList<Bookmark> &bookmarks = store->bookmarks();
    for (int i = 0; i < bookmarks.size(); ++i) {
        const Bookmark &b = bookmarks.at(i);
        if (Node *existing = bookmarkNode(b.id)) {
            const int from = existing->row;
            if (from != i) {
                // Moved rather than removed and re-added: the view keeps it expanded.
                beginMoveRows({}, from, from, {}, i);
                auto &kids = m_root->children;
                NodePtr moving = std::move(kids[std::size_t(from)]);
                kids.erase(kids.begin() + from);
                kids.insert(kids.begin() + i, std::move(moving));
                for (std::size_t r = 0; r < kids.size(); ++r)
                    kids[r]->row = int(r);
                endMoveRows();
            }
            updateBookmarkNode(existing, b);
            continue;
        }
        NodePtr node = makeNode(NodeType::Bookmark, m_root.get());
        node->bookmarkId = b.id;
        updateBookmarkNode(node.get(), b);
        std::vector<NodePtr> one;
        one.push_back(std::move(node));
        insertChildren(m_root.get(), i, std::move(one));
    }
}

void RegistryTreeModel::onClientReset(const QString &bookmarkId)
{
    // The old client and its requests are gone: whatever was loaded or loading reloads with
    // the new settings.
    Node *node = bookmarkNode(bookmarkId);
    if (!node || node->state == LoadState::Unloaded)
        return;
    if (!m_sessions->bookmarks()->byId(bookmarkId))
        return; // removed: syncBookmarks() drops the whole row
    resetNode(node, true);
}

// ---------------------------------------------------------------------------------------------
// Paths

RegistryTreeModel::Node *
RegistryTreeModel::findRepository(Node *bookmark, const QString &repository, bool *complete) const
{
    // Walks "a/b/c" through namespaces "a/" and "a/b/"; returns the deepest node reached.
    Node *node = bookmark;
    int from = 0;
    for (;;) {
        const int slash = repository.indexOf(u'/', from);
        if (slash < 0)
            break;
        Node *ns = findChild(node, NodeType::Namespace, repository.left(slash + 1));
        if (!ns) {
            *complete = false;
            return node;
        }
        node = ns;
        from = slash + 1;
    }
    if (Node *repo = findChild(node, NodeType::Repository, repository)) {
        *complete = true;
        return repo;
    }
    *complete = false;
    return node;
}

QModelIndex RegistryTreeModel::indexFor(const QString &bookmarkId, const QString &repository,
                                        const QString &tag, const QString &platformDigest) const
{
    Node *bookmark = bookmarkNode(bookmarkId);
    if (!bookmark)
        return {};
    if (repository.isEmpty())
        return indexOf(bookmark);
    bool complete = false;
    Node *repo = findRepository(bookmark, repository, &complete);
    if (!complete || tag.isEmpty())
        return indexOf(repo);
    Node *tagNode = findChild(repo, NodeType::Tag, tag);
    if (!tagNode)
        return indexOf(repo);
    if (platformDigest.isEmpty())
        return indexOf(tagNode);
    for (const NodePtr &child : tagNode->children) {
        if ((child->type == NodeType::Platform || child->type == NodeType::Attestation) &&
            child->digest == platformDigest)
            return indexOf(child.get());
    }
    return indexOf(tagNode);
}

void RegistryTreeModel::revealPath(const QString &bookmarkId, const QString &repository,
                                   const QString &tag, const QString &platformDigest)
{
    m_reveal = PathRequest{bookmarkId, repository, tag, platformDigest};
    continueReveal();
}

void RegistryTreeModel::continueReveal()
{
    // Always on a later turn: the signal's receiver may expand or select, which must not
    // happen while this model is in the middle of a change.
    if (!m_reveal || m_revealScheduled)
        return;
    m_revealScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_revealScheduled = false;
        if (!m_reveal)
            return;
        const PathRequest req = *m_reveal;
        auto finish = [this](Node *node, bool complete) {
            m_reveal.reset();
            emit pathRevealed(indexOf(node), complete);
        };
        // Waits for container to load (starting it if needed); false when it cannot help.
        auto waitFor = [this](Node *container) {
            if (container->state == LoadState::Unloaded) {
                scheduleStart(container);
                return true;
            }
            return container->state == LoadState::Loading;
        };

        Node *bookmark = bookmarkNode(req.bookmarkId);
        if (!bookmark) {
            finish(nullptr, false);
            return;
        }
        if (req.repository.isEmpty()) {
            finish(bookmark, true);
            return;
        }
        bool found = false;
        Node *repo = findRepository(bookmark, req.repository, &found);
        if (!found) {
            if (!waitFor(bookmark))
                finish(repo, false);
            return;
        }
        if (req.tag.isEmpty()) {
            finish(repo, true);
            return;
        }
        Node *tag = findChild(repo, NodeType::Tag, req.tag);
        if (!tag) {
            if (!waitFor(repo))
                finish(repo, false);
            return;
        }
        if (req.platformDigest.isEmpty()) {
            finish(tag, true);
            return;
        }
        const QModelIndex target =
            indexFor(req.bookmarkId, req.repository, req.tag, req.platformDigest);
        if (nodeFor(target) != tag) {
            finish(nodeFor(target), true);
            return;
        }
        if (!waitFor(tag))
            finish(tag, false);
    });
}

} // namespace wharf::gui
