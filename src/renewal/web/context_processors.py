"""What every page's header shows: the active plan's city and document number, and which links
the caller may follow — each asked of the linked page's own gate (``accounts.pages.can_open``), so
no role sees a link to a page that refuses it."""

from renewal.accounts.pages import can_open
from renewal.planning.models import Plan

# The header's links to pages that some roles may not open: name in the template → URL name.
NAV = {
    "cockpit": "indicators:cockpit",
    "ranking": "assessment:ranking",
    "drafting": "drafting:index",
    "exchange": "exchange:upload",
    "projects": "lists:project_list",
    "enterprises": "lists:enterprise_list",
    "overdue": "reporting:overdue",
    "approval": "reporting:approval",
    "completeness": "reporting:completeness",
    "flags": "quality:flags",
    "tasks": "reporting:tasks",
    "funnel": "finance:funnel",
    "bank": "finance:bank",
    "parks": "parks:index",
    "mujun": "mujun:index",
    "mujun_mine": "mujun:my_card",
}


def site(request) -> dict:
    plan = Plan.objects.filter(is_active=True).values("city_name", "document_number").first()
    return {"site": plan or {"city_name": "", "document_number": ""}, "nav": _nav(request)}


def _nav(request) -> dict:
    return {key: can_open(request, name) for key, name in NAV.items()}
