"""The 亩均 evaluation of one area and year (P14), pure: plain data in, results with a trace out; no
Django, no ORM, no other app of the project (``tests/mujun/test_rule_purity.py`` scans the imports).
The semantics, written out: docs/decisions/0018-mujun-evaluation.md.

Arithmetic is exact: benchmarks, ratios, points and totals are exact rationals and the ranking
compares exact values (two totals equal on paper are equal here, whatever their decimal expansion).
``rounded`` turns a value into the 2-decimal Decimal people read (四舍五入, half up), for display
only.

How, at 60,000 enterprises (bench/mujun.py): each figure column is turned once into integers over
one common denominator (``_exact``: 12.3456 亩 → 123456 / 10⁴), so an enterprise's ratio to the
benchmark is a quotient of two integers, (a · Σb) ÷ (b · Σa), whatever the units; the cap is an
integer comparison and every rounding shown (2 or 4 decimals, half up) is an integer floor
division. ``Point`` and ``Item`` keep those integers and give the exact ``Fraction`` on access. A
total is a sum of rationals with different denominators: its float (each term correctly rounded,
error < 10⁻¹² here) orders the items, and items whose totals lie within ``NEAR`` of each other
are ordered again on their exact totals (so an exact tie is still decided by 亩均税收, then by the
credit code); the 2-decimal total shown is likewise exact (a float that falls near a half cent is
decided on the exact sum).

In short, for the evaluated enterprises of an area (a row of year Y with 用地面积 > 0):

- benchmark_k = Σ numerator_k ÷ Σ denominator_k over them;
- points_k = weight_k × min(x_k ÷ benchmark_k, cap), x_k = numerator_k ÷ denominator_k; a zero
  denominator gives the cap with a positive numerator and 0 with a zero one; a benchmark of 0 (no
  evaluated enterprise has any numerator; figures are never negative) gives everyone 0;
- bonus = min(points_per_project × the enterprise's qualifying projects, bonus cap);
- total = Σ points_k + bonus; rank by total desc, then tie-break indicator value desc, then credit
  code asc; classes A, B, D by the scheme's shares of n (floored), C the rest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

CLASSES = ("A", "B", "C", "D")
ZERO = Fraction(0)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    numerator: str  # a figure of Facts.figures (land, tax, value_added …)
    denominator: str
    weight: Decimal
    numerator_label: str = ""  # 税收实际贡献
    denominator_label: str = ""  # 用地面积
    unit: str = ""  # 元/亩; "ratio" for 元 ÷ 元 (shown as a percentage)


@dataclass(frozen=True)
class Bonus:
    min_equipment_investment: Decimal  # yuan
    points_per_project: Decimal
    cap: Decimal
    statuses: frozenset[str]


@dataclass(frozen=True)
class Scheme:
    """The scheme one area is evaluated with (the plan's, with the area's own values applied)."""

    indicators: tuple[Indicator, ...]
    cap: Decimal
    tie_break: str  # indicator id
    bonus: Bonus
    classes: Mapping[str, Decimal]  # A, B, D → share of n
    clause: str = "P14"
    example: bool = False
    note: str = ""  # what the area overrides, for the trace


@dataclass(frozen=True)
class ProjectFacts:
    code: str
    status: str | None  # the status on 31 December of the year (None: no transition yet)
    end_date: dt.date | None  # 竣工日期
    equipment_investment: Decimal  # yuan


class Scaled(Mapping):
    """A row's figures as the database keeps them: integers in units of 10^-places (12.3456 亩 →
    123456 with 4 places), read as Decimals (``figures["land"]`` → Decimal("12.3456")). The rule
    takes the integers as they are: no Decimal is built. ``layout`` (figure → (index, places)) is
    shared by every row of one read."""

    __slots__ = ("ints", "layout")

    def __init__(self, ints: tuple[int, ...], layout: Mapping[str, tuple[int, int]]):
        self.ints, self.layout = ints, layout

    def __getitem__(self, name: str) -> Decimal:
        index, places = self.layout[name]
        return Decimal(self.ints[index]).scaleb(-places)

    def __iter__(self):
        return iter(self.layout)

    def __len__(self) -> int:
        return len(self.layout)


@dataclass(frozen=True)
class Facts:
    """One enterprise's row of the year (None: no row) and its projects."""

    uscc: str
    name: str
    area: str
    figures: Mapping[str, Decimal | int] | None  # or ``Scaled``
    projects: tuple[ProjectFacts, ...] = ()


