// Runs the built wharf-latency-proxy against in-process loopback servers and checks the delay it
// adds, that bytes pass intact and in order, that half-closes and refusals are forwarded, and that
// it copes with hundreds of simultaneous connections.

#include "LoopbackServer.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using wharf::tools::test::LoopbackServer;

namespace {

constexpr int DelayMs = 10;

// Owns a socket descriptor.
class Socket
{
public:
    explicit Socket(int fd = -1)
        : m_fd(fd)
    {}
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

int connectTo(quint16 port, bool blocking = true, int receiveBuffer = 0)
{
    const int fd =
        ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0)
        return -1;
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (receiveBuffer > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) < 0 &&
        errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const QByteArray &data)
{
    qsizetype offset = 0;
    while (offset < data.size()) {
        const ssize_t sent = ::send(fd, data.constData() + offset,
                                    static_cast<std::size_t>(data.size() - offset), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        offset += sent;
    }
    return true;
}

// Reads until `size` bytes arrived, EOF, an error or the timeout; returns what arrived.
QByteArray readUpTo(int fd, qsizetype size, int timeoutMs, bool *eof = nullptr,
                    int *error = nullptr)
{
    QByteArray data;
    QElapsedTimer timer;
    timer.start();
    char buffer[65536];
    while (data.size() < size) {
        const qint64 left = timeoutMs - timer.elapsed();
        if (left <= 0)
            break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            continue;
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got == 0) {
            if (eof)
                *eof = true;
            break;
        }
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (error)
                *error = errno;
            break;
        }
        data.append(buffer, got);
    }
    return data;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray data(size, Qt::Uninitialized);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

} // namespace

class TestLatencyProxy : public QObject
{
    Q_OBJECT

private:
    // Starts the proxy towards targetPort; returns its port, 0 on failure.
    quint16 startProxy(QProcess &process, quint16 targetPort, double delayMs,
                       const QStringList &extraArguments = {});
    double medianRoundTripMs(quint16 port, int rounds, double *minimum);

    QTemporaryDir m_dir;

private Q_SLOTS:
    void reportsPortOnStdoutAndInPortFile();
    void roundTripGainsTwiceTheDelay();
    void zeroDelayAddsLittleOverhead();
    void bulkTransferIsIntactInBothDirections();
    void halfCloseIsForwardedBothWays();
    void hangUpWhilePausedKeepsUnreadData();
    void manyConcurrentConnections();
    void refusedTargetResetsClientAndProxySurvives();
    void sigtermStopsCleanly();
};

quint16 TestLatencyProxy::startProxy(QProcess &process, quint16 targetPort, double delayMs,
                                     const QStringList &extraArguments)
{
    static int counter = 0;
    const QString portFile = m_dir.filePath(u"port-%1"_s.arg(++counter));
    process.setProgram(QStringLiteral(WHARF_LATENCY_PROXY_EXE));
    const QStringList arguments{u"--listen"_s,    u"127.0.0.1:0"_s,
                                u"--target"_s,    u"127.0.0.1:%1"_s.arg(targetPort),
                                u"--delay-ms"_s,  QString::number(delayMs),
                                u"--port-file"_s, portFile};
    process.setArguments(arguments + extraArguments);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start();
    if (!process.waitForStarted(5000))
        return 0;
    QElapsedTimer timer;
    timer.start();
    while (!process.canReadLine() && timer.elapsed() < 5000)
        process.waitForReadyRead(100);
    const QByteArray line = process.readLine().trimmed();
    QFile file(portFile);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    // The port file must name the same port the proxy printed.
    if (file.readAll().trimmed() != line)
        return 0;
    return static_cast<quint16>(line.toUInt());
}

