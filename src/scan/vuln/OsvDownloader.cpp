#include "OsvDownloader.h"

#include "ZipArchiveReader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QtConcurrent/QtConcurrentRun>

namespace wharf::scan {

using namespace Qt::StringLiterals;

namespace {

// "bytes <first>-<last>/<total>" or "bytes */<total>"; total -1 when "*".
struct ContentRange
{
    bool valid = false;
    qint64 first = -1;
    qint64 total = -1;
};

ContentRange parseContentRange(const QByteArray &header)
{
    ContentRange range;
    const QByteArray value = header.trimmed();
    if (!value.startsWith("bytes "))
        return range;
    const QByteArray spec = value.mid(6).trimmed();
    const qsizetype slash = spec.indexOf('/');
    if (slash < 0)
        return range;
    const QByteArray span = spec.left(slash);
    const QByteArray total = spec.mid(slash + 1);
    bool ok = true;
    if (total != "*") {
        range.total = total.toLongLong(&ok);
        if (!ok)
            return range;
    }
    if (span != "*") {
        const qsizetype dash = span.indexOf('-');
        if (dash <= 0)
            return range;
        range.first = span.left(dash).toLongLong(&ok);
        if (!ok)
            return range;
    }
    range.valid = true;
    return range;
}

// MD5 from Google Cloud Storage's `x-goog-hash: crc32c=...,md5=...` (possibly sent as several
// headers); empty when absent or malformed.
QByteArray md5FromHeaders(const QNetworkReply *reply)
{
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        if (name.compare("x-goog-hash", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &item : value.split(',')) {
            const QByteArray trimmed = item.trimmed();
            if (!trimmed.startsWith("md5="))
                continue;
            const auto decoded = QByteArray::fromBase64Encoding(
                trimmed.mid(4), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded && decoded.decoded.size() == 16)
                return decoded.decoded;
        }
    }
    return {};
}

bool isTransient(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::UnknownNetworkError:
        return true;
    default:
        return false;
    }
}

QString safeDirectoryName(const QString &ecosystem)
{
    QString name;
    name.reserve(ecosystem.size());
    for (const QChar c : ecosystem)
        name.append(c.isLetterOrNumber() || c == u'.' || c == u'-' ? c : u'_');
    return name;
}

} // namespace

QUrl OsvDownloader::defaultMirror()
{
    return QUrl(u"https://osv-vulnerabilities.storage.googleapis.com"_s);
}

OsvDownloader::OsvDownloader(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_mirror(defaultMirror())
    , m_directory(QDir::temp().filePath(u"wharf-osv"_s))
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OsvDownloader::onTimeout);
    connect(&m_worker, &QFutureWatcher<Result>::finished, this, &OsvDownloader::onWorkerFinished);
}

OsvDownloader::~OsvDownloader()
{
    m_cancelImport = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_worker.disconnect(this);
    m_worker.waitForFinished();
}

QUrl OsvDownloader::urlFor(const QString &ecosystem) const
{
    QUrl url = m_mirror;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + ecosystem + u"/all.zip"_s);
    return url;
}

QString OsvDownloader::zipPathFor(const QString &ecosystem) const
{
    return QDir(m_directory).filePath(safeDirectoryName(ecosystem) + u"/all.zip"_s);
}

QString OsvDownloader::partPathFor(const QString &ecosystem) const
{
    return zipPathFor(ecosystem) + u".part"_s;
}

QString OsvDownloader::partInfoPath() const
{
    return partPathFor(m_ecosystem) + u".json"_s;
}

