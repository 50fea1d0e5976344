#include "ImageReference.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

const QString DockerHub = u"docker.io"_s;

bool looksLikeHost(const QString &component)
{
    return component.contains(u'.') || component.contains(u':') || component == u"localhost"_s;
}

bool isValidHost(const QString &host)
{
    // hostname labels or an IPv6 literal in brackets, optional :port
    static const QRegularExpression re(
        uR"(^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$)"_s);
    return re.match(host).hasMatch();
}

} // namespace

bool ImageReference::isValidRepository(const QString &name, QString *why)
{
    static const QRegularExpression componentRe(u"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$"_s);
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (name.isEmpty())
        return fail(u"the repository name is empty"_s);
    if (name.size() > MaxNameLength)
        return fail(u"the repository name is longer than %1 characters"_s.arg(MaxNameLength));
    const QStringList components = name.split(u'/');
    for (const QString &component : components) {
        if (component.isEmpty())
            return fail(u"the repository name has an empty path component"_s);
        if (!componentRe.match(component).hasMatch()) {
            if (component.toLower() != component)
                return fail(u"repository names must be lower case (“%1”)"_s.arg(component));
            return fail(u"“%1” is not a valid repository path component: use lower-case letters, "
                        u"digits and single separators (. _ __ -)"_s.arg(component));
        }
    }
    return true;
}

bool ImageReference::isValidTag(const QString &tag)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"_s);
    return re.match(tag).hasMatch();
}

Expected<ImageReference> ImageReference::parse(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return Error::make(Error::Kind::InvalidInput, u"the image reference is empty"_s);
    if (text.contains(u"://"_s))
        return Error::make(Error::Kind::InvalidInput,
                           u"“%1” is a URL, not an image reference: drop the scheme (e.g. "
                           u"registry.example.com/app:1.0)"_s.arg(text));

    ImageReference ref;
    QString remainder = text;
    const qsizetype slash = text.indexOf(u'/');
    if (slash > 0 && looksLikeHost(text.left(slash))) {
        const QString host = text.left(slash);
        if (!isValidHost(host))
            return Error::make(Error::Kind::InvalidInput,
                               u"“%1” is not a valid registry host"_s.arg(host));
        ref.m_registry = host;
        remainder = text.mid(slash + 1);
    } else {
        ref.m_registry = DockerHub;
    }
    if (ref.m_registry == u"index.docker.io"_s || ref.m_registry == u"registry-1.docker.io"_s)
        ref.m_registry = DockerHub;
    return parseRemainder(ref, remainder, text);
}

Expected<ImageReference> ImageReference::parseInRegistry(const QString &registry,
                                                         const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return Error::make(Error::Kind::InvalidInput, u"the image reference is empty"_s);
    ImageReference ref;
    ref.m_registry = registry;
    return parseRemainder(ref, text, text);
}

Expected<ImageReference> ImageReference::parseRemainder(ImageReference ref,
                                                        const QString &remainder,
                                                        const QString &original)
{
    QString name = remainder;
    const qsizetype at = name.indexOf(u'@');
    if (at >= 0) {
        auto digest = Digest::parse(name.mid(at + 1));
        if (!digest)
            return Error::make(Error::Kind::InvalidInput,
                               u"“%1”: %2"_s.arg(original, digest.error().message));
        ref.m_digest = *digest;
        name = name.left(at);
    }
    // A tag follows the last ':' after the last '/'.
    const qsizetype lastSlash = name.lastIndexOf(u'/');
    const qsizetype colon = name.indexOf(u':', lastSlash + 1);
    if (colon >= 0) {
        ref.m_tag = name.mid(colon + 1);
        name = name.left(colon);
        if (!isValidTag(ref.m_tag))
            return Error::make(
                Error::Kind::InvalidInput,
                u"“%1” is not a valid tag: up to 128 letters, digits, '_', '.' or '-', not "
                u"starting with '.' or '-'"_s.arg(ref.m_tag));
    }
    if (ref.isDockerHub() && !name.contains(u'/'))
        name = u"library/"_s + name;
    QString why;
    if (!isValidRepository(name, &why))
        return Error::make(Error::Kind::InvalidInput, u"“%1”: %2"_s.arg(original, why));
    ref.m_repository = name;
    return ref;
}

bool ImageReference::isDockerHub() const
{
    return m_registry == DockerHub;
}

QString ImageReference::apiHost() const
{
    return isDockerHub() ? u"registry-1.docker.io"_s : m_registry;
}

QString ImageReference::manifestReference() const
{
    if (hasDigest())
        return m_digest.toString();
    return hasTag() ? m_tag : u"latest"_s;
}

QString ImageReference::toString() const
{
    QString text = m_registry.isEmpty() ? m_repository : m_registry + u'/' + m_repository;
    if (hasTag())
        text += u':' + m_tag;
    if (hasDigest())
        text += u'@' + m_digest.toString();
    return text;
}

QString ImageReference::familiarName() const
{
    QString name = m_repository;
    if (isDockerHub()) {
        if (name.startsWith(u"library/"_s))
            name = name.mid(8);
    } else {
        name = m_registry + u'/' + name;
    }
    if (hasTag())
        name += u':' + m_tag;
    if (hasDigest())
        name += u'@' + m_digest.toString();
    return name;
}

} // namespace wharf
