#include "LatencyProxy.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

// epoll_pwait2 (nanosecond timeouts) is in glibc from 2.35 and in Linux from 5.11.
#if defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 35)
#define WHARF_HAVE_EPOLL_PWAIT2 1
#endif
#endif

namespace wharf::tools {

namespace {

constexpr std::uint64_t ListenerTag = 0;
constexpr std::uint64_t WakeTag = 1;
constexpr std::size_t ReadChunk = 64 * 1024;
constexpr int MaxEvents = 256;
constexpr int MaxIov = 64;

std::uint64_t sideTag(std::uint64_t id, int side)
{
    return id * 2 + static_cast<std::uint64_t>(side);
}

std::string systemError(const char *what)
{
    return std::string(what) + ": " + std::strerror(errno);
}

void setNoDelay(int fd)
{
    // Chunks are forwarded as they come; Nagle would hold small ones back for an ACK.
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

} // namespace

LatencyProxy::LatencyProxy(const Options &options)
    : m_options(options)
    , m_delayNs(options.delay.count())
    , m_readBuffer(ReadChunk)
{}

LatencyProxy::~LatencyProxy()
{
    for (auto &entry : m_connections) {
        for (const Side &side : entry.second->sides) {
            if (side.fd >= 0)
                ::close(side.fd);
        }
    }
    for (int fd : {m_listenFd, m_epollFd, m_wakeFd}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool LatencyProxy::parseEndpoint(const std::string &text, sockaddr_in *address)
{
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        return false;
    const std::string host = text.substr(0, colon);
    const std::string portText = text.substr(colon + 1);
    unsigned long port = 0;
    for (char ch : portText) {
        if (ch < '0' || ch > '9')
            return false;
        port = port * 10 + static_cast<unsigned long>(ch - '0');
        if (port > 65535)
            return false;
    }
    sockaddr_in result{};
    result.sin_family = AF_INET;
    result.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &result.sin_addr) != 1)
        return false;
    *address = result;
    return true;
}

bool LatencyProxy::listen(std::string *error)
{
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epollFd < 0) {
        *error = systemError("epoll_create1");
        return false;
    }
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_wakeFd < 0) {
        *error = systemError("eventfd");
        return false;
    }
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0) {
        *error = systemError("socket");
        return false;
    }
    const int on = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(m_listenFd, reinterpret_cast<const sockaddr *>(&m_options.listenAddress),
               sizeof m_options.listenAddress) < 0) {
        *error = systemError("bind");
        return false;
    }
    if (::listen(m_listenFd, SOMAXCONN) < 0) {
        *error = systemError("listen");
        return false;
    }
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    if (::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&bound), &length) < 0) {
        *error = systemError("getsockname");
        return false;
    }
    m_port = ntohs(bound.sin_port);

    const std::pair<int, std::uint64_t> fixed[] = {{m_listenFd, ListenerTag}, {m_wakeFd, WakeTag}};
    for (const auto &[fd, tag] : fixed) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = tag;
        if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &event) < 0) {
            *error = systemError("epoll_ctl");
            return false;
        }
    }
    return true;
}

void LatencyProxy::stop()
{
    if (m_wakeFd >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(m_wakeFd, &one, sizeof one);
    }
}

