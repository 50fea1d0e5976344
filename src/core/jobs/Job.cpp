#include "Job.h"

using namespace Qt::StringLiterals;

namespace wharf {

Job::Job(const QString &title, QObject *parent)
    : QObject(parent)
    , m_title(title)
{}

double Job::elapsedSeconds() const
{
    if (isFinished())
        return m_elapsedAtFinish;
    return m_timer.isValid() ? m_timer.nsecsElapsed() / 1e9 : 0.0;
}

void Job::start()
{
    if (m_state != State::Pending)
        return;
    m_state = State::Running;
    m_timer.start();
    run();
}

void Job::cancel()
{
    if (isFinished())
        return;
    abort();
    m_error = Error::make(Error::Kind::Cancelled, u"Cancelled"_s);
    finishWith(State::Cancelled);
}

void Job::setProgress(qint64 done, qint64 total, const QString &text)
{
    if (isFinished())
        return;
    m_done = done;
    m_total = total;
    if (!text.isEmpty())
        m_statusText = text;
    emit progressChanged(done, total, m_statusText);
}

void Job::succeed()
{
    finishWith(State::Succeeded);
}

void Job::fail(const Error &error)
{
    if (isFinished())
        return;
    m_error = error;
    finishWith(State::Failed);
}

void Job::finishWith(State state)
{
    if (isFinished())
        return;
    m_state = state;
    m_elapsedAtFinish = m_timer.isValid() ? m_timer.nsecsElapsed() / 1e9 : 0.0;
    emit finished();
}

} // namespace wharf
