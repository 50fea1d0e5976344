#include "FileLayerSource.h"

namespace wharf::scan {

FileLayerSource::FileLayerSource(const QString &path)
    : m_file(path)
{}

bool FileLayerSource::open()
{
    if (m_file.isOpen())
        return true;
    // Unbuffered: the reader asks for large chunks, a QIODevice buffer would only add a copy.
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        m_error = u"cannot open " + m_file.fileName() + u": " + m_file.errorString();
        return false;
    }
    return true;
}

qint64 FileLayerSource::read(char *buf, qint64 maxSize)
{
    if (!open())
        return -1;
    const qint64 n = m_file.read(buf, maxSize);
    if (n < 0)
        m_error = u"cannot read " + m_file.fileName() + u": " + m_file.errorString();
    return n;
}

QString FileLayerSource::errorString() const
{
    return m_error;
}

} // namespace wharf::scan
