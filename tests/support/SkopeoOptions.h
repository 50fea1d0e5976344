#pragma once

#include <QString>

namespace wharf::test {

// How skopeo talks to the registry under test.
struct SkopeoOptions
{
    QString username; // empty = anonymous
    QString password;
    // false: accept plain HTTP and any certificate (what a loopback test registry needs).
    bool tlsVerify = false;
    // Directory with ca.crt (and optionally client .cert/.key) trusted for the registry.
    QString certDir;
    // copy only: --all (every instance of an index) and --preserve-digests (fail instead of
    // rewriting manifests or compressing layers).
    bool all = true;
    bool preserveDigests = true;
    // copy only: --multi-arch index-only (push just the index; children must already exist).
    bool indexOnly = false;
    int timeoutMs = 120000;
};

} // namespace wharf::test
