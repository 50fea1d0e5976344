#include "Descriptor.h"

#include "MediaTypes.h"

using namespace Qt::StringLiterals;

namespace wharf {

bool Descriptor::isForeignLayer() const
{
    return MediaTypes::isForeignLayer(mediaType);
}

bool Descriptor::isAttestation() const
{
    if (annotations.value(u"vnd.docker.reference.type"_s) == u"attestation-manifest"_s)
        return true;
    return platform && platform->isUnknown() &&
           annotations.contains(u"vnd.docker.reference.digest"_s);
}

QString Descriptor::attestationSubject() const
{
    return annotations.value(u"vnd.docker.reference.digest"_s);
}

} // namespace wharf
