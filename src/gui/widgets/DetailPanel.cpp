#include "DetailPanel.h"

#include "LayerTableModel.h"
#include "SizeBarDelegate.h"
#include "StatusColors.h"
#include "bookmarks/SessionManager.h"
#include "client/ImageResolver.h"
#include "client/RegistryClient.h"
#include "jobs/Background.h"
#include "model/Format.h"
#include "oci/MediaTypes.h"
#include "ui_DetailPanel.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

enum ManifestChoice { TopLevelManifest, PlatformManifest };

QString exactBytes(qint64 bytes)
{
    return QLocale().toString(bytes);
}

QString sizeWithBytes(qint64 bytes)
{
    return DetailPanel::tr("%1 (%2 bytes)").arg(Format::bytes(bytes), exactBytes(bytes));
}

// Exec-form lists shown the way Dockerfiles write them, so quoting and spaces stay visible.
QString execForm(const QStringList &list)
{
    if (list.isEmpty())
        return {};
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QString orNotSet(const QString &text)
{
    return text.isEmpty() ? DetailPanel::tr("(not set)") : text;
}

QTreeWidgetItem *addRow(QTreeWidget *tree, const QString &key, const QString &value)
{
    auto *item = new QTreeWidgetItem(tree, {key, value});
    item->setToolTip(1, value);
    return item;
}

QTreeWidgetItem *addGroup(QTreeWidget *tree, const QString &title, int count)
{
    return new QTreeWidgetItem(
        tree, {title, count == 0 ? DetailPanel::tr("(none)") : DetailPanel::tr("(%1)").arg(count)});
}

void addChild(QTreeWidgetItem *parent, const QString &key, const QString &value)
{
    auto *item = new QTreeWidgetItem(parent, {key, value});
    item->setToolTip(1, value);
}

// Pretty JSON for display; bytes that are not JSON are shown as they are.
QString prettyJson(const QByteArray &raw)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(raw);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

} // namespace

DetailPanel::DetailPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::DetailPanel>())
    , m_layers(new LayerTableModel(this))
    , m_layersProxy(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    QFont titleFont = m_ui->titleLabel->font();
    titleFont.setBold(true);
    m_ui->titleLabel->setFont(titleFont);

    const QIcon copyIcon = QIcon::fromTheme(u"edit-copy"_s, QIcon(u":/icons/copy.svg"_s));
    m_ui->copyDigestButton->setIcon(copyIcon);
    m_ui->copyTagButton->setIcon(copyIcon);
    m_ui->retryButton->setIcon(
        QIcon::fromTheme(u"view-refresh"_s, QIcon(u":/icons/refresh.svg"_s)));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->manifestText->setFont(fixed);
    m_ui->pullDigestEdit->setFont(fixed);
    m_ui->pullTagEdit->setFont(fixed);

    m_layersProxy->setSourceModel(m_layers);
    m_layersProxy->setSortRole(LayerTableModel::SortRole);
    m_ui->layersView->setModel(m_layersProxy);
    m_ui->layersView->setItemDelegateForColumn(LayerTableModel::SizeColumn,
                                               new SizeBarDelegate(LayerTableModel::BytesRole,
                                                                   LayerTableModel::MaxBytesRole,
                                                                   m_ui->layersView));
    m_ui->layersView->sortByColumn(LayerTableModel::IndexColumn, Qt::AscendingOrder);
    QHeaderView *header = m_ui->layersView->horizontalHeader();
    header->setSectionResizeMode(LayerTableModel::IndexColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LayerTableModel::DigestColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LayerTableModel::MediaTypeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LayerTableModel::SizeColumn, QHeaderView::Interactive);
    header->resizeSection(LayerTableModel::SizeColumn, 160);
    m_ui->layersView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_ui->configTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_ui->historyTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_ui->historyTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_ui->historyTree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_ui->historyTree->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_ui->historyTree->header()->setStretchLastSection(false);
    m_ui->platformsTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_ui->platformsTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    connect(m_ui->retryButton, &QPushButton::clicked, this, &DetailPanel::retry);
    connect(m_ui->platformCombo, &QComboBox::currentIndexChanged, this, [this](int comboIndex) {
        if (comboIndex >= 0)
            setCurrentPlatform(m_ui->platformCombo->itemData(comboIndex).toInt());
    });
    connect(m_ui->platformsTree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant index = item->data(0, Qt::UserRole);
        if (index.isValid())
            setCurrentPlatform(index.toInt());
    });
    connect(m_ui->manifestCombo, &QComboBox::currentIndexChanged, this, &DetailPanel::showManifest);
    connect(m_ui->copyDigestButton, &QPushButton::clicked, this,
            [this] { copyToClipboard(pullByDigestCommand(), m_ui->copyDigestButton); });
    connect(m_ui->copyTagButton, &QPushButton::clicked, this,
            [this] { copyToClipboard(pullByTagCommand(), m_ui->copyTagButton); });

    setState(State::Empty);
}

