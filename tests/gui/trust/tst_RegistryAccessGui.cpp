// The main window's helpers for registries as people meet them: a token-auth docker-registry
// 2.8 that refuses the catalog (no catalog scope for anyone) gets repositories added by hand –
// from the tree's message row – and then shows them with their tags; "Remove from List" takes
// them off again. A scripted registry that sends Docker Hub's RateLimit headers shows its pull
// quota in the status bar while it is the current registry.

#include "LoopbackServer.h"
#include "TokenRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "trust/AddRepositoryDialog.h"
#include "trust/RegistryAccessController.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;
using NodeType = RegistryTreeModel::NodeType;

namespace {

constexpr int LoadTimeoutMs = 30000;
const auto Public = u"public/lib-0000"_s;

} // namespace

class TestRegistryAccessGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void addRepositoryToRegistryWithoutCatalog();
    void rateLimitOfTheCurrentRegistry();

private:
    QModelIndex lastChild(const QModelIndex &parent) const;
    QString addBookmark(const QString &name, const QString &url);

    t::TokenRegistry m_token;
    std::atomic<int> m_remaining{76};
    std::unique_ptr<t::LoopbackServer> m_limited;
    QTemporaryDir m_config;
    QTemporaryDir m_cache;
    QTemporaryDir m_dockerConfig;
    std::unique_ptr<AppContext> m_context;
    std::unique_ptr<MainWindow> m_window;
    RegistryAccessController *m_controller = nullptr;
};

void TestRegistryAccessGui::initTestCase()
{
    qputenv("WHARF_CONFIG_DIR", QFile::encodeName(m_config.path()));
    qputenv("WHARF_CACHE_DIR", QFile::encodeName(m_cache.path()));
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_dockerConfig.path()));
    qunsetenv("DOCKER_AUTH_CONFIG");
    QString error;
    QVERIFY2(m_token.start(&error), qPrintable(error));
    // Anonymous users may pull public/*, nobody may list the catalog.
    m_token.tokens().allow(QString(), u"repository"_s, u"public/*"_s, {u"pull"_s});

    m_limited = std::make_unique<t::LoopbackServer>([this](const t::LoopbackServer::Request &r) {
        t::LoopbackServer::Response response;
        const QByteArray path = r.path();
        if (path == "/v2/" || path == "/v2")
            response = t::LoopbackServer::Response::json(200, "{}");
        else if (path == "/v2/_catalog")
            response =
                t::LoopbackServer::Response::json(200, R"({"repositories":["library/alpine"]})");
        else if (path == "/v2/library/alpine/tags/list")
            response = t::LoopbackServer::Response::json(
                200, R"({"name":"library/alpine","tags":["3.19"]})");
        else
            response = t::LoopbackServer::Response::json(
                404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]})");
        // What Docker Hub sends on every answer.
        response.headers.emplaceBack("ratelimit-limit", "100;w=21600");
        response.headers.emplaceBack("ratelimit-remaining",
                                     QByteArray::number(m_remaining.load()) + ";w=21600");
        return response;
    });
    QVERIFY2(m_limited->start(&error), qPrintable(error));

    m_context = std::make_unique<AppContext>(new MemoryCredentialStore);
    m_window = std::make_unique<MainWindow>(m_context.get());
    new QAbstractItemModelTester(m_window->treeModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    m_controller = m_window->findChild<RegistryAccessController *>();
    QVERIFY(m_controller);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestRegistryAccessGui::cleanupTestCase()
{
    m_window.reset();
    m_context.reset();
}

QModelIndex TestRegistryAccessGui::lastChild(const QModelIndex &parent) const
{
    RegistryTreeModel *tree = m_window->treeModel();
    const int rows = tree->rowCount(parent);
    return rows > 0 ? tree->index(rows - 1, 0, parent) : QModelIndex();
}

QString TestRegistryAccessGui::addBookmark(const QString &name, const QString &url)
{
    Bookmark b;
    b.name = name;
    b.url = QUrl(url);
    const auto added = m_context->bookmarks()->add(b);
    return added ? added->id : QString();
}

void TestRegistryAccessGui::addRepositoryToRegistryWithoutCatalog()
{
    const QString id = addBookmark(u"No catalog"_s, m_token.url());
    QVERIFY(!id.isEmpty());
    RegistryTreeModel *tree = m_window->treeModel();
    auto *view = m_window->findChild<QTreeView *>(u"registryTree"_s);
    QVERIFY(view);

    // The catalog is refused: a message row says repositories can be added by hand.
    tree->revealPath(id, Public);
    const QModelIndex bookmark = tree->indexFor(id);
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(lastChild(bookmark)), NodeType::Message,
                              LoadTimeoutMs);
    const QModelIndex message = lastChild(bookmark);
    QVERIFY2(message.data().toString().contains(u"by hand"_s),
             qPrintable(message.data().toString()));
    QMenu menu;
    QVERIFY(m_controller->fillStatusRowMenu(message, &menu));
    QCOMPARE(menu.actions().first()->text(), u"Add Re&pository…"_s);

    // Activating the message row opens the dialog for that registry.
    emit view->activated(message);
    auto *dialog = m_window->findChild<AddRepositoryDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->bookmarkId(), id);
    dialog->setNames(u"Public Lib"_s);
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    QVERIFY2(dialog->validationMessage().contains(u"is not a repository name"_s),
             qPrintable(dialog->validationMessage()));
    dialog->setNames(Public);
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    QCOMPARE(m_context->bookmarks()->byId(id)->repositories, QStringList{Public});

    // The tree shows the repository, and its tags come from the registry (anonymous token).
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(tree->indexFor(id, Public)), NodeType::Repository,
                              LoadTimeoutMs);
    tree->revealPath(id, Public, u"latest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(tree->indexFor(id, Public, u"latest"_s)),
                              NodeType::Tag, LoadTimeoutMs);
    const QModelIndex repository = tree->indexFor(id, Public);
    QCOMPARE(tree->rowCount(repository), 1);
    QCOMPARE(tree->index(0, 0, repository).data().toString(), u"latest"_s);

    // "Remove from List" is there for listed repositories only, and takes it off the bookmark.
    view->setCurrentIndex(tree->indexFor(id, Public));
    QCOMPARE(m_window->currentTreeRepository(), Public);
    QVERIFY(m_controller->removeFromListAction()->isVisible());
    m_controller->removeFromListAction()->trigger();
    QVERIFY(m_context->bookmarks()->byId(id)->repositories.isEmpty());
    // Back to asking for the catalog, which is still refused.
    const QModelIndex again = tree->indexFor(id);
    view->setCurrentIndex(again);
    tree->fetchMore(again);
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(lastChild(again)), NodeType::Message, LoadTimeoutMs);
    QVERIFY(!tree->indexFor(id, Public).isValid() ||
            tree->nodeType(tree->indexFor(id, Public)) != NodeType::Repository);
}

