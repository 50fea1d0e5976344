#pragma once

#include "Error.h"

#include <QString>

#include <optional>

namespace wharf {

// Which tags of the repositories matching a pattern to keep and which to delete. Keep rules
// win over delete rules, and work per image (digest): every tag of a kept image stays, so a
// cleanup never removes a tag it was told to keep by deleting a shared digest.
//
//  - keepLast N: keep the N newest images by config created date (-1: no such rule). Images
//    without a created date are always kept and reported.
//  - keepPattern: keep images with a tag matching this regular expression (e.g. "^latest$",
//    "^v\d+\.\d+\.\d+$").
//  - olderThanDays D: delete only images created more than D days ago (-1: no such rule).
//  - deletePattern: delete images whose tags all match this regular expression.
// With neither olderThanDays nor deletePattern, every image the keep rules do not keep goes.
struct RetentionPolicy
{
    QString id;         // assigned by RetentionPolicyStore
    QString bookmarkId; // the registry it belongs to
    QString name;
    QString repositoryGlob = QStringLiteral("*"); // shell-style, as InventoryJob::globMatches
    int keepLast = -1;
    QString keepPattern;
    int olderThanDays = -1;
    QString deletePattern;

    bool hasDeleteRule() const { return olderThanDays >= 0 || !deletePattern.isEmpty(); }
    // Something must limit the delete; patterns must compile.
    std::optional<Error> validate() const;
    // "keep newest 5, keep /^latest$/, delete older than 30 days" – for lists and logs.
    QString describe() const;
};

} // namespace wharf
