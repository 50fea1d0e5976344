#include "DeleteJob.h"

#include "DeleteJournal.h"
#include "client/RegistryClient.h"
#include "oci/MediaTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace wharf {

namespace {

const QByteArray EmptyJson = "{}";

// Answers that would be the same for every further item: stop instead of hammering.
bool stopsTheBatch(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::DeleteDisabled:
    case Error::Kind::ConnectionRefused:
    case Error::Kind::HostNotFound:
    case Error::Kind::Timeout:
    case Error::Kind::Tls:
    case Error::Kind::Network:
    case Error::Kind::ServerError:
    case Error::Kind::TooManyRequests:
        return true;
    default:
        return false;
    }
}

bool isPermission(Error::Kind kind)
{
    return kind == Error::Kind::Unauthorized || kind == Error::Kind::Forbidden;
}

} // namespace

DeleteJob::DeleteJob(RegistryClient *client, DeletePlan plan, Options options, QObject *parent)
    : Job(tr("Deleting on %1").arg(client->config().hostPort()), parent)
    , m_client(client)
    , m_plan(std::move(plan))
    , m_options(std::move(options))
{
    // Selections that are not actions still get a line each: nothing disappears silently.
    for (const SkippedSelection &s : std::as_const(m_plan.skipped)) {
        DeleteResult r;
        r.reference = s.selection.toString();
        r.repository = s.selection.repository;
        r.digest = s.digest;
        r.status = s.why == SkippedSelection::Why::AlreadyGone ? DeleteResult::Status::AlreadyGone
                                                               : DeleteResult::Status::Skipped;
        r.message = s.message;
        m_results << r;
        m_states << ItemState::Done;
    }
    for (int u = 0; u < m_plan.untags.size(); ++u) {
        const PlannedUntag &untag = m_plan.untags.at(u);
        DeleteResult r;
        r.reference = untag.reference();
        r.repository = untag.repository;
        r.digest = untag.digest;
        r.action = DeleteResult::Action::Untag;
        r.tags = {untag.tag};
        m_untagOfItem.insert(static_cast<int>(m_results.size()), u);
        m_actionItems << static_cast<int>(m_results.size());
        m_results << r;
        m_states << ItemState::Waiting;
    }
    for (int m = 0; m < m_plan.manifests.size(); ++m) {
        const PlannedManifest &manifest = m_plan.manifests.at(m);
        DeleteResult r;
        r.reference = manifest.reference();
        r.repository = manifest.repository;
        r.digest = manifest.digest;
        r.action = DeleteResult::Action::DeleteManifest;
        r.tags = manifest.tags;
        m_manifestOfItem.insert(static_cast<int>(m_results.size()), m);
        m_actionItems << static_cast<int>(m_results.size());
        m_results << r;
        m_states << ItemState::Waiting;
    }
}

int DeleteJob::countWith(DeleteResult::Status status) const
{
    return static_cast<int>(
        std::count_if(m_results.cbegin(), m_results.cend(),
                      [status](const DeleteResult &r) { return r.status == status; }));
}

QByteArray DeleteJob::placeholderManifest(const QString &reference, const QString &nonce)
{
    const QJsonObject empty{{u"mediaType"_s, QString::fromUtf16(MediaTypes::OciEmpty)},
                            {u"digest"_s, Digest::sha256Of(EmptyJson).toString()},
                            {u"size"_s, static_cast<qint64>(EmptyJson.size())}};
    const QJsonObject manifest{
        {u"schemaVersion"_s, 2},
        {u"mediaType"_s, QString::fromUtf16(MediaTypes::OciManifest)},
        {u"config"_s, empty},
        {u"layers"_s, QJsonArray{empty}},
        {u"annotations"_s, QJsonObject{{u"io.github.wharf-registry.placeholder"_s,
                                        QString(u"Pushed by Wharf to remove the tag "_s +
                                                reference + u"; safe to delete."_s)},
                                       {u"io.github.wharf-registry.nonce"_s, nonce}}}};
    return QJsonDocument(manifest).toJson(QJsonDocument::Compact);
}

