// wharf-seed-storage: writes a registry storage tree for benchmarks without pushing anything.
//
//   wharf-seed-storage --root DIR --repos 1000 --tags 10 --platforms 2 [--prefix bench/app]
//                      [--layers 2] [--shared-base] [--layer-bytes 512] [--jobs N]
//
// DIR is what the registry config names as storage.filesystem.rootdirectory. Prints a JSON
// summary {repositories, tags, manifests, blobs, uniqueBytes, seconds} on stdout.

#include "StorageSeeder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "wharf-seed-storage: %s\n", qPrintable(message));
    return 2;
}

bool readInt(const QCommandLineParser &parser, const QCommandLineOption &option, int *value)
{
    bool ok = false;
    *value = parser.value(option).toInt(&ok);
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wharf-seed-storage"_s);

    using wharf::tools::StorageSeeder;
    const StorageSeeder::Options defaults;
    const int defaultJobs = std::max(1, QThread::idealThreadCount());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Writes repositories of multi-platform OCI images straight into a CNCF distribution "
        "2.8 filesystem storage directory."_s);
    parser.addHelpOption();
    const QCommandLineOption rootOption(u"root"_s, u"Storage root directory (rootdirectory)."_s,
                                        u"dir"_s);
    const QCommandLineOption reposOption(u"repos"_s, u"Number of repositories."_s, u"n"_s,
                                         QString::number(defaults.repositories));
    const QCommandLineOption tagsOption(u"tags"_s, u"Tags per repository."_s, u"n"_s,
                                        QString::number(defaults.tags));
    const QCommandLineOption platformsOption(u"platforms"_s, u"Platforms per tag (1-8)."_s, u"n"_s,
                                             QString::number(defaults.platforms));
    const QCommandLineOption layersOption(u"layers"_s, u"Layers per image manifest."_s, u"n"_s,
                                          QString::number(defaults.layers));
    const QCommandLineOption layerBytesOption(u"layer-bytes"_s,
                                              u"Random payload bytes in each layer."_s, u"n"_s,
                                              QString::number(defaults.layerBytes));
    const QCommandLineOption prefixOption(u"prefix"_s, u"Repository name prefix."_s, u"name"_s,
                                          defaults.prefix);
    const QCommandLineOption sharedBaseOption(
        u"shared-base"_s, u"Share the bottom layer of each platform across all repositories."_s);
    const QCommandLineOption jobsOption(u"jobs"_s, u"Worker threads."_s, u"n"_s,
                                        QString::number(defaultJobs));
    parser.addOptions({rootOption, reposOption, tagsOption, platformsOption, layersOption,
                       layerBytesOption, prefixOption, sharedBaseOption, jobsOption});
    parser.process(app);

    StorageSeeder::Options options;
    options.root = parser.value(rootOption);
    options.prefix = parser.value(prefixOption);
    options.sharedBase = parser.isSet(sharedBaseOption);
    if (!readInt(parser, reposOption, &options.repositories) ||
        !readInt(parser, tagsOption, &options.tags) ||
        !readInt(parser, platformsOption, &options.platforms) ||
        !readInt(parser, layersOption, &options.layers) ||
        !readInt(parser, layerBytesOption, &options.layerBytes) ||
        !readInt(parser, jobsOption, &options.jobs))
        return fail(u"numeric options need integers"_s);
    if (const QString problem = StorageSeeder::validate(options); !problem.isEmpty())
        return fail(problem);

    StorageSeeder seeder(options);
    if (!seeder.run())
        return fail(seeder.errorString());
    const QByteArray json = QJsonDocument(seeder.summary().toJson()).toJson(QJsonDocument::Compact);
    std::printf("%s\n", json.constData());
    return 0;
}
