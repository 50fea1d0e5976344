// LayerTableModel: rows, roles, history alignment, foreign layers and totals, under
// QAbstractItemModelTester.

#include "widgets/LayerTableModel.h"

#include "model/Format.h"
#include "oci/MediaTypes.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace wharf;
using namespace wharf::gui;

namespace {

Descriptor blob(const QString &mediaType, char fill, qint64 size)
{
    Descriptor d;
    d.mediaType = mediaType;
    d.digest = Digest::sha256Of(QByteArray(8, fill));
    d.size = size;
    return d;
}

HistoryEntry step(const QString &createdBy, bool empty = false)
{
    HistoryEntry h;
    h.createdBy = createdBy;
    h.emptyLayer = empty;
    h.created = QDateTime(QDate(2024, 5, 1), QTime(12, 0), QTimeZone::utc());
    return h;
}

// Three layers (the middle one foreign), history with empty steps in between.
ImagePlatform samplePlatform()
{
    ImagePlatform p;
    p.platform.os = u"linux"_s;
    p.platform.architecture = u"amd64"_s;
    p.config = blob(QStringView(MediaTypes::OciConfig).toString(), 'c', 1234);
    p.layers << blob(QStringView(MediaTypes::OciLayerGzip).toString(), 'a', 30000)
             << blob(QStringView(MediaTypes::DockerForeignLayer).toString(), 'f', 90000)
             << blob(QStringView(MediaTypes::OciLayerZstd).toString(), 'b', 45000);
    p.layers[1].urls << u"https://mcr.example.com/layer.tar.gz"_s;
    ImageConfig config;
    config.history << step(u"ADD base.tar /"_s) << step(u"ENV A=1"_s, true)
                   << step(u"RUN make \\\n   install"_s) << step(u"LABEL x=y"_s, true)
                   << step(u"COPY app /app"_s);
    p.configDetails = config;
    return p;
}

} // namespace

class TestLayerTableModel : public QObject
{
    Q_OBJECT
private slots:
    void passesModelTester();
    void rowsFollowTheManifest();
    void createdByAlignsWithLayersSkippingEmptySteps();
    void sizesAndTotals();
    void foreignLayersAreMarked();
    void shortHistoryLeavesCreatedByEmpty();
    void sortsBySizeThroughProxy();
};

void TestLayerTableModel::passesModelTester()
{
    LayerTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPlatform(samplePlatform());
    QCOMPARE(model.rowCount(), 3);
    // Every role of every cell once more under the tester's eyes, then a reset and a clear.
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < model.columnCount(); ++c) {
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::FontRole),
                             int(Qt::TextAlignmentRole), int(LayerTableModel::SortRole)})
                model.data(model.index(r, c), role);
        }
    }
    ImagePlatform other = samplePlatform();
    other.layers.removeLast();
    model.setPlatform(other);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalBytes(), 0);
}

void TestLayerTableModel::rowsFollowTheManifest()
{
    LayerTableModel model;
    const ImagePlatform p = samplePlatform();
    model.setPlatform(p);
    QCOMPARE(model.columnCount(), int(LayerTableModel::ColumnCount));
    for (int i = 0; i < p.layers.size(); ++i) {
        QCOMPARE(model.index(i, LayerTableModel::IndexColumn).data().toInt(), i + 1);
        QCOMPARE(model.index(i, LayerTableModel::DigestColumn).data().toString(),
                 p.layers.at(i).digest.shortForm());
        QCOMPARE(model.index(i, LayerTableModel::DigestColumn).data(Qt::ToolTipRole).toString(),
                 p.layers.at(i).digest.toString());
        QCOMPARE(model.index(i, 0).data(LayerTableModel::DigestRole).toString(),
                 p.layers.at(i).digest.toString());
    }
    QCOMPARE(model.index(0, LayerTableModel::MediaTypeColumn).data().toString(), u"tar+gzip"_s);
    QCOMPARE(model.index(2, LayerTableModel::MediaTypeColumn).data().toString(), u"tar+zstd"_s);
    QCOMPARE(model.index(2, LayerTableModel::MediaTypeColumn).data(Qt::ToolTipRole).toString(),
             QStringView(MediaTypes::OciLayerZstd).toString());
}

