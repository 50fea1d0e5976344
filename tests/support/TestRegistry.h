#pragma once

#include "RegistryOptions.h"
#include "SkopeoOptions.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

class QProcess;

namespace wharf::test {

// A real CNCF distribution registry (Debian's docker-registry 2.8.2) on 127.0.0.1 and a free
// port, with its own config and storage in a temporary directory. Stopped by the destructor.
class TestRegistry
{
public:
    explicit TestRegistry(RegistryOptions options = {});
    ~TestRegistry();
    TestRegistry(const TestRegistry &) = delete;
    TestRegistry &operator=(const TestRegistry &) = delete;

    // Picks a port, writes config.yml (and htpasswd), starts `docker-registry serve` and waits
    // until GET /v2/ answers 200 or 401. On failure *error includes the registry's output.
    bool start(QString *error);
    // SIGTERM, then SIGKILL if it does not exit within 5 s. Safe to call when not running.
    void stop();
    // stop() + start again on the same port, config and storage.
    bool restart(QString *error);
    bool isRunning() const;

    const RegistryOptions &options() const { return m_options; }
    quint16 port() const { return m_port; }
    QString hostPort() const;   // "127.0.0.1:PORT"
    QString url() const;        // "http://127.0.0.1:PORT" or https://
    QString storageDir() const; // storage.filesystem.rootdirectory
    QString configPath() const;
    QString processOutput() const; // everything the registry printed so far
    bool usesTls() const;

    // "docker://127.0.0.1:PORT/<repositoryAndTag>", for skopeo.
    QString dockerReference(const QString &repositoryAndTag) const;
    // Skopeo options matching this registry: its credentials, no TLS verification.
    SkopeoOptions skopeoOptions() const;

    // `docker-registry garbage-collect [--dry-run] config.yml`; *output gets everything it
    // printed. Real collection should run with the registry stopped or read-only.
    bool runGarbageCollect(bool dryRun, QString *output);

    // Absolute path of a required tool, or empty with *error naming the Debian package.
    static QString findExecutable(const QString &name, QString *error = nullptr);
    // Port nothing listens on right now (bind 127.0.0.1:0, read it, close).
    static quint16 pickFreePort();

private:
    bool prepareFiles(QString *error);
    bool writeConfig(QString *error);
    bool launch(QString *error, bool *portTaken);
    bool waitUntilUp(QString *error, bool *portTaken);

    RegistryOptions m_options;
    QTemporaryDir m_workDir;
    bool m_prepared = false;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

} // namespace wharf::test