void DeleteJob::run()
{
    if (m_plan.needsConfirmation()) {
        for (int item : std::as_const(m_actionItems)) {
            DeleteResult &r = m_results[item];
            const auto m = m_manifestOfItem.constFind(item);
            const PlannedManifest *manifest =
                m != m_manifestOfItem.cend() ? &m_plan.manifests.at(m.value()) : nullptr;
            bool breaksIndex = false;
            for (const BrokenIndex &b : std::as_const(m_plan.brokenIndexes))
                breaksIndex = breaksIndex || (manifest && b.repository == manifest->repository &&
                                              b.missingChildren.contains(manifest->digest));
            if (manifest && !manifest->collateralTags.isEmpty()) {
                r.status = DeleteResult::Status::Refused;
                r.message = tr("Would also remove %1, which were not selected.")
                                .arg(manifest->collateralTags.join(u", "_s));
            } else if (breaksIndex) {
                r.status = DeleteResult::Status::Refused;
                r.message = tr("Would leave an index that lists it broken.");
            } else {
                r.status = DeleteResult::Status::Skipped;
                r.message = tr("Not sent: the plan as a whole needs confirmation.");
            }
            m_states[item] = ItemState::Done;
        }
        fail(Error::make(Error::Kind::InvalidInput,
                         tr("Refused: %1. Delete anyway (force), untag only, or skip them.")
                             .arg(m_plan.confirmationReasons().join(u"; "_s))));
        return;
    }
    setProgress(0, m_actionItems.size(), tr("Deleting"));
    launchMore();
}

void DeleteJob::abort()
{
    m_client->cancelFor(this);
    for (int item : std::as_const(m_actionItems)) {
        DeleteResult &r = m_results[item];
        if (m_states.at(item) == ItemState::Running) {
            r.status = DeleteResult::Status::Failed;
            r.message = tr("Cancelled while the request was on its way: it may or may not have "
                           "taken effect. Plan again to see.");
        } else if (m_states.at(item) == ItemState::Waiting) {
            r.status = DeleteResult::Status::Skipped;
            r.message = tr("Not sent: cancelled.");
        }
        m_states[item] = ItemState::Done;
    }
}

void DeleteJob::scheduleLaunch()
{
    // Callbacks can arrive synchronously (validation errors); never recurse through them.
    if (m_launchQueued)
        return;
    m_launchQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_launchQueued = false;
            launchMore();
        },
        Qt::QueuedConnection);
}

void DeleteJob::launchMore()
{
    if (isFinished())
        return;
    const auto waiting = [this](qsizetype i) {
        return m_states.at(m_actionItems.at(i)) == ItemState::Waiting;
    };
    while (m_next < m_actionItems.size() && !waiting(m_next))
        ++m_next;
    // An untag may write the tag (a placeholder push), and distribution's filesystem driver
    // rewrites a tag's link file in place: a DELETE in the same repository that reads it
    // half-written answers 500 and leaves its own tags behind. So an untag has its repository
    // to itself. Items of other repositories go ahead meanwhile; within a repository the order
    // is kept (a waiting item holds back the ones after it).
    QSet<QString> heldBack;
    qsizetype looked = 0;
    for (qsizetype i = m_next;
         !m_stopError && m_inFlight < m_window && i < m_actionItems.size() && looked < MaxLookahead;
         ++i) {
        if (!waiting(i))
            continue;
        ++looked;
        const int item = m_actionItems.at(i);
        const QString repository = m_results.at(item).repository;
        if (m_deniedRepositories.contains(repository)) {
            DeleteResult &r = m_results[item];
            r.status = DeleteResult::Status::Skipped;
            r.message =
                tr("Not sent: not permitted in %1 (see the first refusal).").arg(r.repository);
            m_states[item] = ItemState::Done;
            ++m_finishedActions;
            emit itemFinished(item);
            continue;
        }
        const bool untag = m_untagOfItem.contains(item);
        if (heldBack.contains(repository) || m_untagRunningIn.contains(repository) ||
            (untag && m_runningIn.value(repository) > 0)) {
            heldBack.insert(repository);
            continue;
        }
        m_states[item] = ItemState::Running;
        ++m_inFlight;
        ++m_runningIn[repository];
        if (untag) {
            m_untagRunningIn.insert(repository);
            startUntag(item, m_untagOfItem.value(item));
        } else {
            startManifest(item, m_manifestOfItem.value(item));
        }
    }
    while (m_next < m_actionItems.size() && !waiting(m_next))
        ++m_next;
    if (m_inFlight == 0 && (m_stopError || m_next >= m_actionItems.size()))
        complete();
}

