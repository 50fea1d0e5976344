#include "TokenRegistry.h"

#include "SampleImages.h"

using namespace Qt::StringLiterals;

namespace wharf::test {

QString TokenRegistry::digest()
{
    return SampleImages::manyRepositoryDigest();
}

bool TokenRegistry::start(QString *error)
{
    if (!m_tokens.start(error) || !m_seed.start(error) ||
        !SampleImages::seedManyRepositories(m_seed, 3, u"team/app-"_s, error) ||
        !SampleImages::seedManyRepositories(m_seed, 2, u"public/lib-"_s, error))
        return false;
    m_seed.stop();
    RegistryOptions options = m_tokens.registryOptions();
    options.storageDir = m_seed.storageDir();
    m_registry = std::make_unique<TestRegistry>(options);
    return m_registry->start(error);
}

} // namespace wharf::test
