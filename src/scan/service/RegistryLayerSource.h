#pragma once

#include "StreamBuffer.h"
#include "scan/image/LayerSource.h"

#include "client/RegistryClient.h"
#include "reference/Digest.h"

#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

namespace wharf {
class StreamFlow;
}

namespace wharf::scan {

// A LayerSource fed by RegistryClient::streamBlob: the blob arrives on a network worker thread
// into a bounded StreamBuffer, and the scan thread reads it from there. The transfer is
// flow-controlled (StreamFlow): when the buffer is full the worker stops reading that
// connection instead of blocking, so at most about bufferBytes + 1 MiB of a layer is ever in
// memory, however large the layer and however slow the scan.
//
// start() and cancel() may be called from any thread; the request itself is issued on the
// client's thread, so read(), which blocks, must never run there (a scan worker thread reads).
// Transport failures (a dropped connection, 404 BLOB_UNKNOWN, a client that goes away) and
// cancellation make read() return -1 with errorString() saying what happened. Destroying the source
// cancels a transfer still running.
class RegistryLayerSource : public LayerSource
{
public:
    static constexpr qint64 DefaultBufferBytes = 8 * 1024 * 1024;

    // Runs on the client's thread when the transfer ended (ok = every byte is in the buffer).
    using TransferFinished = std::function<void(bool ok)>;

    RegistryLayerSource(RegistryClient *client, const QString &repository, const Digest &digest,
                        qint64 bufferBytes = DefaultBufferBytes);
    ~RegistryLayerSource() override;

    // Set before start().
    void setTransferFinishedCallback(TransferFinished callback);

    void start();
    void cancel();

    qint64 read(char *buf, qint64 maxSize) override;
    QString errorString() const override;

    const std::shared_ptr<StreamBuffer> &buffer() const { return m_buffer; }
    QString digest() const { return m_digest.toString(); }

private:
    struct Transfer;

    QPointer<RegistryClient> m_client;
    QString m_repository;
    Digest m_digest;
    std::shared_ptr<StreamBuffer> m_buffer;
    std::shared_ptr<StreamFlow> m_flow;
    std::shared_ptr<Transfer> m_transfer;
    TransferFinished m_finished;
    bool m_started = false;
};

} // namespace wharf::scan
