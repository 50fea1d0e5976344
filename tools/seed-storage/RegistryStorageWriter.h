#pragma once

#include <QByteArray>
#include <QString>

#include <string>

namespace wharf::tools {

// Writes the on-disk layout of the CNCF distribution 2.8 filesystem storage driver, below the
// driver's rootdirectory:
//
//   docker/registry/v2/blobs/sha256/<hex[0:2]>/<hex>/data                  content
//   docker/registry/v2/repositories/<name>/_layers/sha256/<hex>/link       config + layer blobs
//   .../<name>/_manifests/revisions/sha256/<hex>/link                      every manifest/index
//   .../<name>/_manifests/tags/<tag>/current/link                          what the tag names
//   .../<name>/_manifests/tags/<tag>/index/sha256/<hex>/link               the tag's history
//
// A link file holds "sha256:<hex>" with no newline. Manifests live in the blob store too but are
// linked only under _manifests/revisions, never under _layers (checked against a real push).
// Plain POSIX calls, no fsync: the tree is a disposable benchmark fixture and speed matters.
class RegistryStorageWriter
{
public:
    explicit RegistryStorageWriter(const QString &rootDirectory);

    // digest is "sha256:<hex>" throughout.
    bool putBlob(const QByteArray &digest, const QByteArray &content);
    bool linkBlob(const QByteArray &repository, const QByteArray &digest);
    bool linkManifest(const QByteArray &repository, const QByteArray &digest);
    bool tagManifest(const QByteArray &repository, const QByteArray &tag, const QByteArray &digest);

    QString errorString() const { return m_error; }

private:
    static std::string hexOf(const QByteArray &digest);
    std::string repositoryPath(const QByteArray &repository) const;
    bool writeLink(const std::string &directory, const QByteArray &digest);
    bool writeFile(const std::string &directory, const char *name, const QByteArray &content);
    bool makeDirectory(const std::string &path);
    bool setError(const char *what, const std::string &path);

    std::string m_base; // <root>/docker/registry/v2
    QString m_error;
};

} // namespace wharf::tools
