#pragma once

#include <QString>
#include <QtGlobal>

namespace wharf::scan {

// Pull interface for the bytes of one layer blob, as stored in the registry (compressed).
// Implementations may block and may return fewer bytes than asked for; LayerReader assumes
// nothing else, so a network-fed bounded buffer works as well as a file.
class LayerSource
{
public:
    virtual ~LayerSource();

    // Bytes copied into buf (at most maxSize), 0 at the end of the blob, -1 on error.
    virtual qint64 read(char *buf, qint64 maxSize) = 0;
    virtual QString errorString() const { return {}; }
};

} // namespace wharf::scan