std::int64_t LatencyProxy::nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int LatencyProxy::waitForEvents(epoll_event *events, int capacity)
{
    if (m_queue.empty())
        return ::epoll_wait(m_epollFd, events, capacity, -1);
    const std::int64_t wait = std::max<std::int64_t>(0, m_queue.front().deadlineNs - nowNs());
#ifdef WHARF_HAVE_EPOLL_PWAIT2
    if (m_precisePoll) {
        // Nanosecond timeout: no timer fd to re-arm and read, two syscalls fewer per deadline.
        const timespec timeout{static_cast<time_t>(wait / 1'000'000'000),
                               static_cast<long>(wait % 1'000'000'000)};
        const int count = ::epoll_pwait2(m_epollFd, events, capacity, &timeout, nullptr);
        if (count >= 0 || errno != ENOSYS)
            return count;
        m_precisePoll = false; // kernel older than 5.11
    }
#endif
    // Millisecond timeout rounded up: late by under 1 ms, never early.
    return ::epoll_wait(m_epollFd, events, capacity,
                        static_cast<int>((wait + 999'999) / 1'000'000));
}

bool LatencyProxy::run(std::string *error)
{
    if (m_epollFd < 0) {
        *error = "listen() has not succeeded";
        return false;
    }
    // The default 50 us timer slack would be added to every deadline this thread sleeps for.
    ::prctl(PR_SET_TIMERSLACK, 1UL);
    epoll_event events[MaxEvents];
    while (!m_stopping) {
        const int count = waitForEvents(events, MaxEvents);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            *error = systemError("epoll_wait");
            return false;
        }
        m_now = nowNs();
        for (int i = 0; i < count; ++i)
            handleEvent(events[i].data.u64, events[i].events);
        deliverDue();
        for (std::uint64_t id : m_deadIds)
            m_connections.erase(id);
        m_deadIds.clear();
    }
    return true;
}

void LatencyProxy::handleEvent(std::uint64_t tag, std::uint32_t events)
{
    if (tag == ListenerTag) {
        acceptConnections();
        return;
    }
    if (tag == WakeTag) {
        std::uint64_t value = 0;
        [[maybe_unused]] const auto got = ::read(m_wakeFd, &value, sizeof value);
        m_stopping = true;
        return;
    }

    Connection *c = find(tag / 2);
    const int side = static_cast<int>(tag % 2);
    if (!c || c->sides[side].fd < 0)
        return;
    Side &s = c->sides[side];

    if (s.connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        int socketError = 0;
        socklen_t length = sizeof socketError;
        ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &socketError, &length);
        if (socketError != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            fail(*c, side);
            return;
        }
        s.connecting = false;
        flush(*c, side);
        if (c->sides[side].fd >= 0)
            updateInterest(*c, side);
        return;
    }

    if (events & EPOLLERR) {
        fail(*c, side);
        return;
    }
    if (events & EPOLLIN)
        readFrom(*c, side);
    if ((events & EPOLLOUT) && s.fd >= 0)
        flush(*c, side);
    if ((events & EPOLLHUP) && s.fd >= 0 && !(events & EPOLLIN)) {
        if (!s.readEof && s.readPaused) {
            // Both directions are shut but unread data waits behind our pause. HUP is reported
            // whatever the mask, so leave the epoll set until reading resumes.
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, s.fd, nullptr);
            s.detached = true;
            return;
        }
        // Nothing left to read and the peer can no longer receive: it is gone.
        fail(*c, side);
    }
}

void LatencyProxy::acceptConnections()
{
    for (int round = 0; round < 64; ++round) {
        const int clientFd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (clientFd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK && !m_warnedAcceptFailure) {
                m_warnedAcceptFailure = true;
                std::fprintf(stderr, "wharf-latency-proxy: accept failed: %s\n",
                             std::strerror(errno));
            }
            return;
        }
        const int targetFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (targetFd < 0) {
            ::close(clientFd);
            continue;
        }
        setNoDelay(clientFd);
        setNoDelay(targetFd);

        auto connection = std::make_unique<Connection>();
        connection->id = m_nextId++;
        connection->sides[0].fd = clientFd;
        connection->sides[1].fd = targetFd;
        Connection &c = *connection;
        m_connections.emplace(c.id, std::move(connection));
        ++m_stats.connections;
        if (m_connections.size() > m_stats.peakConnections)
            m_stats.peakConnections = m_connections.size();

        registerSide(c, 0, EPOLLIN);
        const int rc =
            ::connect(targetFd, reinterpret_cast<const sockaddr *>(&m_options.targetAddress),
                      sizeof m_options.targetAddress);
        if (rc == 0) {
            registerSide(c, 1, EPOLLIN);
        } else if (errno == EINPROGRESS) {
            c.sides[1].connecting = true;
            registerSide(c, 1, EPOLLOUT);
        } else {
            registerSide(c, 1, 0);
            fail(c, 1);
        }
    }
}

void LatencyProxy::registerSide(Connection &c, int side, std::uint32_t events)
{
    Side &s = c.sides[side];
    epoll_event event{};
    event.events = events;
    event.data.u64 = sideTag(c.id, side);
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, s.fd, &event);
    s.registered = events;
}

void LatencyProxy::updateInterest(Connection &c, int side)
{
    Side &s = c.sides[side];
    if (s.fd < 0 || s.detached)
        return;
    std::uint32_t wanted = 0;
    if (s.connecting) {
        wanted = EPOLLOUT;
    } else {
        if (!s.readEof && !s.readPaused)
            wanted |= EPOLLIN;
        if (!s.out.empty())
            wanted |= EPOLLOUT;
    }
    if (wanted == s.registered)
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.u64 = sideTag(c.id, side);
    ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, s.fd, &event);
    s.registered = wanted;
}

void LatencyProxy::readFrom(Connection &c, int side)
{
    Side &s = c.sides[side];
    if (s.fd < 0 || s.readEof || s.readPaused)
        return;
    const ssize_t got = ::recv(s.fd, m_readBuffer.data(), m_readBuffer.size(), 0);
    if (got < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail(c, side);
        return;
    }
    Pending pending;
    pending.deadlineNs = m_now + m_delayNs;
    pending.connectionId = c.id;
    pending.from = static_cast<std::uint8_t>(side);
    if (got == 0) {
        s.readEof = true;
        pending.kind = EventKind::Eof;
        m_queue.push_back(std::move(pending));
        updateInterest(c, side);
        maybeCloseSide(c, side);
        return;
    }
    const auto size = static_cast<std::size_t>(got);
    pending.kind = EventKind::Data;
    pending.data.assign(m_readBuffer.data(), size);
    m_queue.push_back(std::move(pending));
    c.inFlight[side] += size;
    if (c.inFlight[side] >= m_options.maxInFlight) {
        s.readPaused = true;
        updateInterest(c, side);
    }
}

