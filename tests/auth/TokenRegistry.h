#pragma once

#include "TestRegistry.h"
#include "TokenServer.h"

#include <memory>

namespace wharf::test {

// A real docker-registry with `auth: token` pointing at a TokenServer, holding a few small
// repositories: team/app-0000…0002 (private) and public/lib-0000…0001. The images are pushed
// to a plain registry first (skopeo, no tokens involved), whose storage the token registry then
// serves, so the tests exercise only Wharf against the token flow.
class TokenRegistry
{
public:
    bool start(QString *error);

    TokenServer &tokens() { return m_tokens; }
    TestRegistry &registry() { return *m_registry; }
    QString url() const { return m_registry->url(); }
    QString hostPort() const { return m_registry->hostPort(); }
    static QString digest(); // of every seeded repository's :latest

private:
    TokenServer m_tokens;
    TestRegistry m_seed;
    std::unique_ptr<TestRegistry> m_registry;
};

} // namespace wharf::test
