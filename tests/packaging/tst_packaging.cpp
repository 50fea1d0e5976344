// Packaging, checked the way a distribution would: the `cmake --install` tree validated by
// desktop-file-validate and appstreamcli, its icons, translations and man page read back; then
// the .deb and .tar.gz that cpack builds from this build tree unpacked into scratch directories,
// their binaries' libraries resolved with ldd and `wharfctl --version` run from there with no
// LD_LIBRARY_PATH. Nothing is installed into the system unless WHARF_TEST_SYSTEM_INSTALL=1.

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString appId = QStringLiteral(WHARF_APP_ID);
const QString version = QStringLiteral(WHARF_PROJECT_VERSION);
const QString buildDir = QStringLiteral(WHARF_BINARY_DIR);
const QString sourceDir = QStringLiteral(WHARF_SOURCE_DIR);
const QList<int> pngSizes = {16, 32, 48, 64, 128, 256};

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString all() const { return QString::fromUtf8(out + err); }
    bool ok() const { return exitCode == 0; }
};

// The environment a user's shell would give an installed program: nothing pointing into the
// build tree, no library path overrides, a throw-away home.
QProcessEnvironment cleanEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name :
         {u"LD_LIBRARY_PATH"_s, u"LD_PRELOAD"_s, u"QT_PLUGIN_PATH"_s, u"QML2_IMPORT_PATH"_s})
        env.remove(name);
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/.config"_s);
    env.insert(u"XDG_CACHE_HOME"_s, home + u"/.cache"_s);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/.local/share"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    return env;
}

Run run(const QString &program, const QStringList &args,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        int timeoutMs = 600'000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, args);
    Run result;
    if (!process.waitForStarted()) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out: " + process.readAllStandardError();
        return result;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

QString describe(const QString &what, const Run &r)
{
    return what + u" exited "_s + QString::number(r.exitCode) + u":\n"_s + r.all();
}

// Key=value pairs of the [Desktop Entry] group.
QHash<QString, QString> readDesktopEntry(const QString &path)
{
    QHash<QString, QString> entry;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return entry;
    bool inGroup = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(u'['))
            inGroup = line == u"[Desktop Entry]"_s;
        else if (inGroup && line.contains(u'=') && !line.startsWith(u'#'))
            entry.insert(line.section(u'=', 0, 0), line.section(u'=', 1));
    }
    return entry;
}

struct PluralMessage
{
    QString context;
    QString source;
    QString comment;
};

// The numerus messages of a Qt .ts file, in file order.
QList<PluralMessage> readPluralMessages(const QString &tsPath)
{
    QList<PluralMessage> messages;
    QFile file(tsPath);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    QString context;
    PluralMessage current;
    bool inNumerus = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"name"_s)
                context = xml.readElementText();
            else if (xml.name() == u"message"_s) {
                inNumerus = xml.attributes().value(u"numerus"_s) == u"yes"_s;
                current = {context, {}, {}};
            } else if (xml.name() == u"source"_s)
                current.source = xml.readElementText();
            else if (xml.name() == u"comment"_s)
                current.comment = xml.readElementText();
        } else if (xml.isEndElement() && xml.name() == u"message"_s && inNumerus) {
            messages.append(current);
        }
    }
    return messages;
}

// "Package (>= 1.0) | other, next" -> every package name mentioned.
QStringList dependencyNames(const QString &field)
{
    QStringList names;
    for (const QString &clause : field.split(u',', Qt::SkipEmptyParts)) {
        for (const QString &alternative : clause.split(u'|', Qt::SkipEmptyParts)) {
            const QString name = alternative.trimmed().section(u' ', 0, 0).section(u':', 0, 0);
            if (!name.isEmpty())
                names.append(name);
        }
    }
    return names;
}

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    // The install tree.
    void installedFiles_data();
    void installedFiles();
    void installedBinariesRun();
    void installedBinariesHaveNoBuildTreeRunpath();
    void pngIcons_data();
    void pngIcons();
    void scalableIconIsTheAppIcon();
    void desktopFileValidates();
    void metainfoValidates();
    void appstreamTreeValidates();
    void manPageRenders();

    // Translations.
    void translationGivesEnglishPlurals();
    void translationCoversEveryPluralString();

    // Platform templates that cannot be built here.
    void macosInfoPlistTemplate();

    // Packages built by cpack from this build tree.
    void debBuilds();
    void debControlFields();
    void debDependsSatisfiedHere();
    void debContents();
    void debUnpackedRuns();
    void debInstallsWithDpkgIntoScratchRoot();
    void debInstallsIntoSystem();
    void tgzBuildsAndRuns();

