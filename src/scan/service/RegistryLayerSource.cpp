#include "RegistryLayerSource.h"

#include "client/RegistryClient.h"
#include "transport/StreamFlow.h"

#include <QMutex>

using namespace Qt::StringLiterals;

namespace wharf::scan {

// Shared between the source, the request issued on the client's thread and its callbacks,
// which may outlive the source.
struct RegistryLayerSource::Transfer
{
    QMutex mutex;
    QObject *context = nullptr; // lives on the client's thread while the request runs
    bool cancelled = false;
};

namespace {

// Fails the buffer when the queued start never ran (the client was destroyed first), so the
// reader does not wait forever.
struct StartGuard
{
    std::shared_ptr<StreamBuffer> buffer;
    bool ran = false;
    ~StartGuard()
    {
        if (!ran)
            buffer->fail(u"the registry connection was closed before the layer was requested"_s);
    }
};

} // namespace

RegistryLayerSource::RegistryLayerSource(RegistryClient *client, const QString &repository,
                                         const Digest &digest, qint64 bufferBytes)
    : m_client(client)
    , m_repository(repository)
    , m_digest(digest)
    , m_buffer(std::make_shared<StreamBuffer>(bufferBytes))
    , m_flow(std::make_shared<StreamFlow>())
    , m_transfer(std::make_shared<Transfer>())
{
    m_buffer->setFlow(m_flow);
}

RegistryLayerSource::~RegistryLayerSource()
{
    if (!m_buffer->isFinished() || m_buffer->bufferedBytes() > 0)
        cancel();
}

void RegistryLayerSource::setTransferFinishedCallback(TransferFinished callback)
{
    m_finished = std::move(callback);
}

void RegistryLayerSource::start()
{
    if (m_started)
        return;
    m_started = true;
    RegistryClient *client = m_client.data();
    if (!client) {
        m_buffer->fail(u"no registry connection"_s);
        return;
    }
    auto guard = std::make_shared<StartGuard>();
    guard->buffer = m_buffer;
    QMetaObject::invokeMethod(
        client,
        [guard, client, buffer = m_buffer, flow = m_flow, transfer = m_transfer,
         repository = m_repository, digest = m_digest, finished = m_finished] {
            guard->ran = true;
            auto *context = new QObject(client); // dies with the client at the latest
            {
                QMutexLocker lock(&transfer->mutex);
                if (transfer->cancelled) {
                    delete context;
                    return;
                }
                transfer->context = context;
            }
            QObject::connect(context, &QObject::destroyed, [buffer] {
                buffer->fail(u"the registry connection was closed during the transfer"_s);
            });
            client->streamBlob(
                repository, digest,
                [buffer](const QByteArray &chunk) { return buffer->write(chunk); }, context,
                [buffer, transfer, context, finished](Expected<Done> result) {
                    if (result)
                        buffer->finish();
                    else
                        buffer->fail(result.error().toString());
                    {
                        QMutexLocker lock(&transfer->mutex);
                        transfer->context = nullptr;
                    }
                    context->deleteLater();
                    if (finished)
                        finished(result.hasValue());
                },
                flow);
        },
        Qt::QueuedConnection);
}

void RegistryLayerSource::cancel()
{
    m_buffer->cancel(u"Cancelled"_s);
    QObject *context = nullptr;
    {
        QMutexLocker lock(&m_transfer->mutex);
        m_transfer->cancelled = true;
        context = std::exchange(m_transfer->context, nullptr);
    }
    // The request belongs to the client's thread: withdraw it there.
    if (context && m_client) {
        QMetaObject::invokeMethod(
            context,
            [client = m_client, context] {
                if (client)
                    client->cancelFor(context);
                context->deleteLater();
            },
            Qt::QueuedConnection);
    }
}

qint64 RegistryLayerSource::read(char *buf, qint64 maxSize)
{
    return m_buffer->read(buf, maxSize);
}

QString RegistryLayerSource::errorString() const
{
    return m_buffer->errorString();
}

} // namespace wharf::scan
