#include "DockerCredentialsOffer.h"

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

// Long enough not to run docker-credential-* for every keystroke.
constexpr int DefaultDelayMs = 500;

} // namespace

DockerCredentialsOffer::DockerCredentialsOffer(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &DockerCredentialsOffer::start);
}

void DockerCredentialsOffer::lookUpLater(const QString &registry)
{
    cancel();
    m_registry = registry;
    m_timer.start();
}

void DockerCredentialsOffer::cancel()
{
    m_timer.stop();
    delete m_context;
    m_running = false;
    m_current.reset();
}

void DockerCredentialsOffer::start()
{
    auto *context = new QObject(this);
    m_context = context;
    m_running = true;
    DockerConfigLookup::find(m_registry, context,
                             [this, context](const DockerConfigLookup::Result &result) {
                                 context->deleteLater();
                                 m_running = false;
                                 if (!result.found) {
                                     emit notFound(result.warnings);
                                     return;
                                 }
                                 m_current = result;
                                 emit found(result);
                             });
}

QString DockerCredentialsOffer::describe(const DockerConfigLookup::Result &result)
{
    const Credentials &c = result.credentials;
    if (!c.identityToken.isEmpty())
        return tr("from %1, an identity token").arg(result.source);
    if (!c.registryToken.isEmpty() && c.secret.isEmpty())
        return tr("from %1, a registry token").arg(result.source);
    return tr("from %1, user %2").arg(result.source, c.username);
}

} // namespace wharf::gui