void DeleteJob::startManifest(int item, int manifest)
{
    const PlannedManifest &m = m_plan.manifests.at(manifest);
    setProgress(m_finishedActions, m_actionItems.size(), tr("Deleting %1").arg(m.reference()));
    if (!m_options.verifyTags || m.selectedTags.isEmpty()) {
        sendManifestDelete(item, manifest);
        return;
    }
    struct Check
    {
        int pending = 0;
        QStringList moved;
        std::optional<Error> error;
    };
    auto check = std::make_shared<Check>();
    check->pending = static_cast<int>(m.selectedTags.size());
    for (const QString &tag : m.selectedTags) {
        m_client->headManifest(
            m.repository, tag, this,
            [this, check, item, manifest, tag](Expected<ManifestHead> head) {
                const PlannedManifest &planned = m_plan.manifests.at(manifest);
                if (head && head->digest != planned.digest)
                    check->moved << tag + u" → "_s + head->digest.shortForm();
                else if (!head && head.error().kind != Error::Kind::NotFound && !check->error)
                    check->error = head.error();
                if (--check->pending > 0)
                    return;
                if (check->error) {
                    handleError(item, *check->error);
                } else if (!check->moved.isEmpty()) {
                    finishItem(item, DeleteResult::Status::Refused,
                               tr("Not deleted: %1 moved since the plan was made. Plan again.")
                                   .arg(check->moved.join(u", "_s)));
                } else {
                    sendManifestDelete(item, manifest);
                }
            });
    }
}

void DeleteJob::sendManifestDelete(int item, int manifest)
{
    const PlannedManifest &m = m_plan.manifests.at(manifest);
    m_client->deleteManifest(
        m.repository, m.digest, this, [this, item, manifest](Expected<DeleteOutcome> outcome) {
            if (!outcome) {
                handleError(item, outcome.error());
                return;
            }
            const PlannedManifest &planned = m_plan.manifests.at(manifest);
            QString message;
            if (*outcome == DeleteOutcome::Deleted) {
                message = planned.tags.isEmpty()
                              ? tr("Deleted.")
                              : tr("Deleted; tags gone: %1.").arg(planned.tags.join(u", "_s));
                journal(manifest, false, &message);
                finishItem(item, DeleteResult::Status::Deleted, message);
            } else {
                message = tr("Was already gone.");
                journal(manifest, true, &message);
                finishItem(item, DeleteResult::Status::AlreadyGone, message);
            }
        });
}

void DeleteJob::startUntag(int item, int untag)
{
    const PlannedUntag &u = m_plan.untags.at(untag);
    setProgress(m_finishedActions, m_actionItems.size(), tr("Untagging %1").arg(u.reference()));
    if (u.dangling) {
        // Nothing to compare with: the tag's manifest is gone already.
        if (m_tagDeleteWorks.value_or(true))
            untagWithTagDelete(item, untag);
        else
            untagWithPlaceholder(item, untag);
        return;
    }
    m_client->headManifest(u.repository, u.tag, this,
                           [this, item, untag](Expected<ManifestHead> head) {
                               const PlannedUntag &planned = m_plan.untags.at(untag);
                               if (!head && head.error().kind == Error::Kind::NotFound) {
                                   finishItem(item, DeleteResult::Status::AlreadyGone,
                                              tr("The tag no longer exists."));
                               } else if (!head) {
                                   handleError(item, head.error());
                               } else if (head->digest != planned.digest) {
                                   finishItem(item, DeleteResult::Status::Refused,
                                              tr("Not untagged: the tag moved to %1 since the "
                                                 "plan was made. Plan again.")
                                                  .arg(head->digest.shortForm()));
                               } else if (m_tagDeleteWorks.value_or(true)) {
                                   untagWithTagDelete(item, untag);
                               } else {
                                   untagWithPlaceholder(item, untag);
                               }
                           });
}

