#include "InspectCommand.h"

#include "JsonOutput.h"
#include "TableWriter.h"
#include "client/ImageResolver.h"
#include "client/RegistryClient.h"
#include "model/Format.h"
#include "oci/MediaTypes.h"
#include "reference/ImageReference.h"

using namespace Qt::StringLiterals;

namespace wharf::cli {

QString InspectCommand::description() const
{
    return tr("Show an image: digest, media type, and per platform its size (config + layers), "
              "creation date and layers; attestation manifests listed apart.");
}

void InspectCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {u"raw"_s, tr("Print the top-level manifest exactly as the registry sent it.")});
}

void InspectCommand::execute(CommandEnv &env)
{
    if (env.arguments.size() != 1) {
        env.failWith(tr("usage: wharfctl inspect REPO:TAG|REPO@DIGEST"), ExitUsage);
        return;
    }
    auto ref = ImageReference::parseInRegistry(env.registry.hostPort(), env.arguments.first());
    if (!ref) {
        env.failWith(ref.error().message, ExitUsage);
        return;
    }
    const bool raw = env.parser->isSet(u"raw"_s);
    ImageResolver::Options options;
    options.fetchConfigs = true;
    options.keepRawManifests = raw;
    const QString reference = ref->manifestReference();
    ImageResolver::resolve(
        env.client(), ref->repository(), reference, options, this,
        [env, raw](Expected<ResolvedImage> image) {
            if (!image) {
                env.failWith(image.error().toString());
                return;
            }
            if (raw) {
                *env.out << QString::fromUtf8(image->rawManifest);
                env.finish(ExitOk);
                return;
            }
            if (env.json) {
                env.printJson(JsonOutput::inspect(*image));
                env.finish(ExitOk);
                return;
            }
            QTextStream &out = *env.out;
            out << "Repository:  " << image->repository << '\n'
                << "Reference:   " << image->reference << '\n'
                << "Digest:      " << image->digest.toString() << '\n'
                << "Media type:  " << image->mediaType << " ("
                << MediaTypes::displayName(image->mediaType) << ")\n";
            if (image->platforms.size() > 1)
                out << "Unique size: " << Format::bytes(image->uniqueBytes()) << " ("
                    << image->uniqueBytes()
                    << " bytes, all platforms, shared layers counted once)\n";
            out << '\n';
            TableWriter table(
                {u"PLATFORM"_s, u"DIGEST"_s, u"SIZE"_s, u"BYTES"_s, u"LAYERS"_s, u"CREATED"_s});
            table.setRightAligned({2, 3, 4});
            for (const ImagePlatform &p : image->platforms)
                table.addRow({p.platform.toString(), p.digest.shortForm(), Format::bytes(p.size()),
                              QString::number(p.size()), QString::number(p.layers.size()),
                              p.error.isEmpty() ? Format::dateTime(p.created()) : p.error});
            table.write(out);
            if (!image->attestations.isEmpty()) {
                out << "\nAttestations:\n";
                for (const ImageAttestation &a : image->attestations)
                    out << "  " << a.digest.shortForm() << "  for " << a.subject << '\n';
            }
            for (const ImagePlatform &p : image->platforms) {
                out << "\nLayers of " << p.platform.toString() << ":\n";
                TableWriter layers({u"#"_s, u"DIGEST"_s, u"TYPE"_s, u"SIZE"_s, u"BYTES"_s});
                layers.setRightAligned({0, 3, 4});
                int i = 0;
                for (const Descriptor &l : p.layers)
                    layers.addRow({QString::number(i++), l.digest.shortForm(),
                                   MediaTypes::displayName(l.mediaType), Format::bytes(l.size),
                                   QString::number(l.size)});
                layers.addRow({u""_s, p.config.digest.shortForm(), u"config"_s,
                               Format::bytes(p.config.size), QString::number(p.config.size)});
                layers.write(out);
            }
            env.finish(ExitOk);
        });
}

} // namespace wharf::cli