private:
    Run cpack(const QString &generator, const QString &outputDir);
    QString installed(const QString &relative) const { return m_prefix + u'/' + relative; }
    QStringList lddProblems(const QString &binary);

    QTemporaryDir m_tmp;
    QString m_prefix;
    QString m_deb;
};

void TestPackaging::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_prefix = m_tmp.filePath(u"install/usr"_s);
    const Run install = run(QStringLiteral(WHARF_CMAKE_COMMAND),
                            {u"--install"_s, buildDir, u"--prefix"_s, m_prefix, u"--config"_s,
                             QStringLiteral(WHARF_BUILD_CONFIG)});
    QVERIFY2(install.ok(), qPrintable(describe(u"cmake --install"_s, install)));
}

void TestPackaging::installedFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("executable");
    QTest::newRow("wharf") << u"bin/wharf"_s << true;
    QTest::newRow("wharfctl") << u"bin/wharfctl"_s << true;
    QTest::newRow("desktop") << u"share/applications/"_s + appId + u".desktop"_s << false;
    QTest::newRow("metainfo") << u"share/metainfo/"_s + appId + u".metainfo.xml"_s << false;
    QTest::newRow("svg") << u"share/icons/hicolor/scalable/apps/"_s + appId + u".svg"_s << false;
    for (int size : pngSizes) {
        const QString dir = QString::number(size) + u'x' + QString::number(size);
        QTest::addRow("png %d", size)
            << u"share/icons/hicolor/"_s + dir + u"/apps/"_s + appId + u".png"_s << false;
    }
    QTest::newRow("qm") << u"share/wharf/translations/wharf_en.qm"_s << false;
    QTest::newRow("man") << u"share/man/man1/wharfctl.1.gz"_s << false;
    QTest::newRow("copyright") << u"share/doc/wharf/copyright"_s << false;
}

void TestPackaging::installedFiles()
{
    QFETCH(QString, path);
    QFETCH(bool, executable);
    const QFileInfo info(installed(path));
    QVERIFY2(info.isFile(), qPrintable(info.filePath()));
    QVERIFY(info.size() > 0);
    QCOMPARE(info.isExecutable(), executable);
}

