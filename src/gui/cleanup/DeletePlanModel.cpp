#include "DeletePlanModel.h"

#include "main/WharfIcons.h"
#include "model/Format.h"
#include "oci/MediaTypes.h"
#include "widgets/StatusColors.h"

#include <QFont>
#include <QGuiApplication>
#include <QHash>
#include <QSet>

using namespace Qt::StringLiterals;

namespace wharf::gui {

namespace {

// Entries carry the row of their section + 1 as internal id; section rows carry 0.
constexpr quintptr SectionId = 0;

QString shortDigest(const Digest &digest)
{
    return digest.isValid() ? digest.shortForm() : QString();
}

QString sizeText(qint64 size)
{
    return size < 0 ? QString() : Format::bytes(size);
}

} // namespace

DeletePlanModel::DeletePlanModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_palette(QGuiApplication::palette())
{}

void DeletePlanModel::setPlan(const DeletePlan &plan)
{
    beginResetModel();
    m_plan = plan;
    build();
    endResetModel();
}

void DeletePlanModel::clear()
{
    beginResetModel();
    m_plan = DeletePlan();
    m_sections.clear();
    endResetModel();
}

void DeletePlanModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_sections.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    for (int s = 0; s < m_sections.size(); ++s) {
        const int rows = int(m_sections.at(s).entries.size());
        if (rows > 0) {
            const QModelIndex section = index(s, 0);
            emit dataChanged(index(0, 0, section), index(rows - 1, ColumnCount - 1, section));
        }
    }
}

QColor DeletePlanModel::collateralBackground(const QPalette &palette)
{
    // The warning colour picked for this palette, thinned out so the text stays readable.
    QColor color = StatusColors::color(StatusColors::Severity::Warning, palette);
    color.setAlpha(64);
    return color;
}

