"""Display filters: yuan → 万元 (pages show 万元 and say so in every header), fractions → %
(``renewal.lib.units``: 四舍五入)."""

from django import template

from renewal.lib import units

register = template.Library()


@register.filter
def wan(value, places: int = 2):
    """30000000 → '3,000.00'; None → ''."""
    return units.wan(value, places)


@register.filter
def pct(value):
    return units.percent(value, 2, trim=True)