DetailPanel::~DetailPanel()
{
    cancelRequest();
}

void DetailPanel::showImage(SessionManager *sessions, const QString &bookmarkId,
                            const QString &repository, const QString &reference,
                            const QString &platformDigest)
{
    if (sessions != m_sessions) {
        disconnect(m_resetConnection);
        // A client reset (bookmark edited) drops its requests without answering: start over.
        if (sessions)
            m_resetConnection =
                connect(sessions, &SessionManager::clientReset, this, [this](const QString &id) {
                    if (id == m_bookmarkId && m_state == State::Loading)
                        load();
                });
    }
    m_sessions = sessions;
    m_bookmarkId = bookmarkId;
    m_repository = repository;
    m_reference = reference;
    m_wantedPlatformDigest = platformDigest;
    load();
}

void DetailPanel::retry()
{
    if (!m_sessions || m_repository.isEmpty())
        return;
    // Keep looking at the same platform after a refresh.
    if (m_image && m_platform >= 0 && m_platform < m_image->platforms.size())
        m_wantedPlatformDigest = m_image->platforms.at(m_platform).digest.toString();
    load();
}

void DetailPanel::clear()
{
    cancelRequest();
    disconnect(m_resetConnection);
    m_sessions = nullptr;
    m_bookmarkId.clear();
    m_repository.clear();
    m_reference.clear();
    m_image.reset();
    m_error.reset();
    m_platform = -1;
    m_layers->clear();
    setState(State::Empty);
}

void DetailPanel::cancelRequest()
{
    if (!m_request)
        return;
    if (m_client)
        m_client->cancelFor(m_request);
    delete m_request; // nothing tied to it is called any more
    m_request = nullptr;
}

void DetailPanel::load()
{
    cancelRequest();
    m_error.reset();
    m_hostPort.clear();
    if (!m_sessions) {
        fail(Error::make(Error::Kind::InvalidInput, tr("No registry to load from.")));
        return;
    }
    m_request = new QObject(this);
    QObject *request = m_request;
    m_ui->titleLabel->setText(m_repository + (Digest::looksLikeDigest(m_reference) ? u'@' : u':') +
                              m_reference);
    m_ui->loadingLabel->setText(tr("Loading %1…").arg(m_ui->titleLabel->text()));
    setState(State::Loading);

    m_sessions->client(m_bookmarkId, request, [this, request](Expected<RegistryClient *> client) {
        if (request != m_request)
            return;
        if (!client) {
            fail(client.error());
            return;
        }
        m_client = *client;
        m_hostPort = m_client->config().hostPort();
        ImageResolver::Options options;
        options.fetchConfigs = true;
        options.keepRawManifests = true;
        ImageResolver::resolve(m_client, m_repository, m_reference, options, request,
                               [this, request](Expected<ResolvedImage> image) {
                                   if (request != m_request)
                                       return;
                                   if (!image)
                                       fail(image.error());
                                   else
                                       present(std::move(image).value());
                               });
    });
}

void DetailPanel::setState(State state)
{
    m_state = state;
    switch (state) {
    case State::Empty:
        m_ui->stack->setCurrentWidget(m_ui->emptyPage);
        m_ui->titleLabel->clear();
        break;
    case State::Loading:
        m_ui->stack->setCurrentWidget(m_ui->loadingPage);
        break;
    case State::Failed:
        m_ui->stack->setCurrentWidget(m_ui->errorPage);
        break;
    case State::Loaded:
        m_ui->stack->setCurrentWidget(m_ui->contentPage);
        break;
    }
    const bool multi = state == State::Loaded && m_image && m_image->platforms.size() > 1;
    m_ui->platformLabel->setVisible(multi);
    m_ui->platformCombo->setVisible(multi);
    emit stateChanged(state);
}

