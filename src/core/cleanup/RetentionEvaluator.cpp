#include "RetentionEvaluator.h"

#include "client/TagOrder.h"
#include "jobs/InventoryJob.h"

#include <QMap>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf {

QList<DeleteSelection> RetentionEvaluation::selections() const
{
    QList<DeleteSelection> out;
    for (const RetentionDecision &d : decisions) {
        if (d.keep)
            continue;
        for (const QString &tag : d.tags)
            out << DeleteSelection::forTag(d.repository, tag);
    }
    return out;
}

QStringList RetentionEvaluation::tagsToDelete() const
{
    QStringList out;
    for (const RetentionDecision &d : decisions) {
        for (const QString &tag : d.tags) {
            if (!d.keep)
                out << d.repository + u':' + tag;
        }
    }
    return out;
}

QStringList RetentionEvaluation::tagsToKeep() const
{
    QStringList out;
    for (const RetentionDecision &d : decisions) {
        for (const QString &tag : d.tags) {
            if (d.keep)
                out << d.repository + u':' + tag;
        }
    }
    return out;
}

RetentionEvaluation RetentionEvaluator::evaluate(const RetentionPolicy &policy,
                                                 const Inventory &inventory, const QDateTime &now)
{
    RetentionEvaluation result;
    result.policy = policy;
    result.evaluatedAt = now;
    const QRegularExpression keepRe(policy.keepPattern);
    const QRegularExpression deleteRe(policy.deletePattern);
    const QDateTime cutoff =
        policy.olderThanDays >= 0 ? now.addDays(-policy.olderThanDays) : QDateTime();

    for (const InventoryRepository &repo : inventory.repositories) {
        if (!InventoryJob::globMatches(policy.repositoryGlob, repo.name))
            continue;
        result.repositories << repo.name;
        // One decision per image: tags on one digest share their fate.
        QMap<QString, RetentionDecision> images;
        for (const InventoryTag &tag : repo.tags) {
            if (!tag.image) {
                result.unreadableTags << repo.name + u':' + tag.tag;
                continue;
            }
            RetentionDecision &d = images[tag.image->digest.toString()];
            d.repository = repo.name;
            d.digest = tag.image->digest;
            d.tags << tag.tag;
            for (const ImagePlatform &p : tag.image->platforms) {
                const QDateTime created = p.created();
                if (created.isValid() && (!d.created.isValid() || created > d.created))
                    d.created = created;
            }
        }
        QList<RetentionDecision> ordered = images.values();
        for (RetentionDecision &d : ordered)
            TagOrder::sort(d.tags);
        std::stable_sort(ordered.begin(), ordered.end(),
                         [](const RetentionDecision &a, const RetentionDecision &b) {
                             if (a.created.isValid() != b.created.isValid())
                                 return a.created.isValid();
                             return a.created > b.created;
                         });
        int dated = 0;
        for (RetentionDecision &d : ordered) {
            const bool isDated = d.created.isValid();
            const int rank = isDated ? dated++ : -1;
            auto anyTagMatches = [&d](const QRegularExpression &re) {
                return std::any_of(d.tags.cbegin(), d.tags.cend(),
                                   [&re](const QString &t) { return re.match(t).hasMatch(); });
            };
            auto allTagsMatch = [&d](const QRegularExpression &re) {
                return std::all_of(d.tags.cbegin(), d.tags.cend(),
                                   [&re](const QString &t) { return re.match(t).hasMatch(); });
            };
            if (!policy.keepPattern.isEmpty() && anyTagMatches(keepRe)) {
                d.keep = true;
                d.reason = tr("kept: a tag matches /%1/").arg(policy.keepPattern);
            } else if (!isDated) {
                d.keep = true;
                d.reason = tr("kept: no created date");
                for (const QString &tag : std::as_const(d.tags))
                    result.undatedTags << d.repository + u':' + tag;
            } else if (policy.keepLast >= 0 && rank < policy.keepLast) {
                d.keep = true;
                d.reason = tr("kept: among the newest %1").arg(policy.keepLast);
            } else if (!policy.hasDeleteRule()) {
                d.keep = false;
                d.reason = tr("deleted: not among the newest %1").arg(policy.keepLast);
            } else if (policy.olderThanDays >= 0 && d.created < cutoff) {
                d.keep = false;
                d.reason = tr("deleted: older than %1 days").arg(policy.olderThanDays);
            } else if (!policy.deletePattern.isEmpty() && allTagsMatch(deleteRe)) {
                d.keep = false;
                d.reason = tr("deleted: every tag matches /%1/").arg(policy.deletePattern);
            } else {
                d.keep = true;
                d.reason = tr("kept: no delete rule applies");
            }
            result.decisions << d;
        }
    }
    return result;
}

} // namespace wharf
