#include "DeleteResult.h"

using namespace Qt::StringLiterals;

namespace wharf {

QString DeleteResult::statusName(Status status)
{
    switch (status) {
    case Status::Deleted:
        return u"deleted"_s;
    case Status::AlreadyGone:
        return u"already-gone"_s;
    case Status::Refused:
        return u"refused"_s;
    case Status::Failed:
        return u"failed"_s;
    case Status::Skipped:
        break;
    }
    return u"skipped"_s;
}

QString DeleteResult::actionName(Action action)
{
    switch (action) {
    case Action::DeleteManifest:
        return u"delete"_s;
    case Action::Untag:
        return u"untag"_s;
    case Action::None:
        break;
    }
    return u"none"_s;
}

} // namespace wharf
