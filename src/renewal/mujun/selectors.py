"""Reads of the 亩均 evaluation (P14): the registry and the plan into ``rule.py``'s plain data, and
the answer of `renewal mujun --json` and `GET /api/v1/mujun` (one shape, JSON numbers in base
units; see docs/decisions/0018-mujun-evaluation.md).

Who sees what (``evaluation(scope=…)``): every area is evaluated over all its enterprises whoever
asks (a rank needs the whole area); the items are then narrowed to the caller — the city (admin,
reviewer) every item, an area operator its area's, an enterprise user its own item only (with its
rank, class and the area's benchmarks). The viewer, who reads aggregated figures and never a record,
is refused (403), like a unit reporter, a bank user or a user without a role.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

import numpy as np
from django.db import connections
from django.db.models import BigIntegerField, DecimalField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Round

from renewal.accounts.scope import Scope
from renewal.lib.errors import ServiceError
from renewal.planning import schema
from renewal.planning.models import Area
from renewal.planning.selectors import active_plan_document
from renewal.registry import spells
from renewal.registry.models import Project

from . import fast, rule
from .models import AnnualData

# the figures of the rule (``schema.MUJUN_FIELDS``) → the fields of a 亩均数据 row
FIELDS = {
    "land": "land_mu",
    "tax": "tax",
    "value_added": "value_added",
    "revenue": "revenue",
    "energy": "energy_tce",
    "emissions": "emissions_t",
    "rd": "rd_expense",
    "employees": "employees",
}


class NoScheme(LookupError):
    def __str__(self) -> str:
        return "方案文件未配置亩均评价（mujun 部分），无法评价"


class BadRequest(ServiceError):
    """A bad parameter (400), in Chinese."""

    status = 400


def annual_data_list(
    *, scope: Scope, area: str | None = None, year: int | None = None, q: str | None = None
) -> QuerySet[AnnualData]:
    qs = scope.filter_records(AnnualData.objects.filter(enterprise__is_deleted=False))
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q))
    return qs.select_related("enterprise").order_by("enterprise__uscc", "year")


def _unit(ind: schema.MujunIndicator) -> str:
    num, den = schema.MUJUN_FIELDS[ind.numerator][1], schema.MUJUN_FIELDS[ind.denominator][1]
    return "ratio" if num == den else f"{num}/{den}"


def scheme_for(plan: schema.Plan, area: str) -> rule.Scheme:
    """The scheme ``area`` is evaluated with: the plan's ``mujun``, with the area's own values."""
    m = plan.mujun
    if m is None:
        raise NoScheme()
    own = m.areas.get(area) or schema.MujunOverride()
    bonus = own.bonus or m.bonus
    notes = []
    if own.weights:
        names = {i.id: i.name for i in m.indicators}
        notes.append("权重 " + "、".join(f"{names[k]} {v}" for k, v in own.weights.items()))
    if own.cap is not None:
        notes.append(f"上限 {own.cap}")
    if own.bonus is not None:
        notes.append("加分规则")
    if own.classes is not None:
        notes.append("分类比例")
    return rule.Scheme(
        indicators=tuple(
            rule.Indicator(
                id=i.id,
                name=i.name,
                numerator=i.numerator,
                denominator=i.denominator,
                weight=own.weights.get(i.id, i.weight),
                numerator_label=schema.MUJUN_FIELDS[i.numerator][0],
                denominator_label=schema.MUJUN_FIELDS[i.denominator][0],
                unit=_unit(i),
            )
            for i in m.indicators
        ),
        cap=own.cap if own.cap is not None else m.cap,
        tie_break=m.tie_break,
        bonus=rule.Bonus(
            min_equipment_investment=bonus.min_equipment_investment,
            points_per_project=bonus.points_per_project,
            cap=bonus.cap,
            statuses=frozenset(bonus.statuses),
        ),
        classes=(own.classes or m.classes).model_dump(),
        clause=m.clause,
        example=m.example,
        note=("本区域调整：" + "；".join(notes)) if notes else "",
    )


def area_code(text: str | None) -> str | None:
    """An area given by its code, name or short name → its code (None: every area); unknown → 400."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    found = Area.objects.filter(Q(code=text) | Q(name=text) | Q(short_name=text)).values_list(
        "code", flat=True
    )
    code = next(iter(found), None)
    if code is None:
        known = "、".join(Area.objects.filter(is_active=True).values_list("code", flat=True))
        raise BadRequest(f"area：未知的区域“{text}”（可选：{known}）")
    return code


def year_value(text) -> int:
    """The evaluation year from a parameter (text or int); missing or bad → 400 in Chinese."""
    if text is None or str(text).strip() == "":
        raise BadRequest("year：请给出评价年度（如 2024）")
    try:
        year = int(str(text).strip())
    except ValueError:
        raise BadRequest(f"year：评价年度应为四位年份，实为“{text}”") from None
    if not 2000 <= year <= 2100:
        raise BadRequest(f"year：评价年度 {year} 不合理（应为 2000–2100）")
    return year


