"""What every page's header shows: the active plan's city and document number, and which of the
signed-in user's links lead somewhere (no link to a page that refuses the user's role)."""

from renewal.accounts.scope import scope_for
from renewal.planning.models import Plan


def site(request) -> dict:
    plan = Plan.objects.filter(is_active=True).values("city_name", "document_number").first()
    return {"site": plan or {"city_name": "", "document_number": ""}, "nav": _nav(request)}


def _nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "records": scope.sees_records,  # registry lists, import/export (not the viewer's: figures only)
        "overdue": scope.can("reports.overdue"),
        "tasks": scope.can("tasks.matrix") or scope.can("tasks.report"),
    }
