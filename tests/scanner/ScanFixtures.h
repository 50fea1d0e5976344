#pragma once

#include "OciLayout.h"
#include "TarEntry.h"
#include "TarLayer.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace wharf::test {

class TestRegistry;

// Images and vulnerability data for the scanner suites, built at test time from the real
// package databases and OSV records in tests/data plus synthetic records written here.
class ScanFixtures
{
public:
    using NamedFile = QPair<QString, QByteArray>;

    struct LayerSpec
    {
        QList<TarEntry> entries;
        TarLayer::Compression compression = TarLayer::Compression::Gzip;
        QString createdBy;
    };

    struct PushedImage
    {
        OciLayout::Image image;
        QList<TarLayer> layers;
        QString repository;
        QString tag;
        QString digest() const { return image.manifest.digest; }
    };

    static QString dataPath(const QString &relative);
    static QByteArray readData(const QString &relative);

    // dpkg status helpers (stanzas are separated by blank lines).
    static QByteArray ubuntuStatus();
    static QByteArray withoutPackage(const QByteArray &status, const QString &package);
    static QByteArray withVersion(const QByteArray &status, const QString &package,
                                  const QString &version);
    static QByteArray osRelease(const QString &id, const QString &versionId,
                                const QString &prettyName);

    // The 12 real Ubuntu OSV records (file name, JSON).
    static QList<NamedFile> ubuntuRecords();
    // Synthetic Alpine:v3.20 records covering every event kind (introduced, fixed,
    // last_affected, limit, a versions list, a withdrawn record) and every severity source.
    static QList<NamedFile> alpineRecords();
    // Synthetic Debian:12 records for the distroless status.d packages.
    static QList<NamedFile> debianRecords();
    static bool writeZip(const QString &path, const QList<NamedFile> &files, QString *error);

    // Layers -> config (history from createdBy, platform) -> manifest in layout.
    static bool build(OciLayout &layout, const QString &repository, const QString &tag,
                      const QList<LayerSpec> &layers, const Platform &platform, PushedImage *built,
                      QString *error);
    // build() for linux/amd64, then pushed with skopeo.
    static bool push(const TestRegistry &registry, OciLayout &layout, const QString &repository,
                     const QString &tag, const QList<LayerSpec> &layers, PushedImage *pushed,
                     QString *error);
    // Any descriptor of layout (an index, say) to repository:tag.
    static bool pushDescriptor(const TestRegistry &registry, OciLayout &layout,
                               const Descriptor &top, const QString &repository, const QString &tag,
                               QString *error);
};

} // namespace wharf::test
