// The whole window against a real registry (docker-registry 2.8 with Basic auth, images pushed
// by skopeo): add the registry through the dialog (a wrong password first), browse to a
// platform, check layers and sizes against the built images, copy references, and come back
// to the same selection after a restart.

#include "GuiTest.h"
#include "SampleImages.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "models/TagFilterProxyModel.h"
#include "models/TagTableModel.h"
#include "widgets/BookmarkDialog.h"
#include "widgets/DetailPanel.h"
#include "widgets/LayerTableModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;
using wharf::testing::child;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void addRegistryThroughDialog();
    void browseToPlatform();
    void copyReferences();
    void tagTableFilterAndSelection();
    void wrongStoredPasswordShowsClearError();
    void remembersSelection();

private:
    void triggerAndFillDialog(MainWindow &window, const QString &password, bool testWrongFirst);

    t::TestRegistry m_registry{[] {
        t::RegistryOptions o;
        o.username = u"alice"_s;
        o.password = u"right-pass"_s;
        return o;
    }()};
    t::SampleImages m_images;
    QTemporaryDir m_config;
    QTemporaryDir m_cache;
    MemoryCredentialStore *m_secrets = nullptr;
    std::unique_ptr<AppContext> m_context;
    std::unique_ptr<MainWindow> m_window;
    QString m_bookmarkId;
};

