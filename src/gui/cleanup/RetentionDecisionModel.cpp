#include "RetentionDecisionModel.h"

#include "main/WharfIcons.h"
#include "model/Format.h"
#include "widgets/StatusColors.h"

#include <QGuiApplication>

#include <limits>

using namespace Qt::StringLiterals;

namespace wharf::gui {

RetentionDecisionModel::RetentionDecisionModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_palette(QGuiApplication::palette())
{}

void RetentionDecisionModel::setEvaluation(const RetentionEvaluation &evaluation)
{
    beginResetModel();
    m_evaluation = evaluation;
    m_rows.clear();
    for (const RetentionDecision &d : evaluation.decisions) {
        for (const QString &tag : d.tags) {
            Row row;
            row.reference = d.repository + u':' + tag;
            row.digest = d.digest;
            row.created = d.created;
            row.createdText = Format::dateTime(d.created);
            row.keep = d.keep;
            row.reason = d.reason;
            m_rows << row;
        }
    }
    for (const QString &reference : evaluation.unreadableTags) {
        Row row;
        row.reference = reference;
        row.createdText = Format::dateTime({});
        row.keep = true;
        row.reason = tr("kept: could not be read");
        m_rows << row;
    }
    endResetModel();
}

void RetentionDecisionModel::clear()
{
    beginResetModel();
    m_evaluation = RetentionEvaluation();
    m_rows.clear();
    endResetModel();
}

void RetentionDecisionModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, DecisionColumn), index(rowCount() - 1, DecisionColumn));
}

QStringList RetentionDecisionModel::referencesToDelete() const
{
    QStringList out;
    for (const Row &r : m_rows) {
        if (!r.keep)
            out << r.reference;
    }
    return out;
}

QStringList RetentionDecisionModel::referencesToKeep() const
{
    QStringList out;
    for (const Row &r : m_rows) {
        if (r.keep)
            out << r.reference;
    }
    return out;
}

int RetentionDecisionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RetentionDecisionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RetentionDecisionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TagColumn:
            return r.reference;
        case CreatedColumn:
            return r.createdText;
        case DecisionColumn:
            return r.keep ? tr("Keep") : tr("Delete");
        case ReasonColumn:
            return r.reason;
        case DigestColumn:
            return r.digest.isValid() ? r.digest.shortForm() : QString();
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == DigestColumn)
            return r.digest.isValid() ? r.digest.toString() : QString();
        return r.reason;
    case Qt::DecorationRole:
        if (index.column() == DecisionColumn)
            return WharfIcons::icon(r.keep ? u"tag"_s : u"delete"_s);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == DecisionColumn)
            return StatusColors::color(r.keep ? StatusColors::Severity::Success
                                              : StatusColors::Severity::Error,
                                       m_palette);
        return {};
    case KeepRole:
        return r.keep;
    case ReferenceRole:
        return r.reference;
    case CreatedRole:
        return r.created;
    case SortRole:
        switch (index.column()) {
        case CreatedColumn:
            return r.created.isValid() ? r.created.toMSecsSinceEpoch()
                                       : std::numeric_limits<qint64>::min();
        case DecisionColumn:
            return r.keep ? 1 : 0;
        case DigestColumn:
            return r.digest.isValid() ? r.digest.toString() : QString();
        case ReasonColumn:
            return r.reason;
        default:
            return r.reference;
        }
    default:
        return {};
    }
}

QVariant RetentionDecisionModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TagColumn:
        return tr("Tag");
    case CreatedColumn:
        return tr("Created");
    case DecisionColumn:
        return tr("Decision");
    case ReasonColumn:
        return tr("Why");
    case DigestColumn:
        return tr("Digest");
    default:
        return {};
    }
}

} // namespace wharf::gui