bool OsvDownloader::start(const QString &ecosystem, const QString &databasePath)
{
    // The name becomes a URL path segment and a directory name: no separators, no "..".
    if (isRunning() || ecosystem.trimmed().isEmpty() || ecosystem.contains(u'/') ||
        ecosystem.contains(u'\\') || ecosystem.startsWith(u'.') || databasePath.isEmpty() ||
        !m_mirror.isValid())
        return false;
    m_ecosystem = ecosystem;
    m_databasePath = databasePath;
    m_result = Result();
    m_result.ecosystem = ecosystem;
    m_result.url = urlFor(ecosystem);
    m_cancelRequested = false;
    m_cancelImport = false;
    m_retriesLeft = m_maxRetries;
    if (!QDir().mkpath(QFileInfo(partPathFor(ecosystem)).path())) {
        // Report through finished() like every other failure, but not re-entrantly.
        setState(State::Downloading);
        QMetaObject::invokeMethod(
            this,
            [this] {
                fail(u"cannot create the download directory %1"_s.arg(
                    QFileInfo(partPathFor(m_ecosystem)).path()));
            },
            Qt::QueuedConnection);
        return true;
    }
    setState(State::Downloading);
    sendRequest();
    return true;
}

void OsvDownloader::cancel()
{
    m_cancelRequested = true;
    m_cancelImport = true;
    if (m_reply)
        m_reply->abort();
}

void OsvDownloader::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

OsvDownloader::PartInfo OsvDownloader::readPartInfo() const
{
    PartInfo info;
    QFile file(partInfoPath());
    if (!file.open(QIODevice::ReadOnly) || file.size() > 64 * 1024)
        return info;
    const QJsonObject obj = QJsonDocument::fromJson(file.readAll()).object();
    info.url = obj.value(u"url").toString();
    info.etag = obj.value(u"etag").toString().toLatin1();
    info.lastModified = obj.value(u"lastModified").toString().toLatin1();
    info.md5 = QByteArray::fromHex(obj.value(u"md5").toString().toLatin1());
    info.total = obj.value(u"total").toInteger(-1);
    return info;
}

bool OsvDownloader::writePartInfo()
{
    QJsonObject obj;
    obj.insert(u"url"_s, m_part.url);
    obj.insert(u"etag"_s, QString::fromLatin1(m_part.etag));
    obj.insert(u"lastModified"_s, QString::fromLatin1(m_part.lastModified));
    obj.insert(u"md5"_s, QString::fromLatin1(m_part.md5.toHex()));
    obj.insert(u"total"_s, m_part.total);
    QFile file(partInfoPath());
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(QJsonDocument(obj).toJson(QJsonDocument::Compact)) > 0;
}

void OsvDownloader::discardPart()
{
    if (m_file.isOpen())
        m_file.close();
    QFile::remove(partPathFor(m_ecosystem));
    QFile::remove(partInfoPath());
}

void OsvDownloader::sendRequest()
{
    ++m_result.attempts;
    m_headersHandled = false;
    m_timedOut = false;
    m_expectedTotal = -1;

    const QString partPath = partPathFor(m_ecosystem);
    const QString url = m_result.url.toString();
    m_part = readPartInfo();
    const qint64 existing = QFileInfo(partPath).size();
    const bool canResume = !m_restartFromZero && existing > 0 && m_part.url == url &&
                           (!m_part.etag.isEmpty() || !m_part.lastModified.isEmpty());
    m_restartFromZero = false;
    if (!canResume) {
        discardPart();
        m_part = PartInfo();
        m_part.url = url;
    }
    m_offset = canResume ? existing : 0;

    QNetworkRequest request(m_result.url);
    // Ranges address the bytes as stored; transparent gzip would make them meaningless.
    request.setRawHeader("Accept-Encoding", "identity");
    if (m_offset > 0) {
        request.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + '-');
        // A weak ETag may not be used for ranges; fall back to the date then.
        const bool strongEtag = !m_part.etag.isEmpty() && !m_part.etag.startsWith("W/");
        request.setRawHeader("If-Range", strongEtag ? m_part.etag : m_part.lastModified);
    }
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &OsvDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &OsvDownloader::onReplyFinished);
    m_timer.start(m_timeoutMs);
}

