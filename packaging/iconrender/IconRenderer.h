#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>
#include <QSvgRenderer>

namespace wharf::packaging {

// Rasterises the app's SVG icon into the formats each platform installs: PNGs for the freedesktop
// hicolor theme, a multi-size .ico for the Windows resource file and an .icns for the macOS
// bundle. Both containers hold PNG-compressed images, which Windows (Vista and later) and macOS
// (10.7 and later) read, so no BMP/RLE encoders are needed.
class IconRenderer
{
public:
    explicit IconRenderer(const QString &svgPath);

    bool isValid() const { return m_renderer.isValid(); }

    // A size x size ARGB image, the whole SVG view box scaled into it.
    QImage render(int size) const;
    static QByteArray png(const QImage &image);

    // Sizes 1..256 only: an ICONDIRENTRY stores width and height in one byte (0 = 256).
    QByteArray ico(const QList<int> &sizes) const;
    // Every size the current icns element types describe, 16 to 1024 (512@2x).
    QByteArray icns() const;

private:
    mutable QSvgRenderer m_renderer;
};

} // namespace wharf::packaging
