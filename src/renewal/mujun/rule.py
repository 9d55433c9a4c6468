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


class Item:
    """One evaluated enterprise. ``score``, ``bonus`` and ``total`` are exact; ``score_shown``,
    ``bonus_shown`` and ``total_shown`` are them in hundredths, rounded half up."""

    __slots__ = (
        "_total",
        "approx",
        "area",
        "bonus",
        "bonus_basis",
        "bonus_projects",
        "bonus_shown",
        "klass",
        "name",
        "points",
        "rank",
        "score_shown",
        "tie",
        "tie_approx",
        "total_shown",
        "uscc",
    )

    def __init__(self, *, uscc, name, area, points, bonus, bonus_projects, bonus_basis, tie):
        self.uscc, self.name, self.area, self.points = uscc, name, area, points
        self.bonus, self.bonus_projects, self.bonus_basis = bonus, bonus_projects, bonus_basis
        self.bonus_shown = _half_up(bonus.numerator, bonus.denominator, 2)
        self.tie = tie  # the tie-break indicator's point
        # a zero denominator with a positive numerator ranks above every value (it scored the cap)
        self.tie_approx = (1, 0.0) if tie.vd is None and tie.rn > 0 else (0, tie.value_float or 0.0)
        self.rank, self.klass = 0, ""
        self._total: Fraction | None = None
        score = sum(p.pn / p.pd for p in points)
        self.approx = score + float(bonus)  # the total as a float, for ordering (see the module)
        self.score_shown = _hundredths(score, lambda: self.score)
        self.total_shown = _hundredths(self.approx, lambda: self.total)

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


def _hundredths(approx: float, exact) -> int:
    """``approx`` (a nonnegative float within 10⁻¹² relative of ``exact()``) in hundredths, half up;
    ``exact()`` (a Fraction) decides when the float falls near a half hundredth."""
    x = approx * 100 + 0.5
    n = math.floor(x)
    if min(x - n, n + 1 - x) <= NEAR * max(1.0, x):
        n = math.floor(exact() * 100 + Fraction(1, 2))
    return n


