#include "AddRepositoryDialog.h"

#include "bookmarks/BookmarkStore.h"
#include "main/WharfIcons.h"
#include "reference/ImageReference.h"
#include "ui_AddRepositoryDialog.h"
#include "widgets/StatusColors.h"

#include <QPushButton>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wharf::gui {

AddRepositoryDialog::AddRepositoryDialog(BookmarkStore *store, const QString &bookmarkId,
                                         QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::AddRepositoryDialog>())
    , m_store(store)
    , m_bookmarkId(bookmarkId)
{
    m_ui->setupUi(this);
    const auto bookmark = store->byId(bookmarkId);
    const QString name = bookmark ? bookmark->name : QString();
    setWindowTitle(tr("Add Repository to “%1”").arg(name));
    m_ui->introLabel->setText(
        tr("Registries such as Docker Hub, GHCR and GitLab do not list their repositories. Name "
           "the ones you use and Wharf shows them under “%1”. Once the bookmark lists "
           "repositories, Wharf shows exactly those instead of asking for the catalog.")
            .arg(name));
    m_addButton = m_ui->buttonBox->addButton(tr("&Add"), QDialogButtonBox::AcceptRole);
    m_addButton->setObjectName(u"addButton"_s);
    m_addButton->setIcon(WharfIcons::icon(u"add"_s));
    m_addButton->setDefault(true);
    m_ui->validationLabel->setVisible(false);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &AddRepositoryDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &AddRepositoryDialog::reject);
    connect(m_ui->namesEdit, &QPlainTextEdit::textChanged, this,
            [this] { showValidation(QString()); });
}

AddRepositoryDialog::~AddRepositoryDialog() = default;

void AddRepositoryDialog::setNames(const QString &text)
{
    m_ui->namesEdit->setPlainText(text);
}

QString AddRepositoryDialog::validationMessage() const
{
    return m_ui->validationLabel->isHidden() ? QString() : m_ui->validationLabel->text();
}

QStringList AddRepositoryDialog::parseNames(const QString &text)
{
    static const QRegularExpression separators(u"[\\s,]+"_s);
    QStringList names;
    const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (!names.contains(part))
            names << part;
    }
    return names;
}

void AddRepositoryDialog::showValidation(const QString &message)
{
    StatusColors::show(m_ui->validationLabel, message, StatusColors::Severity::Error);
}

void AddRepositoryDialog::accept()
{
    auto bookmark = m_store->byId(m_bookmarkId);
    if (!bookmark) {
        showValidation(tr("That registry bookmark no longer exists."));
        return;
    }
    const QStringList names = parseNames(m_ui->namesEdit->toPlainText());
    if (names.isEmpty()) {
        showValidation(tr("Enter the name of a repository, e.g. library/debian."));
        return;
    }
    QStringList added;
    for (const QString &name : names) {
        QString why;
        if (!ImageReference::isValidRepository(name, &why)) {
            showValidation(tr("“%1” is not a repository name: %2").arg(name, why));
            return;
        }
        if (!bookmark->repositories.contains(name))
            added << name;
    }
    if (added.isEmpty()) {
        showValidation(tr("Already listed: %1").arg(names.join(u", "_s)));
        return;
    }
    bookmark->repositories << added;
    const auto saved = m_store->update(*bookmark);
    if (!saved) {
        showValidation(saved.error().message);
        return;
    }
    m_added = added;
    QDialog::accept();
}

} // namespace wharf::gui
