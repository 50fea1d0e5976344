#pragma once

#include <QByteArray>

#include <atomic>
#include <cstdint>
#include <thread>

namespace wharf::tools::test {

// A TCP server on 127.0.0.1 with its own thread and poll loop, built on raw sockets because the
// tests need what QTcpSocket cannot do: notice a half-close and keep writing afterwards.
//   Echo            writes back what it reads; after the peer's EOF and the echo, closes.
//   DigestAfterEof  reads until EOF, then answers with the byte count (8 bytes, big endian)
//                   and the SHA-256 of everything read, then closes.
//   SendAfterEof    reads until EOF, then sends the given payload as fast as it can and closes.
class LoopbackServer
{
public:
    enum class Mode { Echo, DigestAfterEof, SendAfterEof };

    explicit LoopbackServer(Mode mode, const QByteArray &payload = {});
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer &) = delete;
    LoopbackServer &operator=(const LoopbackServer &) = delete;

    bool start();
    std::uint16_t port() const { return m_port; }
    int connectionsAccepted() const { return m_accepted.load(); }

private:
    void loop();

    Mode m_mode;
    QByteArray m_payload;
    int m_listenFd = -1;
    int m_wakePipe[2] = {-1, -1};
    std::uint16_t m_port = 0;
    std::atomic<int> m_accepted{0};
    std::thread m_thread;
};

} // namespace wharf::tools::test