void DeleteJob::untagWithTagDelete(int item, int untag)
{
    const PlannedUntag &u = m_plan.untags.at(untag);
    m_client->deleteTag(
        u.repository, u.tag, this, [this, item, untag](Expected<DeleteOutcome> outcome) {
            if (outcome) {
                m_tagDeleteWorks = true;
                finishItem(item,
                           *outcome == DeleteOutcome::Deleted ? DeleteResult::Status::Deleted
                                                              : DeleteResult::Status::AlreadyGone,
                           *outcome == DeleteOutcome::Deleted
                               ? tr("Tag deleted (the registry deletes single "
                                    "tags).")
                               : tr("The tag no longer exists."));
                return;
            }
            if (outcome.error().kind == Error::Kind::Unsupported) {
                m_tagDeleteWorks = false;
                untagWithPlaceholder(item, untag);
                return;
            }
            handleError(item, outcome.error());
        });
}

void DeleteJob::untagWithPlaceholder(int item, int untag)
{
    const PlannedUntag &u = m_plan.untags.at(untag);
    if (m_deleteProbed.contains(u.repository)) {
        pushPlaceholder(item, untag);
        return;
    }
    // A placeholder pushed where it cannot be deleted would replace the tag instead of
    // removing it: first make sure deleting works here. A digest nobody has answers 404 when
    // deletes are enabled and 405 when they are not (distribution 2.8).
    const Digest nothing = *Digest::parse(u"sha256:"_s + QString(64, u'0'));
    m_client->deleteManifest(
        u.repository, nothing, this, [this, item, untag](Expected<DeleteOutcome> probe) {
            const PlannedUntag &planned = m_plan.untags.at(untag);
            if (!probe && (probe.error().kind == Error::Kind::DeleteDisabled ||
                           stopsTheBatch(probe.error().kind))) {
                handleError(item, probe.error());
                return;
            }
            if (!probe && isPermission(probe.error().kind)) {
                finishItem(item, DeleteResult::Status::Refused,
                           tr("Untagging needs permission to delete in %1: %2")
                               .arg(planned.repository, probe.error().message));
                m_deniedRepositories.insert(planned.repository);
                return;
            }
            m_deleteProbed.insert(planned.repository);
            pushPlaceholder(item, untag);
        });
}

void DeleteJob::pushPlaceholder(int item, int untag)
{
    const PlannedUntag &u = m_plan.untags.at(untag);
    auto needsPush = [this, item, untag](const Error &e) {
        const PlannedUntag &planned = m_plan.untags.at(untag);
        if (!isPermission(e.kind)) {
            handleError(item, e);
            return;
        }
        m_deniedRepositories.insert(planned.repository);
        finishItem(item, DeleteResult::Status::Refused,
                   tr("Untagging %1 needs push permission: this registry cannot delete a single "
                      "tag, so Wharf pushes a tiny placeholder manifest to it and deletes that. "
                      "(%2)")
                       .arg(planned.reference(), e.message));
    };
    m_client->uploadBlob(
        u.repository, EmptyJson, this, [this, item, untag, needsPush](Expected<Digest> blob) {
            if (!blob) {
                needsPush(blob.error());
                return;
            }
            const PlannedUntag &planned = m_plan.untags.at(untag);
            const QByteArray body = placeholderManifest(
                planned.reference(), QUuid::createUuid().toString(QUuid::WithoutBraces));
            m_client->putManifest(
                planned.repository, planned.tag, body, QString::fromUtf16(MediaTypes::OciManifest),
                this, [this, item, untag, needsPush, body](Expected<Digest> placeholder) {
                    if (!placeholder) {
                        needsPush(placeholder.error());
                        return;
                    }
                    const PlannedUntag &pu = m_plan.untags.at(untag);
                    const Digest p = *placeholder;
                    m_client->deleteManifest(
                        pu.repository, p, this,
                        [this, item, untag, p, body](Expected<DeleteOutcome> outcome) {
                            const PlannedUntag &done = m_plan.untags.at(untag);
                            if (!outcome) {
                                Error e = outcome.error();
                                const QString state =
                                    tr("The tag %1 now points at a placeholder (%2) that could "
                                       "not be deleted: %3 Delete %4@%5 to finish.")
                                        .arg(done.reference(), p.shortForm(), e.message,
                                             done.repository, p.toString());
                                if (stopsTheBatch(e.kind))
                                    m_stopError = e;
                                finishItem(item, DeleteResult::Status::Failed, state);
                                return;
                            }
                            QString message =
                                tr("Tag removed: a placeholder manifest (%1) was pushed to it "
                                   "and deleted.")
                                    .arg(p.shortForm());
                            if (!m_options.journalPath.isEmpty()) {
                                DeleteJournalEntry entry;
                                entry.time = QDateTime::currentDateTimeUtc();
                                entry.registry = m_plan.registry;
                                entry.repository = done.repository;
                                entry.digest = p;
                                entry.mediaType = QString::fromUtf16(MediaTypes::OciManifest);
                                entry.size = body.size();
                                entry.tags = {done.tag};
                                entry.blobs = {
                                    BlobRef{Digest::sha256Of(EmptyJson), EmptyJson.size()}};
                                entry.placeholder = true;
                                QString error;
                                if (!DeleteJournal(m_options.journalPath).append(entry, &error)) {
                                    m_journalErrors << error;
                                    message +=
                                        u' ' + tr("(Not recorded in the journal: %1)").arg(error);
                                }
                            }
                            finishItem(item, DeleteResult::Status::Deleted, message);
                        });
                });
        });
}