bool OsvDownloader::handleResponseHeaders()
{
    m_headersHandled = true;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_result.httpStatus = status;
    if (status != 200 && status != 206)
        return false; // reported when the reply finishes

    const QString partPath = partPathFor(m_ecosystem);
    if (m_file.isOpen())
        m_file.close();
    m_file.setFileName(partPath);
    if (status == 206) {
        const ContentRange range = parseContentRange(m_reply->rawHeader("Content-Range"));
        if (!range.valid || range.first != m_offset) {
            m_restartFromZero = true;
            m_reply->abort();
            return false;
        }
        m_expectedTotal = range.total;
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
            fail(u"cannot write %1: %2"_s.arg(partPath, m_file.errorString()));
            return false;
        }
        m_result.resumed = true;
    } else {
        // A full body: either a first download, or the file changed / the server ignored the
        // range. Either way what is on disk is worthless now.
        m_offset = 0;
        m_result.resumed = false;
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        m_expectedTotal = length.isValid() ? length.toLongLong() : -1;
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            fail(u"cannot write %1: %2"_s.arg(partPath, m_file.errorString()));
            return false;
        }
        m_part = PartInfo();
        m_part.url = m_result.url.toString();
    }
    if (m_expectedTotal > m_maxBytes) {
        fail(u"%1 is %2 bytes, more than the %3-byte limit"_s.arg(m_result.url.toDisplayString())
                 .arg(m_expectedTotal)
                 .arg(m_maxBytes));
        return false;
    }

    m_part.etag = m_reply->rawHeader("ETag");
    m_part.lastModified = m_reply->rawHeader("Last-Modified");
    const QByteArray md5 = md5FromHeaders(m_reply);
    if (!md5.isEmpty())
        m_part.md5 = md5;
    m_part.total = m_expectedTotal;
    writePartInfo();
    return true;
}

void OsvDownloader::onReadyRead()
{
    if (!m_reply)
        return;
    m_timer.start(m_timeoutMs);
    if (!m_headersHandled && !handleResponseHeaders())
        return;
    if (!m_file.isOpen())
        return;
    const QByteArray chunk = m_reply->readAll();
    if (m_file.size() + chunk.size() > m_maxBytes) {
        fail(u"%1 is larger than the %2-byte limit"_s.arg(m_result.url.toDisplayString())
                 .arg(m_maxBytes));
        return;
    }
    if (m_file.write(chunk) != chunk.size()) {
        fail(u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        return;
    }
    emit downloadProgress(m_file.size(), m_expectedTotal);
}

void OsvDownloader::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort();
}

void OsvDownloader::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_timer.stop();
    if (reply->error() == QNetworkReply::NoError && !m_headersHandled)
        handleResponseHeaders();
    if (reply->error() == QNetworkReply::NoError && m_file.isOpen())
        onReadyRead();
    if (m_file.isOpen()) {
        m_file.flush();
        m_file.close();
    }
    m_reply = nullptr;
    reply->deleteLater();
    if (m_state != State::Downloading)
        return; // fail() already ran

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_result.httpStatus = status;
    const QString where = m_result.url.toDisplayString();

    if (m_cancelRequested) {
        m_result.cancelled = true;
        fail(u"download cancelled"_s);
        return;
    }
    if (m_restartFromZero) {
        retryOrFail(u"%1 answered a range request with the wrong range"_s.arg(where));
        return;
    }
    if (m_timedOut) {
        retryOrFail(u"no data from %1 for %2 s"_s.arg(where).arg(m_timeoutMs / 1000.0));
        return;
    }
    if (status == 416 && m_offset > 0) {
        const ContentRange range = parseContentRange(reply->rawHeader("Content-Range"));
        if (range.valid && range.total == m_offset) {
            m_expectedTotal = m_offset;
            startVerifyAndImport();
            return;
        }
        m_restartFromZero = true;
        retryOrFail(u"%1 rejected the resume range (HTTP 416)"_s.arg(where));
        return;
    }
    if (status == 404) {
        discardPart();
        fail(u"the mirror has no OSV data for ecosystem \"%1\" (HTTP 404 for %2)"_s.arg(m_ecosystem,
                                                                                        where));
        return;
    }
    if (status >= 400) {
        fail(u"HTTP %1 %2 for %3"_s.arg(status).arg(
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), where));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const QString message = u"download of %1 failed: %2"_s.arg(where, reply->errorString());
        if (isTransient(reply->error()))
            retryOrFail(message);
        else
            fail(message);
        return;
    }
    const qint64 size = QFileInfo(partPathFor(m_ecosystem)).size();
    if (m_expectedTotal >= 0 && size != m_expectedTotal) {
        retryOrFail(u"%1 ended after %2 of %3 bytes"_s.arg(where).arg(size).arg(m_expectedTotal));
        return;
    }
    startVerifyAndImport();
}

