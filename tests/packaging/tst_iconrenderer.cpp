// IconRenderer: the PNG, .ico and .icns files rendered from the app's SVG are what the
// containers' readers expect. The containers are parsed byte by byte here, and also read back
// with Qt's own ico/icns image plugins where those are installed.

#include "IconRenderer.h"

#include <QBuffer>
#include <QImageReader>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using wharf::packaging::IconRenderer;

namespace {

const QString iconSvg = QStringLiteral(WHARF_ICON_SVG);
const QByteArray pngSignature("\x89PNG\r\n\x1a\n", 8);

QImage decodePng(const QByteArray &bytes)
{
    QImage image;
    image.loadFromData(bytes, "PNG");
    return image;
}

// wharf.svg: a rounded square filled with #1d6fb8 on a 64x64 view box.
bool isIconBlue(QRgb pixel)
{
    return qAbs(qRed(pixel) - 0x1d) <= 8 && qAbs(qGreen(pixel) - 0x6f) <= 8 &&
           qAbs(qBlue(pixel) - 0xb8) <= 8 && qAlpha(pixel) == 255;
}

} // namespace

class TestIconRenderer : public QObject
{
    Q_OBJECT
private slots:
    void rejectsMissingSvg();
    void render_data();
    void render();
    void pngRoundTrips();
    void icoDirectoryMatchesImages();
    void icoReadableByQt();
    void icnsElementsMatchTheirTypes();
    void icnsReadableByQt();
};

void TestIconRenderer::rejectsMissingSvg()
{
    const IconRenderer renderer(u"/nonexistent/wharf.svg"_s);
    QVERIFY(!renderer.isValid());
    QVERIFY(IconRenderer(iconSvg).isValid());
}

void TestIconRenderer::render_data()
{
    QTest::addColumn<int>("size");
    for (int size : {16, 32, 48, 64, 128, 256, 1024})
        QTest::addRow("%d", size) << size;
}

void TestIconRenderer::render()
{
    QFETCH(int, size);
    const QImage image = IconRenderer(iconSvg).render(size);
    QCOMPARE(image.size(), QSize(size, size));
    QVERIFY(image.hasAlphaChannel());
    // The rounded corner outside the square stays transparent...
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    // ...and the body of the square (view box point 8,20) is the icon's blue.
    const QRgb body = image.pixel(size * 8 / 64, size * 20 / 64);
    QVERIFY2(isIconBlue(body), qPrintable(QString::number(body, 16)));
}

void TestIconRenderer::pngRoundTrips()
{
    const IconRenderer renderer(iconSvg);
    const QImage rendered = renderer.render(48);
    const QByteArray png = IconRenderer::png(rendered);
    QVERIFY(png.startsWith(pngSignature));
    const QImage decoded = decodePng(png);
    QCOMPARE(decoded.size(), QSize(48, 48));
    QCOMPARE(decoded.convertToFormat(QImage::Format_ARGB32), rendered);
}

void TestIconRenderer::icoDirectoryMatchesImages()
{
    const QList<int> sizes = {16, 32, 48, 256};
    const QByteArray ico = IconRenderer(iconSvg).ico(sizes);
    QVERIFY(ico.size() > 6 + 16 * sizes.size());
    const auto *data = reinterpret_cast<const uchar *>(ico.constData());
    QCOMPARE(qFromLittleEndian<quint16>(data), quint16(0));     // reserved
    QCOMPARE(qFromLittleEndian<quint16>(data + 2), quint16(1)); // icon, not cursor
    QCOMPARE(qFromLittleEndian<quint16>(data + 4), quint16(sizes.size()));

    qsizetype expectedOffset = 6 + 16 * sizes.size();
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const uchar *entry = data + 6 + 16 * i;
        const int stored = sizes.at(i) == 256 ? 0 : sizes.at(i);
        QCOMPARE(int(entry[0]), stored);
        QCOMPARE(int(entry[1]), stored);
        QCOMPARE(qFromLittleEndian<quint16>(entry + 4), quint16(1));  // planes
        QCOMPARE(qFromLittleEndian<quint16>(entry + 6), quint16(32)); // bits per pixel
        const quint32 length = qFromLittleEndian<quint32>(entry + 8);
        const quint32 offset = qFromLittleEndian<quint32>(entry + 12);
        // Images follow the directory back to back, in directory order, to the end of file.
        QCOMPARE(qsizetype(offset), expectedOffset);
        QVERIFY(qsizetype(offset) + qsizetype(length) <= ico.size());
        const QByteArray image = ico.mid(offset, length);
        QVERIFY(image.startsWith(pngSignature));
        QCOMPARE(decodePng(image).size(), QSize(sizes.at(i), sizes.at(i)));
        expectedOffset += length;
    }
    QCOMPARE(expectedOffset, ico.size());
}

