#pragma once

#include "LayerSource.h"

#include <QFile>

namespace wharf::scan {

// A layer blob read from a local file (OCI layout blobs, tests, the benchmark).
class FileLayerSource : public LayerSource
{
public:
    explicit FileLayerSource(const QString &path);

    // Opens the file; false (with errorString()) when it cannot be read.
    bool open();
    qint64 read(char *buf, qint64 maxSize) override;
    QString errorString() const override;

private:
    QFile m_file;
    QString m_error;
};

} // namespace wharf::scan
