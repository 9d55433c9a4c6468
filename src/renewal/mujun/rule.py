"""The 亩均 evaluation of one area and year (P14), pure: plain data in, results with a trace out; no
Django, no ORM, no other app of the project (``tests/mujun/test_rule_purity.py`` scans the imports).
The semantics, written out: docs/decisions/0018-mujun-evaluation.md.

Arithmetic is exact: every figure becomes a ``Fraction``, so benchmarks, ratios, points and totals
are exact rationals and the ranking compares exact values (two totals equal on paper are equal here,
whatever their decimal expansion). ``rounded`` turns a value into the 2-decimal Decimal people read
(四舍五入, half up), for display only.

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


@dataclass(frozen=True)
class Facts:
    """One enterprise's row of the year (None: no row) and its projects."""

    uscc: str
    name: str
    area: str
    figures: Mapping[str, Decimal | int] | None
    projects: tuple[ProjectFacts, ...] = ()


@dataclass(frozen=True)
class Point:
    indicator: str  # the indicator's name (亩均税收)
    id: str
    value: Fraction | None  # x_k (None: zero denominator)
    benchmark: Fraction | None  # None: zero Σ denominator
    ratio: Fraction
    points: Fraction
    basis: str


@dataclass
class Item:
    uscc: str
    name: str
    area: str
    points: list[Point]
    score: Fraction
    bonus: Fraction
    bonus_projects: list[str]
    bonus_basis: str
    total: Fraction
    tie_value: tuple[int, Fraction]
    rank: int = 0
    klass: str = ""


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


def _show(value: Fraction | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{rounded(value * 100):,}%"
    return f"{rounded(value):,}{unit}"


def _figure(f: Facts, name: str) -> Fraction:
    return Fraction(f.figures[name])


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
    evaluated = [f for f in enterprises if f.figures is not None and _figure(f, "land") > 0]
    cap = Fraction(scheme.cap)
    example = "，示例" if scheme.example else ""
    cite = f"（{scheme.clause}{example}）"
    benchmarks: dict[str, Fraction | None] = {}
    for ind in scheme.indicators:
        num = sum((_figure(f, ind.numerator) for f in evaluated), ZERO)
        den = sum((_figure(f, ind.denominator) for f in evaluated), ZERO)
        benchmarks[ind.id] = num / den if den else None
    n = len(evaluated)
    items = []
    for f in evaluated:
        points = [_point(f, ind, benchmarks[ind.id], cap, n, cite) for ind in scheme.indicators]
        score = sum((p.points for p in points), ZERO)
        codes = qualifying_projects(year, f.projects, scheme.bonus)
        bonus, bonus_basis = _bonus(year, codes, scheme.bonus, cite)
        tie = next(p for p in points if p.id == scheme.tie_break)
        # a zero denominator with a positive numerator ranks above every value (it scored the cap)
        tie_value = (1, ZERO) if tie.value is None and tie.ratio > 0 else (0, tie.value or ZERO)
        items.append(
            Item(
                uscc=f.uscc,
                name=f.name,
                area=area,
                points=points,
                score=score,
                bonus=bonus,
                bonus_projects=codes,
                bonus_basis=bonus_basis,
                total=score + bonus,
                tie_value=tie_value,
            )
        )
    items.sort(key=lambda i: (-i.total, -i.tie_value[0], -i.tie_value[1], i.uscc))
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


def _point(f: Facts, ind: Indicator, benchmark: Fraction | None, cap: Fraction, n: int, cite: str) -> Point:
    num, den = _figure(f, ind.numerator), _figure(f, ind.denominator)
    weight = Fraction(ind.weight)
    formula = f"{ind.name} = {ind.numerator_label} ÷ {ind.denominator_label}"
    bench_text = (
        f"基准值（本区域 {n} 家参评企业 Σ{ind.numerator_label} ÷ Σ{ind.denominator_label}）"
        f"= {_show(benchmark, ind.unit)}"
    )
    if den == 0:
        value = None
        if num > 0:
            ratio = cap
            why = f"{ind.denominator_label}为 0 而{ind.numerator_label}大于 0，按上限 {cap_text(cap)} 计"
        else:
            ratio = ZERO
            why = f"{ind.numerator_label}与{ind.denominator_label}均为 0，计 0 分"
    else:
        value = num / den
        if not benchmark:
            # benchmark 0: no evaluated enterprise has any numerator (figures are never negative),
            # so this one's is 0 too: the indicator separates no one and gives everyone 0
            ratio = ZERO
            why = f"基准值为 0（本区域参评企业{ind.numerator_label}合计为 0），计 0 分"
        else:
            raw = value / benchmark
            ratio = min(raw, cap)
            capped = f"，超过上限按 {cap_text(cap)} 计" if raw > cap else ""
            why = f"与基准值之比 {rounded(raw, 4)}{capped}"
    points = weight * ratio
    basis = (
        f"{formula} = {_show(value, ind.unit)}；{bench_text}；{why}；"
        f"得分 = 权重 {cap_text(weight)} × {rounded(ratio, 4)} = {rounded(points)}{cite}"
    )
    return Point(
        indicator=ind.name,
        id=ind.id,
        value=value,
        benchmark=benchmark,
        ratio=ratio,
        points=points,
        basis=basis,
    )


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
