"""The header's declaration links: 项目申报 for an enterprise, 待我审核 N 项 for a reviewer. Each is
shown only where its page would open (``pages.can_open``); the count is one COUNT query, made only
for a role that reviews."""

from django import template

from renewal.accounts.pages import can_open, request_scope
from renewal.lib import units

from .. import selectors

register = template.Library()


@register.inclusion_tag("declaration/_nav_links.html", takes_context=True)
def declaration_nav(context) -> dict:
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    out = {"declare": can_open(request, "declaration:index")}
    if can_open(request, "declaration:inbox"):
        out |= {"inbox": True, "inbox_count": selectors.inbox_count(scope=request_scope(request))}
    return out


@register.filter
def percent(value) -> str:
    """A ratio as a percentage without trailing zeros: 0.05 → 5%."""
    return units.percent(value, 2, trim=True)
