#include "RepositoryCloner.h"

#include "TestRegistry.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <functional>

namespace wharf::test {

using namespace Qt::StringLiterals;

RepositoryCloner::RepositoryCloner(const TestRegistry &registry)
    : m_registry(registry)
{}

bool RepositoryCloner::clone(const QString &sourceRepository, const Descriptor &manifest,
                             const QList<Descriptor> &blobs, const QStringList &repositories,
                             const QString &tag, int parallel, QString *error)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    const RegistryOptions &options = m_registry.options();
    QByteArray authorization;
    if (!options.username.isEmpty()) {
        authorization = "Basic " + (options.username + u':' + options.password).toUtf8().toBase64();
    }
    auto request = [&](const QString &path) {
        QNetworkRequest r(QUrl(m_registry.url() + path));
        r.setTransferTimeout(30000);
        if (!authorization.isEmpty())
            r.setRawHeader("Authorization", authorization);
        return r;
    };

    QEventLoop loop;
    qsizetype nextRepository = 0;
    int inFlight = 0;
    QString failure;
    std::function<void()> launchMore;

    // One repository: steps 0..blobs.size()-1 mount blobs, the last step puts the manifest.
    std::function<void(const QString &, qsizetype)> step = [&](const QString &repository,
                                                               qsizetype index) {
        QNetworkReply *reply = nullptr;
        int expected = 201;
        if (index < blobs.size()) {
            QUrlQuery query;
            query.addQueryItem(u"mount"_s, blobs.at(index).digest);
            query.addQueryItem(u"from"_s, sourceRepository);
            QNetworkRequest r = request(u"/v2/"_s + repository + u"/blobs/uploads/?"_s +
                                        query.toString(QUrl::FullyEncoded));
            r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/octet-stream"_s);
            r.setHeader(QNetworkRequest::ContentLengthHeader, 0);
            reply = manager.post(r, QByteArray());
        } else {
            QNetworkRequest r = request(u"/v2/"_s + repository + u"/manifests/"_s + tag);
            r.setHeader(QNetworkRequest::ContentTypeHeader, manifest.mediaType);
            reply = manager.put(r, manifest.bytes);
        }
        if (m_registry.usesTls()) {
            QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                             [reply](const QList<QSslError> &) { reply->ignoreSslErrors(); });
        }
        QObject::connect(
            reply, &QNetworkReply::finished, &loop, [&, reply, repository, index, expected] {
                reply->deleteLater();
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status != expected) {
                    // 202 on a mount means the registry started an upload instead: the blob is
                    // not in the source repository.
                    if (failure.isEmpty()) {
                        failure = u"%1 %2 answered %3 (expected %4): %5 %6"_s.arg(
                            QString::fromLatin1(index < blobs.size() ? "mount into"
                                                                     : "PUT manifest"),
                            repository, QString::number(status), QString::number(expected),
                            reply->errorString(), QString::fromUtf8(reply->readAll()));
                    }
                } else if (index < blobs.size()) {
                    step(repository, index + 1);
                    return;
                }
                --inFlight;
                launchMore();
            });
    };

    launchMore = [&] {
        while (failure.isEmpty() && inFlight < parallel && nextRepository < repositories.size()) {
            ++inFlight;
            step(repositories.at(nextRepository++), 0);
        }
        if (inFlight == 0)
            loop.quit();
    };

    launchMore();
    if (inFlight > 0)
        loop.exec();
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return false;
    }
    return true;
}

} // namespace wharf::test