void LatencyProxy::flush(Connection &c, int side)
{
    Side &s = c.sides[side];
    if (s.fd < 0 || s.connecting)
        return;
    const int from = 1 - side;
    while (!s.out.empty()) {
        iovec iov[MaxIov];
        int count = 0;
        for (auto it = s.out.begin(); it != s.out.end() && count < MaxIov; ++it, ++count) {
            const std::size_t skip = (count == 0) ? s.outOffset : 0;
            iov[count].iov_base = it->data() + skip;
            iov[count].iov_len = it->size() - skip;
        }
        msghdr message{};
        message.msg_iov = iov;
        message.msg_iovlen = static_cast<std::size_t>(count);
        const ssize_t sent = ::sendmsg(s.fd, &message, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            fail(c, side);
            return;
        }
        auto remaining = static_cast<std::size_t>(sent);
        c.inFlight[from] -= remaining;
        (side == 1 ? m_stats.bytesToTarget : m_stats.bytesToClient) += remaining;
        while (remaining > 0) {
            const std::size_t left = s.out.front().size() - s.outOffset;
            if (remaining >= left) {
                remaining -= left;
                s.out.pop_front();
                s.outOffset = 0;
            } else {
                s.outOffset += remaining;
                remaining = 0;
            }
        }
    }
    maybeResumeReading(c, from);
    if (s.out.empty() && s.shutdownPending && !s.writeShut) {
        ::shutdown(s.fd, SHUT_WR);
        s.writeShut = true;
        maybeCloseSide(c, side);
        if (s.fd < 0)
            return;
    }
    updateInterest(c, side);
}

void LatencyProxy::maybeResumeReading(Connection &c, int side)
{
    Side &s = c.sides[side];
    if (s.fd < 0 || !s.readPaused || c.inFlight[side] > m_options.maxInFlight / 2)
        return;
    s.readPaused = false;
    if (s.detached) {
        s.detached = false;
        registerSide(c, side, EPOLLIN);
        return;
    }
    updateInterest(c, side);
}

void LatencyProxy::maybeCloseSide(Connection &c, int side)
{
    const Side &s = c.sides[side];
    if (s.fd >= 0 && s.readEof && s.writeShut)
        closeSide(c, side, false);
}

void LatencyProxy::closeSide(Connection &c, int side, bool reset)
{
    Side &s = c.sides[side];
    if (s.fd < 0)
        return;
    if (reset) {
        // Closing with a zero linger time sends RST, which is what the peer of a broken
        // connection should see.
        const linger abortive{1, 0};
        ::setsockopt(s.fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    }
    ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, s.fd, nullptr);
    ::close(s.fd);
    s.fd = -1;
    s.out.clear();
    s.outOffset = 0;
    if (c.sides[0].fd < 0 && c.sides[1].fd < 0 && !c.dead) {
        c.dead = true;
        m_deadIds.push_back(c.id);
    }
}

void LatencyProxy::fail(Connection &c, int side)
{
    closeSide(c, side, true);
    const int other = 1 - side;
    if (c.sides[other].fd < 0)
        return;
    // The other peer learns of the reset one delay later, after whatever was already queued.
    Pending pending;
    pending.deadlineNs = m_now + m_delayNs;
    pending.connectionId = c.id;
    pending.from = static_cast<std::uint8_t>(side);
    pending.kind = EventKind::Reset;
    m_queue.push_back(std::move(pending));
}

LatencyProxy::Connection *LatencyProxy::find(std::uint64_t id)
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? nullptr : it->second.get();
}

void LatencyProxy::deliver(Pending &pending)
{
    Connection *c = find(pending.connectionId);
    if (!c || c->dead)
        return;
    const int from = pending.from;
    const int to = 1 - from;
    Side &destination = c->sides[to];
    switch (pending.kind) {
    case EventKind::Data:
        if (destination.fd < 0 || destination.writeShut) {
            c->inFlight[from] -= pending.data.size();
            maybeResumeReading(*c, from);
            return;
        }
        destination.out.push_back(std::move(pending.data));
        flush(*c, to);
        return;
    case EventKind::Eof:
        destination.shutdownPending = true;
        flush(*c, to);
        return;
    case EventKind::Reset:
        closeSide(*c, to, true);
        return;
    }
}

void LatencyProxy::deliverDue()
{
    m_now = nowNs();
    while (!m_queue.empty() && m_queue.front().deadlineNs <= m_now) {
        Pending pending = std::move(m_queue.front());
        m_queue.pop_front();
        deliver(pending);
    }
}

} // namespace wharf::tools
