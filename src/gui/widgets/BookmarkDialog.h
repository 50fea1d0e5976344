#pragma once

#include "Error.h"
#include "bookmarks/Bookmark.h"

#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

namespace Ui {
class BookmarkDialog;
}

namespace wharf {
class BookmarkStore;
class CredentialStore;
class RegistryClient;
struct PingResult;
} // namespace wharf

namespace wharf::gui {

// Adds or edits a registry bookmark. Settings go to the BookmarkStore, the password only to the
// CredentialStore (keyed by bookmark id, written when the dialog is saved, and left alone on
// edit unless the password field was changed). "Test connection" pings the registry with the
// values as entered, before anything is saved, and explains the outcome in place.
class BookmarkDialog : public QDialog
{
    Q_OBJECT
public:
    enum class TestOutcome { None, Running, Succeeded, Failed };
    Q_ENUM(TestOutcome)

    // Both stores are used, not owned. Starts in "add" mode.
    BookmarkDialog(BookmarkStore *store, CredentialStore *credentials, QWidget *parent = nullptr);
    ~BookmarkDialog() override;

    // Switches to editing this (stored) bookmark.
    void setBookmark(const Bookmark &bookmark);
    bool isEditing() const { return m_original.has_value(); }
    // The bookmark described by the fields right now (id of the edited one, else empty).
    Bookmark enteredBookmark() const;
    // After a successful save: the bookmark as stored, with its id.
    std::optional<Bookmark> savedBookmark() const { return m_saved; }

    void testConnection();
    TestOutcome testOutcome() const { return m_testOutcome; }
    QString testVerdict() const;

    // The inline verdicts, public so they can be checked without a registry.
    static QString successVerdict(const PingResult &result, bool credentialsGiven);
    static QString failureVerdict(const Error &error, bool credentialsGiven,
                                  const QString &hostPort);

public slots:
    void accept() override;

signals:
    void connectionTested(bool ok, const QString &verdict);
    void bookmarkSaved(const Bookmark &bookmark);

private:
    Bookmark::AuthMode authMode() const;
    std::optional<Error> validateEntered(const Bookmark &bookmark) const;
    void showValidation(const QString &message);
    void updateAuthFields();
    void updateTlsWarning();
    void updateKeychainNote();
    void probeKeychain();
    void startPing(const Bookmark &bookmark, const QString &secret);
    void finishTest(bool ok, const QString &verdict);
    void storeSecretAndClose(const Bookmark &saved);
    void setBusy(bool busy);

    std::unique_ptr<Ui::BookmarkDialog> m_ui;
    BookmarkStore *m_store;
    CredentialStore *m_credentials;
    std::optional<Bookmark> m_original; // the stored bookmark being edited
    std::optional<Bookmark> m_saved;
    bool m_passwordEdited = false;
    bool m_secretStored = false; // on edit: the credential store has a password for the id
    bool m_keychainProbed = false;
    bool m_keychainUnavailable = false;
    QString m_keychainExplanation;

    TestOutcome m_testOutcome = TestOutcome::None;
    QPointer<RegistryClient> m_testClient;
    QObject *m_testContext = nullptr; // replaced per test so stale answers never arrive
};

} // namespace wharf::gui