bool OsvDownloader::retryOrFail(const QString &error)
{
    if (m_retriesLeft > 0 && !m_cancelRequested) {
        --m_retriesLeft;
        sendRequest();
        return true;
    }
    fail(error);
    return false;
}

void OsvDownloader::startVerifyAndImport()
{
    setState(State::Verifying);
    const QString partPath = partPathFor(m_ecosystem);
    const QString zipPath = zipPathFor(m_ecosystem);
    const QString infoPath = partInfoPath();
    const QString databasePath = m_databasePath;
    const QString ecosystem = m_ecosystem;
    const QByteArray md5 = m_part.md5;
    const QString location = m_result.url.toDisplayString();
    Result base = m_result;
    std::atomic_bool *cancel = &m_cancelImport;
    QPointer<OsvDownloader> self(this);

    m_worker.setFuture(QtConcurrent::run([partPath, zipPath, infoPath, databasePath, ecosystem, md5,
                                          location, base, cancel, self]() {
        Result result = base;
        auto failWith = [&result](const QString &error) {
            result.ok = false;
            result.error = error;
            return result;
        };
        QFile part(partPath);
        if (!part.open(QIODevice::ReadOnly))
            return failWith(u"cannot read %1: %2"_s.arg(partPath, part.errorString()));
        result.bytes = part.size();
        if (!md5.isEmpty()) {
            QCryptographicHash hash(QCryptographicHash::Md5);
            if (!hash.addData(&part))
                return failWith(u"cannot read %1 for its checksum"_s.arg(partPath));
            if (hash.result() != md5) {
                part.close();
                QFile::remove(partPath);
                QFile::remove(infoPath);
                return failWith(u"checksum mismatch: %1 has MD5 %2, the server announced %3"_s.arg(
                    location, QString::fromLatin1(hash.result().toHex()),
                    QString::fromLatin1(md5.toHex())));
            }
            result.md5Verified = true;
        }
        part.close();

        ZipArchiveReader reader(partPath);
        if (reader.countEntries(cancel) < 0) {
            if (reader.wasCancelled()) {
                result.cancelled = true;
                return failWith(u"cancelled"_s);
            }
            QFile::remove(partPath);
            QFile::remove(infoPath);
            return failWith(u"the downloaded file is not a readable zip: %1"_s.arg(reader.error()));
        }
        QFile::remove(zipPath);
        if (!QFile::rename(partPath, zipPath))
            return failWith(u"cannot move %1 to %2"_s.arg(partPath, zipPath));
        QFile::remove(infoPath);
        result.zipPath = zipPath;

        if (self) {
            QMetaObject::invokeMethod(
                self.data(),
                [self] {
                    if (self)
                        self->setState(State::Importing);
                },
                Qt::QueuedConnection);
        }
        VulnerabilityDatabase database;
        if (!database.open(databasePath))
            return failWith(database.lastError());
        result.import = database.importZip(
            zipPath, ecosystem,
            [self](qint64 done, qint64 total) {
                if (!self)
                    return;
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, done, total] {
                        if (self)
                            emit self->importProgress(done, total);
                    },
                    Qt::QueuedConnection);
            },
            cancel, location);
        if (!result.import.ok) {
            result.cancelled = result.import.cancelled;
            return failWith(u"import failed: %1"_s.arg(result.import.error));
        }
        result.ok = true;
        return result;
    }));
}

void OsvDownloader::onWorkerFinished()
{
    m_result = m_worker.result();
    finish();
}

void OsvDownloader::fail(const QString &error)
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_timer.stop();
    if (m_file.isOpen())
        m_file.close();
    m_result.ok = false;
    m_result.error = error;
    finish();
}

void OsvDownloader::finish()
{
    setState(State::Idle);
    emit finished(m_result);
}

} // namespace wharf::scan