def _half_up(num: int, den: int, places: int) -> int:
    """num ÷ den (num ≥ 0, den > 0) in units of 10^-places, rounded half up: exact, on integers."""
    scale = 10**places
    return (2 * num * scale + den) // (2 * den)


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
    for name in names:
        if fast:
            index, places = layout[name]
            out[name] = ([x.ints[index] for x in figures], 10**places)
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
    per_indicator = []
    for ind in scheme.indicators:
        (a, la), (b, lb) = columns[ind.numerator], columns[ind.denominator]
        sa, sb = sum(a), sum(b)
        benchmarks[ind.id] = Fraction(sa * lb, sb * la) if sb else None
        per_indicator.append(_points(ind, a, la, b, lb, sa, sb, benchmarks[ind.id], cap, n, cite))
    tie_k = next(k for k, ind in enumerate(scheme.indicators) if ind.id == scheme.tie_break)
    none_basis = _bonus(year, [], scheme.bonus, cite)[1]
    items = []
    for i, f in enumerate(evaluated):
        points = [column[i] for column in per_indicator]
        codes = qualifying_projects(year, f.projects, scheme.bonus) if f.projects else []
        bonus, bonus_basis = _bonus(year, codes, scheme.bonus, cite) if codes else (ZERO, none_basis)
        items.append(
            Item(
                uscc=f.uscc,
                name=f.name,
                area=area,
                points=points,
                bonus=bonus,
                bonus_projects=codes,
                bonus_basis=bonus_basis,
                tie=points[tie_k],
            )
        )
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
) -> list[Point]:
    """Indicator ``ind`` for every evaluated enterprise of the area: numerators a[i] ÷ la and
    denominators b[i] ÷ lb, their sums sa ÷ la and sb ÷ lb (see the module for the arithmetic)."""
    weight = Fraction(ind.weight)
    wn, wd = weight.numerator, weight.denominator
    cn, cd = cap.numerator, cap.denominator
    name, unit = ind.name, ind.unit
    formula = f"{name} = {ind.numerator_label} ÷ {ind.denominator_label}"
    bench_text = (
        f"基准值（本区域 {n} 家参评企业 Σ{ind.numerator_label} ÷ Σ{ind.denominator_label}）"
        f"= {_show(benchmark, unit)}"
    )
    cap_shown = _text(_half_up(cn, cd, 4), 4)
    tail = f"；得分 = 权重 {cap_text(weight)} × "
    over = f"，超过上限按 {cap_text(cap)} 计"
    # the zero-denominator cases and a zero benchmark: the same text and points for everyone
    capped_points = _text(_half_up(wn * cn, wd * cd, 2), 2)
    to_cap = (
        f"{formula} = —；{bench_text}；{ind.denominator_label}为 0 而{ind.numerator_label}大于 0，"
        f"按上限 {cap_text(cap)} 计{tail}{cap_shown} = {capped_points}{cite}"
    )
    zero = f"{tail}0.0000 = 0.00{cite}"
    to_zero = (
        f"{formula} = —；{bench_text}；{ind.numerator_label}与{ind.denominator_label}均为 0，计 0 分{zero}"
    )
    nothing = f"基准值为 0（本区域参评企业{ind.numerator_label}合计为 0），计 0 分{zero}"
    cap_hundredths = _half_up(wn * cn, wd * cd, 2)
    percent = unit == "ratio"  # 元 ÷ 元 is shown as a percentage
    head = f"{formula} = "
    mid = f"{'%' if percent else unit}；{bench_text}；与基准值之比 "
    bf = float(benchmark) if benchmark is not None else None
    value_scale = 20_000 if percent else 200  # 2 × 10² (× 100 for a percentage)
    out = []
    append = out.append
    # the loop is the evaluation's hot path (360,000 points at 60,000 enterprises): integer
    # arithmetic written out (exact; see _half_up and _text), one string per point
    for x, y in zip(a, b, strict=True):
        if y == 0:
            if x > 0:
                append(
                    Point(
                        name,
                        ind.id,
                        benchmark,
                        bf,
                        to_cap,
                        0,
                        None,
                        None,
                        cn,
                        cd,
                        wn * cn,
                        wd * cd,
                        cap_hundredths,
                    )
                )
            else:
                append(Point(name, ind.id, benchmark, bf, to_zero, 0, None, None, 0, 1, 0, 1, 0))
            continue
        vn = x * lb
        vd = y * la
        v = (vn * value_scale + vd) // (vd + vd)  # the value in hundredths (of a percent), half up
        if not sa:
            # benchmark 0: no evaluated enterprise has any numerator (figures are never negative),
            # so this one's is 0 too: the indicator separates no one and gives everyone 0
            basis = f"{head}{v // 100:,}.{v % 100:02d}{'%' if percent else unit}；{bench_text}；{nothing}"
            append(Point(name, ind.id, benchmark, bf, basis, vn, vd, vn / vd, 0, 1, 0, 1, 0))
            continue
        rn = x * sb  # x_k ÷ benchmark_k = (x · Σb) ÷ (y · Σa): the units cancel
        rd = y * sa
        r = (rn * 20_000 + rd) // (rd + rd)  # the ratio in 10⁻⁴, half up
        if rn * cd > cn * rd:
            pn = wn * cn
            pd = wd * cd
            basis = (
                f"{head}{v // 100:,}.{v % 100:02d}{mid}{r // 10_000}.{r % 10_000:04d}{over}{tail}"
                f"{cap_shown} = {cap_hundredths // 100}.{cap_hundredths % 100:02d}{cite}"
            )
            append(Point(name, ind.id, benchmark, bf, basis, vn, vd, vn / vd, cn, cd, pn, pd, cap_hundredths))
            continue
        pn = wn * rn
        pd = wd * rd
        shown = (pn * 200 + pd) // (pd + pd)
        ratio = f"{r // 10_000}.{r % 10_000:04d}"
        basis = f"{head}{v // 100:,}.{v % 100:02d}{mid}{ratio}{tail}{ratio} = {shown // 100}.{shown % 100:02d}{cite}"
        append(Point(name, ind.id, benchmark, bf, basis, vn, vd, vn / vd, rn, rd, pn, pd, shown))
    return out


def _bonus(year: int, codes: list[str], bonus: Bonus, cite: str) -> tuple[Fraction, str]:
    per, cap = Fraction(bonus.points_per_project), Fraction(bonus.cap)
    wan = rounded(Fraction(bonus.min_equipment_investment) / 10_000)
    rule = (
        f"设备更新加分：{year}年竣工（竣工日期在{year}年内，{year}-12-31 状态为"
        f"{'、'.join(sorted(bonus.statuses))}）且设备投资不低于 {wan:,}万元的项目每个加 {cap_text(per)} 分，"
        f"最多 {cap_text(cap)} 分"
    )
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
