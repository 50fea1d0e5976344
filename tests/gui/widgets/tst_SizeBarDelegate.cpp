// SizeBarDelegate: the bar drawn behind a size is proportional to the value relative to the
// column's largest value, measured in pixels of a real paint.

#include "widgets/SizeBarDelegate.h"

#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wharf::gui;

namespace {

constexpr int ValueRole = Qt::UserRole + 1;
constexpr int MaxRole = Qt::UserRole + 2;
const QColor Background(Qt::white);

// Paints row `row` of model into a cell of `cellWidth` logical pixels and returns the width of
// the bar in device pixels, measured along the middle line of the cell.
int paintedBarWidth(QStandardItemModel &model, int row, int cellWidth, qreal dpr = 1.0,
                    QImage *out = nullptr)
{
    const int height = 24;
    QImage image(QSize(cellWidth, height) * dpr, QImage::Format_ARGB32);
    image.setDevicePixelRatio(dpr);
    image.fill(Background);

    QPalette palette;
    palette.setColor(QPalette::Base, Background);
    palette.setColor(QPalette::Window, Background);
    palette.setColor(QPalette::Highlight, QColor(0, 0, 255));
    palette.setColor(QPalette::Text, Qt::black);

    QStyleOptionViewItem option;
    option.rect = QRect(0, 0, cellWidth, height);
    option.palette = palette;
    option.state = QStyle::State_Enabled | QStyle::State_Active;
    option.fontMetrics = QFontMetrics(option.font);

    SizeBarDelegate delegate(ValueRole, MaxRole);
    {
        QPainter painter(&image);
        delegate.paint(&painter, option, model.index(row, 0));
    }
    int width = 0;
    const int y = image.height() / 2;
    for (int x = 0; x < image.width(); ++x) {
        if (image.pixelColor(x, y) != Background)
            ++width;
    }
    if (out)
        *out = image;
    return width;
}

std::unique_ptr<QStandardItemModel> sizesModel(const QList<qint64> &values)
{
    auto model = std::make_unique<QStandardItemModel>();
    const qint64 max = *std::max_element(values.begin(), values.end());
    for (const qint64 value : values) {
        auto *item = new QStandardItem;
        item->setData(value, ValueRole);
        item->setData(max, MaxRole);
        model->appendRow(item);
    }
    return model;
}

} // namespace

class TestSizeBarDelegate : public QObject
{
    Q_OBJECT
private slots:
    void fractionIsValueOverMaximum();
    void barRectStaysInsideTheCell();
    void paintedBarIsProportional();
    void paintedBarScalesWithDevicePixelRatio();
    void textIsDrawnOverTheBar();
};

void TestSizeBarDelegate::fractionIsValueOverMaximum()
{
    QCOMPARE(SizeBarDelegate::fraction(50, 100), 0.5);
    QCOMPARE(SizeBarDelegate::fraction(100, 100), 1.0);
    QCOMPARE(SizeBarDelegate::fraction(0, 100), 0.0);
    QCOMPARE(SizeBarDelegate::fraction(10, 0), 0.0);    // nothing to compare with
    QCOMPARE(SizeBarDelegate::fraction(200, 100), 1.0); // clamped
    QCOMPARE(SizeBarDelegate::fraction(-5, 100), 0.0);
}

void TestSizeBarDelegate::barRectStaysInsideTheCell()
{
    const QRectF cell(10, 20, 206, 30);
    const QRectF full = SizeBarDelegate::barRect(cell, 1.0);
    QVERIFY(cell.contains(full));
    const QRectF half = SizeBarDelegate::barRect(cell, 0.5);
    QCOMPARE(half.left(), full.left());
    QCOMPARE(half.width(), full.width() / 2);
    QVERIFY(SizeBarDelegate::barRect(cell, 0.0).isEmpty());
    // A tiny value still shows a sliver.
    QVERIFY(SizeBarDelegate::barRect(cell, 1e-9).width() >= 1.0);
}

void TestSizeBarDelegate::paintedBarIsProportional()
{
    auto model = sizesModel({4000, 2000, 1000, 0});
    const int cellWidth = 206;
    const int full = paintedBarWidth(*model, 0, cellWidth);
    const int half = paintedBarWidth(*model, 1, cellWidth);
    const int quarter = paintedBarWidth(*model, 2, cellWidth);
    const int none = paintedBarWidth(*model, 3, cellWidth);

    // The largest value fills the cell but its margins.
    QVERIFY2(full >= cellWidth - 10 && full <= cellWidth, qPrintable(QString::number(full)));
    QVERIFY2(qAbs(half - full / 2) <= 1, qPrintable(u"half %1 of full %2"_s.arg(half).arg(full)));
    QVERIFY2(qAbs(quarter - full / 4) <= 1,
             qPrintable(u"quarter %1 of full %2"_s.arg(quarter).arg(full)));
    QCOMPARE(none, 0);
}

void TestSizeBarDelegate::paintedBarScalesWithDevicePixelRatio()
{
    auto model = sizesModel({4000, 2000});
    const int at1 = paintedBarWidth(*model, 1, 206, 1.0);
    const int at2 = paintedBarWidth(*model, 1, 206, 2.0);
    QVERIFY2(qAbs(at2 - 2 * at1) <= 2, qPrintable(u"%1 vs %2"_s.arg(at2).arg(at1)));
}

void TestSizeBarDelegate::textIsDrawnOverTheBar()
{
    auto model = sizesModel({4000, 2000});
    model->item(1)->setText(u"1.95 KiB"_s);
    model->item(1)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QImage image;
    paintedBarWidth(*model, 1, 206, 1.0, &image);
    // The bar covers the left half; right-aligned text adds dark pixels in the right half.
    bool darkOnRight = false;
    for (int y = 0; y < image.height() && !darkOnRight; ++y) {
        for (int x = image.width() / 2 + 5; x < image.width(); ++x) {
            if (image.pixelColor(x, y).lightness() < 100) {
                darkOnRight = true;
                break;
            }
        }
    }
    QVERIFY(darkOnRight);
}

QTEST_MAIN(TestSizeBarDelegate)
#include "tst_SizeBarDelegate.moc"
