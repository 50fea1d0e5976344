#include "LoopbackServer.h"

#include <QCryptographicHash>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

namespace wharf::tools::test {

namespace {

struct Peer
{
    int fd = -1;
    QByteArray out;
    qsizetype outOffset = 0;
    bool eof = false;
    std::int64_t received = 0;
    std::unique_ptr<QCryptographicHash> hash;
};

} // namespace

LoopbackServer::LoopbackServer(Mode mode, const QByteArray &payload)
    : m_mode(mode)
    , m_payload(payload)
{}

LoopbackServer::~LoopbackServer()
{
    if (m_thread.joinable()) {
        const char stop = 's';
        [[maybe_unused]] const auto written = ::write(m_wakePipe[1], &stop, 1);
        m_thread.join();
    }
    for (int fd : {m_listenFd, m_wakePipe[0], m_wakePipe[1]}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool LoopbackServer::start()
{
    if (::pipe2(m_wakePipe, O_CLOEXEC) < 0)
        return false;
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) < 0 ||
        ::listen(m_listenFd, SOMAXCONN) < 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) < 0)
        return false;
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { loop(); });
    return true;
}

void LoopbackServer::loop()
{
    std::vector<std::unique_ptr<Peer>> peers;
    std::vector<pollfd> fds;
    std::vector<char> buffer(256 * 1024);
    for (;;) {
        fds.clear();
        fds.push_back({m_wakePipe[0], POLLIN, 0});
        fds.push_back({m_listenFd, POLLIN, 0});
        for (const auto &peer : peers) {
            short events = 0;
            if (!peer->eof)
                events |= POLLIN;
            if (peer->outOffset < peer->out.size())
                events |= POLLOUT;
            fds.push_back({peer->fd, events, 0});
        }
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[0].revents)
            break;
        if (fds[1].revents & POLLIN) {
            for (;;) {
                const int fd =
                    ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0)
                    break;
                auto peer = std::make_unique<Peer>();
                peer->fd = fd;
                peer->hash = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
                peers.push_back(std::move(peer));
                ++m_accepted;
            }
        }
        // fds[2 + i] belongs to peers[i] as they were before this round's accepts.
        const std::size_t polled = fds.size() - 2;
        for (std::size_t i = 0; i < polled; ++i) {
            Peer &peer = *peers[i];
            const short revents = fds[i + 2].revents;
            if (revents & (POLLIN | POLLHUP | POLLERR)) {
                const ssize_t got = ::recv(peer.fd, buffer.data(), buffer.size(), 0);
                if (got > 0) {
                    peer.received += got;
                    if (m_mode == Mode::Echo)
                        peer.out.append(buffer.data(), got);
                    else
                        peer.hash->addData(QByteArrayView(buffer.data(), got));
                } else if (got == 0) {
                    peer.eof = true;
                    if (m_mode == Mode::SendAfterEof)
                        peer.out = m_payload;
                    if (m_mode == Mode::DigestAfterEof) {
                        QByteArray answer(8, '\0');
                        for (int k = 0; k < 8; ++k)
                            answer[k] = static_cast<char>((peer.received >> (56 - 8 * k)) & 0xff);
                        peer.out += answer;
                        peer.out += peer.hash->result();
                    }
                } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    ::close(peer.fd);
                    peer.fd = -1;
                    continue;
                }
            }
            if (peer.outOffset < peer.out.size()) {
                const ssize_t sent = ::send(
                    peer.fd, peer.out.constData() + peer.outOffset,
                    static_cast<std::size_t>(peer.out.size() - peer.outOffset), MSG_NOSIGNAL);
                if (sent > 0)
                    peer.outOffset += sent;
                if (peer.outOffset == peer.out.size()) {
                    peer.out.clear();
                    peer.outOffset = 0;
                }
            }
            if (peer.eof && peer.out.isEmpty()) {
                ::close(peer.fd);
                peer.fd = -1;
            }
        }
        std::erase_if(peers, [](const std::unique_ptr<Peer> &peer) { return peer->fd < 0; });
    }
    for (const auto &peer : peers)
        ::close(peer->fd);
}

} // namespace wharf::tools::test
