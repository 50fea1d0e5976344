#pragma once

#include "reference/Digest.h"

#include <QStringList>

namespace wharf {

// What happened to one item of a DeleteJob.
struct DeleteResult
{
    enum class Status {
        Deleted,     // gone now, because of this job
        AlreadyGone, // was not there any more (deleted earlier, by an earlier run or someone else)
        Refused,     // the registry (or the plan's safety rule) said no; nothing changed
        Failed,      // something went wrong; see message for what state it is in
        Skipped,     // never sent: the job stopped or was cancelled before this item
    };
    enum class Action { DeleteManifest, Untag, None };

    QString reference; // "repo@digest" for a manifest, "repo:tag" for an untag
    QString repository;
    Digest digest;
    Status status = Status::Skipped;
    Action action = Action::None;
    QString message;
    QStringList tags; // tags that went (or would have gone) with it

    // "deleted", "already-gone", "refused", "failed", "skipped" (stable: JSON output)
    static QString statusName(Status status);
    static QString actionName(Action action);
    bool succeeded() const { return status == Status::Deleted || status == Status::AlreadyGone; }
};

} // namespace wharf
