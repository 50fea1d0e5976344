#include "BookmarkStore.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace wharf {

BookmarkStore::BookmarkStore(const QString &settingsPath, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(settingsPath, QSettings::IniFormat))
{
    reload();
}

BookmarkStore::~BookmarkStore() = default;

QString BookmarkStore::defaultSettingsPath()
{
    QString dir = qEnvironmentVariable("WHARF_CONFIG_DIR");
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/wharf"_s;
    return dir + u"/wharf.conf"_s;
}

QString BookmarkStore::settingsPath() const
{
    return m_settings->fileName();
}

void BookmarkStore::reload()
{
    m_settings->sync();
    m_bookmarks.clear();
    const int n = m_settings->beginReadArray(u"bookmarks"_s);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        Bookmark b;
        b.id = m_settings->value(u"id"_s).toString();
        b.name = m_settings->value(u"name"_s).toString();
        b.url = QUrl(m_settings->value(u"url"_s).toString());
        b.authMode = Bookmark::authModeFromName(m_settings->value(u"auth"_s).toString());
        b.username = m_settings->value(u"username"_s).toString();
        b.skipTlsVerify = m_settings->value(u"skipTlsVerify"_s, false).toBool();
        b.caCertificateFile = m_settings->value(u"caCertificateFile"_s).toString();
        b.repositories = m_settings->value(u"repositories"_s).toStringList();
        if (!b.id.isEmpty() && b.url.isValid())
            m_bookmarks << b;
    }
    m_settings->endArray();
}

void BookmarkStore::save()
{
    m_settings->remove(u"bookmarks"_s);
    m_settings->beginWriteArray(u"bookmarks"_s, static_cast<int>(m_bookmarks.size()));
    for (int i = 0; i < m_bookmarks.size(); ++i) {
        const Bookmark &b = m_bookmarks.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(u"id"_s, b.id);
        m_settings->setValue(u"name"_s, b.name);
        m_settings->setValue(u"url"_s, b.url.toString());
        m_settings->setValue(u"auth"_s, Bookmark::authModeName(b.authMode));
        m_settings->setValue(u"username"_s, b.username);
        m_settings->setValue(u"skipTlsVerify"_s, b.skipTlsVerify);
        m_settings->setValue(u"caCertificateFile"_s, b.caCertificateFile);
        m_settings->setValue(u"repositories"_s, b.repositories);
    }
    m_settings->endArray();
    m_settings->sync();
    emit changed();
}

std::optional<Bookmark> BookmarkStore::byId(const QString &id) const
{
    for (const Bookmark &b : m_bookmarks) {
        if (b.id == id)
            return b;
    }
    return std::nullopt;
}

std::optional<Bookmark> BookmarkStore::find(const QString &idOrName) const
{
    if (auto b = byId(idOrName))
        return b;
    for (const Bookmark &b : m_bookmarks) {
        if (b.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return b;
    }
    return std::nullopt;
}

int BookmarkStore::indexOf(const QString &id) const
{
    for (int i = 0; i < m_bookmarks.size(); ++i) {
        if (m_bookmarks.at(i).id == id)
            return i;
    }
    return -1;
}

std::optional<Error> BookmarkStore::validate(const Bookmark &b)
{
    if (b.name.trimmed().isEmpty())
        return Error::make(Error::Kind::InvalidInput, tr("Give the registry a name."));
    if (!b.url.isValid() || b.url.host().isEmpty() ||
        (b.url.scheme() != u"http"_s && b.url.scheme() != u"https"_s))
        return Error::make(Error::Kind::InvalidInput,
                           tr("The address must be an http:// or https:// URL with a host, e.g. "
                              "https://registry.example.com or http://localhost:5000."));
    if (b.authMode == Bookmark::AuthMode::Password && b.username.trimmed().isEmpty())
        return Error::make(Error::Kind::InvalidInput, tr("Enter the username."));
    return std::nullopt;
}

Expected<Bookmark> BookmarkStore::add(Bookmark bookmark)
{
    if (auto e = validate(bookmark))
        return *e;
    for (const Bookmark &b : std::as_const(m_bookmarks)) {
        if (b.name.compare(bookmark.name, Qt::CaseInsensitive) == 0)
            return Error::make(Error::Kind::InvalidInput,
                               tr("A registry named “%1” already exists.").arg(bookmark.name));
    }
    bookmark.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_bookmarks << bookmark;
    save();
    return bookmark;
}

Expected<Bookmark> BookmarkStore::update(const Bookmark &bookmark)
{
    const int index = indexOf(bookmark.id);
    if (index < 0)
        return Error::make(Error::Kind::NotFound, tr("That registry bookmark no longer exists."));
    if (auto e = validate(bookmark))
        return *e;
    for (const Bookmark &b : std::as_const(m_bookmarks)) {
        if (b.id != bookmark.id && b.name.compare(bookmark.name, Qt::CaseInsensitive) == 0)
            return Error::make(Error::Kind::InvalidInput,
                               tr("A registry named “%1” already exists.").arg(bookmark.name));
    }
    m_bookmarks[index] = bookmark;
    save();
    return bookmark;
}

bool BookmarkStore::remove(const QString &id)
{
    const int index = indexOf(id);
    if (index < 0)
        return false;
    m_bookmarks.removeAt(index);
    save();
    return true;
}

bool BookmarkStore::move(int from, int to)
{
    if (from < 0 || from >= m_bookmarks.size() || to < 0 || to >= m_bookmarks.size() || from == to)
        return false;
    m_bookmarks.move(from, to);
    save();
    return true;
}

} // namespace wharf