void DetailPanel::fail(const Error &error)
{
    if (m_request) {
        m_request->deleteLater(); // we may be inside one of its callbacks
        m_request = nullptr;
    }
    m_error = error;
    m_image.reset();
    m_platform = -1;
    m_layers->clear();
    StatusColors::show(m_ui->errorLabel,
                       tr("Could not load %1.\n\n%2").arg(m_ui->titleLabel->text(), error.message),
                       StatusColors::Severity::Error);
    m_ui->retryButton->setVisible(m_sessions != nullptr);
    setState(State::Failed);
}

void DetailPanel::present(ResolvedImage image)
{
    if (m_request) {
        m_request->deleteLater();
        m_request = nullptr;
    }
    m_image = std::move(image);
    m_platform = -1;
    int wanted = m_image->platforms.isEmpty() ? -1 : 0;
    for (int i = 0; i < m_image->platforms.size(); ++i) {
        if (m_image->platforms.at(i).digest.toString() == m_wantedPlatformDigest)
            wanted = i;
    }

    {
        const QSignalBlocker blocker(m_ui->platformCombo);
        m_ui->platformCombo->clear();
        for (int i = 0; i < m_image->platforms.size(); ++i) {
            const ImagePlatform &p = m_image->platforms.at(i);
            m_ui->platformCombo->addItem(p.platform.toString(), i);
            m_ui->platformCombo->setItemData(i, p.digest.toString(), Qt::ToolTipRole);
        }
    }
    m_ui->titleLabel->setText(fullReference());
    fillOverview();
    setState(State::Loaded);
    setCurrentPlatform(wanted);
}

QString DetailPanel::repositoryReference() const
{
    return m_hostPort.isEmpty() ? m_repository : m_hostPort + u'/' + m_repository;
}

QString DetailPanel::fullReference() const
{
    if (m_repository.isEmpty())
        return {};
    return repositoryReference() + (Digest::looksLikeDigest(m_reference) ? u'@' : u':') +
           m_reference;
}

QString DetailPanel::digestReference() const
{
    if (!m_image)
        return {};
    return repositoryReference() + u'@' + m_image->digest.toString();
}

QString DetailPanel::pullByDigestCommand() const
{
    return m_image ? u"docker pull "_s + digestReference() : QString();
}

QString DetailPanel::pullByTagCommand() const
{
    if (!m_image || Digest::looksLikeDigest(m_reference))
        return {};
    return u"docker pull "_s + repositoryReference() + u':' + m_reference;
}

void DetailPanel::fillOverview()
{
    const ResolvedImage &image = *m_image;
    m_ui->referenceValue->setText(fullReference() + u'\n' + digestReference());
    m_ui->digestValue->setText(image.digest.toString());
    m_ui->mediaTypeValue->setText(
        tr("%1 (%2)").arg(MediaTypes::displayName(image.mediaType), image.mediaType));
    m_ui->pullDigestEdit->setText(pullByDigestCommand());
    m_ui->pullDigestEdit->setCursorPosition(0);
    const QString byTag = pullByTagCommand();
    m_ui->pullTagEdit->setText(byTag);
    m_ui->pullTagEdit->setCursorPosition(0);
    m_ui->pullTagCaption->setVisible(!byTag.isEmpty());
    m_ui->pullTagEdit->setVisible(!byTag.isEmpty());
    m_ui->copyTagButton->setVisible(!byTag.isEmpty());

    const int attestations = static_cast<int>(image.attestations.size());
    m_ui->attestationsValue->setText(
        attestations == 0
            ? tr("None")
            : tr("%n attestation manifest(s) (provenance/SBOM; not listed as platforms)", nullptr,
                 attestations));

    // The platform list and the deduplicated total only mean something for an index.
    const bool index = image.isIndex;
    m_ui->platformsCaption->setVisible(index);
    m_ui->platformsTree->setVisible(index);
    m_ui->platformDigestCaption->setVisible(index);
    m_ui->platformDigestValue->setVisible(index);
    m_ui->platformsTree->clear();
    if (!index)
        return;
    for (int i = 0; i < image.platforms.size(); ++i) {
        const ImagePlatform &p = image.platforms.at(i);
        auto *item = new QTreeWidgetItem(
            m_ui->platformsTree,
            {p.platform.toString(), Format::bytes(p.size()), p.digest.shortForm()});
        item->setData(0, Qt::UserRole, i);
        item->setToolTip(1, tr("%1 bytes: config + layers").arg(exactBytes(p.size())));
        item->setToolTip(2, p.digest.toString());
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (!p.error.isEmpty())
            item->setToolTip(0, p.error);
    }
    const qint64 unique = image.uniqueBytes();
    auto *total = new QTreeWidgetItem(m_ui->platformsTree,
                                      {tr("Total (deduplicated)"), Format::bytes(unique)});
    total->setToolTip(0, tr("Every blob counted once, however many platforms share it"));
    total->setToolTip(1, tr("%1 bytes").arg(exactBytes(unique)));
    total->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    QFont bold = total->font(0);
    bold.setBold(true);
    total->setFont(0, bold);
    total->setFont(1, bold);
}

