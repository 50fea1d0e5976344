// DetailPanel against a real registry (docker-registry 2.8) seeded with the standard sample
// images by skopeo: what the panel shows must equal what was built and pushed.

#include "widgets/DetailPanel.h"
#include "widgets/LayerTableModel.h"

#include "SampleImages.h"
#include "Skopeo.h"
#include "TestRegistry.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cache/ContentCache.h"
#include "credentials/CredentialStore.h"
#include "transport/NetworkPool.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;
namespace t = wharf::test;

namespace {

constexpr int LoadTimeoutMs = 30000;

QTreeWidgetItem *topItem(QTreeWidget *tree, const QString &key)
{
    const QList<QTreeWidgetItem *> found = tree->findItems(key, Qt::MatchExactly, 0);
    return found.isEmpty() ? nullptr : found.first();
}

} // namespace

class TestDetailPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void multiArchPlatformShowsItsLayers();
    void overviewListsPlatformsAndDeduplicatedTotal();
    void copyPutsThePullCommandOnTheClipboard();
    void configAndHistoryOfSampleApp();
    void manifestTabShowsTheRegistryBytes();
    void platformDigestIsPreselected();
    void unknownTagShowsErrorInPlaceAndRetryRecovers();
    void laterRequestWins();
    void clientResetWhileLoadingStartsOver();

private:
    const t::SampleImages::Tag *sample(const QString &repository, const QString &tag) const;
    bool waitLoaded();

    t::TestRegistry m_registry;
    t::SampleImages m_images;
    QTemporaryDir m_dir;
    std::unique_ptr<BookmarkStore> m_bookmarks;
    std::unique_ptr<MemoryCredentialStore> m_credentials;
    std::unique_ptr<SessionManager> m_sessions;
    QString m_bookmarkId;
    std::unique_ptr<DetailPanel> m_panel;
};

void TestDetailPanel::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_images.pushTo(m_registry, &error), qPrintable(error));
    QVERIFY(m_dir.isValid());
    m_bookmarks = std::make_unique<BookmarkStore>(m_dir.filePath(u"wharf.conf"_s));
    m_credentials = std::make_unique<MemoryCredentialStore>();
    m_sessions = std::make_unique<SessionManager>(
        m_bookmarks.get(), m_credentials.get(), std::make_shared<NetworkPool>(4),
        std::make_shared<ContentCache>(m_dir.filePath(u"cache"_s)));
    Bookmark b;
    b.name = u"test registry"_s;
    b.url = QUrl(m_registry.url());
    auto added = m_bookmarks->add(b);
    QVERIFY2(added.hasValue(), qPrintable(added ? QString() : added.error().message));
    m_bookmarkId = added->id;
}

void TestDetailPanel::init()
{
    m_panel = std::make_unique<DetailPanel>();
    m_panel->resize(900, 600);
    m_panel->show();
}

void TestDetailPanel::cleanup()
{
    m_panel.reset();
}

const t::SampleImages::Tag *TestDetailPanel::sample(const QString &repository,
                                                    const QString &tag) const
{
    return m_images.find(repository, tag);
}

bool TestDetailPanel::waitLoaded()
{
    if (!QTest::qWaitFor([this] { return m_panel->state() != DetailPanel::State::Loading; },
                         LoadTimeoutMs)) {
        qWarning("still loading after %d ms", LoadTimeoutMs);
        return false;
    }
    if (m_panel->state() != DetailPanel::State::Loaded)
        qWarning("not loaded: %s", qPrintable(m_panel->errorMessage()));
    return m_panel->state() == DetailPanel::State::Loaded;
}

