// The OS keychain through QtKeychain, for real: this suite runs inside tests/with-keyring (a
// private D-Bus session with an unlocked GNOME keyring).

#include "AsyncTest.h"
#include "credentials/KeychainCredentialStore.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf;
using wharf::testing::await;

namespace {

// A keychain that is not there: what QtKeychain reports without a Secret Service.
class MissingKeychain : public CredentialStore
{
public:
    void readSecret(const QString &, QObject *, ReadCallback done) override { done(unavailable()); }
    void writeSecret(const QString &, const QString &, QObject *, WriteCallback done) override
    {
        done(unavailable());
    }
    void removeSecret(const QString &, QObject *, WriteCallback done) override
    {
        done(unavailable());
    }
    QString description() const override { return u"missing"_s; }

private:
    static Error unavailable()
    {
        Error e = Error::make(Error::Kind::Io, u"No keychain is available (no backend)."_s);
        e.code = u"KEYCHAIN_5"_s; // QKeychain::NoBackendAvailable
        return e;
    }
};

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
private slots:
    void realSecretServiceRoundTrip();
    void sessionFallbackWhenNoKeychain();
};

void TestKeychain::realSecretServiceRoundTrip()
{
    KeychainCredentialStore store(u"io.github.wharf_registry.Wharf.test"_s);
    const QString key = u"bookmark-%1"_s.arg(QCoreApplication::applicationPid());
    const QString secret = u"pä$$wörd with spaces ✓"_s;

    auto none = await<std::optional<QString>>(
        [&](QObject *c, auto done) { store.readSecret(key, c, done); });
    QVERIFY2(none.hasValue(), qPrintable(none ? QString() : none.error().message));
    QVERIFY(!none->has_value());

    auto written =
        await<Done>([&](QObject *c, auto done) { store.writeSecret(key, secret, c, done); });
    QVERIFY2(written.hasValue(), qPrintable(written ? QString() : written.error().message));

    // A second store object (as in a new process) reads it back from the keyring.
    KeychainCredentialStore other(u"io.github.wharf_registry.Wharf.test"_s);
    auto read = await<std::optional<QString>>(
        [&](QObject *c, auto done) { other.readSecret(key, c, done); });
    QVERIFY(read.hasValue());
    QVERIFY(read->has_value());
    QCOMPARE(**read, secret);

    auto removed = await<Done>([&](QObject *c, auto done) { store.removeSecret(key, c, done); });
    QVERIFY(removed.hasValue());
    auto gone = await<std::optional<QString>>(
        [&](QObject *c, auto done) { other.readSecret(key, c, done); });
    QVERIFY(gone.hasValue());
    QVERIFY(!gone->has_value());
}

void TestKeychain::sessionFallbackWhenNoKeychain()
{
    SessionFallbackCredentialStore store(new MissingKeychain);
    QSignalSpy unavailable(&store, &SessionFallbackCredentialStore::keychainUnavailable);
    auto written =
        await<Done>([&](QObject *c, auto done) { store.writeSecret(u"id"_s, u"pw"_s, c, done); });
    QVERIFY(written.hasValue());
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(unavailable.first().first().toString().contains(u"this session only"_s));
    QVERIFY(store.usingFallback());
    QVERIFY(store.description().contains(u"session"_s));
    auto read = await<std::optional<QString>>(
        [&](QObject *c, auto done) { store.readSecret(u"id"_s, c, done); });
    QVERIFY(read.hasValue());
    QCOMPARE(read->value_or(QString()), u"pw"_s);
    QCOMPARE(unavailable.count(), 1); // said once, not on every access
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