void TestLayerTableModel::createdByAlignsWithLayersSkippingEmptySteps()
{
    LayerTableModel model;
    model.setPlatform(samplePlatform());
    QCOMPARE(model.index(0, LayerTableModel::CreatedByColumn).data().toString(),
             u"ADD base.tar /"_s);
    // Shown on one line; the tooltip keeps the step as written.
    QCOMPARE(model.index(1, LayerTableModel::CreatedByColumn).data().toString(),
             u"RUN make \\ install"_s);
    QCOMPARE(model.index(1, LayerTableModel::CreatedByColumn).data(Qt::ToolTipRole).toString(),
             u"RUN make \\\n   install"_s);
    QCOMPARE(model.index(2, LayerTableModel::CreatedByColumn).data().toString(),
             u"COPY app /app"_s);
}

void TestLayerTableModel::sizesAndTotals()
{
    LayerTableModel model;
    const ImagePlatform p = samplePlatform();
    model.setPlatform(p);
    for (int i = 0; i < p.layers.size(); ++i) {
        const QModelIndex size = model.index(i, LayerTableModel::SizeColumn);
        QCOMPARE(size.data(LayerTableModel::BytesRole).toLongLong(), p.layers.at(i).size);
        QCOMPARE(size.data(LayerTableModel::MaxBytesRole).toLongLong(), 90000);
        QCOMPARE(size.data().toString(), Format::bytes(p.layers.at(i).size));
        QVERIFY(size.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLocale().toString(p.layers.at(i).size)));
        const auto align = size.data(Qt::TextAlignmentRole).value<Qt::Alignment>();
        QVERIFY(align.testFlag(Qt::AlignRight));
    }
    QCOMPARE(model.configBytes(), 1234);
    QCOMPARE(model.layerBytes(), 30000 + 90000 + 45000);
    QCOMPARE(model.largestLayerBytes(), 90000);
    QCOMPARE(model.totalBytes(), p.size()); // the documented formula: config + layers
}

void TestLayerTableModel::foreignLayersAreMarked()
{
    LayerTableModel model;
    model.setPlatform(samplePlatform());
    QVERIFY(!model.index(0, 0).data(LayerTableModel::ForeignRole).toBool());
    QVERIFY(model.index(1, 0).data(LayerTableModel::ForeignRole).toBool());
    QCOMPARE(model.index(1, LayerTableModel::MediaTypeColumn).data().toString(),
             u"foreign layer"_s);
    const QString tip =
        model.index(1, LayerTableModel::MediaTypeColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"https://mcr.example.com/layer.tar.gz"_s), qPrintable(tip));
    QVERIFY(model.index(1, 2).data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(!model.index(0, 2).data(Qt::FontRole).isValid());
}

void TestLayerTableModel::shortHistoryLeavesCreatedByEmpty()
{
    ImagePlatform p = samplePlatform();
    p.configDetails->history.resize(1); // only the first step is known
    LayerTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPlatform(p);
    QCOMPARE(model.index(0, LayerTableModel::CreatedByColumn).data().toString(),
             u"ADD base.tar /"_s);
    QVERIFY(model.index(2, LayerTableModel::CreatedByColumn).data().toString().isEmpty());
    p.configDetails.reset(); // no config at all
    model.setPlatform(p);
    QVERIFY(model.index(0, LayerTableModel::CreatedByColumn).data().toString().isEmpty());
    QCOMPARE(model.totalBytes(), p.size());
}

void TestLayerTableModel::sortsBySizeThroughProxy()
{
    LayerTableModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(LayerTableModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPlatform(samplePlatform());
    proxy.sort(LayerTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, LayerTableModel::IndexColumn).data().toInt(), 2); // 90000
    QCOMPARE(proxy.index(1, LayerTableModel::IndexColumn).data().toInt(), 3); // 45000
    QCOMPARE(proxy.index(2, LayerTableModel::IndexColumn).data().toInt(), 1); // 30000
    proxy.sort(LayerTableModel::IndexColumn, Qt::AscendingOrder);
    QCOMPARE(
        proxy.index(0, LayerTableModel::SizeColumn).data(LayerTableModel::BytesRole).toLongLong(),
        30000);
}

QTEST_MAIN(TestLayerTableModel)
#include "tst_LayerTableModel.moc"
