#pragma once

#include "Bookmark.h"
#include "Expected.h"

#include <QObject>

#include <memory>
#include <optional>

class QSettings;

namespace wharf {

// Bookmarks in an INI file shared by the app and wharfctl ($WHARF_CONFIG_DIR/wharf.conf, else
// <config dir>/wharf/wharf.conf). Holds no secrets: passwords go to the keychain by bookmark id.
class BookmarkStore : public QObject
{
    Q_OBJECT
public:
    explicit BookmarkStore(const QString &settingsPath = defaultSettingsPath(),
                           QObject *parent = nullptr);
    ~BookmarkStore() override;

    static QString defaultSettingsPath();
    QString settingsPath() const;

    const QList<Bookmark> &bookmarks() const { return m_bookmarks; }
    std::optional<Bookmark> byId(const QString &id) const;
    // By id, else by name (case-insensitive) – what `wharfctl -r NAME` uses.
    std::optional<Bookmark> find(const QString &idOrName) const;
    int indexOf(const QString &id) const;

    // Validates (name, http(s) URL, unique name) and saves. add() assigns the id.
    Expected<Bookmark> add(Bookmark bookmark);
    Expected<Bookmark> update(const Bookmark &bookmark);
    bool remove(const QString &id);
    bool move(int from, int to);
    void reload();

    static std::optional<Error> validate(const Bookmark &bookmark);

signals:
    void changed();

private:
    void save();

    std::unique_ptr<QSettings> m_settings;
    QList<Bookmark> m_bookmarks;
};

} // namespace wharf
