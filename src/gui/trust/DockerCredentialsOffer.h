#pragma once

#include "credentials/DockerConfigLookup.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace wharf::gui {

// Finds the credentials Docker knows for the registry address being typed, so the bookmark
// dialog can offer them. Debounced: a lookup starts once the address has not changed for
// delay(); a newer address drops the answer for an older one. The lookup itself is
// asynchronous (credential helpers are processes), so typing never waits for it. Only tells:
// taking the credentials over is the dialog's business, and only when the user says so.
class DockerCredentialsOffer : public QObject
{
    Q_OBJECT
public:
    explicit DockerCredentialsOffer(QObject *parent = nullptr);

    // Looks registry (a URL) up after the delay, replacing any pending or running lookup.
    void lookUpLater(const QString &registry);
    void cancel();
    bool isBusy() const { return m_timer.isActive() || m_running; }
    int delay() const { return m_timer.interval(); }
    void setDelay(int ms) { m_timer.setInterval(ms); }
    // The last credentials found (for the address last looked up), if any.
    const std::optional<DockerConfigLookup::Result> &current() const { return m_current; }

    // "from <source>, user alice" / "from <source>, an identity token": for the offer's text.
    static QString describe(const DockerConfigLookup::Result &result);

signals:
    void found(const wharf::DockerConfigLookup::Result &result);
    // Looked up, nothing there (warnings say why a source could not be read, never secrets).
    void notFound(const QStringList &warnings);

private:
    void start();

    QTimer m_timer;
    QString m_registry;
    bool m_running = false;
    QPointer<QObject> m_context; // per lookup: deleting it drops the answer
    std::optional<DockerConfigLookup::Result> m_current;
};

} // namespace wharf::gui
