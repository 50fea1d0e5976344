#pragma once

#include "cleanup/DeletePlan.h"

#include <QAbstractItemModel>
#include <QPalette>

namespace wharf::gui {

// A DeletePlan as a two-level tree for the confirmation dialog: one section row per kind of
// consequence that the plan has (tags that disappear, manifests deleted, tags only untagged,
// indexes left broken, orphaned artifacts, manifests left untagged, selections not in the
// plan), the entries below it. Empty sections are left out.
//
// Collateral tags (and the manifests that take them along) carry CollateralRole, a warning
// icon, the text "also removed: shares digest with …" and a background derived from the
// palette, so they stand out in light and dark themes alike.
class DeletePlanModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { ItemColumn, DigestColumn, DetailColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SectionRole = Qt::UserRole + 1, // Section (section rows and their entries)
        IsSectionRole,                  // bool: a section row
        CollateralRole,                 // bool: goes although nobody selected it
        ReferenceRole,                  // "repo:tag" or "repo@digest" of an entry
        FullDigestRole,                 // the entry's digest in full, empty when unknown
    };
    Q_ENUM(Role)

    enum class Section {
        Tags,
        Manifests,
        Untags,
        BrokenIndexes,
        OrphanedArtifacts,
        UntaggedManifests,
        Skipped,
    };
    Q_ENUM(Section)

    explicit DeletePlanModel(QObject *parent = nullptr);

    void setPlan(const DeletePlan &plan);
    void clear();
    const DeletePlan &plan() const { return m_plan; }
    // The colours of the highlight follow this palette (the view's).
    void setPalette(const QPalette &palette);

    // The section's row, invalid when the plan has nothing of that kind.
    QModelIndex sectionIndex(Section section) const;
    int entryCount(Section section) const;
    // ReferenceRole of every entry of a section, in order.
    QStringList references(Section section) const;
    // References of the collateral entries of the Tags section.
    QStringList collateralReferences() const;

    static QColor collateralBackground(const QPalette &palette);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    enum class Mark { None, Collateral, Broken, Orphan, Info };

    struct Entry
    {
        QString item;
        QString digest; // full
        QString shortDigest;
        QString detail;
        QString reference;
        QString toolTip;
        bool collateral = false;
        Mark mark = Mark::None;

        void setDigest(const Digest &d)
        {
            digest = d.isValid() ? d.toString() : QString();
            shortDigest = d.isValid() ? d.shortForm() : QString();
        }
    };
    struct SectionRows
    {
        Section section;
        QList<Entry> entries;
    };

    void build();
    QString sectionTitle(const SectionRows &rows) const;
    static QString sectionIcon(Section section);
    static QString markIcon(Mark mark);
    const Entry *entryFor(const QModelIndex &index) const;

    DeletePlan m_plan;
    QList<SectionRows> m_sections;
    QPalette m_palette;
};

} // namespace wharf::gui
