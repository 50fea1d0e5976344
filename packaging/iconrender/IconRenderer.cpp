#include "IconRenderer.h"

#include <QBuffer>
#include <QPainter>
#include <QtEndian>

#include <utility>

namespace wharf::packaging {

namespace {

void appendLe16(QByteArray &out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out.append(bytes, 2);
}

void appendLe32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

void appendBe32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToBigEndian(value, bytes);
    out.append(bytes, 4);
}

} // namespace

IconRenderer::IconRenderer(const QString &svgPath)
    : m_renderer(svgPath)
{
    // Keep the aspect ratio even if a future icon is not square.
    m_renderer.setAspectRatioMode(Qt::KeepAspectRatio);
}

QImage IconRenderer::render(int size) const
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    m_renderer.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    // PNG stores straight alpha; convert once here instead of in every encoder.
    return image.convertToFormat(QImage::Format_ARGB32);
}

QByteArray IconRenderer::png(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray IconRenderer::ico(const QList<int> &sizes) const
{
    QList<QByteArray> images;
    for (int size : sizes)
        images.append(png(render(size)));

    const int headerSize = 6;
    const int entrySize = 16;
    QByteArray out;
    appendLe16(out, 0); // reserved
    appendLe16(out, 1); // type: icon
    appendLe16(out, quint16(images.size()));
    quint32 offset = quint32(headerSize + entrySize * images.size());
    for (qsizetype i = 0; i < images.size(); ++i) {
        const int size = sizes.at(i);
        const char dimension = char(size >= 256 ? 0 : size);
        out.append(dimension); // width
        out.append(dimension); // height
        out.append(char(0));   // palette size: none
        out.append(char(0));   // reserved
        appendLe16(out, 1);    // colour planes
        appendLe16(out, 32);   // bits per pixel
        appendLe32(out, quint32(images.at(i).size()));
        appendLe32(out, offset);
        offset += quint32(images.at(i).size());
    }
    for (const QByteArray &image : std::as_const(images))
        out.append(image);
    return out;
}

QByteArray IconRenderer::icns() const
{
    // Element types that hold PNG data, with their pixel sizes (the @2x ones are retina
    // variants of the smaller point size).
    static const std::pair<const char *, int> types[] = {
        {"icp4", 16},  {"icp5", 32},  {"ic11", 32},  {"icp6", 64},  {"ic12", 64},   {"ic07", 128},
        {"ic08", 256}, {"ic13", 256}, {"ic09", 512}, {"ic14", 512}, {"ic10", 1024},
    };
    QByteArray body;
    for (const auto &[type, size] : types) {
        const QByteArray image = png(render(size));
        body.append(type, 4);
        appendBe32(body, quint32(8 + image.size()));
        body.append(image);
    }
    QByteArray out("icns");
    appendBe32(out, quint32(8 + body.size()));
    out.append(body);
    return out;
}

} // namespace wharf::packaging
