#pragma once

#include "Error.h"
#include "cleanup/GcEstimateJob.h"

#include <QDialog>
#include <QPointer>

#include <memory>

namespace Ui {
class GarbageCollectionDialog;
}

namespace wharf {
class Job;
class SessionManager;
} // namespace wharf

namespace wharf::gui {

// What the registry's garbage collector would free after Wharf's deletes, and how to run it.
// Runs a GcEstimateJob on the bookmark's delete journal (blobs of deleted manifests that no
// remaining manifest in any repository references), then shows the exact commands for the
// official Docker image, an installed registry binary and Debian's docker-registry package —
// with --dry-run or without — each with a Copy button, the requirement to stop the registry or
// make it read-only while collecting, and the --delete-untagged warning for registry 2.x.
class GarbageCollectionDialog : public QDialog
{
    Q_OBJECT
public:
    enum class State { Idle, Estimating, Done, Failed };
    Q_ENUM(State)
    enum class Command { Docker, Registry, Debian };
    Q_ENUM(Command)

    GarbageCollectionDialog(SessionManager *sessions, const QString &bookmarkId,
                            QWidget *parent = nullptr);
    ~GarbageCollectionDialog() override;

    QString bookmarkId() const { return m_bookmarkId; }
    State state() const { return m_state; }
    const GcEstimate &estimate() const { return m_estimate; }
    QString journalPath() const { return m_journalPath; }

    void startEstimate();
    void cancelEstimate();
    // The command as shown: the dry-run choice and the container name applied.
    QString commandText(Command command) const;
    bool dryRun() const;
    void setDryRun(bool dryRun);
    void setContainer(const QString &name);
    // What the Copy buttons do.
    void copyCommand(Command command);

public slots:
    void reject() override;

signals:
    void jobStarted(wharf::Job *job);
    void estimateFinished();

private:
    void updateCommands();
    void onEstimated(GcEstimateJob *job);
    void setState(State state);
    QString registryName() const;

    std::unique_ptr<Ui::GarbageCollectionDialog> m_ui;
    SessionManager *m_sessions;
    QString m_bookmarkId;
    QString m_journalPath;
    State m_state = State::Idle;
    GcEstimate m_estimate;
    QPointer<GcEstimateJob> m_job;
    QObject *m_clientContext = nullptr;
};

} // namespace wharf::gui
