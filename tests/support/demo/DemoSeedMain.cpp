// wharf-demo-seed HOST:PORT — pushes the sample image set (tests/support/SampleImages.h) to a
// running registry with skopeo, for scripts/demo. Idempotent: pushing again changes nothing.

#include "SampleImages.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2 || args.at(1).contains(u"://"_s)) {
        err << "usage: wharf-demo-seed HOST:PORT\n";
        return 2;
    }
    wharf::test::SampleImages images;
    wharf::test::SkopeoOptions options;
    options.tlsVerify = false; // the demo registry is plain http on loopback
    QString error;
    if (!images.pushTo(args.at(1), options, &error)) {
        err << "wharf-demo-seed: " << error << '\n';
        return 1;
    }
    QTextStream(stdout) << "Pushed " << images.tags().size() << " sample tags to " << args.at(1)
                        << " in " << images.lastPushMs() << " ms\n";
    return 0;
}
