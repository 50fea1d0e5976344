#include "Wharfctl.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Wharf"));
    QCoreApplication::setApplicationName(QStringLiteral("wharf"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WHARF_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 1;
    wharf::cli::Wharfctl ctl(&out, &err, &in);
    QObject::connect(&ctl, &wharf::cli::Wharfctl::finished, &app, &QCoreApplication::exit);
    ctl.run(QCoreApplication::arguments());
    return app.exec();
}