class Point:
    """One indicator of one enterprise. The exact values (``Fraction``) are computed on access from
    the integers kept: value = vn ÷ vd (None: zero denominator), ratio = rn ÷ rd (capped), points =
    pn ÷ pd; ``shown`` is the points in hundredths, rounded half up (what the answer shows);
    ``value_float`` and ``benchmark_float`` are the floats of the exact values (correctly rounded)."""

    __slots__ = (
        "basis",
        "benchmark",
        "benchmark_float",
        "id",
        "indicator",
        "pd",
        "pn",
        "rd",
        "rn",
        "shown",
        "value_float",
        "vd",
        "vn",
    )

    def __init__(self, indicator, id, benchmark, bf, basis, vn, vd, vf, rn, rd, pn, pd, shown):  # noqa: A002
        self.indicator, self.id, self.benchmark, self.benchmark_float = indicator, id, benchmark, bf
        self.basis, self.vn, self.vd, self.value_float = basis, vn, vd, vf
        self.rn, self.rd, self.pn, self.pd, self.shown = rn, rd, pn, pd, shown

    @property
    def value(self) -> Fraction | None:  # x_k (None: zero denominator)
        return None if self.vd is None else Fraction(self.vn, self.vd)

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.rn, self.rd)

    @property
    def points(self) -> Fraction:
        return Fraction(self.pn, self.pd)


class Column:
    """One indicator for every evaluated enterprise of an area, as lists (index i: the i-th
    evaluated enterprise): the evaluation keeps columns, not 360,000 ``Point`` objects (building
    them, and the garbage collector's passes over them, was most of the time at 60,000
    enterprises). It keeps what the answer shows (basis, value float, points in hundredths) and
    the figures' integers (numerators ``a`` ÷ ``la``, denominators ``b`` ÷ ``lb``, their sums
    ``sa``, ``sb``); ``point(i)`` gives the ``Point`` of one enterprise, its exact integers
    computed again from the figures as the evaluation's loop (``_points``) computes them."""

    __slots__ = (
        "a",
        "b",
        "basis",
        "benchmark",
        "bf",
        "cd",
        "cn",
        "id",
        "la",
        "lb",
        "name",
        "pf",
        "sa",
        "sb",
        "shown",
        "vf",
        "wd",
        "wn",
    )

    def __init__(self, name, id, benchmark, bf, a, la, b, lb, sa, sb, wn, wd, cn, cd):  # noqa: A002
        self.name, self.id, self.benchmark, self.bf = name, id, benchmark, bf
        self.a, self.la, self.b, self.lb, self.sa, self.sb = a, la, b, lb, sa, sb
        self.wn, self.wd, self.cn, self.cd = wn, wd, cn, cd
        self.basis: list[str] = []
        self.vf: list[float | None] = []
        self.shown: list[int] = []
        self.pf: list[float] = []  # pn ÷ pd as floats (correctly rounded), for ordering

    def exact(self, i: int) -> tuple[int, int | None, int, int, int, int]:
        """(vn, vd, rn, rd, pn, pd) of enterprise i: value vn ÷ vd (vd None: zero denominator),
        ratio rn ÷ rd (capped), points pn ÷ pd."""
        x, y = self.a[i], self.b[i]
        cn, cd, wn, wd = self.cn, self.cd, self.wn, self.wd
        if y == 0:
            return (0, None, cn, cd, wn * cn, wd * cd) if x > 0 else (0, None, 0, 1, 0, 1)
        vn, vd = x * self.lb, y * self.la
        if not self.sa:
            return (vn, vd, 0, 1, 0, 1)
        rn, rd = x * self.sb, y * self.sa
        if rn * cd > cn * rd:
            return (vn, vd, cn, cd, wn * cn, wd * cd)
        return (vn, vd, rn, rd, wn * rn, wd * rd)

    def point(self, i: int) -> Point:
        vn, vd, rn, rd, pn, pd = self.exact(i)
        return Point(
            self.name,
            self.id,
            self.benchmark,
            self.bf,
            self.basis[i],
            vn,
            vd,
            self.vf[i],
            rn,
            rd,
            pn,
            pd,
            self.shown[i],
        )


