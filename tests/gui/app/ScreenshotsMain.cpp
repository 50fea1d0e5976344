// wharf-screenshots REGISTRY_URL OUT_DIR — opens the main window on a registry seeded with the
// sample images, selects a multi-arch image and writes the README screenshots. Run by
// scripts/screenshots under Xvfb.

#include "bookmarks/BookmarkStore.h"
#include "credentials/CredentialStore.h"
#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "models/RegistryTreeModel.h"
#include "widgets/DetailPanel.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;

namespace {

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void settle(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        err << "usage: wharf-screenshots REGISTRY_URL OUT_DIR\n";
        return 2;
    }
    QTemporaryDir config;
    QTemporaryDir cache;
    qputenv("WHARF_CONFIG_DIR", config.path().toUtf8());
    qputenv("WHARF_CACHE_DIR", cache.path().toUtf8());
    QApplication::setApplicationDisplayName(u"Wharf"_s);

    AppContext context(new MemoryCredentialStore);
    Bookmark demo;
    demo.name = u"Demo registry"_s;
    demo.url = QUrl(args.at(1));
    auto added = context.bookmarks()->add(demo);
    if (!added) {
        err << added.error().message << '\n';
        return 1;
    }
    MainWindow window(&context);
    window.resize(1500, 920);
    window.show();

    RegistryTreeModel *tree = window.treeModel();
    bool revealed = false;
    QObject::connect(tree, &RegistryTreeModel::pathRevealed, &window,
                     [&revealed](const QModelIndex &, bool complete) { revealed = complete; });
    tree->revealPath(added->id, u"sample/multi"_s, u"2.0"_s);
    auto *detail = window.findChild<DetailPanel *>(u"detailPanel"_s);
    if (!waitFor([&] { return revealed && detail->state() == DetailPanel::State::Loaded; })) {
        err << "the sample image did not load\n";
        return 1;
    }
    // Show the tag's platforms in the tree, and every sample repository.
    auto *view = window.findChild<QTreeView *>(u"registryTree"_s);
    view->expand(view->currentIndex());
    view->expand(tree->indexFor(added->id, u"sample/docker"_s));
    settle(1500);
    QDir().mkpath(args.at(2));
    const QString main = args.at(2) + u"/main-window.png"_s;
    if (!window.grab().save(main))
        return 1;

    auto *tabs = detail->findChild<QTabWidget *>();
    if (tabs)
        tabs->setCurrentIndex(DetailPanel::LayersTab);
    detail->setCurrentPlatform(1);
    settle(800);
    const QString layers = args.at(2) + u"/layers.png"_s;
    if (!window.grab().save(layers))
        return 1;
    QTextStream(stdout) << main << '\n' << layers << '\n';
    return 0;
}
