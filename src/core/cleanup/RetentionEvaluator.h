#pragma once

#include "DeletePlan.h"
#include "RetentionPolicy.h"

#include <QCoreApplication>
#include <QDateTime>

namespace wharf {

struct Inventory;

// The verdict on one image (digest) of one repository.
struct RetentionDecision
{
    QString repository;
    QStringList tags; // every tag on the image
    Digest digest;
    QDateTime created; // newest created date of its platforms; invalid when unknown
    bool keep = true;
    QString reason;
};

struct RetentionEvaluation
{
    RetentionPolicy policy;
    QDateTime evaluatedAt;
    QList<RetentionDecision> decisions; // per repository: newest first, undated last
    QStringList undatedTags;            // "repo:tag" kept because no created date is known
    QStringList unreadableTags;         // "repo:tag" kept because they could not be read
    QStringList repositories;           // that matched the pattern

    QList<DeleteSelection> selections() const; // the tags to delete, for DeletePlanner
    QStringList tagsToDelete() const;          // "repo:tag"
    QStringList tagsToKeep() const;            // "repo:tag"
};

// Applies a RetentionPolicy to an inventory made with fetchConfigs (created dates). Pure: the
// clock is a parameter.
class RetentionEvaluator
{
    Q_DECLARE_TR_FUNCTIONS(wharf::RetentionEvaluator)

public:
    static RetentionEvaluation evaluate(const RetentionPolicy &policy, const Inventory &inventory,
                                        const QDateTime &now);
};

} // namespace wharf