def _layout() -> dict[str, tuple[int, int]]:
    """Figure → (its index in a read row's integers, the decimal places of its column)."""
    return {
        k: (i, getattr(AnnualData._meta.get_field(f), "decimal_places", None) or 0)
        for i, (k, f) in enumerate(FIELDS.items())
    }


LAYOUT = _layout()


def _as_integer(field: str, places: int):
    """A column in units of 10^-places, as an integer computed by the database (SQLite keeps a
    decimal as REAL or INTEGER: the rounding recovers the value Django's converter would give,
    without building a Decimal per value; PostgreSQL's numeric is exact)."""
    if not places:
        return F(field)
    scaled = F(field) * Value(Decimal(10**places), output_field=DecimalField())
    return Cast(Round(scaled), BigIntegerField())


def _rows(year: int, area: str | None) -> tuple[list[tuple], dict[int, list[rule.ProjectFacts]]]:
    """The rows of ``year`` (live rows of live enterprises; one area or all), ordered by credit
    code: (enterprise id, credit code, name, area, then the figures as integers of ``LAYOUT``);
    and by enterprise id, its projects that may earn the bonus, with their status on 31 December
    (registry/spells.py)."""
    live = AnnualData.objects.filter(year=year, enterprise__is_deleted=False)
    if area:
        live = live.filter(enterprise__area_id=area)
    scaled = {f"as_int_{k}": _as_integer(FIELDS[k], places) for k, (_, places) in LAYOUT.items()}
    query = (
        live.order_by("enterprise__uscc")
        .annotate(**scaled)
        .values_list("enterprise_id", "enterprise__uscc", "enterprise__name", "enterprise__area_id", *scaled)
    )
    # the query's own SQL, read as plain tuples: every column is an integer or a text already (the
    # converters Django would apply per value — int() of an int — cost a third of the read)
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # only projects whose 竣工日期 lies in the year can earn the bonus (the rule checks it again);
    # each with its status on 31 December in the same query (``spells.status_on_subquery``)
    year_end = dt.date(year, 12, 31)
    projects = (
        Project.objects.filter(enterprise_id__in=live.values("enterprise_id"), end_date__year=year)
        .annotate(status_at_year_end=spells.status_on_subquery(year_end))
        .values_list("code", "enterprise_id", "end_date", "equipment_investment", "status_at_year_end")
    )
    by_enterprise: dict[int, list[rule.ProjectFacts]] = defaultdict(list)
    for code, enterprise, end, equipment, status in projects:
        by_enterprise[enterprise].append(
            rule.ProjectFacts(code=code, status=status, end_date=end, equipment_investment=equipment)
        )
    return rows, by_enterprise


def facts(year: int, area: str | None) -> dict[str, list[rule.Facts]]:
    """Area code → its enterprises with a row for ``year`` (live rows of live enterprises), each with
    its projects completed in ``year`` and their status on 31 December (registry/spells.py). The
    figures are ``rule.Scaled``: a mapping of Decimals over the integers the database computed.
    What the reference (``rule.evaluate_area``) reads; ``tables`` is the same, columnwise."""
    rows, by_enterprise = _rows(year, area)
    out: dict[str, list[rule.Facts]] = defaultdict(list)
    none = ()
    for r in rows:
        out[r[3]].append(
            rule.Facts(
                uscc=r[1],
                name=r[2],
                area=r[3],
                figures=rule.Scaled(r[4:], LAYOUT),
                projects=tuple(by_enterprise[r[0]]) if r[0] in by_enterprise else none,
            )
        )
    return out


def tables(year: int, area: str | None) -> dict[str, fast.Table]:
    """``facts`` as columns, what ``fast.evaluate_area`` reads: area code → its rows (figures as
    int64 arrays over 10^places; a 亩均数据 column has at most 18 digits)."""
    rows, by_enterprise = _rows(year, area)
    by_area: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        by_area[r[3]].append(r)
    out = {}
    for code, area_rows in by_area.items():
        columns = list(zip(*area_rows, strict=True))
        out[code] = fast.Table(
            uscc=columns[1],
            name=columns[2],
            figures={
                k: (np.array(columns[4 + i], dtype=np.int64), 10**places) for k, (i, places) in LAYOUT.items()
            },
            projects=[tuple(by_enterprise[e]) if e in by_enterprise else () for e in columns[0]],
        )
    return out


