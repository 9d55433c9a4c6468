"""The ONE place assessment and the bulletin read indicator values from.

``indicator_rows(year, as_of, area)`` returns the indicator engine's rows for one area (or the
city when ``area`` is None) in the DESIGN.md contract shape:
``{"target_id", "clause", "name", "unit", "target", "actual", "completion", "expected", "status",
"source"}``. Scoring, ranking, the ranking page, the API, ``renewal assess`` and the bulletin all
go through it, so the bulletin's numbers are the cockpit's by construction.

While the indicators app (issue 3) is not merged, a PROVISIONAL stand-in below computes the
scored targets from the registry with simple measure semantics and an equal split of city targets
over the areas (labelled 示例). When ``renewal.indicators.selectors`` exists (its
``indicators(plan, year, as_of, areas)`` returning a result with ``for_area(code)``), the engine is
used instead; ``_engine()`` is the only place that knows it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.db.models import Count, Q, Sum

from renewal.planning import schema
from renewal.planning.selectors import active_plan_document


def _engine():
    """The indicator engine's selectors module (issue 3), or None while it is not installed."""
    try:
        module = import_module("renewal.indicators.selectors")
    except ImportError:
        return None
    return module if hasattr(module, "indicators") else None


def indicator_table(year: int, as_of: dt.date) -> dict[str | None, list[dict]]:
    """Rows of the city (key None) and of every area (key: area code) for one (year, as_of),
    computed in one pass of the engine."""
    plan = active_plan_document()
    engine = _engine()
    if engine is not None:
        result = engine.indicators(plan, year, as_of)
        return {None: result.for_area(None), **{a.code: result.for_area(a.code) for a in plan.areas}}
    return {
        None: _provisional_rows(year, as_of, None),
        **{a.code: _provisional_rows(year, as_of, a.code) for a in plan.areas},
    }


def indicator_rows(year: int, as_of: dt.date, area: str | None) -> list[dict]:
    """Rows of one area (None: the city)."""
    engine = _engine()
    if engine is not None:
        return engine.indicators(active_plan_document(), year, as_of, [area]).for_area(area)
    return _provisional_rows(year, as_of, area)


# --- provisional stand-in (replace by the indicator engine) ---------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    """序时进度 in whole months: a month counts once as_of reaches its last day."""
    total = (end.year - start.year) * 12 + end.month - start.month + 1
    last = as_of.year * 12 + as_of.month - 1
    if as_of != _month_end(as_of.year, as_of.month):
        last -= 1
    done = last - (start.year * 12 + start.month - 1) + 1
    return Decimal(max(0, min(total, done))) / Decimal(total)


def _status(completion: Decimal | None, expected: Decimal, band: Decimal) -> str | None:
    if completion is None:
        return None
    if completion >= expected:
        return "green"
    return "yellow" if completion >= expected - band else "red"


def _measures(year: int, as_of: dt.date, area: str | None, start: dt.date) -> dict[str, Decimal]:
    from renewal.registry import reference
    from renewal.registry.models import FirstSetProduct, Honour, MonthlyProgress, Project, Statistic

    projects = Project.objects.counted().filter(year=year)
    progress = MonthlyProgress.objects.filter(project__status__in=reference.counted_statuses())
    honours = Honour.objects.filter(year__gte=start.year, year__lte=year)
    first_sets = FirstSetProduct.objects.filter(
        year=year, category="首台套", level__in=["省级", "国家级", "世界级"]
    )
    if area:
        projects = projects.filter(area_id=area)
        progress = progress.filter(project__area_id=area)
        honours = honours.filter(enterprise__area_id=area)
        first_sets = first_sets.filter(enterprise__area_id=area)
    key = projects.filter(provincial_key=True)
    this_year = progress.filter(project__year=year, month__year=year, month__lte=as_of)
    agg = key.aggregate(n=Count("id"), large=Count("id", filter=Q(total_investment__gte=1_000_000_000)))
    month = as_of.month if as_of == _month_end(as_of.year, as_of.month) else as_of.month - 1
    stat = Decimal(0)
    if month >= 1:
        code = area or active_plan_document().city.code
        row = Statistic.objects.filter(
            indicator="mfg_investment", area_code=code, period=f"{year}-{month:02d}"
        ).first()
        stat = row.value if row else Decimal(0)
    return {
        "mfg_investment": stat,
        "provincial_key_projects": Decimal(agg["n"]),
        "provincial_key_large_projects": Decimal(agg["large"]),
        "provincial_key_equipment_investment": this_year.filter(project__provincial_key=True).aggregate(
            s=Sum("equipment_investment")
        )["s"]
        or Decimal(0),
        "demonstration_factories": Decimal(
            honours.filter(kind__in=["未来工厂", "国家智能制造示范工厂", "灯塔工厂"]).count()
        ),
        "green_factories": Decimal(
            honours.filter(kind="绿色工厂", level__in=["省级", "国家级", "世界级"]).count()
        ),
        "first_set_products": Decimal(first_sets.count()),
        "new_robots": Decimal(
            progress.filter(month__gte=start, month__lte=as_of).aggregate(s=Sum("robots"))["s"] or 0
        ),
        "chain_projects": Decimal(projects.with_type("产业链协同创新").count()),
        "green_projects": Decimal(projects.with_type("绿色化改造").count()),
        "energy_space": projects.filter(status__in=reference.completed_statuses()).aggregate(
            s=Sum("energy_saving")
        )["s"]
        or Decimal(0),
    }


def _provisional_rows(year: int, as_of: dt.date, area: str | None) -> list[dict]:
    plan = active_plan_document()
    scored = {r.target for r in plan.scoring.rules} if plan.scoring else set()
    share = Decimal(1) / Decimal(len(plan.areas)) if area else Decimal(1)
    rows = []
    measures = None
    for t in plan.targets:
        if t.id not in scored or t.value is None:
            continue
        start, end = t.period.bounds
        if t.period.kind == "each_year" or t.period.kind == "year":
            if not start.year <= year <= end.year:
                continue
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if measures is None:
            measures = _measures(year, as_of, area, plan_start(plan))
        code = t.source.code
        actual = measures.get(code)
        target = (t.value * share).quantize(Decimal("0.01"))
        completion = actual / target if actual is not None and target else None
        expected = _elapsed(start, end, as_of)
        rows.append(
            {
                "target_id": t.id,
                "clause": t.clause,
                "name": t.name,
                "unit": t.unit,
                "target": target,
                "actual": actual,
                "completion": completion,
                "expected": expected,
                "status": _status(completion, expected, plan.status.yellow_band),
                "source": t.source.kind,
                "note": "示例：区域目标按全市目标平均分解（临时口径，待指标引擎接入）" if area else "",
            }
        )
    return rows


def plan_start(plan: schema.Plan) -> dt.date:
    return dt.date(plan.start_year, 1, 1)
