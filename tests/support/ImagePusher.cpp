#include "ImagePusher.h"

#include "MediaType.h"
#include "OciLayout.h"
#include "Skopeo.h"

#include <QTemporaryDir>

namespace wharf::test {

using namespace Qt::StringLiterals;

QString ImagePusher::repositoryOf(const QString &destination)
{
    const qsizetype at = destination.lastIndexOf(u'@');
    if (at >= 0)
        return destination.left(at);
    const qsizetype slash = destination.lastIndexOf(u'/');
    const qsizetype colon = destination.lastIndexOf(u':');
    return colon > slash ? destination.left(colon) : destination;
}

bool ImagePusher::push(OciLayout &layout, const Descriptor &top, const QString &destination,
                       const SkopeoOptions &options, QString *error)
{
    if (top.isIndex()) {
        bool nested = false;
        const QList<Descriptor> entries = layout.indexEntries(top);
        for (const Descriptor &entry : entries)
            nested = nested || entry.isIndex();
        if (nested) {
            const QString repository = repositoryOf(destination);
            for (const Descriptor &entry : entries) {
                if (!push(layout, entry, repository + u'@' + entry.digest, options, error))
                    return false;
            }
            SkopeoOptions topOnly = options;
            topOnly.indexOnly = true;
            QTemporaryDir dir;
            return layout.writeDirTransport(top, dir.path(), error) &&
                   Skopeo::copyFrom(u"dir:"_s + dir.path(), destination, topOnly, error);
        }
    }
    if (top.mediaType == MediaType::DockerManifestList) {
        QTemporaryDir dir;
        return layout.writeDirTransport(top, dir.path(), error) &&
               Skopeo::copyFrom(u"dir:"_s + dir.path(), destination, options, error);
    }
    QString refName = layout.refNameFor(top.digest);
    if (refName.isEmpty()) {
        refName = u"push-"_s + top.hex().left(16);
        layout.tag(refName, top);
    }
    return layout.write(error) && Skopeo::copy(layout.path(), refName, destination, options, error);
}

} // namespace wharf::test
