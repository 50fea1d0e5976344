#include "GarbageCollectionDialog.h"

#include "bookmarks/BookmarkStore.h"
#include "bookmarks/SessionManager.h"
#include "cleanup/DeleteJournal.h"
#include "cleanup/GcGuidance.h"
#include "client/RegistryClient.h"
#include "main/WharfIcons.h"
#include "model/Format.h"
#include "ui_GarbageCollectionDialog.h"
#include "widgets/JobListModel.h"
#include "widgets/StatusColors.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QPushButton>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace wharf::gui {

GarbageCollectionDialog::GarbageCollectionDialog(SessionManager *sessions,
                                                 const QString &bookmarkId, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::GarbageCollectionDialog>())
    , m_sessions(sessions)
    , m_bookmarkId(bookmarkId)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Garbage Collection — %1").arg(registryName()));
    m_ui->introLabel->setText(GcGuidance::paragraphs().value(0));
    if (const auto b = m_sessions->bookmarks()->byId(bookmarkId))
        m_journalPath = DeleteJournal::defaultPathFor(b->displayUrl());
    m_ui->containerEdit->setText(u"<container>"_s);

    QFont bold = m_ui->estimateLabel->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    m_ui->estimateLabel->setFont(bold);
    m_ui->whileItRunsLabel->setText(GcGuidance::whileItRuns());
    StatusColors::show(m_ui->deleteUntaggedLabel, GcGuidance::deleteUntaggedWarning(),
                       StatusColors::Severity::Warning);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_ui->warningIconLabel->setPixmap(
        WharfIcons::icon(u"warning"_s).pixmap(QSize(iconSize, iconSize), devicePixelRatioF()));
    m_ui->emptyRepositoryLabel->setText(GcGuidance::emptyRepositoryNote());
    m_ui->refreshButton->setIcon(WharfIcons::icon(u"refresh"_s));
    m_ui->cancelButton->setIcon(WharfIcons::icon(u"cancel"_s));
    for (QPushButton *copy :
         {m_ui->copyDockerButton, m_ui->copyRegistryButton, m_ui->copyDebianButton})
        copy->setIcon(WharfIcons::icon(u"copy"_s));

    connect(m_ui->refreshButton, &QPushButton::clicked, this,
            &GarbageCollectionDialog::startEstimate);
    connect(m_ui->cancelButton, &QPushButton::clicked, this,
            &GarbageCollectionDialog::cancelEstimate);
    connect(m_ui->containerEdit, &QLineEdit::textChanged, this,
            &GarbageCollectionDialog::updateCommands);
    connect(m_ui->dryRunCheck, &QCheckBox::toggled, this, &GarbageCollectionDialog::updateCommands);
    connect(m_ui->copyDockerButton, &QPushButton::clicked, this,
            [this] { copyCommand(Command::Docker); });
    connect(m_ui->copyRegistryButton, &QPushButton::clicked, this,
            [this] { copyCommand(Command::Registry); });
    connect(m_ui->copyDebianButton, &QPushButton::clicked, this,
            [this] { copyCommand(Command::Debian); });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &GarbageCollectionDialog::reject);
    connect(m_sessions, &SessionManager::clientReset, this, [this](const QString &id) {
        if (id == m_bookmarkId)
            cancelEstimate();
    });
    updateCommands();
    setState(State::Idle);
}

GarbageCollectionDialog::~GarbageCollectionDialog()
{
    if (m_job && !m_job->isFinished()) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
}

QString GarbageCollectionDialog::registryName() const
{
    const auto b = m_sessions->bookmarks()->byId(m_bookmarkId);
    return b ? b->name : m_bookmarkId;
}

bool GarbageCollectionDialog::dryRun() const
{
    return m_ui->dryRunCheck->isChecked();
}

void GarbageCollectionDialog::setDryRun(bool dryRun)
{
    m_ui->dryRunCheck->setChecked(dryRun);
}

void GarbageCollectionDialog::setContainer(const QString &name)
{
    m_ui->containerEdit->setText(name);
}

QString GarbageCollectionDialog::commandText(Command command) const
{
    switch (command) {
    case Command::Docker: {
        const QString container = m_ui->containerEdit->text().trimmed();
        return GcGuidance::dockerCommand(dryRun(),
                                         container.isEmpty() ? u"<container>"_s : container);
    }
    case Command::Registry:
        return GcGuidance::registryCommand(dryRun());
    case Command::Debian:
        break;
    }
    return GcGuidance::debianCommand(dryRun());
}

void GarbageCollectionDialog::updateCommands()
{
    const std::pair<QLineEdit *, Command> edits[] = {{m_ui->dockerCommandEdit, Command::Docker},
                                                     {m_ui->registryCommandEdit, Command::Registry},
                                                     {m_ui->debianCommandEdit, Command::Debian}};
    for (const auto &[edit, command] : edits) {
        edit->setText(commandText(command));
        edit->setCursorPosition(0); // the start says which command it is
    }
    for (QPushButton *copy :
         {m_ui->copyDockerButton, m_ui->copyRegistryButton, m_ui->copyDebianButton})
        copy->setText(tr("Copy"));
}

