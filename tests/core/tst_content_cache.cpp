// ContentCache on its own: the size bound, what eviction forgets, and a clean close.

#include "cache/ContentCache.h"
#include "reference/Digest.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;

class TestContentCache : public QObject
{
    Q_OBJECT
private slots:
    void evictionKeepsTheBoundAndTheNewest();
};

void TestContentCache::evictionKeepsTheBoundAndTheNewest()
{
    QTemporaryDir dir;
    constexpr qint64 MaxBytes = 16 * 1024;
    QList<Digest> stored;
    {
        ContentCache cache(dir.path(), MaxBytes, 1024);
        QVERIFY(cache.isPersistent());
        for (int i = 0; i < 40; ++i) {
            const QByteArray bytes = QByteArray::number(i).repeated(1024 / 2).left(1024);
            const Digest digest = Digest::sha256Of(bytes);
            cache.put(digest, bytes, u"application/octet-stream"_s);
            cache.flush(); // a commit per entry: eviction runs as the bound is crossed
            stored << digest;
        }
        QVERIFY2(cache.diskBytes() <= MaxBytes, qPrintable(QString::number(cache.diskBytes())));
        QVERIFY(!cache.isKnown(stored.first()));
        QVERIFY(!cache.get(stored.first()));
        QVERIFY(cache.isKnown(stored.last()));
        QVERIFY(cache.get(stored.last()));
    }
    // Closed cleanly: the last connection checkpoints and removes the write-ahead log.
    QVERIFY(!QFile::exists(QDir(dir.path()).filePath(u"content.sqlite-wal"_s)));
    ContentCache reopened(dir.path(), MaxBytes, 1024);
    QVERIFY(reopened.isKnown(stored.last()));
    QVERIFY(!reopened.isKnown(stored.first()));
    const auto entry = reopened.get(stored.last());
    QVERIFY(entry);
    QCOMPARE(entry->mediaType, u"application/octet-stream"_s);
}

QTEST_GUILESS_MAIN(TestContentCache)
#include "tst_content_cache.moc"