void TestRegistryAccessGui::rateLimitOfTheCurrentRegistry()
{
    const QString limited = addBookmark(u"Rate limited"_s, m_limited->url().toString());
    const QString other = addBookmark(u"No limits"_s, m_token.url());
    RegistryTreeModel *tree = m_window->treeModel();
    auto *view = m_window->findChild<QTreeView *>(u"registryTree"_s);
    QLabel *label = m_controller->rateLimitLabel();
    QVERIFY(!label->isVisible());

    m_remaining = 76;
    tree->revealPath(limited, u"library/alpine"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tree->nodeType(tree->indexFor(limited, u"library/alpine"_s)),
                              NodeType::Repository, LoadTimeoutMs);
    view->setCurrentIndex(tree->indexFor(limited, u"library/alpine"_s));
    QTRY_VERIFY(label->isVisible());
    QTRY_COMPARE(label->text(), u"Pulls left: 76/100 per 6 h"_s);
    QVERIFY(label->toolTip().contains(u"Rate limited"_s));

    // Every answer updates the numbers.
    m_remaining = 75;
    tree->revealPath(limited, u"library/alpine"_s, u"3.19"_s);
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), u"Pulls left: 75/100 per 6 h"_s, LoadTimeoutMs);

    // Another registry without such headers: nothing to show; back again: its numbers.
    view->setCurrentIndex(tree->indexFor(other));
    QVERIFY(!label->isVisible());
    view->setCurrentIndex(tree->indexFor(limited));
    QVERIFY(label->isVisible());
    QCOMPARE(label->text(), u"Pulls left: 75/100 per 6 h"_s);

    // Removing the bookmark forgets its numbers.
    QVERIFY(m_context->bookmarks()->remove(limited));
    QTRY_VERIFY(!label->isVisible());
}

QTEST_MAIN(TestRegistryAccessGui)
#include "tst_RegistryAccessGui.moc"