double TestLatencyProxy::medianRoundTripMs(quint16 port, int rounds, double *minimum)
{
    Socket socket(connectTo(port));
    if (socket.fd() < 0)
        return -1;
    std::vector<double> samples;
    for (int i = 0; i < rounds; ++i) {
        const QByteArray ping = "ping " + QByteArray::number(i).rightJustified(8, '0');
        QElapsedTimer timer;
        timer.start();
        if (!sendAll(socket.fd(), ping))
            return -1;
        if (readUpTo(socket.fd(), ping.size(), 5000) != ping)
            return -1;
        samples.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(samples.begin(), samples.end());
    *minimum = samples.front();
    return samples[samples.size() / 2];
}

void TestLatencyProxy::reportsPortOnStdoutAndInPortFile()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), DelayMs);
    QVERIFY(port != 0);
    QVERIFY(port != echo.port());
    Socket socket(connectTo(port));
    QVERIFY(socket.fd() >= 0);
    QVERIFY(sendAll(socket.fd(), "hello"));
    QCOMPARE(readUpTo(socket.fd(), 5, 5000), QByteArray("hello"));
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::roundTripGainsTwiceTheDelay()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), DelayMs);
    QVERIFY(port != 0);

    double minimum = 0;
    const double median = medianRoundTripMs(port, 40, &minimum);
    QVERIFY(median > 0);
    qInfo("round trip through proxy with %d ms delay: median %.3f ms, min %.3f ms", DelayMs, median,
          minimum);
    // Every chunk waits at least the delay each way, so no round trip can be shorter.
    QVERIFY2(minimum >= 2 * DelayMs, qPrintable(u"min %1 ms"_s.arg(minimum)));
    // The proxy's own share stays small (generous bound: CI machines are noisy).
    QVERIFY2(median < 2 * DelayMs + 5, qPrintable(u"median %1 ms"_s.arg(median)));
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::zeroDelayAddsLittleOverhead()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), 0);
    QVERIFY(port != 0);

    double directMin = 0;
    double proxiedMin = 0;
    const double direct = medianRoundTripMs(echo.port(), 200, &directMin);
    const double proxied = medianRoundTripMs(port, 200, &proxiedMin);
    QVERIFY(direct > 0 && proxied > 0);
    qInfo("median round trip: direct %.3f ms, through proxy with 0 ms delay %.3f ms", direct,
          proxied);
    QVERIFY2(proxied - direct < 1.0, qPrintable(u"proxy adds %1 ms"_s.arg(proxied - direct)));
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::bulkTransferIsIntactInBothDirections()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), DelayMs);
    QVERIFY(port != 0);

    // 24 MiB out while the echo comes back: both directions carry the full stream at once.
    const QByteArray payload = randomBytes(24 * 1024 * 1024, 42);
    Socket socket(connectTo(port, false));
    QVERIFY(socket.fd() >= 0);
    QByteArray received;
    received.reserve(payload.size());
    qsizetype sent = 0;
    char buffer[65536];
    QElapsedTimer timer;
    timer.start();
    while (received.size() < payload.size() && timer.elapsed() < 60000) {
        pollfd p{socket.fd(), static_cast<short>(POLLIN | (sent < payload.size() ? POLLOUT : 0)),
                 0};
        QVERIFY(::poll(&p, 1, 1000) >= 0);
        if (p.revents & POLLOUT) {
            const ssize_t n = ::send(
                socket.fd(), payload.constData() + sent,
                static_cast<std::size_t>(std::min<qsizetype>(payload.size() - sent, 1 << 20)),
                MSG_NOSIGNAL);
            if (n > 0)
                sent += n;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
            QVERIFY2(n != 0, "proxy closed the connection early");
            if (n > 0)
                received.append(buffer, n);
        }
    }
    qInfo("24 MiB echoed through the proxy in %lld ms", static_cast<long long>(timer.elapsed()));
    QCOMPARE(received.size(), payload.size());
    QVERIFY(received == payload);
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::halfCloseIsForwardedBothWays()
{
    LoopbackServer digest(LoopbackServer::Mode::DigestAfterEof);
    QVERIFY(digest.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, digest.port(), DelayMs);
    QVERIFY(port != 0);

    const QByteArray payload = randomBytes(5 * 1024 * 1024, 7);
    Socket socket(connectTo(port));
    QVERIFY(socket.fd() >= 0);
    QVERIFY(sendAll(socket.fd(), payload));
    QElapsedTimer timer;
    timer.start();
    // Our EOF must reach the server while our read side stays open for its answer.
    QCOMPARE(::shutdown(socket.fd(), SHUT_WR), 0);
    bool eof = false;
    const QByteArray answer = readUpTo(socket.fd(), 1 << 20, 10000, &eof);
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(answer.size(), 8 + 32);
    std::int64_t count = 0;
    for (int k = 0; k < 8; ++k)
        count = (count << 8) | static_cast<unsigned char>(answer[k]);
    QCOMPARE(count, static_cast<std::int64_t>(payload.size()));
    QCOMPARE(answer.mid(8), QCryptographicHash::hash(payload, QCryptographicHash::Sha256));
    // The server's close came through as EOF, not as a reset or a hang.
    QVERIFY(eof);
    // FIN one way, answer the other: at least one round trip of delay.
    QVERIFY2(elapsed >= 2 * DelayMs, qPrintable(u"%1 ms"_s.arg(elapsed)));
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::hangUpWhilePausedKeepsUnreadData()
{
    // With --max-in-flight 1 the proxy stops reading from the server after its first chunk
    // until that chunk has been delivered, one delay later. Meanwhile the rest of the answer and
    // the server's FIN arrive, and since the client's EOF was already passed on, the proxy's
    // socket to the server is shut both ways (EPOLLHUP) with data still unread. That must not
    // be taken for a dead peer: the client gets every byte, then a clean EOF.
    const QByteArray payload = randomBytes(48 * 1024, 99);
    LoopbackServer server(LoopbackServer::Mode::SendAfterEof, payload);
    QVERIFY(server.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, server.port(), DelayMs, {u"--max-in-flight"_s, u"1"_s});
    QVERIFY(port != 0);

    for (int round = 0; round < 5; ++round) {
        Socket socket(connectTo(port));
        QVERIFY(socket.fd() >= 0);
        QVERIFY(sendAll(socket.fd(), "send me everything"));
        QCOMPARE(::shutdown(socket.fd(), SHUT_WR), 0);
        bool eof = false;
        int error = 0;
        const QByteArray received = readUpTo(socket.fd(), payload.size() + 1, 10000, &eof, &error);
        QCOMPARE(error, 0);
        QCOMPARE(received.size(), payload.size());
        QVERIFY(received == payload);
        QVERIFY(eof);
    }
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::manyConcurrentConnections()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), DelayMs);
    QVERIFY(port != 0);

    constexpr int Count = 400;
    std::vector<std::unique_ptr<Socket>> sockets;
    std::vector<QByteArray> expected;
    std::vector<QByteArray> received(Count);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < Count; ++i) {
        sockets.push_back(std::make_unique<Socket>(connectTo(port)));
        QVERIFY(sockets.back()->fd() >= 0);
        expected.push_back("connection " + QByteArray::number(i) + ' ' +
                           randomBytes(256, static_cast<quint32>(i)).toHex());
    }
    // Everything is sent before anything is read, so all connections are open and in flight
    // together.
    for (int i = 0; i < Count; ++i)
        QVERIFY(sendAll(sockets[static_cast<std::size_t>(i)]->fd(),
                        expected[static_cast<std::size_t>(i)]));
    int complete = 0;
    while (complete < Count && timer.elapsed() < 20000) {
        std::vector<pollfd> fds;
        for (int i = 0; i < Count; ++i)
            fds.push_back({sockets[static_cast<std::size_t>(i)]->fd(), POLLIN, 0});
        QVERIFY(::poll(fds.data(), fds.size(), 1000) >= 0);
        for (int i = 0; i < Count; ++i) {
            if (!(fds[static_cast<std::size_t>(i)].revents & POLLIN))
                continue;
            char buffer[4096];
            const ssize_t n = ::recv(fds[static_cast<std::size_t>(i)].fd, buffer, sizeof buffer, 0);
            QVERIFY2(n > 0, "connection closed or failed");
            QByteArray &got = received[static_cast<std::size_t>(i)];
            got.append(buffer, n);
            if (got.size() == expected[static_cast<std::size_t>(i)].size())
                ++complete;
        }
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("%d concurrent connections echoed in %lld ms", Count, static_cast<long long>(elapsed));
    QCOMPARE(complete, Count);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(received[static_cast<std::size_t>(i)], expected[static_cast<std::size_t>(i)]);
    QCOMPARE(echo.connectionsAccepted(), Count);
    // Serialised, 400 round trips of 20 ms would take 8 s.
    QVERIFY2(elapsed < 3000, qPrintable(u"%1 ms"_s.arg(elapsed)));
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::refusedTargetResetsClientAndProxySurvives()
{
    // A port that was free a moment ago: nothing listens there.
    quint16 deadPort = 0;
    {
        LoopbackServer probe(LoopbackServer::Mode::Echo);
        QVERIFY(probe.start());
        deadPort = probe.port();
    }
    QProcess proxy;
    const quint16 port = startProxy(proxy, deadPort, DelayMs);
    QVERIFY(port != 0);
    for (int round = 0; round < 3; ++round) {
        Socket socket(connectTo(port));
        QVERIFY(socket.fd() >= 0);
        QVERIFY(sendAll(socket.fd(), "anyone there?"));
        bool eof = false;
        int error = 0;
        const QByteArray got = readUpTo(socket.fd(), 1, 5000, &eof, &error);
        QVERIFY(got.isEmpty());
        QCOMPARE(error, ECONNRESET);
    }
    QCOMPARE(proxy.state(), QProcess::Running);
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
}

void TestLatencyProxy::sigtermStopsCleanly()
{
    LoopbackServer echo(LoopbackServer::Mode::Echo);
    QVERIFY(echo.start());
    QProcess proxy;
    const quint16 port = startProxy(proxy, echo.port(), DelayMs);
    QVERIFY(port != 0);
    {
        Socket socket(connectTo(port));
        QVERIFY(sendAll(socket.fd(), "x"));
        QCOMPARE(readUpTo(socket.fd(), 1, 5000), QByteArray("x"));
    }
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(5000));
    QCOMPARE(proxy.exitStatus(), QProcess::NormalExit);
    QCOMPARE(proxy.exitCode(), 0);
    QVERIFY(proxy.readAllStandardError().contains("1 connections"));
}

QTEST_GUILESS_MAIN(TestLatencyProxy)
#include "tst_latency_proxy.moc"
