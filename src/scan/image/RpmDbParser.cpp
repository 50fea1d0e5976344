#include "RpmDbParser.h"

#include "RpmHeaderParser.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>

#include <atomic>

namespace wharf::scan {

namespace {

void warn(QStringList *warnings, const QString &text)
{
    if (warnings)
        warnings->append(text);
}

// Sane upper bound for a package count (a full RHEL install has a few thousand).
constexpr int kMaxPackages = 200000;

} // namespace

QList<InstalledPackage> RpmDbParser::parse(const QByteArray &sqliteBytes, QStringList *warnings,
                                           qint64 maxBytes)
{
    if (sqliteBytes.size() > maxBytes) {
        warn(warnings, u"rpm database of " + QString::number(sqliteBytes.size()) +
                           u" bytes is over the " + QString::number(maxBytes) +
                           u"-byte bound: not parsed");
        return {};
    }
    if (!sqliteBytes.startsWith("SQLite format 3")) {
        warn(warnings, QStringLiteral("var/lib/rpm/rpmdb.sqlite is not an SQLite database"));
        return {};
    }
    QTemporaryFile file;
    if (!file.open() || file.write(sqliteBytes) != sqliteBytes.size() || !file.flush()) {
        warn(warnings, u"cannot write the rpm database to a temporary file: " + file.errorString());
        return {};
    }
    return parseFile(file.fileName(), warnings);
}

QList<InstalledPackage> RpmDbParser::parseFile(const QString &path, QStringList *warnings)
{
    static std::atomic_int counter{0};
    const QString connection = u"wharf-rpmdb-" + QString::number(++counter);
    QList<InstalledPackage> out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        if (!db.isValid()) {
            warn(warnings, QStringLiteral("the Qt SQLite driver is not available: rpm packages "
                                          "are not listed"));
        } else {
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            if (!db.open()) {
                warn(warnings, u"cannot open the rpm database: " + db.lastError().text());
            } else {
                QSqlQuery query(db);
                query.setForwardOnly(true);
                if (!query.exec(QStringLiteral("SELECT blob FROM Packages"))) {
                    warn(warnings, u"cannot read the rpm database: " + query.lastError().text());
                } else {
                    int bad = 0;
                    QString firstError;
                    while (query.next() && out.size() < kMaxPackages) {
                        QString error;
                        const QByteArray blob = query.value(0).toByteArray();
                        if (auto p = RpmHeaderParser::parse(blob, &error)) {
                            // Imported signing keys are stored as pseudo-packages.
                            if (p->name != u"gpg-pubkey")
                                out.append(*p);
                        } else if (++bad == 1) {
                            firstError = error;
                        }
                    }
                    if (bad > 0)
                        warn(warnings, QString::number(bad) +
                                           u" unreadable rpm header(s) skipped (" + firstError +
                                           u')');
                }
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return out;
}

} // namespace wharf::scan
