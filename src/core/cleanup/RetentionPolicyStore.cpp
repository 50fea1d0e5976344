#include "RetentionPolicyStore.h"

#include <QSettings>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace wharf {

RetentionPolicyStore::RetentionPolicyStore(const QString &settingsPath, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(settingsPath, QSettings::IniFormat))
{
    reload();
}

RetentionPolicyStore::~RetentionPolicyStore() = default;

void RetentionPolicyStore::reload()
{
    m_settings->sync();
    m_policies.clear();
    m_settings->beginGroup(u"retention"_s);
    const int n = m_settings->beginReadArray(u"policies"_s);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        RetentionPolicy p;
        p.id = m_settings->value(u"id"_s).toString();
        p.bookmarkId = m_settings->value(u"bookmarkId"_s).toString();
        p.name = m_settings->value(u"name"_s).toString();
        p.repositoryGlob = m_settings->value(u"repositoryGlob"_s, u"*"_s).toString();
        p.keepLast = m_settings->value(u"keepLast"_s, -1).toInt();
        p.keepPattern = m_settings->value(u"keepPattern"_s).toString();
        p.olderThanDays = m_settings->value(u"olderThanDays"_s, -1).toInt();
        p.deletePattern = m_settings->value(u"deletePattern"_s).toString();
        if (!p.id.isEmpty())
            m_policies << p;
    }
    m_settings->endArray();
    m_settings->endGroup();
}

void RetentionPolicyStore::save()
{
    m_settings->beginGroup(u"retention"_s);
    m_settings->remove(u"policies"_s);
    m_settings->beginWriteArray(u"policies"_s, static_cast<int>(m_policies.size()));
    for (int i = 0; i < m_policies.size(); ++i) {
        const RetentionPolicy &p = m_policies.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(u"id"_s, p.id);
        m_settings->setValue(u"bookmarkId"_s, p.bookmarkId);
        m_settings->setValue(u"name"_s, p.name);
        m_settings->setValue(u"repositoryGlob"_s, p.repositoryGlob);
        m_settings->setValue(u"keepLast"_s, p.keepLast);
        m_settings->setValue(u"keepPattern"_s, p.keepPattern);
        m_settings->setValue(u"olderThanDays"_s, p.olderThanDays);
        m_settings->setValue(u"deletePattern"_s, p.deletePattern);
    }
    m_settings->endArray();
    m_settings->endGroup();
    m_settings->sync();
    emit changed();
}

QList<RetentionPolicy> RetentionPolicyStore::forBookmark(const QString &bookmarkId) const
{
    QList<RetentionPolicy> out;
    for (const RetentionPolicy &p : m_policies) {
        if (p.bookmarkId == bookmarkId)
            out << p;
    }
    return out;
}

std::optional<RetentionPolicy> RetentionPolicyStore::byId(const QString &id) const
{
    for (const RetentionPolicy &p : m_policies) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

Expected<RetentionPolicy> RetentionPolicyStore::add(RetentionPolicy policy)
{
    if (auto e = policy.validate())
        return *e;
    policy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_policies << policy;
    save();
    return policy;
}

Expected<RetentionPolicy> RetentionPolicyStore::update(const RetentionPolicy &policy)
{
    if (auto e = policy.validate())
        return *e;
    for (RetentionPolicy &p : m_policies) {
        if (p.id == policy.id) {
            p = policy;
            save();
            return policy;
        }
    }
    return Error::make(Error::Kind::NotFound, tr("That retention policy no longer exists."));
}

bool RetentionPolicyStore::remove(const QString &id)
{
    const auto removed =
        m_policies.removeIf([&id](const RetentionPolicy &p) { return p.id == id; });
    if (removed > 0)
        save();
    return removed > 0;
}

int RetentionPolicyStore::removeForBookmark(const QString &bookmarkId)
{
    const auto removed = m_policies.removeIf(
        [&bookmarkId](const RetentionPolicy &p) { return p.bookmarkId == bookmarkId; });
    if (removed > 0)
        save();
    return static_cast<int>(removed);
}

} // namespace wharf
