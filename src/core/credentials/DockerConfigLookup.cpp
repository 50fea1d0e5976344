#include "DockerConfigLookup.h"

#include "CredentialHelper.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace wharf {

DockerConfigLookup::DockerConfigLookup(QObject *context, Callback done)
    : m_context(context)
    , m_done(std::move(done))
{}

void DockerConfigLookup::find(const QString &registry, QObject *context, Callback done)
{
    find(registry, context, std::move(done), Options());
}

void DockerConfigLookup::find(const QString &registry, QObject *context, Callback done,
                              const Options &options)
{
    auto *lookup = new DockerConfigLookup(context, std::move(done));
    lookup->m_timeoutMs = options.helperTimeoutMs;
    lookup->m_result.serverKey = DockerConfig::serverKey(registry);
    Expected<DockerConfig> config =
        options.config ? Expected<DockerConfig>(*options.config) : DockerConfig::load();
    if (!config) {
        lookup->m_result.warnings << config.error().message;
        QTimer::singleShot(0, lookup, [lookup] { lookup->finish(); });
        return;
    }
    lookup->m_config = *config;
    lookup->m_result.warnings << config->problems();

    QList<std::pair<QString, QString>> helpers;
    if (const auto helper = config->credHelperFor(registry))
        helpers << std::pair(helper->second,
                             u"credHelpers[\"%1\"] in %2"_s.arg(helper->first, config->origin()));
    if (!config->credsStore().isEmpty() &&
        (helpers.isEmpty() || helpers.first().first != config->credsStore()))
        helpers << std::pair(config->credsStore(), u"credsStore in %1"_s.arg(config->origin()));
    QTimer::singleShot(0, lookup, [lookup, helpers] { lookup->askHelpers(helpers); });
}

void DockerConfigLookup::askHelpers(QList<std::pair<QString, QString>> helpers)
{
    if (!m_context) {
        deleteLater();
        return;
    }
    if (helpers.isEmpty()) {
        finishWithAuths();
        return;
    }
    const auto [helper, why] = helpers.takeFirst();
    CredentialHelper::get(
        helper, m_result.serverKey, this,
        [this, helper, why, helpers](Expected<CredentialHelper::Answer> answer) {
            if (!answer) {
                m_result.warnings << answer.error().message + u" ("_s + why + u')';
            } else if (answer->found) {
                m_result.found = true;
                m_result.credentials = answer->credentials;
                m_result.source = CredentialHelper::programName(helper) + u" ("_s + why + u')';
                finish();
                return;
            }
            askHelpers(helpers);
        },
        m_timeoutMs);
}

void DockerConfigLookup::finishWithAuths()
{
    if (const auto entry = m_config.authFor(m_result.serverKey)) {
        m_result.found = true;
        m_result.credentials = entry->credentials;
        m_result.source = u"auths[\"%1\"] in %2"_s.arg(entry->key, m_config.origin());
    }
    finish();
}

void DockerConfigLookup::finish()
{
    if (m_context)
        m_done(m_result);
    deleteLater();
}

} // namespace wharf
