#pragma once

// Downloads an OSV ecosystem archive (<mirror>/<ECOSYSTEM>/all.zip) and imports it into a
// VulnerabilityDatabase file.
//
// - Asynchronous: start() returns at once; progress and finished() arrive as signals on the
//   downloader's thread. The network part runs on the injected QNetworkAccessManager; the CPU
//   part (checksum, zip check, import) on a pool thread that opens its own database
//   connection.
// - Resumable: bytes go to <downloadDirectory>/<ecosystem>/all.zip.part, with the server's
//   validators (ETag, else Last-Modified) and checksum kept next to it in all.zip.part.json.
//   A later attempt sends Range + If-Range; 206 appends, 200 (resource changed, or range
//   ignored) starts over, 416 with a matching length means the part is already complete.
//   Without a validator a partial file is discarded, since it could not be proven current.
//   Dropped connections and stalls are retried (resuming) up to maxRetries times.
// - Verified: the size against Content-Length/Content-Range, the MD5 from
//   `x-goog-hash: md5=<base64>` when the server sends one (Google Cloud Storage does), and
//   that libarchive can read every entry header. Only then does the part become all.zip.
// - Bounded and cancellable: maxBytes caps the download, an inactivity timeout aborts
//   stalled transfers, cancel() stops any phase (a cancelled download keeps its part file
//   for resuming; a cancelled import is rolled back).

#include "VulnerabilityDatabase.h"

#include <QFile>
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <atomic>

class QNetworkAccessManager;
class QNetworkReply;

namespace wharf::scan {

class OsvDownloader : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Downloading, Verifying, Importing };
    Q_ENUM(State)

    struct Result
    {
        bool ok = false;
        bool cancelled = false;
        QString error;
        QString ecosystem;
        QUrl url;
        int httpStatus = 0;   // of the last response
        QString zipPath;      // the verified all.zip
        qint64 bytes = 0;     // size of the complete file
        bool resumed = false; // some bytes came from an earlier, interrupted transfer
        int attempts = 0;     // HTTP requests made
        bool md5Verified = false;
        VulnerabilityDatabase::ImportReport import;
    };

    static QUrl defaultMirror();

    // `network` is not owned; nullptr makes the downloader create its own manager.
    explicit OsvDownloader(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~OsvDownloader() override;

    void setMirror(const QUrl &mirror) { m_mirror = mirror; }
    QUrl mirror() const { return m_mirror; }
    void setDownloadDirectory(const QString &directory) { m_directory = directory; }
    QString downloadDirectory() const { return m_directory; }
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    void setInactivityTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setMaxRetries(int retries) { m_maxRetries = retries; }

    QUrl urlFor(const QString &ecosystem) const;
    QString zipPathFor(const QString &ecosystem) const;
    QString partPathFor(const QString &ecosystem) const;

    // False (and nothing happens) when a download is already running or the arguments are
    // unusable; finished() follows every successful start().
    bool start(const QString &ecosystem, const QString &databasePath);
    void cancel();
    bool isRunning() const { return m_state != State::Idle; }
    State state() const { return m_state; }

signals:
    void stateChanged(wharf::scan::OsvDownloader::State state);
    // received counts bytes already in the part file; total is -1 when unknown.
    void downloadProgress(qint64 received, qint64 total);
    void importProgress(qint64 done, qint64 total);
    void finished(const wharf::scan::OsvDownloader::Result &result);

private:
    struct PartInfo
    {
        QString url;
        QByteArray etag;
        QByteArray lastModified;
        QByteArray md5; // raw 16 bytes, empty when unknown
        qint64 total = -1;
    };

    void sendRequest();
    bool handleResponseHeaders();
    void onReadyRead();
    void onReplyFinished();
    void onTimeout();
    void startVerifyAndImport();
    void onWorkerFinished();
    bool retryOrFail(const QString &error);
    void fail(const QString &error);
    void finish();
    void setState(State state);
    void discardPart();
    bool writePartInfo();
    PartInfo readPartInfo() const;
    QString partInfoPath() const;

    QNetworkAccessManager *m_network = nullptr;
    QUrl m_mirror;
    QString m_directory;
    qint64 m_maxBytes = qint64(2) * 1024 * 1024 * 1024;
    int m_timeoutMs = 60000;
    int m_maxRetries = 3;

    State m_state = State::Idle;
    QString m_ecosystem;
    QString m_databasePath;
    Result m_result;
    PartInfo m_part;
    QPointer<QNetworkReply> m_reply;
    QFile m_file;
    QTimer m_timer;
    qint64 m_offset = 0; // bytes already on disk when the current request was sent
    qint64 m_expectedTotal = -1;
    bool m_headersHandled = false;
    bool m_cancelRequested = false;
    bool m_timedOut = false;
    bool m_restartFromZero = false;
    int m_retriesLeft = 0;
    std::atomic_bool m_cancelImport{false};
    QFutureWatcher<Result> m_worker;
};

} // namespace wharf::scan
