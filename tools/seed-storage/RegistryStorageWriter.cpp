#include "RegistryStorageWriter.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

namespace wharf::tools {

RegistryStorageWriter::RegistryStorageWriter(const QString &rootDirectory)
    : m_base(rootDirectory.toStdString() + "/docker/registry/v2")
{}

std::string RegistryStorageWriter::hexOf(const QByteArray &digest)
{
    return digest.mid(7).toStdString(); // after "sha256:"
}

std::string RegistryStorageWriter::repositoryPath(const QByteArray &repository) const
{
    return m_base + "/repositories/" + repository.toStdString();
}

bool RegistryStorageWriter::putBlob(const QByteArray &digest, const QByteArray &content)
{
    const std::string hex = hexOf(digest);
    return writeFile(m_base + "/blobs/sha256/" + hex.substr(0, 2) + '/' + hex, "data", content);
}

bool RegistryStorageWriter::linkBlob(const QByteArray &repository, const QByteArray &digest)
{
    return writeLink(repositoryPath(repository) + "/_layers/sha256/" + hexOf(digest), digest);
}

bool RegistryStorageWriter::linkManifest(const QByteArray &repository, const QByteArray &digest)
{
    return writeLink(repositoryPath(repository) + "/_manifests/revisions/sha256/" + hexOf(digest),
                     digest);
}

bool RegistryStorageWriter::tagManifest(const QByteArray &repository, const QByteArray &tag,
                                        const QByteArray &digest)
{
    const std::string tagPath =
        repositoryPath(repository) + "/_manifests/tags/" + tag.toStdString();
    return writeLink(tagPath + "/current", digest) &&
           writeLink(tagPath + "/index/sha256/" + hexOf(digest), digest);
}

bool RegistryStorageWriter::writeLink(const std::string &directory, const QByteArray &digest)
{
    return writeFile(directory, "link", digest);
}

bool RegistryStorageWriter::writeFile(const std::string &directory, const char *name,
                                      const QByteArray &content)
{
    if (!makeDirectory(directory))
        return false;
    const std::string path = directory + '/' + name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return setError("cannot create", path);
    const char *data = content.constData();
    auto left = static_cast<std::size_t>(content.size());
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return setError("cannot write", path);
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::close(fd) < 0)
        return setError("cannot write", path);
    return true;
}

bool RegistryStorageWriter::makeDirectory(const std::string &path)
{
    // Optimistic: the parent usually exists already, so one mkdir is the common cost.
    if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST)
        return true;
    if (errno != ENOENT)
        return setError("cannot create directory", path);
    const auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0 || !makeDirectory(path.substr(0, slash)))
        return m_error.isEmpty() ? setError("cannot create directory", path) : false;
    if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST)
        return true;
    return setError("cannot create directory", path);
}

bool RegistryStorageWriter::setError(const char *what, const std::string &path)
{
    m_error = QString::fromUtf8(what) + u' ' + QString::fromStdString(path) + u": "_s +
              QString::fromLocal8Bit(std::strerror(errno));
    return false;
}

} // namespace wharf::tools
