#include "StreamBuffer.h"

#include "transport/StreamFlow.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace wharf::scan {

StreamBuffer::StreamBuffer(qint64 capacity)
    : m_capacity(std::max<qint64>(capacity, 64 * 1024))
{}

StreamBuffer::~StreamBuffer() = default;

void StreamBuffer::setFlow(std::shared_ptr<StreamFlow> flow)
{
    QMutexLocker lock(&m_mutex);
    m_flow = std::move(flow);
}

bool StreamBuffer::write(const QByteArray &chunk)
{
    QMutexLocker lock(&m_mutex);
    // Last-resort bound; with a working flow the transport stops long before.
    const qint64 hardLimit = m_flow ? m_capacity + 4 * StreamFlow::ReadBufferBytes : m_capacity;
    while (!m_cancelled && !m_failed && m_buffered >= hardLimit)
        m_writable.wait(&m_mutex);
    if (m_cancelled || m_failed)
        return false;
    if (chunk.isEmpty())
        return true;
    m_chunks.push_back(chunk);
    m_buffered += chunk.size();
    m_written += chunk.size();
    m_peak = std::max(m_peak, m_buffered);
    if (m_flow && !m_paused && m_buffered >= m_capacity) {
        m_paused = true;
        ++m_pauses;
        m_flow->pause();
    }
    m_readable.wakeAll();
    return true;
}

void StreamBuffer::finish()
{
    QMutexLocker lock(&m_mutex);
    if (m_finished || m_failed)
        return;
    m_finished = true;
    m_readable.wakeAll();
}

void StreamBuffer::fail(const QString &error)
{
    QMutexLocker lock(&m_mutex);
    if (m_finished || m_failed || m_cancelled)
        return;
    m_failed = true;
    m_error = error;
    m_readable.wakeAll();
    m_writable.wakeAll();
}

qint64 StreamBuffer::read(char *buffer, qint64 maxSize)
{
    QMutexLocker lock(&m_mutex);
    // Bytes that arrived before a failure are still delivered: the reader then fails on the
    // next call with the transport's message rather than a confusing digest mismatch.
    while (!m_cancelled && m_chunks.empty() && !m_finished && !m_failed)
        m_readable.wait(&m_mutex);
    if (m_cancelled)
        return -1;
    if (m_chunks.empty())
        return m_failed ? -1 : 0;
    qint64 copied = 0;
    while (copied < maxSize && !m_chunks.empty()) {
        const QByteArray &front = m_chunks.front();
        const qint64 take = std::min<qint64>(maxSize - copied, front.size() - m_frontOffset);
        std::memcpy(buffer + copied, front.constData() + m_frontOffset, size_t(take));
        copied += take;
        m_frontOffset += take;
        if (m_frontOffset == front.size()) {
            m_chunks.pop_front();
            m_frontOffset = 0;
        }
    }
    m_buffered -= copied;
    m_read += copied;
    if (m_paused && m_buffered <= m_capacity / 2) {
        m_paused = false;
        m_flow->resume();
    }
    m_writable.wakeAll();
    return copied;
}

void StreamBuffer::cancel(const QString &reason)
{
    QMutexLocker lock(&m_mutex);
    if (m_cancelled)
        return;
    m_cancelled = true;
    if (m_error.isEmpty())
        m_error = reason;
    m_chunks.clear();
    m_buffered = 0;
    // A paused transport only notices the cancellation when it hands over its next chunk.
    if (m_paused && m_flow) {
        m_paused = false;
        m_flow->resume();
    }
    m_readable.wakeAll();
    m_writable.wakeAll();
}

QString StreamBuffer::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

bool StreamBuffer::isCancelled() const
{
    QMutexLocker lock(&m_mutex);
    return m_cancelled;
}

bool StreamBuffer::isFinished() const
{
    QMutexLocker lock(&m_mutex);
    return m_finished || m_failed;
}

bool StreamBuffer::hasFailed() const
{
    QMutexLocker lock(&m_mutex);
    return m_failed;
}

qint64 StreamBuffer::bufferedBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_buffered;
}

qint64 StreamBuffer::peakBufferedBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_peak;
}

qint64 StreamBuffer::bytesWritten() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}

qint64 StreamBuffer::bytesRead() const
{
    QMutexLocker lock(&m_mutex);
    return m_read;
}

int StreamBuffer::pauses() const
{
    QMutexLocker lock(&m_mutex);
    return m_pauses;
}

} // namespace wharf::scan