void TestDetailPanel::multiArchPlatformShowsItsLayers()
{
    const t::SampleImages::Tag *multi = sample(u"sample/multi"_s, u"2.0"_s);
    QVERIFY(multi);
    QCOMPARE(multi->images.size(), 2);
    const t::OciLayout::Image *arm = nullptr;
    for (const auto &image : multi->images) {
        if (image.platform.toString() == u"linux/arm64/v8"_s)
            arm = &image;
    }
    QVERIFY(arm);

    QSignalSpy states(m_panel.get(), &DetailPanel::stateChanged);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s);
    QCOMPARE(m_panel->state(), DetailPanel::State::Loading); // never blocks for the answer
    QVERIFY(waitLoaded());
    QCOMPARE(states.first().first().value<DetailPanel::State>(), DetailPanel::State::Loading);

    auto *combo = m_panel->findChild<QComboBox *>(u"platformCombo"_s);
    QVERIFY(combo);
    QVERIFY(combo->isVisible()); // multi-arch: a picker
    QCOMPARE(combo->count(), 2); // attestations are not platforms
    const int armEntry = combo->findText(u"linux/arm64/v8"_s);
    QVERIFY(armEntry >= 0);

    QSignalSpy platformChanged(m_panel.get(), &DetailPanel::platformChanged);
    combo->setCurrentIndex(armEntry);
    QCOMPARE(platformChanged.size(), 1);
    QCOMPARE(platformChanged.first().first().toString(), arm->manifest.digest);

    m_panel->findChild<QTabWidget *>(u"tabs"_s)->setCurrentIndex(DetailPanel::LayersTab);
    auto *view = m_panel->findChild<QTableView *>(u"layersView"_s);
    QVERIFY(view && view->isVisible());
    QAbstractItemModel *shown = view->model();
    QCOMPARE(shown->rowCount(), arm->layers.size());
    for (int row = 0; row < shown->rowCount(); ++row) {
        const int layer = shown->index(row, LayerTableModel::IndexColumn).data().toInt() - 1;
        QVERIFY(layer >= 0 && layer < arm->layers.size());
        const QModelIndex size = shown->index(row, LayerTableModel::SizeColumn);
        QCOMPARE(size.data(LayerTableModel::DigestRole).toString(), arm->layers.at(layer).digest);
        QCOMPARE(size.data(LayerTableModel::BytesRole).toLongLong(), arm->layers.at(layer).size);
    }
    LayerTableModel *layers = m_panel->layerModel();
    QCOMPARE(layers->configBytes(), arm->config.size);
    QCOMPARE(layers->totalBytes(), arm->compressedSize()); // config + layers
    auto *total = m_panel->findChild<QLabel *>(u"layersTotalLabel"_s);
    QVERIFY2(total->text().contains(QLocale().toString(arm->compressedSize())),
             qPrintable(total->text()));

    // Back to amd64: the layers follow.
    const t::OciLayout::Image &amd =
        &multi->images.at(0) == arm ? multi->images.at(1) : multi->images.at(0);
    combo->setCurrentIndex(combo->findText(amd.platform.toString()));
    QCOMPARE(layers->rowCount(), amd.layers.size());
    QCOMPARE(layers->totalBytes(), amd.compressedSize());
}

