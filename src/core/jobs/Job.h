#pragma once

#include "Error.h"

#include <QElapsedTimer>
#include <QObject>

#include <optional>

namespace wharf {

// A long operation (inventory, bulk delete, scan) that reports progress, can be cancelled and
// finishes exactly once. Subclasses implement run(); the GUI shows every Job in its jobs panel
// and the CLI prints its progress on stderr.
class Job : public QObject
{
    Q_OBJECT
public:
    enum class State { Pending, Running, Succeeded, Failed, Cancelled };
    Q_ENUM(State)

    explicit Job(const QString &title, QObject *parent = nullptr);

    QString title() const { return m_title; }
    State state() const { return m_state; }
    bool isFinished() const { return m_state != State::Pending && m_state != State::Running; }
    bool isCancelled() const { return m_state == State::Cancelled; }
    const std::optional<Error> &error() const { return m_error; }
    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; }
    QString statusText() const { return m_statusText; }
    double elapsedSeconds() const;

    void start();
    void cancel();

signals:
    void progressChanged(qint64 done, qint64 total, const QString &text);
    void finished();

protected:
    virtual void run() = 0;
    // Stop outstanding work; finish() follows from cancel() itself.
    virtual void abort() {}
    void setProgress(qint64 done, qint64 total, const QString &text = {});
    void succeed();
    void fail(const Error &error);

private:
    void finishWith(State state);

    QString m_title;
    State m_state = State::Pending;
    std::optional<Error> m_error;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QString m_statusText;
    QElapsedTimer m_timer;
    double m_elapsedAtFinish = 0;
};

} // namespace wharf
