#pragma once

#include "LayerFormat.h"
#include "LayerSource.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace wharf::scan::test {

// Builds layer tars in memory with libarchive's writer, so tests need no binary fixtures.
class TestLayerBuilder
{
public:
    TestLayerBuilder &file(const QString &path, const QByteArray &data);
    TestLayerBuilder &dir(const QString &path);
    TestLayerBuilder &symlink(const QString &path, const QString &target);
    TestLayerBuilder &hardlink(const QString &path, const QString &target);
    // "<dir>/.wh.<name>" for path "<dir>/<name>".
    TestLayerBuilder &whiteout(const QString &path);
    // "<dir>/.wh..wh..opq".
    TestLayerBuilder &opaque(const QString &dir);

    // The uncompressed tar (pax-restricted format, padded to libarchive's 10 KiB blocks).
    QByteArray tar() const;

    struct Layer
    {
        QByteArray blob; // what a registry stores
        QByteArray tar;  // the uncompressed tar
        QString digest;  // sha256 of blob (QCryptographicHash, independent of the code under test)
        QString diffId;  // sha256 of tar
        QString mediaType;
    };
    Layer build(LayerCompression compression) const;

    static QByteArray compress(const QByteArray &data, LayerCompression compression);
    static QString sha256(const QByteArray &data);
    static QString mediaTypeFor(LayerCompression compression);

private:
    enum class Type { File, Dir, Symlink, Hardlink };
    struct Entry
    {
        Type type;
        QString path;
        QByteArray data;
        QString target;
    };
    QList<Entry> m_entries;
};

// A LayerSource over a byte array; chunk > 0 caps every read (short reads), failAt >= 0
// makes the read that would pass that offset fail.
class BufferSource : public LayerSource
{
public:
    explicit BufferSource(QByteArray data, qint64 chunk = 0, qint64 failAt = -1);
    qint64 read(char *buf, qint64 maxSize) override;
    QString errorString() const override { return m_error; }
    qint64 position() const { return m_pos; }

private:
    QByteArray m_data;
    qint64 m_chunk;
    qint64 m_failAt;
    qint64 m_pos = 0;
    quint32 m_state = 12345; // varies short-read sizes deterministically
    QString m_error;
};

} // namespace wharf::scan::test
