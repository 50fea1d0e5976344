// wharf-iconrender: the build step that turns resources/icons/wharf.svg into the PNG, .ico and
// .icns files the installers need, so that no binary image is kept in the repository.
//
//   wharf-iconrender ICON.svg [--png SIZE:FILE]... [--ico FILE] [--icns FILE]

#include "IconRenderer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// The .ico sizes Windows picks from: small/large shell icons at 100-200 % scaling, and 256 for
// the Explorer's extra-large view.
const QList<int> icoSizes = {16, 20, 24, 32, 40, 48, 64, 128, 256};

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        std::fprintf(stderr, "wharf-iconrender: cannot write %s: %s\n", qPrintable(path),
                     qPrintable(file.errorString()));
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    // Rendering shapes into a QImage needs no display, so no QGuiApplication.
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Renders the Wharf SVG icon into installable icons."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"svg"_s, u"The SVG icon."_s);
    const QCommandLineOption pngOption(u"png"_s, u"Write a SIZExSIZE PNG to FILE."_s,
                                       u"SIZE:FILE"_s);
    const QCommandLineOption icoOption(u"ico"_s, u"Write a multi-size Windows icon."_s, u"FILE"_s);
    const QCommandLineOption icnsOption(u"icns"_s, u"Write a macOS icon set."_s, u"FILE"_s);
    parser.addOptions({pngOption, icoOption, icnsOption});
    parser.process(app);

    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "wharf-iconrender: exactly one SVG file expected\n");
        return 2;
    }
    const wharf::packaging::IconRenderer renderer(parser.positionalArguments().constFirst());
    if (!renderer.isValid()) {
        std::fprintf(stderr, "wharf-iconrender: not a valid SVG: %s\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 1;
    }

    for (const QString &spec : parser.values(pngOption)) {
        const qsizetype colon = spec.indexOf(u':');
        bool ok = false;
        const int size = colon > 0 ? spec.left(colon).toInt(&ok) : 0;
        if (!ok || size <= 0 || size > 4096) {
            std::fprintf(stderr, "wharf-iconrender: bad --png %s (want SIZE:FILE)\n",
                         qPrintable(spec));
            return 2;
        }
        if (!writeFile(spec.mid(colon + 1), renderer.png(renderer.render(size))))
            return 1;
    }
    if (parser.isSet(icoOption) && !writeFile(parser.value(icoOption), renderer.ico(icoSizes)))
        return 1;
    if (parser.isSet(icnsOption) && !writeFile(parser.value(icnsOption), renderer.icns()))
        return 1;
    return 0;
}
