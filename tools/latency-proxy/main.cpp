// wharf-latency-proxy: simulates a remote registry on loopback for benchmarks.
//
//   wharf-latency-proxy --listen 127.0.0.1:0 --target 127.0.0.1:5000 --delay-ms 10 --port-file F
//
// Prints the listening port on stdout (and writes it to the port file) once it accepts
// connections; runs until SIGINT or SIGTERM, then prints counters on stderr.

#include "LatencyProxy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSaveFile>

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

wharf::tools::LatencyProxy *g_proxy = nullptr;

extern "C" void handleStopSignal(int)
{
    if (g_proxy)
        g_proxy->stop();
}

void raiseFileLimit()
{
    // Two descriptors per proxied connection; the default soft limit of 1024 is close to what a
    // benchmark with a few hundred connections needs.
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int fail(const QString &message)
{
    std::fprintf(stderr, "wharf-latency-proxy: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wharf-latency-proxy"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Loopback TCP proxy that delays every chunk by a fixed time in each direction."_s);
    parser.addHelpOption();
    const QCommandLineOption listenOption(u"listen"_s,
                                          u"Address to listen on (port 0 picks a free one)."_s,
                                          u"host:port"_s, u"127.0.0.1:0"_s);
    const QCommandLineOption targetOption(u"target"_s, u"Address to forward to."_s, u"host:port"_s);
    const QCommandLineOption delayOption(
        u"delay-ms"_s, u"Delay added in each direction, in milliseconds."_s, u"ms"_s, u"0"_s);
    const QCommandLineOption portFileOption(
        u"port-file"_s, u"Write the listening port to this file once listening."_s, u"file"_s);
    const QCommandLineOption maxInFlightOption(
        u"max-in-flight"_s,
        u"Bytes read from one side and not yet written to the other before reading pauses."_s,
        u"bytes"_s, QString::number(wharf::tools::LatencyProxy::Options().maxInFlight));
    parser.addOptions({listenOption, targetOption, delayOption, portFileOption, maxInFlightOption});
    parser.process(app);

    wharf::tools::LatencyProxy::Options options;
    if (!wharf::tools::LatencyProxy::parseEndpoint(parser.value(listenOption).toStdString(),
                                                   &options.listenAddress))
        return fail(u"--listen needs an IPv4 host:port"_s);
    if (!parser.isSet(targetOption) ||
        !wharf::tools::LatencyProxy::parseEndpoint(parser.value(targetOption).toStdString(),
                                                   &options.targetAddress))
        return fail(u"--target needs an IPv4 host:port"_s);
    bool ok = false;
    const double delayMs = parser.value(delayOption).toDouble(&ok);
    if (!ok || delayMs < 0 || delayMs > 60'000)
        return fail(u"--delay-ms needs a number between 0 and 60000"_s);
    options.delay = std::chrono::nanoseconds(static_cast<long long>(delayMs * 1e6));
    const qulonglong maxInFlight = parser.value(maxInFlightOption).toULongLong(&ok);
    if (!ok || maxInFlight < 1)
        return fail(u"--max-in-flight needs a positive number of bytes"_s);
    options.maxInFlight = static_cast<std::size_t>(maxInFlight);

    raiseFileLimit();
    std::signal(SIGPIPE, SIG_IGN);

    wharf::tools::LatencyProxy proxy(options);
    std::string error;
    if (!proxy.listen(&error))
        return fail(QString::fromStdString(error));

    const QByteArray portLine = QByteArray::number(proxy.port()) + '\n';
    if (parser.isSet(portFileOption)) {
        // Written whole or not at all, so a script polling for the file never reads half a port.
        QSaveFile file(parser.value(portFileOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(portLine) != portLine.size() ||
            !file.commit())
            return fail(u"cannot write the port file: "_s + file.errorString());
    }
    std::fwrite(portLine.constData(), 1, static_cast<std::size_t>(portLine.size()), stdout);
    std::fflush(stdout);

    g_proxy = &proxy;
    std::signal(SIGINT, handleStopSignal);
    std::signal(SIGTERM, handleStopSignal);
    const bool ran = proxy.run(&error);
    g_proxy = nullptr;

    const auto stats = proxy.stats();
    std::fprintf(stderr,
                 "wharf-latency-proxy: %llu connections (peak %llu), %llu bytes to target, "
                 "%llu bytes to clients\n",
                 static_cast<unsigned long long>(stats.connections),
                 static_cast<unsigned long long>(stats.peakConnections),
                 static_cast<unsigned long long>(stats.bytesToTarget),
                 static_cast<unsigned long long>(stats.bytesToClient));
    if (!ran)
        return fail(QString::fromStdString(error));
    return 0;
}
