#pragma once

#include <QDialog>

#include <memory>

class QPushButton;

namespace Ui {
class AddRepositoryDialog;
}

namespace wharf {
class BookmarkStore;
}

namespace wharf::gui {

// Adds repositories by name to a bookmark's own list (Bookmark::repositories): how registries
// without a catalog (Docker Hub, GHCR, GitLab) get anything to show. Names are checked with
// ImageReference::isValidRepository and problems shown in place; Add saves the bookmark (the
// tree then shows the listed repositories) and closes.
class AddRepositoryDialog : public QDialog
{
    Q_OBJECT
public:
    AddRepositoryDialog(BookmarkStore *store, const QString &bookmarkId, QWidget *parent = nullptr);
    ~AddRepositoryDialog() override;

    QString bookmarkId() const { return m_bookmarkId; }
    void setNames(const QString &text);
    // After Add: the names that were appended (those already listed are left out).
    QStringList addedNames() const { return m_added; }
    QString validationMessage() const;
    QPushButton *addButton() const { return m_addButton; }

    // Lines, commas and spaces separate names; empty entries and repeats are dropped.
    static QStringList parseNames(const QString &text);

public slots:
    void accept() override;

private:
    void showValidation(const QString &message);

    std::unique_ptr<Ui::AddRepositoryDialog> m_ui;
    BookmarkStore *m_store;
    QString m_bookmarkId;
    QStringList m_added;
    QPushButton *m_addButton = nullptr;
};

} // namespace wharf::gui
