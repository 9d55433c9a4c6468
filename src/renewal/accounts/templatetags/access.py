"""``{% can_open "app:page" [args…] as show %}``: whether the caller may open that page — asked of
the page's own gate, so a tab or button shows only where its page would answer (not 403)."""

from django import template

from renewal.accounts import pages

register = template.Library()


@register.simple_tag(takes_context=True)
def can_open(context, url_name: str, *args) -> bool:
    request = context.get("request")
    return request is not None and pages.can_open(request, url_name, *args)
