#include "oci/ImageConfig.h"
#include "oci/Manifest.h"
#include "oci/MediaTypes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;

namespace {

QByteArray digestOf(char c)
{
    return "sha256:" + QByteArray(64, c);
}

QByteArray descriptorJson(const QByteArray &mediaType, char digestChar, qint64 size,
                          const QByteArray &extra = {})
{
    return R"({"mediaType":")" + mediaType + R"(","digest":")" + digestOf(digestChar) +
           R"(","size":)" + QByteArray::number(size) + extra + "}";
}

QByteArray imageManifest(const QByteArray &type, const QByteArray &layerType)
{
    return R"({"schemaVersion":2,"mediaType":")" + type + R"(","config":)" +
           descriptorJson("application/vnd.oci.image.config.v1+json", 'c', 1469) +
           R"(,"layers":[)" + descriptorJson(layerType, '1', 3000000) + "," +
           descriptorJson(layerType, '2', 512) + "]}";
}

} // namespace

class TestManifest : public QObject
{
    Q_OBJECT
private slots:
    void imageKinds_data();
    void imageKinds();
    void ociIndexWithAttestation();
    void dockerManifestList();
    void mediaTypeInferred();
    void unknownChildTypesTolerated();
    void artifactWithSubject();
    void malformed_data();
    void malformed();
    void oversized();
    void foreignLayers();
    void config();
    void configMalformed();
    void acceptHeader();
};

void TestManifest::imageKinds_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("layerType");
    QTest::newRow("oci") << QByteArray("application/vnd.oci.image.manifest.v1+json")
                         << QByteArray("application/vnd.oci.image.layer.v1.tar+gzip");
    QTest::newRow("docker schema2")
        << QByteArray("application/vnd.docker.distribution.manifest.v2+json")
        << QByteArray("application/vnd.docker.image.rootfs.diff.tar.gzip");
    QTest::newRow("oci zstd") << QByteArray("application/vnd.oci.image.manifest.v1+json")
                              << QByteArray("application/vnd.oci.image.layer.v1.tar+zstd");
}

void TestManifest::imageKinds()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, layerType);
    auto m = Manifest::parse(imageManifest(type, layerType), QString());
    QVERIFY2(m.hasValue(), qPrintable(m ? QString() : m.error().message));
    QCOMPARE(m->kind(), Manifest::Kind::Image);
    QCOMPARE(m->mediaType(), QString::fromLatin1(type));
    QCOMPARE(m->config().size, 1469);
    QCOMPARE(m->layers().size(), 2);
    QCOMPARE(m->layers().at(1).mediaType, QString::fromLatin1(layerType));
    // The documented formula: config.size + sum(layers[].size)
    QCOMPARE(m->imageSize(), 1469 + 3000000 + 512);
}

void TestManifest::ociIndexWithAttestation()
{
    const QByteArray body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
        descriptorJson("application/vnd.oci.image.manifest.v1+json", 'a', 100,
                       R"(,"platform":{"os":"linux","architecture":"amd64"})") +
        "," +
        descriptorJson("application/vnd.oci.image.manifest.v1+json", 'b', 101,
                       R"(,"platform":{"os":"linux","architecture":"arm64","variant":"v8"})") +
        "," +
        descriptorJson(
            "application/vnd.oci.image.manifest.v1+json", 'd', 102,
            R"(,"platform":{"os":"windows","architecture":"amd64","os.version":"10.0.17763.1"})") +
        "," +
        descriptorJson(
            "application/vnd.oci.image.manifest.v1+json", 'e', 566,
            R"(,"platform":{"os":"unknown","architecture":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":")" +
                digestOf('a') + R"("})") +
        "]}";
    auto m = Manifest::parse(body, QString());
    QVERIFY2(m.hasValue(), qPrintable(m ? QString() : m.error().message));
    QVERIFY(m->isIndex());
    QCOMPARE(m->manifests().size(), 4);
    const QList<Descriptor> platforms = m->platformManifests();
    QCOMPARE(platforms.size(), 3);
    QCOMPARE(platforms.at(1).platform->toString(), u"linux/arm64/v8"_s);
    QCOMPARE(platforms.at(2).platform->osVersion, u"10.0.17763.1"_s);
    const QList<Descriptor> attestations = m->attestationManifests();
    QCOMPARE(attestations.size(), 1);
    QCOMPARE(attestations.first().attestationSubject(), QString::fromLatin1(digestOf('a')));
}

void TestManifest::dockerManifestList()
{
    const QByteArray body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[)" +
        descriptorJson("application/vnd.docker.distribution.manifest.v2+json", 'a', 100,
                       R"(,"platform":{"os":"linux","architecture":"arm","variant":"v7"})") +
        "]}";
    auto m = Manifest::parse(body, QString());
    QVERIFY(m.hasValue());
    QVERIFY(m->isIndex());
    QCOMPARE(MediaTypes::displayName(m->mediaType()), u"Docker manifest list"_s);
    QCOMPARE(m->platformManifests().first().platform->variant, u"v7"_s);
}