void DeleteJob::journal(int manifest, bool alreadyGone, QString *message)
{
    if (m_options.journalPath.isEmpty())
        return;
    const PlannedManifest &m = m_plan.manifests.at(manifest);
    DeleteJournalEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.registry = m_plan.registry;
    entry.repository = m.repository;
    entry.digest = m.digest;
    entry.mediaType = m.mediaType;
    entry.size = std::max<qint64>(m.size, 0);
    entry.tags = m.tags;
    entry.blobs = m.node.blobs;
    entry.children = m.descendants;
    entry.alreadyGone = alreadyGone;
    QString error;
    if (!DeleteJournal(m_options.journalPath).append(entry, &error)) {
        m_journalErrors << error;
        *message += u' ' + tr("(Not recorded in the journal: %1)").arg(error);
    }
}

void DeleteJob::handleError(int item, const Error &error)
{
    if (error.kind == Error::Kind::Cancelled)
        return;
    if (stopsTheBatch(error.kind) && !m_stopError)
        m_stopError = error;
    if (error.kind == Error::Kind::DeleteDisabled) {
        finishItem(item, DeleteResult::Status::Refused, error.message);
        return;
    }
    if (isPermission(error.kind)) {
        m_deniedRepositories.insert(m_results.at(item).repository);
        finishItem(item, DeleteResult::Status::Refused, error.message);
        return;
    }
    QString message = error.message;
    if (error.kind == Error::Kind::Timeout || error.kind == Error::Kind::Network)
        message += u' ' + tr("It may or may not have been deleted: plan again to see.");
    finishItem(item, DeleteResult::Status::Failed, message);
}

void DeleteJob::finishItem(int item, DeleteResult::Status status, const QString &message)
{
    if (isFinished() || m_states.at(item) != ItemState::Running)
        return;
    DeleteResult &r = m_results[item];
    r.status = status;
    r.message = message;
    m_states[item] = ItemState::Done;
    --m_inFlight;
    if (--m_runningIn[r.repository] <= 0)
        m_runningIn.remove(r.repository);
    if (m_untagOfItem.contains(item))
        m_untagRunningIn.remove(r.repository);
    ++m_finishedActions;
    if (r.succeeded())
        m_window = std::max(1, m_options.parallel);
    emit itemFinished(item);
    setProgress(m_finishedActions, m_actionItems.size());
    scheduleLaunch();
}

void DeleteJob::complete()
{
    if (isFinished())
        return;
    for (int item : std::as_const(m_actionItems)) {
        if (m_states.at(item) != ItemState::Waiting)
            continue;
        DeleteResult &r = m_results[item];
        r.status = DeleteResult::Status::Skipped;
        r.message = m_stopError ? tr("Not sent: the job stopped: %1").arg(m_stopError->message)
                                : tr("Not sent.");
        m_states[item] = ItemState::Done;
        emit itemFinished(item);
    }
    setProgress(m_actionItems.size(), m_actionItems.size());
    if (m_stopError) {
        fail(*m_stopError);
        return;
    }
    const int bad =
        countWith(DeleteResult::Status::Refused) + countWith(DeleteResult::Status::Failed);
    if (bad > 0) {
        fail(Error::make(Error::Kind::HttpError,
                         tr("%1 of %2 items were not deleted; see the results.")
                             .arg(bad)
                             .arg(m_actionItems.size())));
        return;
    }
    succeed();
}

} // namespace wharf
