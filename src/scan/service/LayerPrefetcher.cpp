#include "LayerPrefetcher.h"

#include "RegistryLayerSource.h"

#include "client/RegistryClient.h"

#include <QMutex>
#include <QPointer>
#include <QSet>

#include <map>

using namespace Qt::StringLiterals;

namespace wharf::scan {

struct LayerPrefetcher::State : std::enable_shared_from_this<State>
{
    QPointer<RegistryClient> client;
    QString repository;
    QList<ImageLayer> layers;
    qint64 bufferBytes = 0;
    bool prefetch = false;

    mutable QMutex mutex;
    bool cancelled = false;
    std::map<int, std::unique_ptr<RegistryLayerSource>> waiting; // started, not yet taken
    QSet<int> started;
    QList<std::shared_ptr<StreamBuffer>> buffers; // of every transfer, for cancelAll and stats

    // Called with mutex held.
    std::unique_ptr<RegistryLayerSource> create(int index, QString *error)
    {
        const ImageLayer &layer = layers.at(index);
        auto digest = Digest::parse(layer.digest);
        if (!digest) {
            if (error)
                *error = u"the manifest gives layer %1 no usable digest (%2)"_s.arg(
                    QString::number(index + 1), layer.digest);
            return nullptr;
        }
        auto source =
            std::make_unique<RegistryLayerSource>(client.data(), repository, *digest, bufferBytes);
        if (prefetch && index + 1 < layers.size()) {
            std::weak_ptr<State> weak = weak_from_this();
            source->setTransferFinishedCallback([weak, index](bool ok) {
                if (auto self = weak.lock(); self && ok)
                    self->prefetchLayer(index + 1);
            });
        }
        started.insert(index);
        buffers.append(source->buffer());
        source->start();
        return source;
    }

    void prefetchLayer(int index)
    {
        QMutexLocker lock(&mutex);
        if (cancelled || index >= layers.size() || started.contains(index))
            return;
        if (auto source = create(index, nullptr))
            waiting.emplace(index, std::move(source));
    }
};

LayerPrefetcher::LayerPrefetcher(RegistryClient *client, const QString &repository,
                                 QList<ImageLayer> layers, qint64 bufferBytes, bool prefetch)
    : m_state(std::make_shared<State>())
{
    m_state->client = client;
    m_state->repository = repository;
    m_state->layers = std::move(layers);
    m_state->bufferBytes = bufferBytes;
    m_state->prefetch = prefetch;
}

LayerPrefetcher::~LayerPrefetcher()
{
    cancelAll();
}

std::unique_ptr<LayerSource> LayerPrefetcher::take(int index, QString *error)
{
    QMutexLocker lock(&m_state->mutex);
    if (m_state->cancelled) {
        if (error)
            *error = u"Cancelled"_s;
        return nullptr;
    }
    if (index < 0 || index >= m_state->layers.size()) {
        if (error)
            *error = u"no layer %1"_s.arg(index + 1);
        return nullptr;
    }
    if (auto it = m_state->waiting.find(index); it != m_state->waiting.end()) {
        std::unique_ptr<RegistryLayerSource> source = std::move(it->second);
        m_state->waiting.erase(it);
        return source;
    }
    if (m_state->started.contains(index)) {
        if (error)
            *error = u"layer %1 was already read"_s.arg(index + 1);
        return nullptr;
    }
    return m_state->create(index, error);
}

void LayerPrefetcher::cancelAll()
{
    std::map<int, std::unique_ptr<RegistryLayerSource>> waiting;
    QList<std::shared_ptr<StreamBuffer>> buffers;
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->cancelled = true;
        waiting.swap(m_state->waiting);
        buffers = m_state->buffers;
    }
    // Wakes a reader blocked on a source the analyzer owns; the waiting ones cancel their
    // transfers as they are destroyed here.
    for (const auto &buffer : std::as_const(buffers))
        buffer->cancel(u"Cancelled"_s);
}

qint64 LayerPrefetcher::peakBufferedBytes() const
{
    QMutexLocker lock(&m_state->mutex);
    qint64 peak = 0;
    for (const auto &buffer : std::as_const(m_state->buffers))
        peak = std::max(peak, buffer->peakBufferedBytes());
    return peak;
}

int LayerPrefetcher::transfersStarted() const
{
    QMutexLocker lock(&m_state->mutex);
    return int(m_state->started.size());
}

} // namespace wharf::scan
