#pragma once

#include "Error.h"
#include "models/ResolvedImagePtr.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace wharf {
class RegistryClient;
class SessionManager;
struct Bookmark;
} // namespace wharf

namespace wharf::gui {

// The left-hand tree: bookmarks (in BookmarkStore order) → namespaces ("team/", one node per
// path prefix) → repositories → tags (natural order) → platform manifests (and, on request,
// attestation manifests).
//
// Everything below a bookmark loads lazily: a container reports hasChildren() before it is
// loaded, canFetchMore() while it is Unloaded, and fetchMore() moves it to Loading and starts
// exactly one request (never a second one while it runs). The request starts on the next
// event-loop turn, so fetchMore() never changes rows while a view or model tester is in the
// middle of handling another change. While loading, the node shows a "Loading…" child row;
// a failure replaces it with an Error row (retry() reloads), a catalog the registry refuses
// with a Message row explaining that repositories can be added to the bookmark by hand.
//
// Namespaces come before repositories, each group in name order; status rows (Loading, Error,
// Message) are always last.
class RegistryTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class NodeType {
        Root,
        Bookmark,
        Namespace,
        Repository,
        Tag,
        Platform,
        Attestation,
        Loading,
        Error,
        Message,
    };
    Q_ENUM(NodeType)

    enum class LoadState { Unloaded, Loading, Loaded, Failed };
    Q_ENUM(LoadState)

    enum Column { NameColumn, SizeColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        NodeTypeRole = Qt::UserRole + 1, // NodeType
        BookmarkIdRole,                  // every node below a bookmark knows it
        RepositoryRole,                  // repository, tag, platform and attestation nodes
        TagRole,                         // tag, platform and attestation nodes
        DigestRole,                      // tag (once resolved), platform, attestation
        PlatformRole,                    // "linux/arm64/v8"; an attestation: its subject's
        SizeRole,                        // qint64 bytes, -1 when unknown
        ErrorRole,                       // error text of a failed node / error row
        LoadStateRole,                   // LoadState of a container
        CanRetryRole,                    // bool: retry() would reload something
        NamespaceRole,                   // "team/" on namespace nodes
        ResolvedImageRole,               // ResolvedImagePtr of a resolved tag
    };
    Q_ENUM(Role)

    explicit RegistryTreeModel(SessionManager *sessions, QObject *parent = nullptr);
    ~RegistryTreeModel() override;

    SessionManager *sessions() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    NodeType nodeType(const QModelIndex &index) const;
    LoadState loadState(const QModelIndex &index) const;

    bool showAttestations() const { return m_showAttestations; }
    void setShowAttestations(bool show);

    // The node for this path if it is loaded, else its deepest loaded ancestor (invalid when
    // the bookmark does not exist). Empty trailing parts stop the path early.
    QModelIndex indexFor(const QString &bookmarkId, const QString &repository = {},
                         const QString &tag = {}, const QString &platformDigest = {}) const;
    // Loads whatever the path needs (only that) and emits pathRevealed() once the node exists
    // (complete = true), or once it is clear it does not (complete = false, with the deepest
    // ancestor found). A later call replaces an earlier pending one.
    void revealPath(const QString &bookmarkId, const QString &repository = {},
                    const QString &tag = {}, const QString &platformDigest = {});

public slots:
    // Reloads the container an Error row belongs to (or the failed container itself).
    void retry(const QModelIndex &index);
    // Drops and reloads the subtree of the container at index (a leaf: its parent; a
    // namespace: its bookmark's catalog; an invalid index: every loaded bookmark).
    void refresh(const QModelIndex &index);

signals:
    void pathRevealed(const QModelIndex &index, bool complete);

private:
    struct Node;
    using NodePtr = std::unique_ptr<Node>;

    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    Node *nodeById(quint64 id) const;
    NodePtr makeNode(NodeType type, Node *parent);
    void registerSubtree(Node *node);
    void forgetSubtree(Node *node);
    static bool isContainer(NodeType type);

    // Structure changes, all emitting the proper signals.
    void insertChildren(Node *parent, int position, std::vector<NodePtr> nodes);
    void insertSorted(Node *parent, std::vector<NodePtr> nodes);
    void removeChildren(Node *parent, int first, int count);
    void clearChildren(Node *parent);
    void setStatusRow(Node *parent, NodeType type, const QString &text, const QString &error = {});
    void clearStatusRow(Node *parent);
    void emitChanged(Node *node);

    // Loading.
    void scheduleStart(Node *node);
    void startPending();
    void startLoad(Node *node);
    void loadCatalog(Node *node, RegistryClient *client);
    void loadTags(Node *node, RegistryClient *client);
    void resolveTag(Node *node, RegistryClient *client);
    void catalogFailed(quint64 id, quint64 generation, const Error &error);
    void releaseContext(Node *node);
    void failNode(Node *node, const Error &error);
    void finishNode(Node *node);
    void finishWithMessage(Node *node, const QString &text, const QString &detail = {});
    void cancelSubtree(Node *node);
    void resetNode(Node *node, bool reload);
    bool isCurrent(const Node *node, quint64 generation) const;

    // Content.
    void addRepositories(Node *bookmark, const QStringList &names);
    void mergeRepositories(Node *container, const QString &prefix, const QStringList &names);
    void buildRepositoryTree(Node *container, const QString &prefix, const QStringList &names);
    std::vector<NodePtr> attestationNodes(Node *tag);
    void setTagImage(Node *tag, ResolvedImage image);
    Node *findChild(const Node *parent, NodeType type, const QString &key) const;
    Node *findRepository(Node *bookmark, const QString &repository, bool *complete) const;

    // Bookmarks.
    void syncBookmarks();
    void updateBookmarkNode(Node *node, const Bookmark &bookmark);
    void onClientReset(const QString &bookmarkId);
    Node *bookmarkNode(const QString &bookmarkId) const;

    // Path reveal.
    void continueReveal();

    QString displayText(const Node *node) const;
    QString toolTip(const Node *node) const;
    QIcon icon(const Node *node) const;

    QPointer<SessionManager> m_sessions;
    std::unique_ptr<Node> m_root;
    QHash<quint64, Node *> m_nodes; // id → live node: replies find their node (or its absence)
    quint64 m_nextId = 1;
    QList<quint64> m_pendingStarts;
    bool m_startScheduled = false;
    bool m_showAttestations = false;

    struct PathRequest
    {
        QString bookmarkId;
        QString repository;
        QString tag;
        QString platformDigest;
    };
    std::optional<PathRequest> m_reveal;
    bool m_revealScheduled = false;
};

} // namespace wharf::gui