void TestManifest::mediaTypeInferred()
{
    // OCI allows omitting mediaType: the Content-Type header, then the shape, decide.
    const QByteArray index = R"({"schemaVersion":2,"manifests":[]})";
    auto fromShape = Manifest::parse(index, QString());
    QVERIFY(fromShape.hasValue());
    QVERIFY(fromShape->isIndex());
    QCOMPARE(fromShape->mediaType(), QString::fromUtf16(MediaTypes::OciIndex));

    QByteArray image = imageManifest("", "application/vnd.oci.image.layer.v1.tar");
    image.replace(R"("mediaType":"",)", "");
    auto fromHeader = Manifest::parse(
        image, u"application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"_s);
    QVERIFY2(fromHeader.hasValue(),
             qPrintable(fromHeader ? QString() : fromHeader.error().message));
    QCOMPARE(fromHeader->mediaType(), QString::fromUtf16(MediaTypes::DockerManifest));
}

void TestManifest::unknownChildTypesTolerated()
{
    const QByteArray body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
        descriptorJson("application/vnd.example.future+json", 'a', 1,
                       R"(,"newField":{"x":[1,2]})") +
        "," + descriptorJson("application/vnd.oci.image.index.v1+json", 'b', 2) + "]," +
        R"("annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"},"unknownTop":true})";
    auto m = Manifest::parse(body, QString());
    QVERIFY2(m.hasValue(), qPrintable(m ? QString() : m.error().message));
    QCOMPARE(m->manifests().size(), 2);
    QCOMPARE(m->manifests().at(0).mediaType, u"application/vnd.example.future+json"_s);
    QCOMPARE(m->annotations().value(u"org.opencontainers.image.created"_s),
             u"2024-01-01T00:00:00Z"_s);
}

void TestManifest::artifactWithSubject()
{
    const QByteArray body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.dev.cosign.artifact.sig.v1+json","config":)" +
        descriptorJson("application/vnd.oci.empty.v1+json", '4', 2) + R"(,"layers":[],"subject":)" +
        descriptorJson("application/vnd.oci.image.manifest.v1+json", 'a', 500) + "}";
    auto m = Manifest::parse(body, QString());
    QVERIFY2(m.hasValue(), qPrintable(m ? QString() : m.error().message));
    QVERIFY(m->subject().has_value());
    QCOMPARE(m->subject()->digest.toString(), QString::fromLatin1(digestOf('a')));
    QCOMPARE(m->artifactType(), u"application/vnd.dev.cosign.artifact.sig.v1+json"_s);
    QCOMPARE(m->imageSize(), 2);
}

void TestManifest::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("messagePart");
    const QByteArray good = imageManifest("application/vnd.oci.image.manifest.v1+json",
                                          "application/vnd.oci.image.layer.v1.tar+gzip");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("truncated") << good.left(good.size() / 2) << u"not valid JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
    QTest::newRow("html") << QByteArray("<html>nope</html>") << u"not valid JSON"_s;
    QTest::newRow("schema1") << QByteArray(R"({"schemaVersion":1,"name":"x","fsLayers":[]})")
                             << u"schema 1"_s;
    QTest::newRow("schema3") << QByteArray(R"({"schemaVersion":3,"manifests":[]})")
                             << u"schemaVersion is 3"_s;
    QByteArray stringSize = good;
    stringSize.replace(R"("size":512)", R"("size":"512")");
    QTest::newRow("size is string")
        << stringSize << u"layers[1].size is not a non-negative integer"_s;
    QByteArray negative = good;
    negative.replace(R"("size":512)", R"("size":-5)");
    QTest::newRow("negative size") << negative << u"layers[1].size"_s;
    QByteArray fractional = good;
    fractional.replace(R"("size":512)", R"("size":1.5)");
    QTest::newRow("fractional size") << fractional << u"layers[1].size"_s;
    QByteArray badDigest = good;
    badDigest.replace(digestOf('2'), "sha256:xyz");
    QTest::newRow("bad digest") << badDigest << u"layers[1].digest"_s;
    QByteArray noDigest = good;
    noDigest.replace(QByteArray(R"("digest":")" + digestOf('1') + R"(",)"), "");
    QTest::newRow("missing digest") << noDigest << u"layers[0].digest is missing"_s;
    QTest::newRow("layers not array")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" +
               descriptorJson("application/vnd.oci.image.config.v1+json", 'c', 1) +
               R"(,"layers":{}})")
        << u"layers is not an array"_s;
    QTest::newRow("missing config")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]})")
        << u"config is missing"_s;
    QTest::newRow("manifests entry not object")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[42]})")
        << u"manifests[0] is not an object"_s;
    QTest::newRow("platform wrong type")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
               descriptorJson("x", 'a', 1, R"(,"platform":{"os":7})") + "]}")
        << u"manifests[0].platform.os is not a string"_s;
    QTest::newRow("neither") << QByteArray(R"({"schemaVersion":2,"mediaType":"text/plain"})")
                             << u"neither an image manifest nor an index"_s;
    QTest::newRow("annotation not string")
        << QByteArray(R"({"schemaVersion":2,"manifests":[],"annotations":{"a":1}})")
        << u"annotations.a is not a string"_s;
}

