#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct epoll_event;

namespace wharf::tools {

// A loopback TCP proxy that holds every chunk it reads for a fixed delay before writing it to
// the other side, in both directions, so a request/response round trip gains twice the delay.
//
// One thread, one epoll set, deadlines as epoll_pwait2 timeouts: because the delay is the same for
// every chunk, the chunks waiting for their deadline form a single FIFO ordered by deadline, so no
// heap is needed and order within a connection is kept for free. EOF is forwarded as a delayed
// half-close (shutdown(SHUT_WR)), a reset as a delayed reset. Reading from a side pauses while more
// than maxInFlight bytes from it wait to be written, so a slow reader cannot make the proxy buffer
// without bound.
class LatencyProxy
{
public:
    struct Options
    {
        sockaddr_in listenAddress{};
        sockaddr_in targetAddress{};
        std::chrono::nanoseconds delay{0};
        std::size_t maxInFlight = std::size_t{8} << 20;
    };

    struct Stats
    {
        std::uint64_t connections = 0;
        std::uint64_t peakConnections = 0;
        std::uint64_t bytesToTarget = 0;
        std::uint64_t bytesToClient = 0;
    };

    explicit LatencyProxy(const Options &options);
    ~LatencyProxy();
    LatencyProxy(const LatencyProxy &) = delete;
    LatencyProxy &operator=(const LatencyProxy &) = delete;

    // Binds and listens. On failure returns false and describes the reason in *error.
    bool listen(std::string *error);
    // The bound port (the chosen one when the options asked for port 0).
    std::uint16_t port() const { return m_port; }
    // Runs the event loop until stop() is called.
    bool run(std::string *error);
    // Ends run() soon. Safe to call from a signal handler or another thread.
    void stop();
    Stats stats() const { return m_stats; }

    // "127.0.0.1:8080" -> address. IPv4 literals only: the proxy is meant for loopback.
    static bool parseEndpoint(const std::string &text, sockaddr_in *address);

private:
    enum class EventKind : std::uint8_t { Data, Eof, Reset };

    struct Pending
    {
        std::int64_t deadlineNs = 0;
        std::uint64_t connectionId = 0;
        std::uint8_t from = 0; // side the chunk was read from
        EventKind kind = EventKind::Data;
        std::string data;
    };

    struct Side
    {
        int fd = -1;
        std::uint32_t registered = 0; // epoll mask currently set
        std::deque<std::string> out;  // due chunks not yet accepted by the kernel
        std::size_t outOffset = 0;    // bytes of out.front() already written
        bool connecting = false;
        bool readEof = false;
        bool readPaused = false;
        bool detached = false;        // out of the epoll set: hung up while reading was paused
        bool shutdownPending = false; // the peer's EOF is due: shut our write side once drained
        bool writeShut = false;
    };

    struct Connection
    {
        std::uint64_t id = 0;
        Side sides[2];                    // 0 = client, 1 = target
        std::size_t inFlight[2] = {0, 0}; // bytes read from a side, not yet written onwards
        bool dead = false;
    };

    int waitForEvents(epoll_event *events, int capacity);
    void handleEvent(std::uint64_t tag, std::uint32_t events);
    void acceptConnections();
    void readFrom(Connection &c, int side);
    void flush(Connection &c, int side);
    void deliver(Pending &pending);
    void deliverDue();
    void fail(Connection &c, int side);
    void closeSide(Connection &c, int side, bool reset);
    void maybeCloseSide(Connection &c, int side);
    void maybeResumeReading(Connection &c, int side);
    void updateInterest(Connection &c, int side);
    void registerSide(Connection &c, int side, std::uint32_t events);
    Connection *find(std::uint64_t id);

    static std::int64_t nowNs();

    Options m_options;
    std::int64_t m_delayNs = 0;
    int m_listenFd = -1;
    int m_epollFd = -1;
    int m_wakeFd = -1;
    std::uint16_t m_port = 0;
    bool m_stopping = false;
    bool m_precisePoll = true;
    bool m_warnedAcceptFailure = false;
    std::int64_t m_now = 0;
    std::uint64_t m_nextId = 16; // ids below are reserved for the listener and wake fds
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> m_connections;
    std::vector<std::uint64_t> m_deadIds;
    std::deque<Pending> m_queue;
    std::vector<char> m_readBuffer;
    Stats m_stats;
};

} // namespace wharf::tools
