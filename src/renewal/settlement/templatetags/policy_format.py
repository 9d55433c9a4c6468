"""Display filters: yuan → 万元 (pages show 万元 and say so in every header), fractions → %."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _dec(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def wan(value, places: int = 2):
    """30000000 → '3,000.00'; None → ''."""
    v = _dec(value)
    if v is None:
        return ""
    return f"{v / 10000:,.{int(places)}f}"


@register.filter
def pct(value):
    v = _dec(value)
    if v is None:
        return ""
    text = f"{v * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
