"""Numbers for people, in one place: one table of the plan's units → display unit, switch point
and decimals, used by the cockpit, the target pages, the drill-downs, the bulletin, the exports and
the API's ``*_display`` fields. The JSON keeps base units (yuan, counts, tce; 55 % as 0.55).

Every figure a person reads is rounded 四舍五入 (half up, on the exact decimal value: 6.25 % →
6.3 %, 31.45万元/亩 → 31.5万元/亩, 168.225亿元 → 168.23亿元), never by binary floats' half-to-even.
Money switches from 万元 to 亿元 at 1亿元 everywhere (docs/decisions/0013-one-units-table.md).

- ``figure(value, unit)``: one value as text, the display unit chosen by its size (1,100.00亿元).
- ``shown(value, unit, scale)``: the same as a number and its decimals (a spreadsheet cell).
- ``column(unit)`` / ``pick(unit, values)``: one display unit for a column or a row of values
  (a drill-down in 万元, a chart axis, a spreadsheet row), so that they add up and compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

YI = Decimal(100_000_000)
WAN = Decimal(10_000)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scale:
    """A display unit: its label, how many base units make one, and the decimals shown."""

    label: str
    divisor: Decimal
    places: int


@dataclass(frozen=True)
class Unit:
    """A unit of the plan file (``schema.Unit``, parameter units) and how people read it: in
    ``small`` below ``switch`` (a base-unit amount, compared after rounding), in ``large`` from it."""

    code: str
    base: str  # the base unit the JSON and the database hold, for "基本单位" columns
    small: Scale
    large: Scale | None = None
    switch: Decimal | None = None

    def scale_for(self, value: Decimal) -> Scale:
        """The display unit of one value: ``large`` once it reaches the switch point after
        rounding in ``small`` (99,999,999.996元 shows as 1.00亿元, not as 10,000.00万元)."""
        if self.large is None or self.switch is None:
            return self.small
        in_small = rounded(abs(value) / self.small.divisor, self.small.places) * self.small.divisor
        return self.large if in_small >= self.switch else self.small


# The one table. Keys are the plan's unit codes (targets: ``schema.Unit``; parameters add years, months, points).
UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("CNY", "元", Scale("万元", WAN, 2), Scale("亿元", YI, 2), switch=YI),
        Unit("ratio", "比值（小数）", Scale("%", Decimal("0.01"), 1)),
        Unit("tce", "吨标准煤", Scale("吨标准煤", Decimal(1), 0), Scale("万吨标准煤", WAN, 2), switch=WAN),
        Unit("set", "台", Scale("台", Decimal(1), 0)),
        Unit("count", "个", Scale("个", Decimal(1), 0)),
        Unit("CNY/person-year", "元/人·年", Scale("万元/人·年", WAN, 1)),
        Unit("CNY/mu", "元/亩", Scale("万元/亩", WAN, 1)),
        # the 亩均 evaluation's indicators (P14): value added per tce, per tonne of emissions, per person
        Unit("CNY/tce", "元/吨标准煤", Scale("万元/吨标准煤", WAN, 2)),
        Unit("CNY/t", "元/吨", Scale("万元/吨", WAN, 1)),
        Unit("CNY/person", "元/人", Scale("万元/人", WAN, 1)),
        Unit("score", "分", Scale("分", Decimal(1), 2)),
        Unit("years", "年", Scale("年", Decimal(1), 0)),
        Unit("months", "个月", Scale("个月", Decimal(1), 0)),
        # interest points: 0.01 is one percentage point (P12 贴息)
        Unit("points", "百分点（小数）", Scale("个百分点", Decimal("0.01"), 2)),
    )
}
NONE = "—"  # a value that is not there shows as a dash, never as 0


@dataclass(frozen=True)
class Shown:
    """A value as a person reads it: the number in ``label`` units, rounded to ``places``."""

    value: Decimal
    places: int
    label: str

    @property
    def text(self) -> str:
        """The number without its unit: 1,100.00."""
        return number(self.value, self.places)

    def __str__(self) -> str:
        return f"{self.text}{self.label}"


def unit_of(code: str) -> Unit:
    """The table's row of a unit code (an unknown code reads as a plain count)."""
    return UNITS.get(code) or Unit(code, code, Scale("", Decimal(1), 0))


def decimal(value) -> Decimal | None:
    """Any number (int, float, Decimal, numeric text) as its exact decimal; None for none or text
    that is not a number. A float is read by its shortest repr (0.1 → 0.1, not 0.1000000000000000055…)."""
    if value is None or value == "" or isinstance(value, bool):
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
    v = rounded(decimal(value), places)
    if v == 0:
        v = abs(v)  # -0.00 → 0.00
    return f"{v:,.{places}f}" if grouped else f"{v:.{places}f}"


def column(code: str) -> Scale:
    """The display unit of a column of ``code`` values that are summed or compared line by line
    (a drill-down's amounts in 万元, a registry list): the table's small unit."""
    return unit_of(code).small


def pick(code: str, values) -> Scale:
    """One display unit for several values (a chart axis, a spreadsheet row): the unit of the
    largest of them."""
    numbers = [abs(v) for v in map(decimal, values) if v is not None]
    return unit_of(code).scale_for(max(numbers, default=Decimal(0)))


def shown(value, code: str, scale: Scale | None = None) -> Shown | None:
    """``value`` (base units of ``code``) in ``scale`` (default: by its own size), rounded."""
    v = decimal(value)
    if v is None:
        return None
    s = scale or unit_of(code).scale_for(v)
    return Shown(rounded(v / s.divisor, s.places), s.places, s.label)


def figure(value, code: str, scale: Scale | None = None, *, suffix: bool = True) -> str:
    """The one written form of a value: 1,100.00亿元, 9,999.00万元, 62.5%, 38.0万元/人·年, 7个;
    "—" when there is none."""
    s = shown(value, code, scale)
    if s is None:
        return NONE
    return str(s) if suffix else s.text


def label(code: str, scale: Scale | None = None) -> str:
    """The display unit's label of ``code`` (its column unit unless ``scale`` is given)."""
    return (scale or column(code)).label


def percent(value, places: int | None = None, *, trim: bool = False) -> str:
    """A fraction as a percentage: 0.0625 → 6.3%; ``places`` overrides the table's decimals (a
    policy rate: 2), ``trim`` drops trailing zeros (0.5 → 50%)."""
    v = decimal(value)
    if v is None:
        return NONE if not trim else ""
    ratio = UNITS["ratio"].small
    text = number(v / ratio.divisor, ratio.places if places is None else places, grouped=False)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def wan(value, places: int | None = None) -> str:
    """Yuan → 万元 for a column whose header says 万元: 30000000 → '3,000.00'; none → ''."""
    v = decimal(value)
    if v is None:
        return ""
    money = column("CNY")
    return number(v / money.divisor, money.places if places is None else int(places))


def plain(value) -> str:
    """A decimal without trailing zeros, with thousands separators: 1234567.500000 → 1,234,567.5."""
    v = decimal(value)
    if v is None:
        return ""
    text = f"{v:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def scale(code: str, values: list[float | None]) -> tuple[float, str]:
    """A common divisor and unit label for a chart axis of ``code`` values (``pick``)."""
    s = pick(code, values)
    return float(s.divisor), s.label