void GarbageCollectionDialog::copyCommand(Command command)
{
    QGuiApplication::clipboard()->setText(commandText(command));
    updateCommands();
    QPushButton *button = command == Command::Docker     ? m_ui->copyDockerButton
                          : command == Command::Registry ? m_ui->copyRegistryButton
                                                         : m_ui->copyDebianButton;
    button->setText(tr("Copied"));
}

void GarbageCollectionDialog::setState(State state)
{
    m_state = state;
    const bool running = state == State::Estimating;
    m_ui->progressBar->setVisible(running);
    m_ui->cancelButton->setVisible(running);
    m_ui->refreshButton->setEnabled(!running);
}

void GarbageCollectionDialog::startEstimate()
{
    if (m_state == State::Estimating)
        return;
    m_ui->progressBar->setRange(0, 0);
    StatusColors::show(m_ui->estimateLabel, tr("Estimating…"), StatusColors::Severity::Neutral);
    m_ui->detailLabel->setText(
        tr("Wharf reads every repository to see which blobs of the manifests it deleted are "
           "still used elsewhere; on a large registry this takes a while."));
    setState(State::Estimating);

    delete m_clientContext;
    m_clientContext = new QObject(this);
    m_sessions->client(m_bookmarkId, m_clientContext, [this](Expected<RegistryClient *> client) {
        if (m_state != State::Estimating)
            return;
        if (!client) {
            StatusColors::show(m_ui->estimateLabel, client.error().message,
                               StatusColors::Severity::Error);
            m_ui->detailLabel->setText(JobListModel::adviceFor(client.error()));
            setState(State::Failed);
            emit estimateFinished();
            return;
        }
        GcEstimateJob::Options options;
        m_journalPath = DeleteJournal::defaultPathFor(
            (*client)->config().url.toString(QUrl::StripTrailingSlash));
        options.journalPath = m_journalPath;
        auto *job = new GcEstimateJob(*client, options, this);
        m_job = job;
        connect(job, &Job::progressChanged, this,
                [this](qint64 done, qint64 total, const QString &text) {
                    if (total > 0) {
                        m_ui->progressBar->setRange(0, int(total));
                        m_ui->progressBar->setValue(int(done));
                    }
                    if (!text.isEmpty())
                        m_ui->detailLabel->setText(text);
                });
        connect(job, &Job::finished, this, [this, job] { onEstimated(job); });
        emit jobStarted(job);
        job->start();
    });
}

void GarbageCollectionDialog::cancelEstimate()
{
    if (m_state != State::Estimating)
        return;
    if (m_job && !m_job->isFinished()) {
        m_job->cancel(); // onEstimated() says so
        return;
    }
    delete m_clientContext;
    m_clientContext = nullptr;
    StatusColors::show(m_ui->estimateLabel, tr("Cancelled."), StatusColors::Severity::Warning);
    setState(State::Failed);
    emit estimateFinished();
}

void GarbageCollectionDialog::onEstimated(GcEstimateJob *job)
{
    job->deleteLater();
    if (job != m_job)
        return;
    if (job->state() != Job::State::Succeeded) {
        const Error error = job->error().value_or(Error::make(
            Error::Kind::Cancelled, job->isCancelled() ? tr("Cancelled.") : tr("Failed.")));
        StatusColors::show(m_ui->estimateLabel, error.message,
                           job->isCancelled() ? StatusColors::Severity::Warning
                                              : StatusColors::Severity::Error);
        m_ui->detailLabel->setText(JobListModel::adviceFor(error));
        setState(State::Failed);
        emit estimateFinished();
        return;
    }
    m_estimate = job->estimate();
    const GcEstimate &e = m_estimate;
    const int blobs = int(e.blobs.size());
    StatusColors::show(m_ui->estimateLabel,
                       blobs == 0 ? tr("Nothing to free from Wharf's deletes (0 bytes).")
                                  : tr("%1 (%2 bytes) in %n blob(s)", nullptr, blobs)
                                        .arg(Format::bytes(e.reclaimableBytes))
                                        .arg(e.reclaimableBytes),
                       blobs == 0 ? StatusColors::Severity::Neutral
                                  : StatusColors::Severity::Success);
    QStringList details;
    details << tr("From %n delete(s) Wharf recorded for this registry.", nullptr, e.journalEntries);
    if (e.stillReferenced > 0)
        details << tr("%n blob(s) of deleted manifests are still used by remaining manifests and "
                      "stay.",
                      nullptr, e.stillReferenced);
    if (e.alreadyCollected > 0)
        details << tr("%n blob(s) were already removed by an earlier collection.", nullptr,
                      e.alreadyCollected);
    for (const QString &note : e.notes)
        details << note;
    details << tr("Deletes made with other tools are not in Wharf's journal: the real collection "
                  "can free more.");
    m_ui->detailLabel->setText(details.join(u'\n'));
    m_ui->detailLabel->setToolTip(tr("Delete journal: %1").arg(m_journalPath));
    setState(State::Done);
    emit estimateFinished();
}

void GarbageCollectionDialog::reject()
{
    cancelEstimate();
    QDialog::reject();
}

} // namespace wharf::gui