class Item:
    """One evaluated enterprise. ``score``, ``bonus`` and ``total`` are exact; ``score_shown``,
    ``bonus_shown`` and ``total_shown`` are them in hundredths, rounded half up. Its points are the
    ``index``-th entries of the area's ``columns`` (``points`` builds the ``Point`` objects on
    access)."""

    __slots__ = (
        "_points",
        "_total",
        "approx",
        "area",
        "bonus",
        "bonus_basis",
        "bonus_projects",
        "bonus_shown",
        "columns",
        "index",
        "klass",
        "name",
        "rank",
        "score_shown",
        "tie_approx",
        "tie_k",
        "total_shown",
        "uscc",
    )

    def __init__(self, uscc, name, area, columns, index, tie_k, score, bonus, bonus_projects, bonus_basis):
        self.uscc, self.name, self.area, self.columns, self.index = uscc, name, area, columns, index
        self.bonus, self.bonus_projects, self.bonus_basis = bonus, bonus_projects, bonus_basis
        if bonus:
            self.bonus_shown = _half_up(bonus.numerator, bonus.denominator, 2)
            bonus_float = float(bonus)
        else:  # most enterprises
            self.bonus_shown, bonus_float = 0, 0.0
        self.tie_k = tie_k  # the tie-break indicator's column
        tie = columns[tie_k]
        # a zero denominator with a positive numerator ranks above every value (it scored the cap)
        if tie.b[index] == 0:
            self.tie_approx = (1, 0.0) if tie.a[index] > 0 else (0, 0.0)
        else:
            self.tie_approx = (0, tie.vf[index] or 0.0)
        self.rank, self.klass = 0, ""
        self._points: list[Point] | None = None
        self._total: Fraction | None = None
        # ``score``: the float sum of the points' floats, in indicator order (see the module)
        self.approx = score + bonus_float  # the total as a float, for ordering
        # in hundredths, half up, from the floats; the exact values decide near a half hundredth
        # (``_fast_hundredths``, written out: 120,000 calls at 60,000 enterprises)
        x = score * 100 + 0.5
        n = math.floor(x)
        near = NEAR * x if x > 1.0 else NEAR
        self.score_shown = n if x - n > near and n + 1 - x > near else _exact_hundredths(self.score)
        x = self.approx * 100 + 0.5
        n = math.floor(x)
        near = NEAR * x if x > 1.0 else NEAR
        self.total_shown = n if x - n > near and n + 1 - x > near else _exact_hundredths(self.total)

    @property
    def points(self) -> list[Point]:
        if self._points is None:
            self._points = [c.point(self.index) for c in self.columns]
        return self._points

    @property
    def tie(self) -> Point:  # the tie-break indicator's point
        return self.points[self.tie_k]

    @property
    def tie_value(self) -> tuple[int, Fraction]:
        """(1, 0): the tie-break's denominator is 0 and its numerator positive; else (0, its value)."""
        if self.tie_approx[0]:
            return (1, ZERO)
        return (0, self.tie.value or ZERO)

    @property
    def score(self) -> Fraction:
        return sum((p.points for p in self.points), ZERO)

    @property
    def total(self) -> Fraction:
        if self._total is None:
            self._total = self.score + self.bonus
        return self._total


@dataclass
class AreaResult:
    area: str
    year: int
    evaluated: int
    benchmarks: dict[str, Fraction | None]
    class_sizes: dict[str, int]
    items: list[Item] = field(default_factory=list)


