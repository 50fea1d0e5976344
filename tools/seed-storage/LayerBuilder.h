#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace wharf::tools {

// Builds an image layer in memory: a tar archive (written with libarchive) compressed with gzip.
// Output is deterministic — fixed timestamps, owners and no gzip mtime — so the same input
// always yields the same layer digest.
class LayerBuilder
{
public:
    struct Layer
    {
        QByteArray blob;   // the gzip'ed tar, as stored in the registry
        QByteArray digest; // "sha256:<hex>" of blob
        QByteArray diffId; // "sha256:<hex>" of the uncompressed tar (config rootfs.diff_ids)
    };

    LayerBuilder();
    ~LayerBuilder();
    LayerBuilder(const LayerBuilder &) = delete;
    LayerBuilder &operator=(const LayerBuilder &) = delete;

    // Adds a regular file (mode 0644) to the layer being built.
    void addFile(const QByteArray &path, const QByteArray &content);
    // Writes the added files as one layer and starts a new, empty one. Returns false (see
    // errorString()) when libarchive or zlib fails.
    bool finish(Layer *layer);
    QString errorString() const { return m_error; }

    static QByteArray sha256Digest(const QByteArray &data);

private:
    struct File
    {
        QByteArray path;
        QByteArray content;
    };

    bool writeTar(QByteArray *tar);
    bool gzip(const QByteArray &input, QByteArray *output);

    struct ZStream;
    std::unique_ptr<ZStream> m_zstream; // reused: deflateInit's allocation dominates tiny layers
    std::vector<File> m_files;
    QString m_error;
};

} // namespace wharf::tools