void TestMainWindow::initTestCase()
{
    qputenv("WHARF_CONFIG_DIR", m_config.path().toUtf8());
    qputenv("WHARF_CACHE_DIR", m_cache.path().toUtf8());
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_images.pushTo(m_registry, &error), qPrintable(error));
    m_secrets = new MemoryCredentialStore;
    m_context = std::make_unique<AppContext>(m_secrets);
    m_window = std::make_unique<MainWindow>(m_context.get());
    new QAbstractItemModelTester(m_window->treeModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    new QAbstractItemModelTester(m_window->tagModel(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    new QAbstractItemModelTester(m_window->tagProxy(),
                                 QAbstractItemModelTester::FailureReportingMode::Fatal, this);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::addRegistryThroughDialog()
{
    bool checked = false;
    QTimer::singleShot(0, this, [this, &checked] {
        auto *dialog = qobject_cast<BookmarkDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        child<QLineEdit>(dialog, "nameEdit")->setText(u"Test registry"_s);
        child<QLineEdit>(dialog, "urlEdit")->setText(m_registry.url());
        auto *mode = child<QComboBox>(dialog, "authModeCombo");
        for (int i = 0; i < mode->count(); ++i) {
            if (mode->itemText(i).contains(u"password"_s, Qt::CaseInsensitive))
                mode->setCurrentIndex(i);
        }
        child<QLineEdit>(dialog, "usernameEdit")->setText(u"alice"_s);
        auto *password = child<QLineEdit>(dialog, "passwordEdit");
        auto *verdict = child<QLabel>(dialog, "testResultLabel");

        password->setText(u"wrong-pass"_s);
        QTest::mouseClick(child<QPushButton>(dialog, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->testOutcome() == BookmarkDialog::TestOutcome::Failed,
                                 20000);
        QVERIFY2(verdict->text().contains(u"Wrong username or password"_s),
                 qPrintable(verdict->text()));

        password->setText(u"right-pass"_s);
        QTest::mouseClick(child<QPushButton>(dialog, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->testOutcome() == BookmarkDialog::TestOutcome::Succeeded,
                                 20000);
        QVERIFY2(verdict->text().contains(u"credentials accepted"_s), qPrintable(verdict->text()));
        checked = true;
        dialog->accept();
    });
    child<QAction>(m_window.get(), "actionAddRegistry")->trigger();
    QVERIFY(checked);
    QCOMPARE(m_context->bookmarks()->bookmarks().size(), 1);
    const Bookmark b = m_context->bookmarks()->bookmarks().first();
    QCOMPARE(b.name, u"Test registry"_s);
    QCOMPARE(b.username, u"alice"_s);
    m_bookmarkId = b.id;
    QTRY_VERIFY(m_secrets->contains(b.id));
    // The settings file holds the bookmark but not the password.
    QFile settings(m_context->bookmarks()->settingsPath());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    const QByteArray content = settings.readAll();
    QVERIFY(content.contains("Test registry"));
    QVERIFY(!content.contains("right-pass"));
}

void TestMainWindow::browseToPlatform()
{
    const t::SampleImages::Tag *tag = m_images.find(u"sample/multi"_s, u"2.0"_s);
    QVERIFY(tag);
    const t::OciLayout::Image &arm = tag->images.at(1);
    QCOMPARE(arm.platform.toString(), u"linux/arm64/v8"_s);

    RegistryTreeModel *tree = m_window->treeModel();
    QSignalSpy revealed(tree, &RegistryTreeModel::pathRevealed);
    tree->revealPath(m_bookmarkId, tag->repository, tag->tag, arm.manifest.digest);
    QTRY_VERIFY_WITH_TIMEOUT(!revealed.isEmpty() && revealed.last().at(1).toBool(), 30000);
    auto *view = child<QTreeView>(m_window.get(), "registryTree");
    QTRY_COMPARE(view->currentIndex().data(RegistryTreeModel::DigestRole).toString(),
                 arm.manifest.digest);

    auto *detail = child<DetailPanel>(m_window.get(), "detailPanel");
    QTRY_VERIFY_WITH_TIMEOUT(detail->state() == DetailPanel::State::Loaded, 30000);
    QCOMPARE(detail->image()->digest.toString(), tag->top.digest);
    QCOMPARE(detail->image()->platforms.at(detail->currentPlatform()).digest.toString(),
             arm.manifest.digest);
    LayerTableModel *layers = detail->layerModel();
    QCOMPARE(layers->rowCount(), arm.layers.size());
    qint64 expectedLayerBytes = 0;
    for (int i = 0; i < arm.layers.size(); ++i) {
        QCOMPARE(layers->index(i, LayerTableModel::DigestColumn)
                     .data(LayerTableModel::DigestRole)
                     .toString(),
                 arm.layers.at(i).digest);
        QCOMPARE(layers->index(i, LayerTableModel::SizeColumn)
                     .data(LayerTableModel::BytesRole)
                     .toLongLong(),
                 arm.layers.at(i).size);
        expectedLayerBytes += arm.layers.at(i).size;
    }
    // The documented formula: config.size + sum(layers[].size).
    QCOMPARE(layers->totalBytes(), arm.config.size + expectedLayerBytes);
    QCOMPARE(layers->totalBytes(), arm.compressedSize());

    // The repository's tags are in the table.
    TagTableModel *tags = m_window->tagModel();
    QCOMPARE(tags->repository(), tag->repository);
    QTRY_COMPARE(tags->tagCount(), int(m_images.tagNames(tag->repository).size()));
}

void TestMainWindow::copyReferences()
{
    auto *detail = child<DetailPanel>(m_window.get(), "detailPanel");
    QVERIFY(detail->state() == DetailPanel::State::Loaded);
    const t::SampleImages::Tag *tag = m_images.find(u"sample/multi"_s, u"2.0"_s);
    QTest::mouseClick(child<QPushButton>(detail, "copyDigestButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             u"docker pull %1/sample/multi@%2"_s.arg(m_registry.hostPort(), tag->top.digest));

    // Ctrl+C in the tree copies the platform's reference by digest.
    auto *view = child<QTreeView>(m_window.get(), "registryTree");
    view->setFocus();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             u"%1/sample/multi@%2"_s.arg(m_registry.hostPort(), tag->images.at(1).manifest.digest));
}

void TestMainWindow::tagTableFilterAndSelection()
{
    const t::SampleImages::Tag *one = m_images.find(u"sample/versions"_s, u"1.10"_s);
    QVERIFY(one);
    RegistryTreeModel *tree = m_window->treeModel();
    QSignalSpy revealed(tree, &RegistryTreeModel::pathRevealed);
    tree->revealPath(m_bookmarkId, u"sample/versions"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!revealed.isEmpty() && revealed.last().at(1).toBool(), 30000);
    TagTableModel *tags = m_window->tagModel();
    QTRY_COMPARE(tags->repository(), u"sample/versions"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tags->resolvedCount(), 6, 30000);

    auto *filter = child<QLineEdit>(child<QWidget>(m_window.get(), "tagsPane"), "filterEdit");
    auto *table = child<QTableView>(m_window.get(), "tagTable");
    filter->setText(u"v2"_s);
    QCOMPARE(table->model()->rowCount(), 2); // v2.0.0-rc1, v2.0.0
    filter->setText(u"re:^1\\.(2|9)$"_s);
    QCOMPARE(table->model()->rowCount(), 2);
    filter->clear();
    QCOMPARE(table->model()->rowCount(), 6);

    // Select all → Ctrl+C copies one reference per tag, each pinned to its digest.
    table->setFocus();
    table->selectAll();
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n');
    QCOMPARE(lines.size(), 6);
    QVERIFY(lines.contains(
        u"%1/sample/versions:1.10@%2"_s.arg(m_registry.hostPort(), one->top.digest)));
}

void TestMainWindow::wrongStoredPasswordShowsClearError()
{
    // Replace the stored password with a wrong one: the tree shows an error row that says so.
    bool stored = false;
    m_secrets->writeSecret(m_bookmarkId, u"not-the-password"_s, this,
                           [&stored](Expected<Done>) { stored = true; });
    QTRY_VERIFY(stored);
    m_context->sessions()->reset(m_bookmarkId);
    RegistryTreeModel *tree = m_window->treeModel();
    const QModelIndex bookmark = tree->indexFor(m_bookmarkId);
    QVERIFY(bookmark.isValid());
    tree->refresh(bookmark);
    QTRY_VERIFY_WITH_TIMEOUT(tree->loadState(bookmark) == RegistryTreeModel::LoadState::Failed,
                             30000);
    QString errorText;
    for (int i = 0; i < tree->rowCount(bookmark); ++i) {
        const QModelIndex row = tree->index(i, 0, bookmark);
        if (tree->nodeType(row) == RegistryTreeModel::NodeType::Error)
            errorText = row.data(RegistryTreeModel::ErrorRole).toString();
    }
    QVERIFY2(errorText.contains(u"rejected the username or password"_s), qPrintable(errorText));

    // Put the right one back and retry.
    stored = false;
    m_secrets->writeSecret(m_bookmarkId, u"right-pass"_s, this,
                           [&stored](Expected<Done>) { stored = true; });
    QTRY_VERIFY(stored);
    m_context->sessions()->reset(m_bookmarkId);
    tree->retry(bookmark);
    QTRY_VERIFY_WITH_TIMEOUT(tree->loadState(bookmark) == RegistryTreeModel::LoadState::Loaded,
                             30000);
}

void TestMainWindow::remembersSelection()
{
    const t::SampleImages::Tag *tag = m_images.find(u"sample/app"_s, u"1.0"_s);
    RegistryTreeModel *tree = m_window->treeModel();
    QSignalSpy revealed(tree, &RegistryTreeModel::pathRevealed);
    tree->revealPath(m_bookmarkId, tag->repository, tag->tag);
    QTRY_VERIFY_WITH_TIMEOUT(!revealed.isEmpty() && revealed.last().at(1).toBool(), 30000);
    m_window->resize(1111, 777);
    m_window->close(); // saves state

    MainWindow again(m_context.get());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1111, 777));
    again.restoreSelection();
    auto *view = child<QTreeView>(&again, "registryTree");
    QTRY_VERIFY_WITH_TIMEOUT(
        view->currentIndex().data(RegistryTreeModel::TagRole).toString() == tag->tag, 30000);
    QCOMPARE(view->currentIndex().data(RegistryTreeModel::RepositoryRole).toString(),
             tag->repository);
    auto *detail = child<DetailPanel>(&again, "detailPanel");
    QTRY_VERIFY_WITH_TIMEOUT(detail->state() == DetailPanel::State::Loaded, 30000);
    QCOMPARE(detail->image()->digest.toString(), tag->top.digest);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