def rounded(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """``value`` rounded half up (四舍五入, away from zero at the half) to ``places`` decimals, exactly."""
    f = Fraction(value)
    scaled = abs(f) * 10**places
    n = math.floor(scaled + Fraction(1, 2))
    return Decimal(-n if f < 0 else n).scaleb(-places).quantize(Decimal(1).scaleb(-places))


NEAR = 1e-7  # floats this close (relative) may hide an exact order or a half cent: decide exactly


def _fast_hundredths(approx: float) -> int | None:
    """``approx`` (a nonnegative float within 10⁻¹² relative of the exact value) in hundredths, half
    up; None when the float falls near a half hundredth (then the exact value decides:
    ``_exact_hundredths``)."""
    x = approx * 100 + 0.5
    n = math.floor(x)
    if min(x - n, n + 1 - x) <= NEAR * max(1.0, x):
        return None
    return n


def _exact_hundredths(exact: Fraction) -> int:
    return math.floor(exact * 100 + Fraction(1, 2))


def _half_up(num: int, den: int, places: int) -> int:
    """num ÷ den (num ≥ 0, den > 0) in units of 10^-places, rounded half up: exact, on integers."""
    scale = 10**places
    return (2 * num * scale + den) // (2 * den)


_TWO = tuple(f"{i:02d}" for i in range(100))
_THREE = tuple(f"{i:03d}" for i in range(1000))
_FOUR = tuple(f"{i:04d}" for i in range(10_000))


def _text(n: int, places: int, thousands: bool = False) -> str:
    """An integer of 10^-places units written like the Decimal ``rounded`` gives (``:,`` if asked)."""
    whole, part = divmod(n, 10**places)
    return f"{whole:,}.{part:0{places}d}" if thousands else f"{whole}.{part:0{places}d}"


def _columns(evaluated: list[Facts], names: Iterable[str]) -> dict[str, tuple[list[int], int]]:
    """Each figure as integers over one common denominator: value_i = ints[i] ÷ scale. Rows read
    as ``Scaled`` (one layout) give their integers; other figures (Decimal, int, Fraction) their
    exact ratios over the least common denominator."""
    figures = [f.figures for f in evaluated]
    layout = figures[0].layout if figures and type(figures[0]) is Scaled else None
    fast = layout is not None and all(type(x) is Scaled and x.layout is layout for x in figures)
    out = {}
    by_index = list(zip(*(x.ints for x in figures), strict=True)) if fast and figures else None
    for name in names:
        if fast:
            index, places = layout[name]
            out[name] = (list(by_index[index]) if by_index else [], 10**places)
            continue
        pairs = [x[name].as_integer_ratio() for x in figures]
        scale = math.lcm(*{d for _, d in pairs}) if pairs else 1
        out[name] = ([n for n, _ in pairs] if scale == 1 else [n * (scale // d) for n, d in pairs], scale)
    return out


def _has_land(f: Facts) -> bool:
    x = f.figures
    if x is None:
        return False
    if type(x) is Scaled:
        return x.ints[x.layout["land"][0]] > 0
    return x["land"] > 0


def _show(value: Fraction | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{rounded(value * 100):,}%"
    return f"{rounded(value):,}{unit}"


def class_sizes(n: int, shares: Mapping[str, Decimal]) -> dict[str, int]:
    """A = ⌊A·n⌋, B = ⌊B·n⌋, D = ⌊D·n⌋ (exact: the shares are decimals), C = the rest."""
    a, b, d = (math.floor(Fraction(shares[k]) * n) for k in ("A", "B", "D"))
    return {"A": a, "B": b, "C": n - a - b - d, "D": d}


def qualifying_projects(year: int, projects: Iterable[ProjectFacts], bonus: Bonus) -> list[str]:
    """The projects that earn the bonus: status on 31 December of ``year`` among the bonus statuses,
    竣工日期 within ``year`` and 设备投资 ≥ the threshold; by code."""
    return sorted(
        p.code
        for p in projects
        if p.status in bonus.statuses
        and p.end_date is not None
        and p.end_date.year == year
        and p.equipment_investment >= bonus.min_equipment_investment
    )


def evaluate_area(year: int, area: str, enterprises: Iterable[Facts], scheme: Scheme) -> AreaResult:
    """Evaluate the enterprises of one area for ``year`` (those without a row, or with 用地面积 0, are
    not evaluated and not in the answer)."""
    evaluated = [f for f in enterprises if _has_land(f)]
    n = len(evaluated)
    cap = Fraction(scheme.cap)
    example = "，示例" if scheme.example else ""
    cite = f"（{scheme.clause}{example}）"
    names = {x for ind in scheme.indicators for x in (ind.numerator, ind.denominator)}
    columns = _columns(evaluated, sorted(names))
    benchmarks: dict[str, Fraction | None] = {}
    per_indicator: list[Column] = []
    for ind in scheme.indicators:
        (a, la), (b, lb) = columns[ind.numerator], columns[ind.denominator]
        sa, sb = sum(a), sum(b)
        benchmarks[ind.id] = Fraction(sa * lb, sb * la) if sb else None
        per_indicator.append(_points(ind, a, la, b, lb, sa, sb, benchmarks[ind.id], cap, n, cite))
    tie_k = next(k for k, ind in enumerate(scheme.indicators) if ind.id == scheme.tie_break)
    bonus_rule = _bonus_rule(year, scheme.bonus)
    none_basis = _bonus(year, [], scheme.bonus, cite, bonus_rule)[1]
    # each enterprise's score as a float: the sum of its points' floats in indicator order
    scores = [sum(t) for t in zip(*(c.pf for c in per_indicator), strict=True)] if per_indicator else [0] * n
    items = []
    append = items.append
    for i, f in enumerate(evaluated):
        if f.projects:
            codes = qualifying_projects(year, f.projects, scheme.bonus)
            bonus, bonus_basis = (
                _bonus(year, codes, scheme.bonus, cite, bonus_rule) if codes else (ZERO, none_basis)
            )
        else:
            codes, bonus, bonus_basis = [], ZERO, none_basis
        append(Item(f.uscc, f.name, area, per_indicator, i, tie_k, scores[i], bonus, codes, bonus_basis))
    items = _ordered(items)
    sizes = class_sizes(n, scheme.classes)
    for rank, item in enumerate(items, start=1):
        item.rank = rank
        if rank <= sizes["A"]:
            item.klass = "A"
        elif rank <= sizes["A"] + sizes["B"]:
            item.klass = "B"
        elif rank > n - sizes["D"]:
            item.klass = "D"
        else:
            item.klass = "C"
    return AreaResult(
        area=area, year=year, evaluated=n, benchmarks=benchmarks, class_sizes=sizes, items=items
    )


def _exact_key(i: Item):
    return (-i.total, -i.tie_value[0], -i.tie_value[1], i.uscc)


def _ordered(items: list[Item]) -> list[Item]:
    """Total descending, then the tie-break value descending, then the credit code — on exact
    values: the floats order the items, and each run of items whose float totals are within
    ``NEAR`` of the next is ordered again on the exact key (the float error is far below it)."""
    items.sort(key=lambda i: (-i.approx, -i.tie_approx[0], -i.tie_approx[1], i.uscc))
    out: list[Item] = []
    run: list[Item] = []
    for item in items:
        if run and run[-1].approx - item.approx > NEAR * max(1.0, abs(item.approx)):
            out += sorted(run, key=_exact_key) if len(run) > 1 else run
            run = []
        run.append(item)
    out += sorted(run, key=_exact_key) if len(run) > 1 else run
    return out


@dataclass(frozen=True)
class Texts:
    """The fixed parts of one indicator's bases in one area. A point's basis is one of five shapes:
    ``to_cap`` or ``to_zero`` (a zero denominator), or ``head`` + its value + … :

    - benchmark 0: value ``unit`` + ``nothing``;
    - capped: value ``mid`` ratio ``capped_end``;
    - otherwise: value ``mid`` ratio ``tail`` ratio `` = `` points ``cite``.

    The value is written with thousands separators and 2 decimals (of a percentage for 元 ÷ 元), the
    ratio with 4 decimals, the points with 2, each rounded half up (``rounded``)."""

    head: str  # 亩均税收 = 税收实际贡献 ÷ 用地面积 =
    unit: str  # 元/亩, or % for a ratio
    mid: str  # 元/亩；基准值（本区域 n 家参评企业 Σ… ÷ Σ…）= …；与基准值之比
    tail: str  # ；得分 = 权重 30 ×
    capped_end: str  # ，超过上限按 1.5 计；得分 = 权重 30 × 1.5000 = 45.00（P14，示例）
    nothing: str  # ；基准值（…）= 0.00…；基准值为 0（…），计 0 分；得分 = 权重 30 × 0.0000 = 0.00（…）
    to_cap: str
    to_zero: str
    cite: str  # （P14，示例）
    percent: bool  # the value is a ratio of two amounts of yuan, shown as a percentage
    cap_hundredths: int  # weight × cap in hundredths, half up: the points of a capped point


def texts(ind: Indicator, benchmark: Fraction | None, cap: Fraction, n: int, cite: str) -> Texts:
    weight = Fraction(ind.weight)
    formula = f"{ind.name} = {ind.numerator_label} ÷ {ind.denominator_label}"
    bench_text = (
        f"基准值（本区域 {n} 家参评企业 Σ{ind.numerator_label} ÷ Σ{ind.denominator_label}）"
        f"= {_show(benchmark, ind.unit)}"
    )
    cap_shown = _text(_half_up(cap.numerator, cap.denominator, 4), 4)
    tail = f"；得分 = 权重 {cap_text(weight)} × "
    cap_hundredths = _half_up(weight.numerator * cap.numerator, weight.denominator * cap.denominator, 2)
    capped_points = _text(cap_hundredths, 2)
    zero = f"{tail}0.0000 = 0.00{cite}"
    percent = ind.unit == "ratio"  # 元 ÷ 元 is shown as a percentage
    unit = "%" if percent else ind.unit
    return Texts(
        head=f"{formula} = ",
        unit=unit,
        mid=f"{unit}；{bench_text}；与基准值之比 ",
        tail=tail,
        capped_end=f"，超过上限按 {cap_text(cap)} 计{tail}{cap_shown} = {capped_points}{cite}",
        nothing=(
            f"{unit}；{bench_text}；基准值为 0（本区域参评企业{ind.numerator_label}合计为 0），计 0 分{zero}"
        ),
        to_cap=(
            f"{formula} = —；{bench_text}；{ind.denominator_label}为 0 而{ind.numerator_label}大于 0，"
            f"按上限 {cap_text(cap)} 计{tail}{cap_shown} = {capped_points}{cite}"
        ),
        to_zero=(
            f"{formula} = —；{bench_text}；{ind.numerator_label}与{ind.denominator_label}均为 0，"
            f"计 0 分{zero}"
        ),
        cite=cite,
        percent=percent,
        cap_hundredths=cap_hundredths,
    )


def _points(
    ind: Indicator,
    a: list[int],
    la: int,
    b: list[int],
    lb: int,
    sa: int,
    sb: int,
    benchmark: Fraction | None,
    cap: Fraction,
    n: int,
    cite: str,
) -> Column:
    """Indicator ``ind`` for every evaluated enterprise of the area: numerators a[i] ÷ la and
    denominators b[i] ÷ lb, their sums sa ÷ la and sb ÷ lb (see the module for the arithmetic).
    The reference: ``fast.column`` computes the same column with numpy and calls this one for the
    points whose floats fall near a rounding or the cap."""
    weight = Fraction(ind.weight)
    wn, wd = weight.numerator, weight.denominator
    cn, cd = cap.numerator, cap.denominator
    t = texts(ind, benchmark, cap, n, cite)
    cap_hundredths = t.cap_hundredths
    bf = float(benchmark) if benchmark is not None else None
    value_scale = 20_000 if t.percent else 200  # 2 × 10² (× 100 for a percentage)
    rows = []
    append = rows.append
    pcap, dcap = wn * cn, wd * cd
    capped_tuple = (t.to_cap, None, cap_hundredths, pcap / dcap)
    zero_tuple = (t.to_zero, None, 0, 0.0)
    # the loop is the evaluation's hot path (360,000 points at 60,000 enterprises): integer
    # arithmetic written out (exact; see _half_up and _text), one string per point; a row of
    # (basis, value float, shown, pn ÷ pd float) per point (``Column.exact`` gives the integers), turned into
    # the column's lists at the end
    # the texts of 2 and 4 decimals: integers written through tables (``_text`` in effect, and
    # what ``rounded`` gives), a format spec per number costing more than the arithmetic
    two, three, four = _TWO, _THREE, _FOUR
    head, mid, tail, capped_end, nothing = t.head, t.mid, t.tail, t.capped_end, t.nothing
    for x, y in zip(a, b, strict=True):
        if y == 0:
            append(capped_tuple if x > 0 else zero_tuple)
            continue
        vn = x * lb
        vd = y * la
        v = (vn * value_scale + vd) // (vd + vd)  # the value in hundredths (of a percent), half up
        w, c = divmod(v, 100)
        if w < 1000:
            value = f"{head}{w}.{two[c]}"
        elif w < 1_000_000:
            value = f"{head}{w // 1000},{three[w % 1000]}.{two[c]}"
        else:
            value = f"{head}{w:,}.{two[c]}"
        if not sa:
            # benchmark 0: no evaluated enterprise has any numerator (figures are never negative),
            # so this one's is 0 too: the indicator separates no one and gives everyone 0
            append((f"{value}{nothing}", vn / vd, 0, 0.0))
            continue
        rn = x * sb  # x_k ÷ benchmark_k = (x · Σb) ÷ (y · Σa): the units cancel
        rd = y * sa
        r = (rn * 20_000 + rd) // (rd + rd)  # the ratio in 10⁻⁴, half up
        if rn * cd > cn * rd:
            basis = f"{value}{mid}{r // 10_000}.{four[r % 10_000]}{capped_end}"
            append((basis, vn / vd, cap_hundredths, pcap / dcap))
            continue
        pn = wn * rn
        pd = wd * rd
        shown = (pn * 200 + pd) // (pd + pd)
        ratio = f"{r // 10_000}.{four[r % 10_000]}"
        basis = f"{value}{mid}{ratio}{tail}{ratio} = {shown // 100}.{two[shown % 100]}{t.cite}"
        append((basis, vn / vd, shown, pn / pd))
    column = Column(ind.name, ind.id, benchmark, bf, a, la, b, lb, sa, sb, wn, wd, cn, cd)
    if rows:
        column.basis, column.vf, column.shown, column.pf = map(list, zip(*rows, strict=True))
    return column


def _bonus_rule(year: int, bonus: Bonus) -> str:
    wan = rounded(Fraction(bonus.min_equipment_investment) / 10_000)
    return (
        f"设备更新加分：{year}年竣工（竣工日期在{year}年内，{year}-12-31 状态为"
        f"{'、'.join(sorted(bonus.statuses))}）且设备投资不低于 {wan:,}万元的项目每个加 "
        f"{cap_text(Fraction(bonus.points_per_project))} 分，最多 {cap_text(Fraction(bonus.cap))} 分"
    )


def _bonus(
    year: int, codes: list[str], bonus: Bonus, cite: str, rule: str | None = None
) -> tuple[Fraction, str]:
    """The bonus of an enterprise with these qualifying projects and its basis (``rule``: the
    rule's text, ``_bonus_rule``, when the caller has it)."""
    per, cap = Fraction(bonus.points_per_project), Fraction(bonus.cap)
    if rule is None:
        rule = _bonus_rule(year, bonus)
    if not codes:
        return ZERO, f"{rule}；无符合条件的项目，加 0 分{cite}"
    raw = per * len(codes)
    amount = min(raw, cap)
    capped = f"，超过上限按 {cap_text(cap)} 分计" if raw > cap else ""
    return amount, f"{rule}；符合条件 {len(codes)} 个（{'、'.join(codes)}）= {cap_text(raw)} 分{capped}{cite}"


def cap_text(value: Fraction | Decimal) -> str:
    """A parameter as written (1.5, 30, 2), without trailing zeros."""
    d = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    text = f"{d.normalize():f}"
    return text
