"""Reads for the indicators: the aggregation behind every target, and the records behind a number.

``indicator_facts`` runs one grouped query per source (the project, completion and progress
roll-ups kept exact by triggers, T1's large projects, honours, first-set products, funds,
statistics) — grouped by area and month in the database, never one query per target or area — and
hands plain numbers to the pure ``engine``. Each registry measure is declared once
(``measures.MEASURES``); ``measure_queries`` derives both its aggregate and its drill-down.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from renewal.planning import schema
from renewal.planning import selectors as plans
from renewal.registry import models as registry

from . import engine, measure_queries, periods


class BadRequest(ValueError):
    """A request the indicators cannot answer; the message is Chinese and names the field."""


@dataclass(frozen=True)
class Query:
    year: int
    as_of: dt.date
    area: str | None


def default_as_of() -> dt.date:
    """The last day of the last month with data (the demo data's ``through``), else today."""
    demo = registry.DemoDataset.objects.order_by("-created_at").first()
    if demo is not None:
        return periods.month_last(periods.month_index(demo.through))
    latest = registry.MonthlyProgress.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is not None:
        return periods.month_last(periods.month_index(latest))
    return dt.date.today()


def parse_query(plan: schema.Plan, *, year=None, as_of=None, area=None) -> Query:
    """Validate the request parameters (strings or values) with Chinese messages."""
    if as_of in (None, ""):
        as_of_date = default_as_of()
    elif isinstance(as_of, dt.date):
        as_of_date = as_of
    else:
        try:
            as_of_date = dt.date.fromisoformat(str(as_of).strip())
        except ValueError:
            raise BadRequest(f"as_of（截止日期）应为 YYYY-MM-DD 格式的日期，实为 {as_of!r}") from None
    if year in (None, ""):
        year_int = as_of_date.year
    else:
        try:
            year_int = int(str(year).strip())
        except ValueError:
            raise BadRequest(f"year（年度）应为四位整数，实为 {year!r}") from None
    if not plan.start_year - 1 <= year_int <= plan.end_year + 1:
        raise BadRequest(f"year（年度）应在 {plan.start_year}—{plan.end_year} 之间，实为 {year_int}")
    code = None
    if area not in (None, "", plan.city.code):
        code = area_code(plan, str(area))
        if code is None:
            raise BadRequest(
                f"area（区域）未知：{area!r}（可用区域代码或名称，如 {plan.areas[0].code} 或 {plan.areas[0].name}）"
            )
    return Query(year_int, as_of_date, code)


def area_code(plan: schema.Plan, text: str) -> str | None:
    text = text.strip()
    for a in plan.areas:
        if text in (a.code, a.name, a.short_name, *a.aliases):
            return a.code
    return None


def indicator_facts(plan: schema.Plan, year: int, as_of: dt.date) -> engine.Facts:
    """Everything the engine needs for ``year`` asked at ``as_of``, taken at its data date (the last
    day of the last whole month, ``periods.data_date``): the registry measures (one grouped query
    per source, ``measure_queries``), the pipeline of the counts, the statistics of the targets'
    indicators and the forecasts' backtested errors."""
    day = periods.data_date(as_of)
    facts = engine.Facts(year=year, as_of=day, forecast_errors=forecast_errors())
    facts.registry = measure_queries.measure_facts(plan, year, day)
    facts.pipeline = measure_queries.pipeline_facts(plan, year, day)
    facts.statistics = statistics_facts(plan, year)
    return facts


def statistics_facts(plan: schema.Plan, year: int) -> dict[tuple[str, str, int, int], float]:
    """The statistics of the targets' indicators: this year, the year before and the baselines;
    (code, area, year, month) → value (the engine reads only the months up to the data date)."""
    out = {}
    codes = {t.source.statistics for t in plan.targets if t.source.statistics}
    codes |= {t.source.denominator for t in plan.targets if t.source.denominator}
    first_year = min([year - 1] + [engine.baseline_year(plan, t) for t in plan.targets])
    for code, area, y, m, value in registry.Statistic.objects.filter(
        indicator__in=codes, year__gte=first_year, year__lte=year
    ).values_list("indicator", "area_code", "year", "month", "value"):
        out[(code, area, y, m)] = float(value)
    return out


def indicators(
    plan: schema.Plan, year: int, as_of: dt.date, areas: list[str | None] | None = None
) -> engine.Result:
    """All targets for the city and every area (or only ``areas``; None is the city)."""
    return engine.compute(plan, indicator_facts(plan, year, as_of), areas)


def indicators_answer(plan: schema.Plan, query: Query, result: engine.Result | None = None) -> dict:
    """The contract shape of DESIGN.md (`GET /api/v1/indicators`, `renewal indicators --json`)."""
    result = result or indicators(plan, query.year, query.as_of, [query.area])
    return {
        "year": query.year,
        "as_of": query.as_of.isoformat(),
        "data_through": periods.month_label(periods.month_index(periods.data_date(query.as_of))),
        "area": query.area or plan.city.code,
        "area_name": plan.area(query.area).name if query.area else plan.city.name,
        "items": result.for_area(query.area),
        "warnings": result.warnings,
    }


ERRORS = Path(__file__).with_name("forecast_errors.json")


@cache
def forecast_errors() -> dict[str, dict[int, float]]:
    """Each target's backtested forecast error by cut month, as measured by ``bench/forecast.py
    --write`` on the demo world (docs/decisions/0014); none when it was not measured."""
    if not ERRORS.exists():
        return {}
    data = json.loads(ERRORS.read_text(encoding="utf-8"))
    return {t: {int(m): float(e) for m, e in cuts.items()} for t, cuts in data.get("errors", {}).items()}


def active_plan() -> schema.Plan:
    return plans.active_plan_document()


# -- Drill-down: the records that make a number ----------------------------------------------------


def indicator_records(plan: schema.Plan, target_id: str, query: Query) -> dict:
    """The records behind one target's actual for the city or an area at the data date; for a
    registry measure their ``value`` column sums to the indicator by construction
    (``measure_queries``). For statistics: the rows up to the data date, the one that produced the
    number ``marked``."""
    t = plan.target(target_id)
    year, day = query.year, periods.data_date(query.as_of)
    columns = ["value"]
    if engine.window(plan, t, year) is None:
        return {"target": t, "rows": [], "total": 0, "kind": "none"}
    if t.source.registry:
        rows = measure_queries.measure_records(plan, t, year, day, query.area)
        total = sum(r["value"] for r in rows)
        return {"target": t, "rows": rows, "total": total, "kind": "registry", "columns": columns}
    rows = []
    codes = [t.source.statistics] + ([t.source.denominator] if t.source.denominator else [])
    area = query.area or plan.city.code
    # the engine on the statistics alone says which month made the number (no registry reads)
    facts = engine.Facts(year=year, as_of=day, statistics=statistics_facts(plan, year))
    items = engine.compute(plan, facts, [query.area]).for_area(query.area)
    item = next((i for i in items if i["target_id"] == target_id), None)
    used = (item or {}).get("data_through")  # 'YYYY-MM' of the month that produced the number
    years = sorted({year - 1, year, engine.baseline_year(plan, t)})
    stats = registry.Statistic.objects.filter(indicator__in=codes, area_code=area, year__in=years)
    for s in stats.order_by("indicator", "year", "month"):
        if (s.year, s.month) > (day.year, day.month):
            continue  # after the data date
        rows.append(
            {
                "label": s.indicator,
                "code": s.period,
                "enterprise": "",
                "area": area,
                "detail": "1—M月累计" if len(s.period) == 7 else "全年",
                "value": float(s.value),
                "url": measure_queries.admin_url("statistic", s.id),
                "marked": used is not None and s.year == year and f"{s.year}-{s.month:02d}" == used,
            }
        )
    return {"target": t, "rows": rows, "total": None, "kind": "statistics", "columns": columns}
