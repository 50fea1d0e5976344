#pragma once

#include "ScanResult.h"

#include "client/RegistryClient.h"
#include "jobs/Job.h"
#include "model/ImageInfo.h"

#include <QPointer>
#include <QProcess>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace wharf::scan {

// The second engine, used when `trivy` is installed: Wharf pulls the image with its own client
// into a local docker-archive tar (config + layer blobs, digests verified), then runs
// `trivy image --input <tar> --format json --output <report>` and reads the report with
// TrivyReportParser. Trivy never sees the registry or its credentials.
//
// Not exercised against a real trivy here (none installed); the archive is checked with skopeo
// and the process handling with a stand-in executable in the tests.
class TrivyEngine : public Job
{
    Q_OBJECT
public:
    struct Options
    {
        QString trivyPath; // empty: `trivy` on PATH
        QString platform;  // as ScanJob::Options::platform
        QStringList extraArguments;
        int timeoutMs = 30 * 60 * 1000;
        QString keepArchiveAt; // copy the tar here (debugging, tests); empty = temporary only
    };

    TrivyEngine(RegistryClient *client, const QString &repository, const QString &reference,
                QObject *parent = nullptr);
    TrivyEngine(RegistryClient *client, const QString &repository, const QString &reference,
                Options options, QObject *parent = nullptr);
    ~TrivyEngine() override;

    static QString findTrivy();
    static bool isAvailable() { return !findTrivy().isEmpty(); }

    const ScanResult &result() const { return m_result; }
    QString digest() const { return m_result.digest; }

    // Writes a `docker save`-style tar: manifest.json, <config hex>.json and
    // <layer hex>/layer.tar per layer (the blobs as stored: Trivy and skopeo read compressed
    // layers too).
    struct ArchiveLayer
    {
        QString digest;
        QString path;
    };
    static bool writeDockerArchive(const QString &tarPath, const QString &configDigest,
                                   const QString &configPath, const QList<ArchiveLayer> &layers,
                                   const QString &repoTag, QString *error);

protected:
    void run() override;
    void abort() override;

private:
    struct Download;

    void onResolved(Expected<ResolvedImage> image);
    void downloadNext();
    void runTrivy();
    void onTrivyFinished(int exitCode, QProcess::ExitStatus status);

    QPointer<RegistryClient> m_client;
    QString m_repository;
    QString m_reference;
    Options m_options;
    QString m_trivy;
    ScanResult m_result;
    std::unique_ptr<QTemporaryDir> m_dir;
    QList<Descriptor> m_blobs; // config first, then layers
    int m_next = 0;
    qint64 m_totalBytes = 0;
    qint64 m_doneBytes = 0;
    std::shared_ptr<Download> m_download;
    QProcess *m_process = nullptr;
    QString m_repoTag;
};

} // namespace wharf::scan