void DeletePlanModel::build()
{
    m_sections.clear();
    const DeletePlan &plan = m_plan;

    // Lookups by key: a bulk delete of thousands of tags must not cost quadratic time.
    QHash<QString, const PlannedManifest *> manifestByKey;
    for (const PlannedManifest &m : plan.manifests)
        manifestByKey.insert(m.reference(), &m);
    QHash<QString, const PlannedUntag *> untagByKey;
    for (const PlannedUntag &u : plan.untags)
        untagByKey.insert(u.reference(), &u);
    QSet<QString> wholeRepositories;
    for (const DeleteSelection &s : plan.selections) {
        if (s.kind == DeleteSelection::Kind::Repository)
            wholeRepositories.insert(s.repository);
    }

    SectionRows tags{Section::Tags, {}};
    for (const PlannedTag &t : plan.tags) {
        Entry e;
        e.item = t.reference();
        e.reference = t.reference();
        e.setDigest(t.digest);
        const PlannedManifest *m =
            t.digest.isValid() ? manifestByKey.value(t.repository + u'@' + t.digest.toString())
                               : nullptr;
        if (t.collateral) {
            e.collateral = true;
            e.mark = Mark::Collateral;
            const QStringList named = m ? m->selectedTags : QStringList();
            e.detail = named.isEmpty()
                           ? tr("also removed: its digest was selected")
                           : tr("also removed: shares digest with %1").arg(named.join(u", "_s));
            e.toolTip = tr("You did not select %1, but it points at the same manifest as the "
                           "selected tags: deleting that manifest removes every tag on it.")
                            .arg(e.reference);
        } else if (const PlannedUntag *u = untagByKey.value(t.reference())) {
            e.detail =
                u->dangling
                    ? tr("only the tag is removed: its manifest is already gone")
                    : tr("untagged: %1 stay on the digest").arg(u->remainingTags.join(u", "_s));
        } else if (wholeRepositories.contains(t.repository)) {
            e.detail = tr("whole repository");
        } else {
            e.detail = tr("selected");
        }
        tags.entries << e;
    }

    SectionRows manifests{Section::Manifests, {}};
    for (const PlannedManifest &m : plan.manifests) {
        Entry e;
        e.item = m.tags.isEmpty() ? tr("%1 (untagged)").arg(m.repository)
                                  : m.repository + u':' + m.tags.join(u", "_s);
        e.reference = m.reference();
        e.setDigest(m.digest);
        QStringList parts;
        parts << (m.mediaType.isEmpty() ? tr("unknown type")
                                        : MediaTypes::displayName(m.mediaType));
        if (m.size >= 0)
            parts << sizeText(m.size);
        if (!m.reason.isEmpty())
            parts << m.reason;
        e.detail = parts.join(u" · "_s);
        if (!m.collateralTags.isEmpty()) {
            e.collateral = true;
            e.mark = Mark::Collateral;
            e.detail += u" · "_s + tr("also removes %1").arg(m.collateralTags.join(u", "_s));
        }
        manifests.entries << e;
    }

    SectionRows untags{Section::Untags, {}};
    for (const PlannedUntag &u : plan.untags) {
        Entry e;
        e.item = u.reference();
        e.reference = u.reference();
        e.setDigest(u.digest);
        e.detail = u.dangling ? tr("its manifest is already gone; only the tag is left to remove")
                              : tr("the manifest stays with %1").arg(u.remainingTags.join(u", "_s));
        untags.entries << e;
    }

    SectionRows broken{Section::BrokenIndexes, {}};
    for (const BrokenIndex &b : plan.brokenIndexes) {
        Entry e;
        e.item = b.reference();
        e.reference = b.repository + u'@' + b.digest.toString();
        e.setDigest(b.digest);
        QStringList missing;
        for (const Digest &d : b.missingChildren)
            missing << d.shortForm();
        e.detail =
            tr("lists %1, which the plan deletes: pulling it will fail").arg(missing.join(u", "_s));
        e.mark = Mark::Broken;
        broken.entries << e;
    }

    SectionRows orphans{Section::OrphanedArtifacts, {}};
    for (const OrphanedArtifact &o : plan.orphanedArtifacts) {
        Entry e;
        e.item = o.reference();
        e.reference = o.reference();
        e.setDigest(o.digest);
        e.detail = tr("%1 of %2, which the plan deletes").arg(o.kind, shortDigest(o.subject));
        e.mark = Mark::Orphan;
        orphans.entries << e;
    }

    SectionRows untagged{Section::UntaggedManifests, {}};
    for (const UntaggedManifest &u : plan.untaggedManifests) {
        Entry e;
        e.item = u.repository;
        e.reference = u.repository + u'@' + u.digest.toString();
        e.setDigest(u.digest);
        e.detail = tr("child of %1: stays in storage without a tag").arg(shortDigest(u.parent));
        e.mark = Mark::Info;
        untagged.entries << e;
    }

    SectionRows skipped{Section::Skipped, {}};
    for (const SkippedSelection &s : plan.skipped) {
        Entry e;
        e.item = s.selection.toString();
        e.reference = s.selection.toString();
        e.setDigest(s.digest);
        e.detail = s.message;
        e.mark = Mark::Info;
        skipped.entries << e;
    }

    for (SectionRows *rows : {&tags, &manifests, &untags, &broken, &orphans, &untagged, &skipped}) {
        if (!rows->entries.isEmpty())
            m_sections << std::move(*rows);
    }
}

QModelIndex DeletePlanModel::sectionIndex(Section section) const
{
    for (int s = 0; s < m_sections.size(); ++s) {
        if (m_sections.at(s).section == section)
            return index(s, 0);
    }
    return {};
}

int DeletePlanModel::entryCount(Section section) const
{
    const QModelIndex s = sectionIndex(section);
    return s.isValid() ? int(m_sections.at(s.row()).entries.size()) : 0;
}

QStringList DeletePlanModel::references(Section section) const
{
    QStringList out;
    const QModelIndex s = sectionIndex(section);
    if (!s.isValid())
        return out;
    for (const Entry &e : m_sections.at(s.row()).entries)
        out << e.reference;
    return out;
}

QStringList DeletePlanModel::collateralReferences() const
{
    QStringList out;
    const QModelIndex s = sectionIndex(Section::Tags);
    if (!s.isValid())
        return out;
    for (const Entry &e : m_sections.at(s.row()).entries) {
        if (e.collateral)
            out << e.reference;
    }
    return out;
}