void TestPackaging::installedBinariesRun()
{
    const QProcessEnvironment env = cleanEnvironment(m_tmp.filePath(u"home"_s));
    const Run cli = run(installed(u"bin/wharfctl"_s), {u"--version"_s}, env, 60'000);
    QVERIFY2(cli.ok(), qPrintable(describe(u"wharfctl --version"_s, cli)));
    QCOMPARE(QString::fromUtf8(cli.out).trimmed(), u"wharfctl "_s + version);
    const Run app = run(installed(u"bin/wharf"_s), {u"--version"_s}, env, 60'000);
    QVERIFY2(app.ok(), qPrintable(describe(u"wharf --version"_s, app)));
    QVERIFY2(app.out.contains(version.toUtf8()), app.out.constData());
}

void TestPackaging::installedBinariesHaveNoBuildTreeRunpath()
{
    for (const QString &binary : {u"bin/wharf"_s, u"bin/wharfctl"_s}) {
        const Run dynamic = run(u"readelf"_s, {u"-d"_s, installed(binary)});
        QVERIFY2(dynamic.ok(), qPrintable(describe(u"readelf -d"_s, dynamic)));
        for (const QByteArray &line : dynamic.out.split('\n')) {
            if (line.contains("(RPATH)") || line.contains("(RUNPATH)")) {
                QVERIFY2(!line.contains(buildDir.toUtf8()) && !line.contains(sourceDir.toUtf8()),
                         line.constData());
            }
        }
    }
}

void TestPackaging::pngIcons_data()
{
    QTest::addColumn<int>("size");
    for (int size : pngSizes)
        QTest::addRow("%d", size) << size;
}

void TestPackaging::pngIcons()
{
    QFETCH(int, size);
    const QString dir = QString::number(size) + u'x' + QString::number(size);
    QImageReader reader(
        installed(u"share/icons/hicolor/"_s + dir + u"/apps/"_s + appId + u".png"_s));
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage image = reader.read();
    QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
    QCOMPARE(image.size(), QSize(size, size));
    QVERIFY(image.hasAlphaChannel());
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);                       // rounded corner
    QCOMPARE(qAlpha(image.pixel(size / 2, size * 20 / 64)), 255); // body
}

void TestPackaging::scalableIconIsTheAppIcon()
{
    QFile installedSvg(installed(u"share/icons/hicolor/scalable/apps/"_s + appId + u".svg"_s));
    QFile sourceSvg(sourceDir + u"/resources/icons/wharf.svg"_s);
    QVERIFY(installedSvg.open(QIODevice::ReadOnly));
    QVERIFY(sourceSvg.open(QIODevice::ReadOnly));
    QCOMPARE(installedSvg.readAll(), sourceSvg.readAll());
}

void TestPackaging::desktopFileValidates()
{
    const QString path = installed(u"share/applications/"_s + appId + u".desktop"_s);
    const Run validate = run(u"desktop-file-validate"_s, {path});
    QVERIFY2(validate.ok(), qPrintable(describe(u"desktop-file-validate"_s, validate)));
    // Hints (such as two main categories, which is what puts Wharf under both Development
    // and Internet) are advice; errors and warnings are not allowed.
    for (const QString &line : validate.all().split(u'\n', Qt::SkipEmptyParts))
        QVERIFY2(line.contains(u": hint: "_s), qPrintable(line));

    const QHash<QString, QString> entry = readDesktopEntry(path);
    QCOMPARE(entry.value(u"Type"_s), u"Application"_s);
    QCOMPARE(entry.value(u"Name"_s), u"Wharf"_s);
    QCOMPARE(entry.value(u"Icon"_s), appId);
    const QStringList categories = entry.value(u"Categories"_s).split(u';', Qt::SkipEmptyParts);
    QVERIFY(categories.contains(u"Development"_s));
    QVERIFY(categories.contains(u"Network"_s));
    // The program Exec names is the one installed next to it.
    const QString exec = entry.value(u"Exec"_s).section(u' ', 0, 0);
    QCOMPARE(exec, u"wharf"_s);
    QVERIFY(QFileInfo(installed(u"bin/"_s + exec)).isExecutable());
}

void TestPackaging::metainfoValidates()
{
    const QString path = installed(u"share/metainfo/"_s + appId + u".metainfo.xml"_s);
    const Run validate = run(u"appstreamcli"_s, {u"validate"_s, u"--no-net"_s, path});
    QVERIFY2(validate.ok(), qPrintable(describe(u"appstreamcli validate"_s, validate)));
    // Errors (E:) and warnings (W:) fail validation; infos and pedantic notes are advice.
    static const QRegularExpression problem(u"^[EW]: "_s, QRegularExpression::MultilineOption);
    QVERIFY2(!problem.match(validate.all()).hasMatch(), qPrintable(validate.all()));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QHash<QString, QString> values;
    QStringList binaries;
    QString releaseVersion;
    QString releaseDate;
    QString launchable;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const QString name = xml.name().toString();
        if (name == u"release"_s) {
            releaseVersion = xml.attributes().value(u"version"_s).toString();
            releaseDate = xml.attributes().value(u"date"_s).toString();
        } else if (name == u"binary"_s) {
            binaries.append(xml.readElementText());
        } else if (name == u"launchable"_s) {
            QCOMPARE(xml.attributes().value(u"type"_s), u"desktop-id"_s);
            launchable = xml.readElementText();
        } else if (name == u"id"_s || name == u"metadata_license"_s ||
                   name == u"project_license"_s) {
            values.insert(name, xml.readElementText());
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(values.value(u"id"_s), appId);
    QCOMPARE(values.value(u"metadata_license"_s), u"CC0-1.0"_s);
    QCOMPARE(values.value(u"project_license"_s), u"MIT"_s);
    QCOMPARE(releaseVersion, version);
    QVERIFY2(QDate::fromString(releaseDate, Qt::ISODate).isValid(), qPrintable(releaseDate));
    // The same id names the desktop file, and every binary it promises is installed.
    QCOMPARE(launchable, appId + u".desktop"_s);
    QVERIFY(QFileInfo::exists(installed(u"share/applications/"_s + launchable)));
    QCOMPARE(binaries, QStringList({u"wharf"_s, u"wharfctl"_s}));
    for (const QString &binary : std::as_const(binaries))
        QVERIFY2(QFileInfo(installed(u"bin/"_s + binary)).isExecutable(), qPrintable(binary));
}

void TestPackaging::appstreamTreeValidates()
{
    // The whole tree as a software centre sees it: metainfo, desktop file and icons together.
    const Run validate = run(
        u"appstreamcli"_s, {u"validate-tree"_s, u"--no-net"_s, QFileInfo(m_prefix).absolutePath()});
    QVERIFY2(validate.ok(), qPrintable(describe(u"appstreamcli validate-tree"_s, validate)));
    static const QRegularExpression problem(u"^[EW]: "_s, QRegularExpression::MultilineOption);
    QVERIFY2(!problem.match(validate.all()).hasMatch(), qPrintable(validate.all()));
}

void TestPackaging::manPageRenders()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MANWIDTH"_s, u"80"_s);
    env.insert(u"MAN_DISABLE_SECCOMP"_s, u"1"_s);
    const Run man = run(
        u"man"_s, {u"--warnings"_s, u"-l"_s, installed(u"share/man/man1/wharfctl.1.gz"_s)}, env);
    QVERIFY2(man.ok(), qPrintable(describe(u"man -l"_s, man)));
    QVERIFY2(man.err.isEmpty(), man.err.constData()); // groff's warnings
    const QString page = QString::fromUtf8(man.out);
    QVERIFY(page.contains(u"wharfctl - browse"_s));
    for (const QString &section : {u"SYNOPSIS"_s, u"OPTIONS"_s, u"EXIT STATUS"_s})
        QVERIFY2(page.contains(section), qPrintable(section));
}

void TestPackaging::translationGivesEnglishPlurals()
{
    QTranslator translator;
    QVERIFY(translator.load(installed(u"share/wharf/translations/wharf_en.qm"_s)));
    QCOMPARE(translator.language(), u"en"_s);
    const char *context = "wharf::gui::MainWindow";
    QCOMPARE(translator.translate(context, "%n tag(s)", nullptr, 1), u"%n tag"_s);
    QCOMPARE(translator.translate(context, "%n tag(s)", nullptr, 2), u"%n tags"_s);
    QCOMPARE(translator.translate(context, "%n tag(s)", nullptr, 0), u"%n tags"_s);
    QCOMPARE(translator.translate("wharf::scan::ScanJob", "%n vulnerabilities", nullptr, 1),
             u"%n vulnerability"_s);
}

void TestPackaging::translationCoversEveryPluralString()
{
    // lupdate over the current sources lists every tr() with %n; each must have English forms
    // in the installed catalogue, or the app shows "1 tag(s)".
    const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + u"/lupdate"_s;
    QVERIFY2(QFileInfo(lupdate).isExecutable(), qPrintable(lupdate));
    const QString ts = m_tmp.filePath(u"extracted_en.ts"_s);
    const Run extract = run(lupdate, {u"-silent"_s, u"-pluralonly"_s, u"-locations"_s, u"none"_s,
                                      sourceDir + u"/src"_s, sourceDir + u"/ui"_s, u"-ts"_s, ts});
    QVERIFY2(extract.ok(), qPrintable(describe(u"lupdate"_s, extract)));
    const QList<PluralMessage> messages = readPluralMessages(ts);
    QVERIFY2(!messages.isEmpty(), "lupdate found no %n strings");

    QTranslator translator;
    QVERIFY(translator.load(installed(u"share/wharf/translations/wharf_en.qm"_s)));
    const QList<PluralMessage> catalogue =
        readPluralMessages(sourceDir + u"/resources/translations/wharf_en.ts"_s);
    QStringList missing;
    for (const PluralMessage &m : messages) {
        const QByteArray context = m.context.toUtf8();
        const QByteArray source = m.source.toUtf8();
        const QByteArray comment = m.comment.toUtf8();
        const char *disambiguation = comment.isEmpty() ? nullptr : comment.constData();
        const QString one =
            translator.translate(context.constData(), source.constData(), disambiguation, 1);
        const QString many =
            translator.translate(context.constData(), source.constData(), disambiguation, 2);
        if (!one.isEmpty() && !many.isEmpty())
            continue;
        // lupdate reports a class it failed to parse without its namespace (header syntax it
        // does not understand); the catalogue then carries the qualified name tr() uses.
        const bool qualifiedInCatalogue =
            !m.context.contains(u"::"_s) &&
            std::any_of(catalogue.cbegin(), catalogue.cend(), [&](const PluralMessage &c) {
                return c.source == m.source && c.context.endsWith(u"::"_s + m.context) &&
                       !translator
                            .translate(c.context.toUtf8().constData(), source.constData(),
                                       disambiguation, 1)
                            .isEmpty();
            });
        if (qualifiedInCatalogue) {
            qWarning("lupdate could not resolve the namespace of %s; check its header",
                     context.constData());
            continue;
        }
        missing.append(m.context + u": "_s + m.source);
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"No English plural forms (build wharf_update_translations, then fill in "
                        "resources/translations/wharf_en.ts) for:\n"_s +
                        missing.join(u'\n')));
}

