#pragma once

#include <QMetaObject>
#include <QMutex>
#include <QObject>

#include <functional>

namespace wharf {

// Back-pressure for a streamed response body (HttpRequest::sink + HttpRequest::flow).
//
// A consumer slower than the network (a layer scan decompressing on another thread) pauses the
// transfer when its buffer is full and resumes it once it has room. While paused, the network
// worker reads nothing more from that connection — its socket read buffer is bounded to
// ReadBufferBytes, so TCP flow control holds the server back — and the request's inactivity
// timeout does not run. The worker thread is never blocked: it keeps serving its other
// requests. (A sink that blocked instead would stall every request on that worker, and a long
// block would trip the transfer timeout.)
//
// The sink may still be handed what the transport had read when it paused: up to
// ReadBufferBytes from Wharf's HTTP/1.1 client; from QNetworkAccessManager (https), whose limit
// is looser (data already passed on by its HTTP thread still arrives), about twice that. A
// consumer's buffer is bounded by its own limit plus that, whatever the body's size.
//
// Thread-safe. pause() is normally called from inside the sink (worker thread), resume() from
// the consumer's thread.
class StreamFlow
{
public:
    static constexpr qint64 ReadBufferBytes = 1024 * 1024;

    void pause()
    {
        QMutexLocker lock(&m_mutex);
        m_paused = true;
    }

    void resume()
    {
        QMutexLocker lock(&m_mutex);
        if (!m_paused)
            return;
        m_paused = false;
        if (m_receiver && m_onResume)
            QMetaObject::invokeMethod(m_receiver, m_onResume, Qt::QueuedConnection);
    }

    bool isPaused() const
    {
        QMutexLocker lock(&m_mutex);
        return m_paused;
    }

    // Transport side: resume() runs handler on receiver's thread. The transport clears the
    // handler before receiver can be destroyed, so a late resume() never reaches a dead object.
    void setResumeHandler(QObject *receiver, std::function<void()> handler)
    {
        QMutexLocker lock(&m_mutex);
        m_receiver = receiver;
        m_onResume = std::move(handler);
    }

    void clearResumeHandler()
    {
        QMutexLocker lock(&m_mutex);
        m_receiver = nullptr;
        m_onResume = nullptr;
    }

private:
    mutable QMutex m_mutex;
    bool m_paused = false;
    QObject *m_receiver = nullptr;
    std::function<void()> m_onResume;
};

} // namespace wharf