void TestIconRenderer::icoReadableByQt()
{
    if (!QImageReader::supportedImageFormats().contains("ico"))
        QSKIP("Qt's ico image plugin is not installed");
    const QList<int> sizes = {16, 24, 32, 64, 256};
    QByteArray ico = IconRenderer(iconSvg).ico(sizes);
    QBuffer buffer(&ico);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "ico");
    QCOMPARE(reader.imageCount(), int(sizes.size()));
    QList<int> read;
    for (int i = 0; i < reader.imageCount(); ++i) {
        QVERIFY(reader.jumpToImage(i));
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
        QCOMPARE(image.width(), image.height());
        read.append(image.width());
    }
    QCOMPARE(read, sizes);
}

void TestIconRenderer::icnsElementsMatchTheirTypes()
{
    const QByteArray icns = IconRenderer(iconSvg).icns();
    QVERIFY(icns.startsWith("icns"));
    const auto *data = reinterpret_cast<const uchar *>(icns.constData());
    QCOMPARE(qsizetype(qFromBigEndian<quint32>(data + 4)), icns.size());

    // The pixel size each PNG-carrying element type stands for.
    const QHash<QByteArray, int> expected = {
        {"icp4", 16},   {"icp5", 32}, {"icp6", 64}, {"ic07", 128}, {"ic08", 256}, {"ic09", 512},
        {"ic10", 1024}, {"ic11", 32}, {"ic12", 64}, {"ic13", 256}, {"ic14", 512},
    };
    QSet<QByteArray> seen;
    qsizetype pos = 8;
    while (pos < icns.size()) {
        QVERIFY(pos + 8 <= icns.size());
        const QByteArray type = icns.mid(pos, 4);
        const qsizetype length = qFromBigEndian<quint32>(data + pos + 4);
        QVERIFY2(expected.contains(type), type.constData());
        QVERIFY(length > 8 && pos + length <= icns.size());
        const QByteArray image = icns.mid(pos + 8, length - 8);
        QVERIFY(image.startsWith(pngSignature));
        const int size = expected.value(type);
        QCOMPARE(decodePng(image).size(), QSize(size, size));
        seen.insert(type);
        pos += length;
    }
    QCOMPARE(pos, icns.size());
    QCOMPARE(seen.size(), expected.size());
}

void TestIconRenderer::icnsReadableByQt()
{
    if (!QImageReader::supportedImageFormats().contains("icns"))
        QSKIP("Qt's icns image plugin (qt6-image-formats-plugins) is not installed");
    QByteArray icns = IconRenderer(iconSvg).icns();
    QBuffer buffer(&icns);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "icns");
    QVERIFY(reader.imageCount() >= 8);
    int largest = 0;
    for (int i = 0; i < reader.imageCount(); ++i) {
        QVERIFY(reader.jumpToImage(i));
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
        largest = qMax(largest, image.width());
    }
    QCOMPARE(largest, 1024);
}

QTEST_GUILESS_MAIN(TestIconRenderer)
#include "tst_iconrenderer.moc"