QString DeletePlanModel::sectionTitle(const SectionRows &rows) const
{
    const int n = int(rows.entries.size());
    switch (rows.section) {
    case Section::Tags:
        return tr("Tags that disappear (%1)").arg(n);
    case Section::Manifests:
        return tr("Manifests deleted by digest (%1)").arg(n);
    case Section::Untags:
        return tr("Tags removed while their manifest stays (%1)").arg(n);
    case Section::BrokenIndexes:
        return tr("Indexes left broken (%1)").arg(n);
    case Section::OrphanedArtifacts:
        return tr("Signatures and artifacts left orphaned (%1)").arg(n);
    case Section::UntaggedManifests:
        return tr("Manifests left in storage without a tag (%1)").arg(n);
    case Section::Skipped:
        break;
    }
    return tr("Selected but not in the plan (%1)").arg(n);
}

QString DeletePlanModel::sectionIcon(Section section)
{
    switch (section) {
    case Section::Tags:
    case Section::Untags:
        return u"tag"_s;
    case Section::Manifests:
        return u"delete"_s;
    case Section::BrokenIndexes:
        return u"error"_s;
    case Section::OrphanedArtifacts:
        return u"warning"_s;
    case Section::UntaggedManifests:
    case Section::Skipped:
        break;
    }
    return u"info"_s;
}

QString DeletePlanModel::markIcon(Mark mark)
{
    switch (mark) {
    case Mark::Collateral:
    case Mark::Orphan:
        return u"warning"_s;
    case Mark::Broken:
        return u"error"_s;
    case Mark::Info:
        return u"info"_s;
    case Mark::None:
        break;
    }
    return {};
}

const DeletePlanModel::Entry *DeletePlanModel::entryFor(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == SectionId)
        return nullptr;
    const qsizetype section = qsizetype(index.internalId()) - 1;
    if (section >= m_sections.size() || index.row() >= m_sections.at(section).entries.size())
        return nullptr;
    return &m_sections.at(section).entries.at(index.row());
}

QModelIndex DeletePlanModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_sections.size() ? createIndex(row, column, SectionId) : QModelIndex();
    if (parent.internalId() != SectionId || parent.row() >= m_sections.size())
        return {};
    if (row >= m_sections.at(parent.row()).entries.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex DeletePlanModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == SectionId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, SectionId);
}

int DeletePlanModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_sections.size());
    if (parent.column() != 0 || parent.internalId() != SectionId ||
        parent.row() >= m_sections.size())
        return 0;
    return int(m_sections.at(parent.row()).entries.size());
}

int DeletePlanModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant DeletePlanModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == SectionId) {
        if (index.row() >= m_sections.size())
            return {};
        const SectionRows &rows = m_sections.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == ItemColumn ? sectionTitle(rows) : QVariant();
        case Qt::DecorationRole:
            return index.column() == ItemColumn ? WharfIcons::icon(sectionIcon(rows.section))
                                                : QVariant();
        case Qt::FontRole: {
            QFont font;
            font.setBold(true);
            return font;
        }
        case SectionRole:
            return QVariant::fromValue(rows.section);
        case IsSectionRole:
            return true;
        case CollateralRole:
            return false;
        default:
            return {};
        }
    }
    const Entry *e = entryFor(index);
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ItemColumn:
            return e->item;
        case DigestColumn:
            return e->shortDigest;
        case DetailColumn:
            return e->detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == DigestColumn)
            return e->digest;
        return e->toolTip.isEmpty() ? e->detail : e->toolTip;
    case Qt::DecorationRole:
        if (index.column() == ItemColumn && e->mark != Mark::None)
            return WharfIcons::icon(markIcon(e->mark));
        return {};
    case Qt::BackgroundRole:
        return e->collateral ? QVariant(collateralBackground(m_palette)) : QVariant();
    case Qt::AccessibleDescriptionRole:
        return e->detail;
    case SectionRole:
        return QVariant::fromValue(m_sections.at(qsizetype(index.internalId()) - 1).section);
    case IsSectionRole:
        return false;
    case CollateralRole:
        return e->collateral;
    case ReferenceRole:
        return e->reference;
    case FullDigestRole:
        return e->digest;
    default:
        return {};
    }
}

QVariant DeletePlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ItemColumn:
        return tr("Item");
    case DigestColumn:
        return tr("Digest");
    case DetailColumn:
        return tr("What happens");
    default:
        return {};
    }
}

} // namespace wharf::gui
