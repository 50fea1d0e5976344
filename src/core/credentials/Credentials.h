#pragma once

#include <QString>

namespace wharf {

// What a registry needs to know who we are. Held in memory only; never logged or written
// anywhere but the OS keychain.
struct Credentials
{
    QString username;
    QString secret;        // password or personal access token
    QString identityToken; // OAuth2 refresh token (docker login's "identitytoken")
    QString registryToken; // a bearer token to present as is ("registrytoken")

    bool isEmpty() const
    {
        return username.isEmpty() && secret.isEmpty() && identityToken.isEmpty() &&
               registryToken.isEmpty();
    }
    bool hasPassword() const { return !username.isEmpty() && !secret.isEmpty(); }
};

} // namespace wharf
