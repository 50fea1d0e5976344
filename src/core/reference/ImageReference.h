#pragma once

#include "Digest.h"
#include "Expected.h"

#include <QString>

namespace wharf {

// An image reference "host[:port]/repository[:tag][@digest]" split into its parts, following
// the grammar of the distribution reference package. Docker Hub names are normalised the way the
// docker CLI does: no host means docker.io, and one-part names get "library/".
class ImageReference
{
public:
    static constexpr int MaxNameLength = 255;
    static constexpr int MaxTagLength = 128;

    // Parses a full reference. A first path component counts as a host when it contains '.' or
    // ':' or is "localhost" (so "myregistry:5000/app" and "ghcr.io/o/r" work).
    static Expected<ImageReference> parse(const QString &text);
    // Parses "repository[:tag][@digest]" relative to a registry already chosen (wharfctl -r):
    // every path component belongs to the repository.
    static Expected<ImageReference> parseInRegistry(const QString &registry, const QString &text);

    static bool isValidRepository(const QString &name, QString *why = nullptr);
    static bool isValidTag(const QString &tag);

    QString registry() const { return m_registry; } // as the user knows it ("docker.io")
    // Host the HTTP API lives on: registry-1.docker.io for Docker Hub, else registry().
    QString apiHost() const;
    QString repository() const { return m_repository; }
    QString tag() const { return m_tag; }
    Digest digest() const { return m_digest; }
    bool hasTag() const { return !m_tag.isEmpty(); }
    bool hasDigest() const { return m_digest.isValid(); }
    bool isDockerHub() const;

    // The tag or digest a manifest request should use (digest wins; "latest" when neither).
    QString manifestReference() const;

    // "registry/repository[:tag][@digest]".
    QString toString() const;
    // The short form docker prints: Hub images without docker.io/ and library/.
    QString familiarName() const;

    void setTag(const QString &tag) { m_tag = tag; }
    void setDigest(const Digest &digest) { m_digest = digest; }

private:
    static Expected<ImageReference> parseRemainder(ImageReference ref, const QString &remainder,
                                                   const QString &original);

    QString m_registry;
    QString m_repository;
    QString m_tag;
    Digest m_digest;
};

} // namespace wharf