void TestDetailPanel::overviewListsPlatformsAndDeduplicatedTotal()
{
    const t::SampleImages::Tag *multi = sample(u"sample/multi"_s, u"2.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s);
    QVERIFY(waitLoaded());

    auto *tree = m_panel->findChild<QTreeWidget *>(u"platformsTree"_s);
    QVERIFY(tree && tree->isVisible());
    QCOMPARE(tree->topLevelItemCount(), multi->images.size() + 1); // + the total row
    QSet<QString> blobs;
    qint64 unique = 0;
    for (const auto &image : multi->images) {
        QTreeWidgetItem *row = topItem(tree, image.platform.toString());
        QVERIFY(row);
        QVERIFY2(row->toolTip(1).contains(QLocale().toString(image.compressedSize())),
                 qPrintable(row->toolTip(1)));
        QCOMPARE(row->toolTip(2), image.manifest.digest);
        for (const t::Descriptor &d : QList<t::Descriptor>{image.config} + image.layers) {
            if (!blobs.contains(d.digest)) {
                blobs.insert(d.digest);
                unique += d.size;
            }
        }
    }
    QTreeWidgetItem *totalRow = topItem(tree, u"Total (deduplicated)"_s);
    QVERIFY(totalRow);
    QVERIFY2(totalRow->toolTip(1).contains(QLocale().toString(unique)),
             qPrintable(totalRow->toolTip(1)));
    QCOMPARE(m_panel->image()->uniqueBytes(), unique);

    auto *size = m_panel->findChild<QLabel *>(u"sizeValue"_s);
    QVERIFY2(size->text().contains(u"deduplicated total"_s), qPrintable(size->text()));
    QVERIFY(size->text().contains(QLocale().toString(unique)));

    const QString hostPort = m_registry.hostPort();
    auto *reference = m_panel->findChild<QLabel *>(u"referenceValue"_s);
    QVERIFY(reference->text().contains(hostPort + u"/sample/multi:2.0"_s));
    QVERIFY(reference->text().contains(hostPort + u"/sample/multi@"_s + multi->top.digest));
    QCOMPARE(m_panel->findChild<QLabel *>(u"digestValue"_s)->text(), multi->top.digest);
    QVERIFY(m_panel->findChild<QLabel *>(u"mediaTypeValue"_s)->text().contains(u"OCI index"_s));
    const QString attestations = m_panel->findChild<QLabel *>(u"attestationsValue"_s)->text();
    QVERIFY2(attestations.startsWith(QString::number(multi->attestations.size()) + u' '),
             qPrintable(attestations));
}

void TestDetailPanel::copyPutsThePullCommandOnTheClipboard()
{
    const t::SampleImages::Tag *multi = sample(u"sample/multi"_s, u"2.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s);
    QVERIFY(waitLoaded());
    const QString byDigest =
        u"docker pull "_s + m_registry.hostPort() + u"/sample/multi@"_s + multi->top.digest;
    const QString byTag = u"docker pull "_s + m_registry.hostPort() + u"/sample/multi:2.0"_s;

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(m_panel->findChild<QPushButton *>(u"copyDigestButton"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), byDigest);
    QCOMPARE(m_panel->findChild<QLineEdit *>(u"pullDigestEdit"_s)->text(), byDigest);

    QTest::mouseClick(m_panel->findChild<QPushButton *>(u"copyTagButton"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), byTag);

    // Loaded by digest there is no tag to pull by.
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, multi->top.digest);
    QVERIFY(waitLoaded());
    QVERIFY(m_panel->pullByTagCommand().isEmpty());
    QVERIFY(m_panel->findChild<QPushButton *>(u"copyTagButton"_s)->isHidden());
    QCOMPARE(m_panel->pullByDigestCommand(), byDigest);
}

void TestDetailPanel::configAndHistoryOfSampleApp()
{
    const t::SampleImages::Tag *app = sample(u"sample/app"_s, u"1.0"_s);
    QVERIFY(app);
    QCOMPARE(app->images.size(), 1);
    // What skopeo pushed, read back from the config blob's own bytes.
    const QJsonObject configJson =
        QJsonDocument::fromJson(app->images.first().config.bytes).object();
    const QJsonObject runtime = configJson.value(u"config"_s).toObject();
    const QJsonArray env = runtime.value(u"Env"_s).toArray();
    const QJsonArray entrypoint = runtime.value(u"Entrypoint"_s).toArray();
    QVERIFY(!env.isEmpty());
    QVERIFY(!entrypoint.isEmpty());

    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/app"_s, u"1.0"_s);
    QVERIFY(waitLoaded());
    QVERIFY(m_panel->findChild<QComboBox *>(u"platformCombo"_s)->isHidden()); // one platform
    m_panel->findChild<QTabWidget *>(u"tabs"_s)->setCurrentIndex(DetailPanel::ConfigTab);
    auto *tree = m_panel->findChild<QTreeWidget *>(u"configTree"_s);
    QVERIFY(tree && tree->isVisible());

    QTreeWidgetItem *entry = topItem(tree, u"Entrypoint"_s);
    QVERIFY(entry);
    QCOMPARE(entry->text(1),
             QString::fromUtf8(QJsonDocument(entrypoint).toJson(QJsonDocument::Compact)));
    QTreeWidgetItem *envGroup = topItem(tree, u"Environment"_s);
    QVERIFY(envGroup);
    QCOMPARE(envGroup->childCount(), env.size());
    for (int i = 0; i < env.size(); ++i) {
        const QString expected = env.at(i).toString();
        QTreeWidgetItem *child = envGroup->child(i);
        QCOMPARE(child->text(0) + u'=' + child->text(1), expected);
    }
    QTreeWidgetItem *workdir = topItem(tree, u"Working directory"_s);
    QCOMPARE(workdir->text(1), runtime.value(u"WorkingDir"_s).toString());
    QTreeWidgetItem *user = topItem(tree, u"User"_s);
    QCOMPARE(user->text(1), runtime.value(u"User"_s).toString());
    QTreeWidgetItem *labels = topItem(tree, u"Labels"_s);
    const QJsonObject labelJson = runtime.value(u"Labels"_s).toObject();
    QCOMPARE(labels->childCount(), labelJson.size());
    for (int i = 0; i < labels->childCount(); ++i)
        QCOMPARE(labels->child(i)->text(1), labelJson.value(labels->child(i)->text(0)).toString());
    QTreeWidgetItem *ports = topItem(tree, u"Exposed ports"_s);
    for (const QString &port : runtime.value(u"ExposedPorts"_s).toObject().keys())
        QVERIFY2(ports->text(1).contains(port), qPrintable(ports->text(1)));

    // History: every entry, empty ones marked, the others numbered like the layers.
    const QJsonArray history = configJson.value(u"history"_s).toArray();
    auto *historyTree = m_panel->findChild<QTreeWidget *>(u"historyTree"_s);
    QCOMPARE(historyTree->topLevelItemCount(), history.size());
    int layer = 0;
    bool sawEmpty = false;
    for (int i = 0; i < history.size(); ++i) {
        const QJsonObject h = history.at(i).toObject();
        QTreeWidgetItem *item = historyTree->topLevelItem(i);
        QCOMPARE(item->toolTip(2), h.value(u"created_by"_s).toString());
        if (h.value(u"empty_layer"_s).toBool()) {
            sawEmpty = true;
            QCOMPARE(item->text(1), u"empty"_s);
        } else {
            QCOMPARE(item->text(1), u"#%1"_s.arg(++layer));
        }
    }
    QVERIFY(sawEmpty); // the sample has empty-layer steps
    QCOMPARE(layer, app->images.first().layers.size());
    // …and the Layers tab shows each layer's created_by from that history.
    LayerTableModel *layers = m_panel->layerModel();
    QCOMPARE(layers->rowCount(), layer);
    QCOMPARE(layers->totalBytes(), app->images.first().compressedSize());
}

void TestDetailPanel::manifestTabShowsTheRegistryBytes()
{
    const t::SampleImages::Tag *multi = sample(u"sample/multi"_s, u"2.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s);
    QVERIFY(waitLoaded());
    m_panel->findChild<QTabWidget *>(u"tabs"_s)->setCurrentIndex(DetailPanel::ManifestTab);
    auto *selector = m_panel->findChild<QComboBox *>(u"manifestCombo"_s);
    auto *text = m_panel->findChild<QPlainTextEdit *>(u"manifestText"_s);
    QVERIFY(selector && text);
    QCOMPARE(selector->count(), 2);

    // The registry's bytes, independently fetched with skopeo.
    QByteArray registryBytes;
    QString error;
    QVERIFY2(t::Skopeo::inspectRaw(m_registry.dockerReference(u"sample/multi:2.0"_s),
                                   m_registry.skopeoOptions(), &registryBytes, &error),
             qPrintable(error));
    QCOMPARE(registryBytes, multi->top.bytes);

    selector->setCurrentIndex(0);
    QTRY_VERIFY(text->toPlainText().startsWith(u'{'));
    QJsonParseError parseError{};
    const QJsonDocument shown = QJsonDocument::fromJson(text->toPlainText().toUtf8(), &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(shown, QJsonDocument::fromJson(registryBytes));
    QVERIFY(text->toPlainText().contains(u"\n    \""_s)); // indented, not the compact bytes

    // The selected platform's manifest.
    auto *platforms = m_panel->findChild<QComboBox *>(u"platformCombo"_s);
    platforms->setCurrentIndex(platforms->findText(u"linux/arm64/v8"_s));
    const t::OciLayout::Image *arm = nullptr;
    for (const auto &image : multi->images) {
        if (image.platform.toString() == u"linux/arm64/v8"_s)
            arm = &image;
    }
    QVERIFY(arm);
    selector->setCurrentIndex(1);
    QVERIFY(selector->currentText().contains(u"linux/arm64/v8"_s));
    QTRY_COMPARE(QJsonDocument::fromJson(text->toPlainText().toUtf8()),
                 QJsonDocument::fromJson(arm->manifest.bytes));
    QVERIFY(!QJsonDocument::fromJson(arm->manifest.bytes).isNull());
    // Another platform keeps the "platform manifest" choice and shows that one's bytes.
    platforms->setCurrentIndex(platforms->findText(u"linux/amd64"_s));
    QCOMPARE(selector->currentIndex(), 1);
    const t::OciLayout::Image &amd = multi->images.at(0).platform.toString() == u"linux/amd64"_s
                                         ? multi->images.at(0)
                                         : multi->images.at(1);
    QTRY_COMPARE(QJsonDocument::fromJson(text->toPlainText().toUtf8()),
                 QJsonDocument::fromJson(amd.manifest.bytes));
}

void TestDetailPanel::platformDigestIsPreselected()
{
    const t::SampleImages::Tag *multi = sample(u"sample/multi"_s, u"2.0"_s);
    const t::OciLayout::Image &second = multi->images.at(1);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s,
                       second.manifest.digest);
    QVERIFY(waitLoaded());
    QCOMPARE(m_panel->currentPlatform(), 1);
    QCOMPARE(m_panel->findChild<QComboBox *>(u"platformCombo"_s)->currentText(),
             second.platform.toString());
    QCOMPARE(m_panel->layerModel()->totalBytes(), second.compressedSize());
    QCOMPARE(m_panel->findChild<QLabel *>(u"platformDigestValue"_s)->text(),
             second.manifest.digest);
}

void TestDetailPanel::unknownTagShowsErrorInPlaceAndRetryRecovers()
{
    const t::SampleImages::Tag *app = sample(u"sample/app"_s, u"1.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/app"_s, u"retry-me"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->state(), DetailPanel::State::Failed, LoadTimeoutMs);
    auto *label = m_panel->findChild<QLabel *>(u"errorLabel"_s);
    auto *retry = m_panel->findChild<QPushButton *>(u"retryButton"_s);
    QVERIFY(label && retry);
    QVERIFY(label->isVisible());
    QVERIFY(retry->isVisible());
    QVERIFY(!m_panel->errorMessage().isEmpty());
    QVERIFY2(label->text().contains(m_panel->errorMessage()), qPrintable(label->text()));
    QVERIFY2(label->text().contains(u"sample/app:retry-me"_s), qPrintable(label->text()));
    // In place: the panel itself shows it, no dialog opened.
    QVERIFY(QApplication::activeModalWidget() == nullptr);

    // The tag appears; Retry finds it.
    QString error;
    QVERIFY2(t::Skopeo::copyFrom(m_registry.dockerReference(u"sample/app:1.0"_s),
                                 m_registry.dockerReference(u"sample/app:retry-me"_s),
                                 m_registry.skopeoOptions(), &error),
             qPrintable(error));
    QTest::mouseClick(retry, Qt::LeftButton);
    QCOMPARE(m_panel->state(), DetailPanel::State::Loading);
    QVERIFY(waitLoaded());
    QCOMPARE(m_panel->image()->digest.toString(), app->top.digest);
}

void TestDetailPanel::laterRequestWins()
{
    const t::SampleImages::Tag *app = sample(u"sample/app"_s, u"1.0"_s);
    QSignalSpy states(m_panel.get(), &DetailPanel::stateChanged);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/multi"_s, u"2.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/app"_s, u"1.0"_s);
    QVERIFY(waitLoaded());
    QCOMPARE(m_panel->repository(), u"sample/app"_s);
    QCOMPARE(m_panel->image()->digest.toString(), app->top.digest);
    QCOMPARE(m_panel->layerModel()->totalBytes(), app->images.first().compressedSize());
    // The first request's context is gone: it could not finish, so exactly one Loaded.
    QCOMPARE(states.size(), 3);
    QCOMPARE(states.at(2).first().value<DetailPanel::State>(), DetailPanel::State::Loaded);
}

void TestDetailPanel::clientResetWhileLoadingStartsOver()
{
    // Editing a bookmark resets its client, which drops requests without answering them.
    const t::SampleImages::Tag *app = sample(u"sample/app"_s, u"1.0"_s);
    m_panel->showImage(m_sessions.get(), m_bookmarkId, u"sample/app"_s, u"1.0"_s);
    QCOMPARE(m_panel->state(), DetailPanel::State::Loading);
    m_sessions->reset(m_bookmarkId);
    QVERIFY(waitLoaded());
    QCOMPARE(m_panel->image()->digest.toString(), app->top.digest);
}

QTEST_MAIN(TestDetailPanel)
#include "tst_DetailPanel.moc"
