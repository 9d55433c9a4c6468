"""Numbers for people, in one place: 亿元/万元, %, 吨标准煤, 台, 个 — the JSON keeps base units.

Every figure a person reads (cockpit, target pages, bulletin, calculator, lists) is written here,
rounded 四舍五入 (half up, on the exact decimal value: 6.25 % → 6.3 %, 31.45万 → 31.5万), never
by binary floats' half-to-even. Two styles of money share the rounding: ``human`` for the cockpit
and the target pages (亿元 from 1亿, whole 万元 below) and ``document`` for the bulletin's text
(亿元 from 1,000万, two decimals); the numbers issue decides whether they become one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

YI = Decimal(100_000_000)
WAN = Decimal(10_000)
HUNDRED = Decimal(100)
# unit of a target → its label (the plan file's units)
LABELS = {"CNY/person-year": "万元/人·年", "CNY/mu": "万元/亩"}


def decimal(value) -> Decimal | None:
    """Any number (int, float, Decimal, numeric text) as its exact decimal; None for none or text
    that is not a number. A float is read by its shortest repr (0.1 → 0.1, not 0.1000000000000000055…)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def rounded(value: Decimal, places: int) -> Decimal:
    """四舍五入 to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value, places: int, *, grouped: bool = True) -> str:
    """A decimal as text with ``places`` decimals, half up, thousands separated."""
    v = rounded(value, places)
    return f"{v:,.{places}f}" if grouped else f"{v:.{places}f}"


def human(value, unit: str, *, suffix: bool = True) -> str:
    """The cockpit's and target pages' form of a value of ``unit``."""
    v = decimal(value)
    if v is None:
        return "—"
    if unit == "CNY":
        text, u = (number(v / YI, 2), "亿元") if abs(v) >= YI else (number(v / WAN, 0), "万元")
    elif unit == "ratio":
        text, u = number(v * HUNDRED, 1, grouped=False), "%"
    elif unit in LABELS:
        text, u = number(v / WAN, 1, grouped=False), LABELS[unit]
    elif unit == "tce":
        text, u = (
            (number(v / WAN, 2, grouped=False), "万吨标准煤") if abs(v) >= WAN else (number(v, 0), "吨标准煤")
        )
    elif unit == "set":
        text, u = number(v, 0), "台"
    else:
        text, u = number(v, 0 if v == v.to_integral_value() else 1), "个"
    return f"{text}{u}" if suffix else text


def document(value, unit: str, labels: dict[str, str]) -> str:
    """The bulletin's form: money in 亿元 (万元 below 1,000万) with two decimals, ratios in %,
    counts whole with the plan's unit label (``labels``)."""
    v = decimal(value)
    if v is None:
        return "—"
    if unit == "CNY":
        return f"{number(v / YI, 2)}亿元" if abs(v) >= 10_000_000 else f"{number(v / WAN, 2)}万元"
    if unit == "ratio":
        return percent(v, 1)
    if unit in LABELS:
        return f"{number(v / WAN, 2)}{LABELS[unit]}"
    if unit == "tce":
        return f"{number(v, 0)}吨标准煤"
    return f"{number(v, 0)}{labels.get(unit, '')}"


def percent(value, places: int = 1, *, trim: bool = False) -> str:
    """A fraction as a percentage: 0.0625 → 6.3%; ``trim`` drops trailing zeros (0.5 → 50%)."""
    v = decimal(value)
    if v is None:
        return "—" if not trim else ""
    text = number(v * HUNDRED, places, grouped=False)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def wan(value, places: int = 2) -> str:
    """Yuan → 万元 (pages say 万元 in the header): 30000000 → '3,000.00'; none → ''."""
    v = decimal(value)
    return "" if v is None else number(v / WAN, int(places))


def plain(value) -> str:
    """A decimal without trailing zeros, with thousands separators: 1234567.500000 → 1,234,567.5."""
    v = decimal(value)
    if v is None:
        return ""
    text = f"{v:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def scale(unit: str, values: list[float | None]) -> tuple[float, str]:
    """A common divisor and unit label for a chart axis of ``unit`` values."""
    if unit == "CNY":
        top = max((abs(v) for v in values if v is not None), default=0)
        return (1e8, "亿元") if top >= 1e8 else (1e4, "万元")
    if unit == "ratio":
        return 0.01, "%"
    if unit in LABELS:
        return 1e4, LABELS[unit]
    if unit == "tce":
        return 1e4, "万吨标准煤"
    return 1, "台" if unit == "set" else "个"
