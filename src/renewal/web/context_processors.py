"""What every page's header shows: the active plan's city and document number."""

from renewal.planning.models import Plan


def site(request) -> dict:
    plan = Plan.objects.filter(is_active=True).values("city_name", "document_number").first()
    return {"site": plan or {"city_name": "", "document_number": ""}}