void DetailPanel::setCurrentPlatform(int index)
{
    if (!m_image || index < 0 || index >= m_image->platforms.size())
        return;
    if (index == m_platform)
        return;
    m_platform = index;
    {
        const QSignalBlocker blocker(m_ui->platformCombo);
        m_ui->platformCombo->setCurrentIndex(m_ui->platformCombo->findData(index));
    }
    fillPlatform();
    emit platformChanged(m_image->platforms.at(index).digest.toString());
}

bool DetailPanel::selectPlatform(const QString &platformDigest)
{
    if (!m_image)
        return false;
    for (int i = 0; i < m_image->platforms.size(); ++i) {
        if (m_image->platforms.at(i).digest.toString() == platformDigest) {
            setCurrentPlatform(i);
            return true;
        }
    }
    return false;
}

int DetailPanel::addTab(QWidget *page, const QString &title)
{
    return m_ui->tabs->addTab(page, title);
}

void DetailPanel::fillPlatform()
{
    const ResolvedImage &image = *m_image;
    const ImagePlatform &p = image.platforms.at(m_platform);

    m_ui->platformDigestValue->setText(p.digest.toString());
    m_ui->createdValue->setText(Format::dateTime(p.created()));
    const QString own = sizeWithBytes(p.size());
    if (image.isIndex) {
        m_ui->sizeValue->setText(
            tr("%1: %2\nAll %n platform(s), deduplicated total: %3", nullptr,
               static_cast<int>(image.platforms.size()))
                .arg(p.platform.toString(), own, sizeWithBytes(image.uniqueBytes())));
    } else {
        m_ui->sizeValue->setText(own);
    }
    for (int i = 0; i < m_ui->platformsTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_ui->platformsTree->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toInt() == m_platform &&
            item->data(0, Qt::UserRole).isValid())
            m_ui->platformsTree->setCurrentItem(item);
    }
    StatusColors::show(m_ui->platformErrorLabel,
                       p.error.isEmpty()
                           ? QString()
                           : tr("This platform could not be read completely: %1").arg(p.error),
                       StatusColors::Severity::Warning);

    m_layers->setPlatform(p);
    const int layerCount = static_cast<int>(p.layers.size());
    m_ui->layersTotalLabel->setText(
        tr("Total %1 = config %2 + %n layer(s) %3 (compressed, as stored in the registry)", nullptr,
           layerCount)
            .arg(sizeWithBytes(m_layers->totalBytes()), sizeWithBytes(m_layers->configBytes()),
                 sizeWithBytes(m_layers->layerBytes())));

    fillConfig(p);
    fillHistory(p);
    fillManifestChoices();
}