def evaluate(year: int, area: str | None = None, *, reference: bool = False) -> list[rule.AreaResult]:
    """Every area's (or one area's) evaluation, areas in code order: computed a column at a time
    (``fast``); ``reference``: by the rule's own loop over the enterprises (the same results)."""
    plan = active_plan_document()
    if plan.mujun is None:
        raise NoScheme()
    with gc_paused():
        if reference:
            by_area = facts(year, area)
            return [
                rule.evaluate_area(year, code, by_area[code], scheme_for(plan, code))
                for code in sorted(by_area)
            ]
        by_table = tables(year, area)
        return [
            fast.evaluate_area(year, code, by_table[code], scheme_for(plan, code))
            for code in sorted(by_table)
        ]


@contextmanager
def gc_paused():
    """The cyclic garbage collector off while an evaluation builds its objects: at 60,000
    enterprises (360,000 points, none in a cycle) its repeated passes over them cost about 40 % of
    the time (bench/mujun.py). Nothing is lost: it runs again afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _shown(hundredths: int) -> int | float:
    """A value rounded to hundredths as a JSON number (``number`` of the 2-decimal Decimal)."""
    return hundredths // 100 if hundredths % 100 == 0 else hundredths / 100


def item_json(item: rule.Item) -> dict:
    """One item of the answer (``items_json`` gives the same for a whole area, columnwise)."""
    i = item.index
    return _item(
        item,
        [
            {
                "indicator": c.name,
                "value": c.vf[i],
                "benchmark": c.bf,
                "points": _shown(c.shown[i]),
                "basis": c.basis[i],
            }
            for c in item.columns
        ],
    )


def _item(item: rule.Item, points: list[dict]) -> dict:
    return {
        "uscc": item.uscc,
        "name": item.name,
        "area": item.area,
        "rank": item.rank,
        "class": item.klass,
        "score": _shown(item.score_shown),
        "bonus": _shown(item.bonus_shown),
        "total": _shown(item.total_shown),
        "points": points,
        "bonus_projects": item.bonus_projects,
        "bonus_basis": item.bonus_basis,
    }


def _hundredths(shown: list[int]) -> list[int | float]:
    """``_shown`` of each, a column at a time."""
    h = np.array(shown, dtype=np.int64)
    whole = h % 100 == 0
    out = (h / 100).astype(object)
    out[whole] = (h[whole] // 100).astype(object)
    return out.tolist()


def items_json(result: rule.AreaResult, keep=None) -> list[dict]:
    """``[item_json(i) for i in result.items if keep(i)]``, built a column at a time: each
    indicator's point dicts for the items kept (60,000 enterprises: 360,000 point dicts), then the
    items in rank order."""
    items = result.items if keep is None else [i for i in result.items if keep(i)]
    if not items:
        return []
    columns = items[0].columns
    every = len(items) == len(result.items)
    at = None if every else [i.index for i in items]

    def point_dicts(c: rule.Column) -> list[dict]:
        name, bf = c.name, c.bf
        vf, shown, basis = c.vf, c.shown, c.basis
        if at is not None:
            vf, shown, basis = [vf[i] for i in at], [shown[i] for i in at], [basis[i] for i in at]
        return [
            {"indicator": name, "value": v, "benchmark": bf, "points": p, "basis": t}
            for v, p, t in zip(vf, _hundredths(shown), basis, strict=True)
        ]

    # the points of the k-th item kept: by_item[its index] (every item) or by_item[k]
    by_item = list(zip(*[point_dicts(c) for c in columns], strict=True)) if columns else None
    return [
        {
            "uscc": i.uscc,
            "name": i.name,
            "area": i.area,
            "rank": i.rank,
            "class": i.klass,
            "score": i.score_shown // 100 if i.score_shown % 100 == 0 else i.score_shown / 100,
            "bonus": i.bonus_shown // 100 if i.bonus_shown % 100 == 0 else i.bonus_shown / 100,
            "total": i.total_shown // 100 if i.total_shown % 100 == 0 else i.total_shown / 100,
            "points": [] if by_item is None else list(by_item[i.index if every else k]),
            "bonus_projects": i.bonus_projects,
            "bonus_basis": i.bonus_basis,
        }
        for k, i in enumerate(items)
    ]


def evaluation(*, year, area=None, scope: Scope | None = None) -> dict:
    """The answer of `renewal mujun --json` and `GET /api/v1/mujun`: ``year`` and ``area`` as given
    (text or int; bad → ``BadRequest``), the items the caller may see (``scope`` None: all, the
    command). Items by area code, then rank. Scores rounded half up to 2 decimals for display; the
    ranks and classes come from the exact values."""
    if scope is not None:
        scope.require_records("企业亩均评价")
    year = year_value(year)
    code = area_code(area)
    plan = active_plan_document()
    if plan.mujun is None:
        raise NoScheme()
    keep = None if scope is None else (lambda i: scope.covers(area=i.area, uscc=i.uscc))
    with gc_paused():
        items = [x for result in evaluate(year, code) for x in items_json(result, keep)]
    return {
        "year": year,
        "area": code,
        "clause": plan.mujun.clause,
        "example": plan.mujun.example,
        "items": items,
    }
