#include "main/AppContext.h"
#include "main/MainWindow.h"
#include "main/WharfIcons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

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

    // English plural forms live in wharf_en too, so it is the fallback for every language.
    QTranslator translator;
    const QString translations = QDir(QCoreApplication::applicationDirPath())
#ifdef Q_OS_MACOS
                                     .filePath(u"../Resources/translations"_s);
#else
                                     .filePath(u"../share/wharf/translations"_s);
#endif
    // Run from the build tree, the compiled translations sit in the build directory.
    const QString built = QStringLiteral(WHARF_BUILD_TRANSLATIONS_DIR);
    if (translator.load(QLocale(), u"wharf"_s, u"_"_s, translations) ||
        translator.load(u"wharf_en"_s, translations) || translator.load(u"wharf_en"_s, built))
        QApplication::installTranslator(&translator);

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