void TestPackaging::macosInfoPlistTemplate()
{
    // CMake fills the template from the wharf target's MACOSX_BUNDLE_* properties (set in
    // packaging/CMakeLists.txt) and cache variables; anything else would stay empty.
    const QHash<QString, QString> values = {
        {u"MACOSX_BUNDLE_EXECUTABLE_NAME"_s, u"wharf"_s},
        {u"MACOSX_BUNDLE_GUI_IDENTIFIER"_s, appId},
        {u"MACOSX_BUNDLE_BUNDLE_NAME"_s, u"Wharf"_s},
        {u"MACOSX_BUNDLE_ICON_FILE"_s, u"wharf.icns"_s},
        {u"MACOSX_BUNDLE_SHORT_VERSION_STRING"_s, version},
        {u"MACOSX_BUNDLE_BUNDLE_VERSION"_s, version},
        {u"MACOSX_BUNDLE_INFO_STRING"_s, u"Wharf "_s + version},
        {u"MACOSX_BUNDLE_COPYRIGHT"_s, u"Copyright"_s},
        {u"WHARF_MACOS_MINIMUM_SYSTEM_VERSION"_s, u"11.0"_s},
    };
    QFile file(sourceDir + u"/packaging/macos/Info.plist.in"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString plist = QString::fromUtf8(file.readAll());
    static const QRegularExpression variable(u"\\$\\{(\\w+)\\}"_s);
    for (auto it = variable.globalMatch(plist); it.hasNext();) {
        const QString name = it.next().captured(1);
        QVERIFY2(values.contains(name), qPrintable(name));
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        plist.replace(u"${"_s + it.key() + u'}', it.value());

    // <key>K</key> followed by <string>V</string> or <true/>.
    QHash<QString, QString> dict;
    QXmlStreamReader xml(plist);
    QString key;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"key"_s)
            key = xml.readElementText();
        else if (xml.name() == u"string"_s)
            dict.insert(key, xml.readElementText());
        else if (xml.name() == u"true"_s || xml.name() == u"false"_s)
            dict.insert(key, xml.name().toString());
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(dict.value(u"CFBundleIdentifier"_s), appId);
    QCOMPARE(dict.value(u"CFBundleExecutable"_s), u"wharf"_s);
    QCOMPARE(dict.value(u"CFBundleIconFile"_s), u"wharf.icns"_s);
    QCOMPARE(dict.value(u"CFBundlePackageType"_s), u"APPL"_s);
    QCOMPARE(dict.value(u"CFBundleShortVersionString"_s), version);
    QCOMPARE(dict.value(u"NSHighResolutionCapable"_s), u"true"_s);
    QCOMPARE(dict.value(u"LSMinimumSystemVersion"_s), u"11.0"_s);
}

Run TestPackaging::cpack(const QString &generator, const QString &outputDir)
{
    return run(QStringLiteral(WHARF_CPACK_COMMAND),
               {u"--config"_s, buildDir + u"/CPackConfig.cmake"_s, u"-G"_s, generator, u"-C"_s,
                QStringLiteral(WHARF_BUILD_CONFIG), u"-B"_s, outputDir});
}

void TestPackaging::debBuilds()
{
    const QString out = m_tmp.filePath(u"deb"_s);
    const Run pack = cpack(u"DEB"_s, out);
    QVERIFY2(pack.ok(), qPrintable(describe(u"cpack -G DEB"_s, pack)));
    const QStringList debs = QDir(out).entryList({u"*.deb"_s}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    m_deb = QDir(out).filePath(debs.constFirst());
    const Run arch = run(u"dpkg"_s, {u"--print-architecture"_s});
    QVERIFY(arch.ok());
    // DEB-DEFAULT naming: <name>_<version>_<arch>.deb
    QCOMPARE(debs.constFirst(),
             u"wharf_"_s + version + u'_' + QString::fromUtf8(arch.out).trimmed() + u".deb"_s);
}

void TestPackaging::debControlFields()
{
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    const Run fields = run(u"dpkg-deb"_s, {u"-f"_s, m_deb});
    QVERIFY2(fields.ok(), qPrintable(describe(u"dpkg-deb -f"_s, fields)));
    QHash<QString, QString> control;
    QString last;
    for (const QString &line : QString::fromUtf8(fields.out).split(u'\n')) {
        if (line.startsWith(u' ') && !last.isEmpty())
            control[last] += u'\n' + line;
        else if (line.contains(u':')) {
            last = line.section(u':', 0, 0);
            control.insert(last, line.section(u':', 1).trimmed());
        }
    }
    QCOMPARE(control.value(u"Package"_s), u"wharf"_s);
    QCOMPARE(control.value(u"Version"_s), version);
    QCOMPARE(control.value(u"Section"_s), u"devel"_s);
    QVERIFY(control.value(u"Maintainer"_s).contains(u'<'));
    QCOMPARE(control.value(u"Homepage"_s), u"https://github.com/wharf-registry/wharf"_s);
    // Summary line plus an extended description.
    const QString description = control.value(u"Description"_s);
    QVERIFY(description.startsWith(u"Desktop client for Docker/OCI container registries\n "_s));
    QVERIFY2(description.contains(u"\n .\n "_s), qPrintable(description)); // two paragraphs
    for (const QString &line : description.split(u'\n'))
        QVERIFY2(line.size() <= 80, qPrintable(line));

    // dpkg-shlibdeps' libraries (with versions) plus the plugins Qt loads at run time.
    const QString depends = control.value(u"Depends"_s);
    const QStringList names = dependencyNames(depends);
    for (const QString &package :
         {u"libc6"_s, u"libstdc++6"_s, u"libqt6core6"_s, u"libqt6network6"_s, u"libqt6gui6"_s,
          u"libqt6widgets6"_s, u"libqt6svg6"_s, u"libqt6sql6"_s, u"libqt6sql6-sqlite"_s,
          u"libarchive13"_s, u"libqt6keychain1"_s})
        QVERIFY2(names.contains(package), qPrintable(package + u" not in Depends: "_s + depends));
    QVERIFY2(depends.contains(QRegularExpression(u"libqt6core6[^,]*\\(>= 6"_s)),
             qPrintable(depends));
    QVERIFY(dependencyNames(control.value(u"Recommends"_s)).contains(u"gnome-keyring"_s));
}

void TestPackaging::debDependsSatisfiedHere()
{
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    // This machine built and runs Wharf, so apt must find every dependency, at the versions
    // dpkg-shlibdeps asked for, already installed: a simulated install adds the package alone.
    // A misspelt or invented package name would be reported unmet instead.
    const Run simulate =
        run(u"apt-get"_s, {u"--simulate"_s, u"--no-install-recommends"_s, u"install"_s, m_deb});
    QVERIFY2(simulate.ok(), qPrintable(describe(u"apt-get --simulate install"_s, simulate)));
    QStringList installs;
    for (const QString &line : QString::fromUtf8(simulate.out).split(u'\n')) {
        if (line.startsWith(u"Inst "_s))
            installs.append(line);
    }
    QCOMPARE(installs.size(), 1);
    QVERIFY2(installs.constFirst().startsWith(u"Inst wharf ("_s + version),
             qPrintable(installs.constFirst()));
}

void TestPackaging::debContents()
{
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    const Run list = run(u"dpkg-deb"_s, {u"-c"_s, m_deb});
    QVERIFY2(list.ok(), qPrintable(describe(u"dpkg-deb -c"_s, list)));
    QSet<QString> files;
    for (const QString &line : QString::fromUtf8(list.out).split(u'\n', Qt::SkipEmptyParts)) {
        QString path = line.section(u' ', -1);
        files.insert(path.remove(0, 1)); // "./usr/..." -> "/usr/..."
        // Root-owned, as dpkg-deb --root-owner-group would make them.
        QVERIFY2(line.contains(u" root/root "_s), qPrintable(line));
    }
    const QStringList expectedFiles = {
        u"/usr/bin/wharf"_s,
        u"/usr/bin/wharfctl"_s,
        u"/usr/share/applications/"_s + appId + u".desktop"_s,
        u"/usr/share/metainfo/"_s + appId + u".metainfo.xml"_s,
        u"/usr/share/icons/hicolor/scalable/apps/"_s + appId + u".svg"_s,
        u"/usr/share/icons/hicolor/256x256/apps/"_s + appId + u".png"_s,
        u"/usr/share/wharf/translations/wharf_en.qm"_s,
        u"/usr/share/man/man1/wharfctl.1.gz"_s,
        u"/usr/share/doc/wharf/copyright"_s};
    for (const QString &expected : expectedFiles)
        QVERIFY2(files.contains(expected), qPrintable(expected));
    // Nothing outside /usr, nothing from the build machine.
    for (const QString &file : std::as_const(files))
        QVERIFY2(file == u"/"_s || file.startsWith(u"/usr"_s), qPrintable(file));
}

QStringList TestPackaging::lddProblems(const QString &binary)
{
    const Run ldd = run(u"ldd"_s, {binary}, cleanEnvironment(m_tmp.filePath(u"home"_s)));
    if (!ldd.ok())
        return {describe(u"ldd"_s, ldd)};
    QStringList problems;
    for (const QString &line : QString::fromUtf8(ldd.out).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.contains(u"not found"_s) || line.contains(buildDir) || line.contains(sourceDir))
            problems.append(line.trimmed());
    }
    return problems;
}

void TestPackaging::debUnpackedRuns()
{
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    const QString root = m_tmp.filePath(u"deb-root"_s);
    const Run extract = run(u"dpkg-deb"_s, {u"-x"_s, m_deb, root});
    QVERIFY2(extract.ok(), qPrintable(describe(u"dpkg-deb -x"_s, extract)));
    for (const QString &binary : {u"wharf"_s, u"wharfctl"_s}) {
        const QString path = root + u"/usr/bin/"_s + binary;
        const QStringList problems = lddProblems(path);
        QVERIFY2(problems.isEmpty(), qPrintable(binary + u":\n"_s + problems.join(u'\n')));
        // Stripped (CPACK_STRIP_FILES): no debug sections shipped.
        const Run sections = run(u"readelf"_s, {u"-S"_s, path});
        QVERIFY(sections.ok());
        QVERIFY2(!sections.out.contains(".debug_info"), qPrintable(binary));
    }
    const QProcessEnvironment env = cleanEnvironment(m_tmp.filePath(u"home"_s));
    const Run cli = run(root + u"/usr/bin/wharfctl"_s, {u"--version"_s}, env, 60'000);
    QVERIFY2(cli.ok(), qPrintable(describe(u"wharfctl --version"_s, cli)));
    QCOMPARE(QString::fromUtf8(cli.out).trimmed(), u"wharfctl "_s + version);
    const Run app = run(root + u"/usr/bin/wharf"_s, {u"--version"_s}, env, 60'000);
    QVERIFY2(app.ok(), qPrintable(describe(u"wharf --version"_s, app)));
    QVERIFY(app.out.contains(version.toUtf8()));
}

void TestPackaging::debInstallsWithDpkgIntoScratchRoot()
{
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    // A real `dpkg -i` into an empty root with its own package database: unpacks, configures
    // and registers the package. The root holds none of the dependencies, so those are waived
    // here (debDependsNameRealPackages checks them against this machine's database), and a
    // non-root user may run it because the package has no maintainer scripts to chroot for.
    const QString root = m_tmp.filePath(u"dpkg-root"_s);
    const QString admin = root + u"/var/lib/dpkg"_s;
    for (const QString &dir : {u"updates"_s, u"info"_s, u"triggers"_s})
        QVERIFY(QDir().mkpath(admin + u'/' + dir));
    for (const QString &file : {u"status"_s, u"available"_s}) {
        QFile f(admin + u'/' + file);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const QStringList common = {u"--root="_s + root, u"--force-not-root"_s,
                                u"--force-script-chrootless"_s, u"--log=/dev/null"_s};
    const Run install =
        run(u"dpkg"_s, common + QStringList{u"--force-depends"_s, u"--install"_s, m_deb});
    QVERIFY2(install.ok(), qPrintable(describe(u"dpkg --install"_s, install)));

    const Run status = run(u"dpkg-query"_s, {u"--admindir="_s + admin, u"-W"_s,
                                             u"-f=${Status} ${Version}"_s, u"wharf"_s});
    QVERIFY2(status.ok(), qPrintable(describe(u"dpkg-query"_s, status)));
    QCOMPARE(QString::fromUtf8(status.out), u"install ok installed "_s + version);
    const Run files = run(u"dpkg-query"_s, {u"--admindir="_s + admin, u"-L"_s, u"wharf"_s});
    QVERIFY(files.ok());
    QVERIFY(files.out.contains("/usr/bin/wharfctl\n"));

    const QProcessEnvironment env = cleanEnvironment(m_tmp.filePath(u"home"_s));
    const Run cli = run(root + u"/usr/bin/wharfctl"_s, {u"--version"_s}, env, 60'000);
    QVERIFY2(cli.ok(), qPrintable(describe(u"wharfctl --version"_s, cli)));
    QCOMPARE(QString::fromUtf8(cli.out).trimmed(), u"wharfctl "_s + version);

    const Run remove = run(u"dpkg"_s, common + QStringList{u"--purge"_s, u"wharf"_s});
    QVERIFY2(remove.ok(), qPrintable(describe(u"dpkg --purge"_s, remove)));
    QVERIFY(!QFileInfo::exists(root + u"/usr/bin/wharfctl"_s));
}

void TestPackaging::debInstallsIntoSystem()
{
    // CI machines are disposable and run as root: there the package goes through the real
    // dpkg, dependency checks included. Never on a developer's machine by accident.
    if (qEnvironmentVariable("WHARF_TEST_SYSTEM_INSTALL") != u"1"_s)
        QSKIP("set WHARF_TEST_SYSTEM_INSTALL=1 (as root, on a disposable machine) to dpkg -i");
    QVERIFY2(!m_deb.isEmpty(), "no .deb (debBuilds failed)");
    const Run before = run(u"dpkg-query"_s, {u"-W"_s, u"-f=${Status}"_s, u"wharf"_s});
    QVERIFY2(!before.out.contains("installed"), "a wharf package is already installed here");

    const Run install = run(u"dpkg"_s, {u"--install"_s, m_deb});
    QVERIFY2(install.ok(), qPrintable(describe(u"dpkg --install"_s, install)));
    const Run cli = run(u"/usr/bin/wharfctl"_s, {u"--version"_s},
                        cleanEnvironment(m_tmp.filePath(u"home"_s)), 60'000);
    const Run remove = run(u"dpkg"_s, {u"--purge"_s, u"wharf"_s});
    QVERIFY2(cli.ok(), qPrintable(describe(u"/usr/bin/wharfctl --version"_s, cli)));
    QCOMPARE(QString::fromUtf8(cli.out).trimmed(), u"wharfctl "_s + version);
    QVERIFY2(remove.ok(), qPrintable(describe(u"dpkg --purge"_s, remove)));
}

void TestPackaging::tgzBuildsAndRuns()
{
    const QString out = m_tmp.filePath(u"tgz"_s);
    const Run pack = cpack(u"TGZ"_s, out);
    QVERIFY2(pack.ok(), qPrintable(describe(u"cpack -G TGZ"_s, pack)));
    const QString top = u"wharf-"_s + version + u"-Linux"_s;
    const QString archive = out + u'/' + top + u".tar.gz"_s;
    QVERIFY2(QFileInfo::exists(archive), qPrintable(archive));

    const QString root = m_tmp.filePath(u"tgz-root"_s);
    QVERIFY(QDir().mkpath(root));
    const Run untar = run(u"tar"_s, {u"-xzf"_s, archive, u"-C"_s, root});
    QVERIFY2(untar.ok(), qPrintable(describe(u"tar -x"_s, untar)));
    // One top directory with the same relative layout as the install prefix.
    QCOMPARE(QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{top});
    const QString prefix = root + u'/' + top;
    const QStringList expectedFiles = {u"bin/wharf"_s,
                                       u"share/applications/"_s + appId + u".desktop"_s,
                                       u"share/metainfo/"_s + appId + u".metainfo.xml"_s,
                                       u"share/wharf/translations/wharf_en.qm"_s};
    for (const QString &relative : expectedFiles)
        QVERIFY2(QFileInfo::exists(prefix + u'/' + relative), qPrintable(relative));
    const QStringList problems = lddProblems(prefix + u"/bin/wharfctl"_s);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    const Run cli = run(prefix + u"/bin/wharfctl"_s, {u"--version"_s},
                        cleanEnvironment(m_tmp.filePath(u"home"_s)), 60'000);
    QVERIFY2(cli.ok(), qPrintable(describe(u"wharfctl --version"_s, cli)));
    QCOMPARE(QString::fromUtf8(cli.out).trimmed(), u"wharfctl "_s + version);
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