void TestManifest::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messagePart);
    auto m = Manifest::parse(body, QString());
    QVERIFY(!m.hasValue());
    QVERIFY2(m.error().message.contains(messagePart), qPrintable(m.error().message));
}

void TestManifest::oversized()
{
    QByteArray body = R"({"schemaVersion":2,"manifests":[],"annotations":{"pad":")";
    body += QByteArray(Manifest::MaxBytes, 'x');
    body += R"("}})";
    auto m = Manifest::parse(body, QString());
    QVERIFY(!m.hasValue());
    QCOMPARE(m.error().kind, Error::Kind::TooLarge);

    // Too many entries is refused even when the bytes fit.
    QByteArray many = R"({"schemaVersion":2,"manifests":[)";
    for (int i = 0; i <= Manifest::MaxEntries; ++i)
        many += (i ? "," : "") + descriptorJson("x", 'a', 1);
    many += "]}";
    QVERIFY(many.size() < Manifest::MaxBytes);
    auto tooMany = Manifest::parse(many, QString());
    QVERIFY(!tooMany.hasValue());
    QVERIFY(tooMany.error().message.contains(u"more than the"_s));
}

void TestManifest::foreignLayers()
{
    QByteArray body = imageManifest("application/vnd.docker.distribution.manifest.v2+json",
                                    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    auto m = Manifest::parse(body, QString());
    QVERIFY(m.hasValue());
    QVERIFY(m->layers().first().isForeignLayer());
}

void TestManifest::config()
{
    const QByteArray body = R"({
      "architecture": "arm64", "variant": "v8", "os": "linux",
      "created": "2024-03-05T10:11:12.123456789Z",
      "author": "someone",
      "config": {"Env": ["PATH=/usr/bin", "A=b"], "Entrypoint": ["/entry"], "Cmd": ["run", "--x"],
                 "WorkingDir": "/srv", "User": "1000:1000",
                 "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
                 "Labels": {"org.opencontainers.image.source": "https://example.com"}},
      "rootfs": {"type": "layers", "diff_ids": ["sha256:aa", "sha256:bb"]},
      "history": [
        {"created": "2024-03-05T10:00:00Z", "created_by": "ADD rootfs.tar /"},
        {"created_by": "ENV A=b", "empty_layer": true},
        {"created_by": "RUN make", "comment": "buildkit.dockerfile.v0"}
      ]})";
    auto c = ImageConfig::parse(body);
    QVERIFY2(c.hasValue(), qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->platform.toString(), u"linux/arm64/v8"_s);
    QCOMPARE(c->created, QDateTime(QDate(2024, 3, 5), QTime(10, 11, 12, 123), Qt::UTC));
    QCOMPARE(c->env, QStringList({u"PATH=/usr/bin"_s, u"A=b"_s}));
    QCOMPARE(c->entrypoint, QStringList{u"/entry"_s});
    QCOMPARE(c->cmd, QStringList({u"run"_s, u"--x"_s}));
    QCOMPARE(c->workingDir, u"/srv"_s);
    QCOMPARE(c->user, u"1000:1000"_s);
    QCOMPARE(c->exposedPorts, QStringList({u"53/udp"_s, u"8080/tcp"_s}));
    QCOMPARE(c->labels.value(u"org.opencontainers.image.source"_s), u"https://example.com"_s);
    QCOMPARE(c->diffIds.size(), 2);
    QCOMPARE(c->history.size(), 3);
    const QList<HistoryEntry> layers = c->layerHistory();
    QCOMPARE(layers.size(), 2);
    QCOMPARE(layers.at(1).createdBy, u"RUN make"_s);
}

void TestManifest::configMalformed()
{
    auto c = ImageConfig::parse(R"({"config":{"Env":"PATH=/bin"}})");
    QVERIFY(!c.hasValue());
    QVERIFY2(c.error().message.contains(u"config.Env is not an array"_s),
             qPrintable(c.error().message));
    auto h = ImageConfig::parse(R"({"history":[{"empty_layer":"yes"}]})");
    QVERIFY(!h.hasValue());
    QVERIFY(h.error().message.contains(u"history[0].empty_layer is not a boolean"_s));
    // An empty config (BuildKit attestation configs are "{}") is fine.
    QVERIFY(ImageConfig::parse("{}").hasValue());
}

void TestManifest::acceptHeader()
{
    const QByteArray accept = MediaTypes::manifestAcceptHeader();
    QVERIFY(accept.contains("application/vnd.oci.image.index.v1+json"));
    QVERIFY(accept.contains("application/vnd.oci.image.manifest.v1+json"));
    QVERIFY(accept.contains("application/vnd.docker.distribution.manifest.list.v2+json"));
    QVERIFY(accept.contains("application/vnd.docker.distribution.manifest.v2+json"));
}

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
