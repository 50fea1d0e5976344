#pragma once

#include <QByteArray>
#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <deque>
#include <memory>

namespace wharf {
class StreamFlow;
}

namespace wharf::scan {

// A bounded byte queue between a producer that must not block (a network worker's sink) and a
// consumer that may (a layer scan on a pool thread).
//
// With a StreamFlow attached, the producer never blocks: reaching the capacity pauses the
// transfer (TCP back-pressure), falling to half of it resumes it. The transport may deliver
// what it had already read after a pause (StreamFlow.h), so the buffer can exceed its capacity
// by that; 4 MiB beyond it write() blocks as a last-resort bound (a transport ignoring the
// flow).
// Without a flow, write() blocks whenever the buffer is full — only for producers on a thread
// of their own.
//
// Chunks are kept as the QByteArrays they arrived in (no copy on write, one copy on read).
// Thread-safe.
class StreamBuffer
{
public:
    explicit StreamBuffer(qint64 capacity);
    ~StreamBuffer();
    StreamBuffer(const StreamBuffer &) = delete;
    StreamBuffer &operator=(const StreamBuffer &) = delete;

    void setFlow(std::shared_ptr<StreamFlow> flow);
    qint64 capacity() const { return m_capacity; }

    // Producer. False once the consumer cancelled or the stream failed: stop producing.
    bool write(const QByteArray &chunk);
    // End of the stream: read() returns 0 once the buffer is drained.
    void finish();
    // The stream broke: read() returns -1 with this message once the buffered bytes are gone.
    void fail(const QString &error);

    // Consumer. Blocks until bytes, the end, an error or cancellation. Bytes copied, 0 at the
    // end, -1 on error or cancellation (see errorString()).
    qint64 read(char *buffer, qint64 maxSize);
    // Any thread: read() and write() fail from now on; wakes everyone waiting.
    void cancel(const QString &reason);

    QString errorString() const;
    bool isCancelled() const;
    bool isFinished() const; // finish() or fail() was called
    bool hasFailed() const;
    qint64 bufferedBytes() const;
    qint64 peakBufferedBytes() const;
    qint64 bytesWritten() const;
    qint64 bytesRead() const;
    int pauses() const; // how often the flow was paused (for tests and the benchmark)

private:
    qint64 m_capacity;
    mutable QMutex m_mutex;
    QWaitCondition m_readable;
    QWaitCondition m_writable;
    std::deque<QByteArray> m_chunks;
    qsizetype m_frontOffset = 0; // bytes of m_chunks.front() already read
    qint64 m_buffered = 0;
    qint64 m_peak = 0;
    qint64 m_written = 0;
    qint64 m_read = 0;
    bool m_finished = false;
    bool m_failed = false;
    bool m_cancelled = false;
    bool m_paused = false;
    int m_pauses = 0;
    QString m_error;
    std::shared_ptr<StreamFlow> m_flow;
};

} // namespace wharf::scan
