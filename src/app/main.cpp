#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "main/WharfIcons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Wharf"_s);
    QApplication::setApplicationName(u"wharf"_s);
    QApplication::setApplicationDisplayName(u"Wharf"_s);
    QApplication::setApplicationVersion(QStringLiteral(WHARF_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(WHARF_APP_ID));
    QApplication::setWindowIcon(wharf::gui::WharfIcons::icon(u"wharf"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop client for Docker/OCI container registries."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    wharf::gui::AppContext context;
    wharf::gui::MainWindow window(&context);
    window.show();
    // After the first paint: nothing the user sees waits on the network.
    QTimer::singleShot(0, &window, &wharf::gui::MainWindow::restoreSelection);
    return app.exec();
}
