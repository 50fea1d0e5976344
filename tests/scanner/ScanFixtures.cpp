#include "ScanFixtures.h"

#include "ImageConfig.h"
#include "ImagePusher.h"
#include "TestRegistry.h"

#include "scan/vuln/ZipArchiveWriter.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace wharf::test {

namespace {

QList<QByteArray> stanzas(const QByteArray &status)
{
    QList<QByteArray> out;
    const QList<QByteArray> parts = status.split('\n');
    QByteArray current;
    for (const QByteArray &line : parts) {
        if (line.trimmed().isEmpty()) {
            if (!current.isEmpty())
                out.append(current);
            current.clear();
            continue;
        }
        current += line + '\n';
    }
    if (!current.isEmpty())
        out.append(current);
    return out;
}

QByteArray join(const QList<QByteArray> &parts)
{
    QByteArray out;
    for (const QByteArray &p : parts)
        out += p + '\n';
    return out;
}

bool isPackage(const QByteArray &stanza, const QString &package)
{
    return stanza.startsWith(QByteArray("Package: " + package.toUtf8() + '\n'));
}

} // namespace

QString ScanFixtures::dataPath(const QString &relative)
{
    return QStringLiteral(WHARF_TEST_DATA_DIR) + u'/' + relative;
}

QByteArray ScanFixtures::readData(const QString &relative)
{
    QFile file(dataPath(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

QByteArray ScanFixtures::ubuntuStatus()
{
    return readData(u"pkgdb/ubuntu-22.04-dpkg-status"_s);
}

QByteArray ScanFixtures::withoutPackage(const QByteArray &status, const QString &package)
{
    QList<QByteArray> kept;
    for (const QByteArray &s : stanzas(status)) {
        if (!isPackage(s, package))
            kept.append(s);
    }
    return join(kept);
}

QByteArray ScanFixtures::withVersion(const QByteArray &status, const QString &package,
                                     const QString &version)
{
    QList<QByteArray> out;
    for (QByteArray s : stanzas(status)) {
        if (isPackage(s, package)) {
            QList<QByteArray> lines = s.split('\n');
            for (QByteArray &line : lines) {
                if (line.startsWith("Version: "))
                    line = "Version: " + version.toUtf8();
            }
            s = lines.join('\n');
        }
        out.append(s);
    }
    return join(out);
}

QByteArray ScanFixtures::osRelease(const QString &id, const QString &versionId,
                                   const QString &prettyName)
{
    return (u"PRETTY_NAME=\"%1\"\nNAME=\"%2\"\nVERSION_ID=\"%3\"\nID=%4\n"_s.arg(
                prettyName, prettyName.section(u' ', 0, 0), versionId, id))
        .toUtf8();
}

QList<ScanFixtures::NamedFile> ScanFixtures::ubuntuRecords()
{
    QList<NamedFile> files;
    const QDir dir(dataPath(u"osv/ubuntu"_s));
    const QStringList names = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        files.append({name, readData(u"osv/ubuntu/"_s + name)});
    return files;
}

QList<ScanFixtures::NamedFile> ScanFixtures::alpineRecords()
{
    auto record = [](const QString &id, const QString &package, const QString &affectedJson,
                     const QString &extra = QString()) {
        return NamedFile{
            id + u".json"_s,
            (u"{\"schema_version\":\"1.6.0\",\"id\":\"%1\",\"modified\":\"2024-10-01T00:00:00Z\","
             u"\"published\":\"2024-09-01T00:00:00Z\",\"summary\":\"%2 synthetic issue\","
             u"\"aliases\":[\"CVE-2099-%3\"],%4"
             u"\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://example.test/%1\"}],"
             u"\"affected\":[{\"package\":{\"ecosystem\":\"Alpine:v3.20\",\"name\":\"%2\"},%5}]}"_s)
                .arg(id, package, id.right(4), extra, affectedJson)
                .toUtf8()};
    };
    return {
        // introduced 0 + fixed above the installed 3.3.2-r1, CVSS 9.8: vulnerable, critical.
        record(u"ALPINE-SYN-0001"_s, u"openssl"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
               u"{\"fixed\":\"3.3.2-r2\"}]}]"_s,
               u"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
               u"S:U/C:H/I:H/A:H\"}],"_s),
        // last_affected below the installed 1.36.1-r29: not vulnerable.
        record(u"ALPINE-SYN-0002"_s, u"busybox"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.36.0\"},"
               u"{\"last_affected\":\"1.36.1-r28\"}]}]"_s),
        // last_affected equal to the installed 1.2.5-r0: vulnerable, no fix; severity from
        // database_specific.
        record(u"ALPINE-SYN-0003"_s, u"musl"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
               u"{\"last_affected\":\"1.2.5-r0\"}]}]"_s,
               u"\"database_specific\":{\"severity\":\"high\"},"_s),
        // limit 1.3.0 excludes the installed 1.3.1-r1 although the range is open: not
        // vulnerable.
        record(u"ALPINE-SYN-0004"_s, u"zlib"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
               u"{\"limit\":\"1.3.0\"}]}]"_s),
        // Listed in versions only: vulnerable, unknown severity.
        record(u"ALPINE-SYN-0005"_s, u"sqlite"_s, u"\"versions\":[\"3.45.2-r0\",\"3.45.3-r1\"]"_s),
        // fixed equal to the installed 5.6.2-r0: not vulnerable (boundary).
        record(u"ALPINE-SYN-0006"_s, u"xz"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"5.6.0\"},"
               u"{\"fixed\":\"5.6.2-r0\"}]}]"_s),
        // Withdrawn: never matches.
        record(u"ALPINE-SYN-0007"_s, u"krb5"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]"_s,
               u"\"withdrawn\":\"2024-09-15T00:00:00Z\","_s),
        // apk _p suffix order: 6.4_p20230506 <= 6.4_p20240420-r1 < 6.4_p20240420-r2.
        record(u"ALPINE-SYN-0008"_s, u"ncurses"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
               u"\"6.4_p20230506\"},{\"fixed\":\"6.4_p20240420-r2\"}]}]"_s,
               u"\"database_specific\":{\"severity\":\"low\"},"_s),
        // A package the image does not have.
        record(u"ALPINE-SYN-0009"_s, u"curl"_s,
               u"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]"_s),
    };
}

QList<ScanFixtures::NamedFile> ScanFixtures::debianRecords()
{
    return {
        {u"DEBIAN-SYN-0001.json"_s,
         QByteArrayLiteral(
             "{\"id\":\"DEBIAN-SYN-0001\",\"modified\":\"2024-10-01T00:00:00Z\","
             "\"summary\":\"openssl synthetic denial of service\",\"aliases\":[\"CVE-2099-0101\"],"
             "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
             "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\"}],"
             "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},"
             "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
             "{\"fixed\":\"3.0.15-1~deb12u1\"}]}]}]}")},
        {u"DEBIAN-SYN-0002.json"_s,
         QByteArrayLiteral(
             "{\"id\":\"DEBIAN-SYN-0002\",\"modified\":\"2024-10-01T00:00:00Z\","
             "\"summary\":\"glibc synthetic issue\",\"database_specific\":{\"severity\":"
             "\"medium\"},\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":"
             "\"glibc\"},\"versions\":[\"2.36-9+deb12u7\"]}]}")},
    };
}

bool ScanFixtures::writeZip(const QString &path, const QList<NamedFile> &files, QString *error)
{
    scan::ZipArchiveWriter writer;
    if (!writer.open(path)) {
        *error = writer.error();
        return false;
    }
    for (const NamedFile &f : files) {
        if (!writer.addFile(f.first, f.second)) {
            *error = writer.error();
            return false;
        }
    }
    if (!writer.close()) {
        *error = writer.error();
        return false;
    }
    return true;
}

bool ScanFixtures::build(OciLayout &layout, const QString &repository, const QString &tag,
                         const QList<LayerSpec> &layers, const Platform &platform,
                         PushedImage *built, QString *error)
{
    PushedImage result;
    ImageConfig config;
    config.platform = platform;
    config.created = QDateTime(QDate(2024, 6, 1), QTime(0, 0), Qt::UTC);
    for (const LayerSpec &spec : layers) {
        QString message;
        TarLayer layer =
            layout.addLayer(spec.entries, spec.compression, OciLayout::Format::Oci, &message);
        if (layer.descriptor.digest.isEmpty()) {
            *error = u"building a layer of %1:%2 failed: %3"_s.arg(repository, tag, message);
            return false;
        }
        result.layers.append(layer);
        // An empty-layer step first, as real builds have (ENV, LABEL…): attribution must skip
        // it.
        config.history.append({config.created,
                               u"/bin/sh -c #(nop) ENV STEP=%1"_s.arg(result.layers.size()),
                               true,
                               {}});
        config.history.append({config.created, spec.createdBy, false, {}});
    }
    result.image = layout.addImage(config, result.layers);
    result.repository = repository;
    result.tag = tag;
    if (built)
        *built = result;
    return true;
}

bool ScanFixtures::pushDescriptor(const TestRegistry &registry, OciLayout &layout,
                                  const Descriptor &top, const QString &repository,
                                  const QString &tag, QString *error)
{
    return layout.write(error) &&
           ImagePusher::push(layout, top, registry.dockerReference(repository + u':' + tag),
                             registry.skopeoOptions(), error);
}

bool ScanFixtures::push(const TestRegistry &registry, OciLayout &layout, const QString &repository,
                        const QString &tag, const QList<LayerSpec> &layers, PushedImage *pushed,
                        QString *error)
{
    PushedImage result;
    return build(layout, repository, tag, layers, Platform{u"linux"_s, u"amd64"_s, {}, {}}, &result,
                 error) &&
           pushDescriptor(registry, layout, result.image.manifest, repository, tag, error) &&
           (pushed ? (*pushed = result, true) : true);
}

} // namespace wharf::test