void DetailPanel::fillConfig(const ImagePlatform &platform)
{
    QTreeWidget *tree = m_ui->configTree;
    tree->clear();
    if (!platform.configDetails) {
        addRow(tree, tr("Configuration"),
               platform.error.isEmpty() ? tr("Not available for this image")
                                        : tr("Not available: %1").arg(platform.error));
        return;
    }
    const ImageConfig &c = *platform.configDetails;
    addRow(tree, tr("Platform"), c.platform.toString());
    addRow(tree, tr("Entrypoint"), orNotSet(execForm(c.entrypoint)));
    addRow(tree, tr("Cmd"), orNotSet(execForm(c.cmd)));
    addRow(tree, tr("Working directory"), orNotSet(c.workingDir));
    addRow(tree, tr("User"), orNotSet(c.user));
    addRow(tree, tr("Exposed ports"), orNotSet(c.exposedPorts.join(u", "_s)));
    addRow(tree, tr("Volumes"), orNotSet(c.volumes.join(u", "_s)));
    if (!c.stopSignal.isEmpty())
        addRow(tree, tr("Stop signal"), c.stopSignal);
    if (!c.author.isEmpty())
        addRow(tree, tr("Author"), c.author);

    QTreeWidgetItem *env = addGroup(tree, tr("Environment"), static_cast<int>(c.env.size()));
    for (const QString &entry : c.env) {
        const qsizetype eq = entry.indexOf(u'=');
        addChild(env, eq < 0 ? entry : entry.left(eq), eq < 0 ? QString() : entry.mid(eq + 1));
    }
    QTreeWidgetItem *labels = addGroup(tree, tr("Labels"), static_cast<int>(c.labels.size()));
    for (auto it = c.labels.cbegin(); it != c.labels.cend(); ++it)
        addChild(labels, it.key(), it.value());
    tree->expandAll();
}

void DetailPanel::fillHistory(const ImagePlatform &platform)
{
    QTreeWidget *tree = m_ui->historyTree;
    tree->clear();
    if (!platform.configDetails)
        return;
    int layer = 0;
    for (const HistoryEntry &h : platform.configDetails->history) {
        const QString made = h.emptyLayer ? tr("empty") : tr("#%1").arg(++layer);
        auto *item = new QTreeWidgetItem(
            tree, {Format::dateTime(h.created), made, h.createdBy.simplified(), h.comment});
        item->setToolTip(1, h.emptyLayer ? tr("This step changed only metadata; it made no layer")
                                         : tr("Made layer %1").arg(layer));
        item->setToolTip(2, h.createdBy);
        item->setToolTip(3, h.comment);
        item->setData(1, Qt::UserRole, h.emptyLayer);
    }
}

void DetailPanel::fillManifestChoices()
{
    const ResolvedImage &image = *m_image;
    const ImagePlatform &p = image.platforms.at(m_platform);
    const bool wasPlatform = m_ui->manifestCombo->currentData().toInt() == PlatformManifest;
    {
        const QSignalBlocker blocker(m_ui->manifestCombo);
        m_ui->manifestCombo->clear();
        if (image.isIndex) {
            m_ui->manifestCombo->addItem(
                tr("Top level: %1").arg(MediaTypes::displayName(image.mediaType)),
                TopLevelManifest);
            m_ui->manifestCombo->addItem(tr("Platform manifest: %1").arg(p.platform.toString()),
                                         PlatformManifest);
            m_ui->manifestCombo->setCurrentIndex(wasPlatform ? 1 : 0);
        } else {
            m_ui->manifestCombo->addItem(
                tr("Image manifest: %1").arg(MediaTypes::displayName(image.mediaType)),
                TopLevelManifest);
        }
    }
    m_ui->manifestCombo->setEnabled(image.isIndex);
    showManifest();
}

void DetailPanel::showManifest()
{
    if (!m_image || m_platform < 0)
        return;
    const bool platform = m_ui->manifestCombo->currentData().toInt() == PlatformManifest;
    const QByteArray raw =
        platform ? m_image->platforms.at(m_platform).rawManifest : m_image->rawManifest;
    const quint64 generation = ++m_manifestGeneration;
    m_ui->manifestText->setPlainText(tr("Formatting…"));
    // Indenting a large manifest (an index of many platforms) is work the GUI thread skips.
    runInBackground<QString>(
        this, [raw] { return prettyJson(raw); },
        [this, generation](QString text) {
            if (generation == m_manifestGeneration)
                m_ui->manifestText->setPlainText(text);
        });
}

void DetailPanel::copyToClipboard(const QString &text, QPushButton *button)
{
    if (text.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(text);
    const QString label = button->text();
    if (label == tr("Copied"))
        return;
    button->setText(tr("Copied"));
    QTimer::singleShot(1500, button, [button, label] { button->setText(label); });
}

} // namespace wharf::gui
