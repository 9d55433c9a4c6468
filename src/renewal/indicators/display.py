"""The engine's numbers as people read them (``renewal.lib.units``), and names from the plan file
instead of codes: the cockpit pages, the drill-downs, their exports and the API's ``*_display``
fields. The engine's own fields stay in base units."""

from __future__ import annotations

import re
from decimal import Decimal

from renewal.lib import units
from renewal.planning import schema

from . import rules


def pct(fraction) -> float | None:
    """A fraction as a percentage number rounded 四舍五入 like the text (0.0625 → 6.3), for the
    templates that append % and the charts; None stays None."""
    s = units.shown(fraction, "ratio")
    return None if s is None else float(s.value)


def axis(value, unit: str, scale: units.Scale) -> float | None:
    """A chart value in the axis's display unit, rounded 四舍五入 like the text (the script only
    draws it)."""
    s = units.shown(value, unit, scale)
    return None if s is None else float(s.value)


def item_display(item: dict) -> dict:
    """The ``*_display`` texts of one engine item (the API's and the pages')."""
    unit = item["unit"]
    fc = item.get("forecast") or {}
    return {
        "actual_display": units.figure(item["actual"], unit),
        "target_display": units.figure(item["target"], unit),
        "completion_display": units.percent(item["completion"]),
        "expected_display": units.percent(item["expected"]),
        "forecast_display": units.figure(fc.get("value"), unit) if fc else units.NONE,
    }


def readable(plan: schema.Plan, text: str | None) -> str | None:
    """An engine sentence with the statistic codes it names replaced by their names from the plan
    (缺少统计数据：mfg_investment → 缺少统计数据：制造业投资)."""
    if not text:
        return text
    codes = {t.source.statistics for t in plan.targets} | {t.source.denominator for t in plan.targets}
    codes = sorted((c for c in codes if c), key=len, reverse=True)
    if not codes:
        return text
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, codes)) + r")(?![A-Za-z0-9_])")
    return pattern.sub(lambda m: plan.statistic(m.group(1)).name, text)


def decorate(plan: schema.Plan, item: dict) -> dict:
    """An engine item with the numbers and labels the cockpit templates show, its sentences
    naming statistics by their names."""
    shown = item_display(item)
    item = {**item, **shown}
    item["reason"] = readable(plan, item.get("reason"))
    item["explanation"] = [{**s, "rule": readable(plan, s["rule"])} for s in item.get("explanation") or []]
    item["actual_h"] = shown["actual_display"]
    item["target_h"] = shown["target_display"]
    item["forecast_h"] = shown["forecast_display"]
    item["completion_pct"] = pct(item["completion"])
    item["expected_pct"] = pct(item["expected"])
    item["bar_pct"] = min(item["completion_pct"] or 0, 100)
    item["marker_pct"] = min(item["expected_pct"] or 0, 100)
    item["status_label"] = rules.STATUS_LABELS[item["status"]]
    item["status_short"] = rules.STATUS_SHORT[item["status"]]
    fc = item.get("forecast") or {}
    needed = fc.get("needed_per_month")
    item["needed_h"] = units.figure(needed, item["unit"]) if needed else None
    # the forecast's backtested error (bench/forecast.py), shown beside it: "预测误差约±8%"
    error = fc.get("error") if fc.get("value") is not None else None  # a hidden forecast says why
    item["forecast_error_h"] = f"预测误差约±{units.percent(error, 0)}" if error is not None else None
    item["applicable"] = item["period"] is not None
    return item


def answer_display(answer: dict) -> dict:
    """The API's answer with the ``*_display`` texts beside the base-unit numbers."""
    return {**answer, "items": [{**i, **item_display(i)} for i in answer["items"]]}


def index(green: int, yellow: int, judged: int) -> int | None:
    """The 达标指数 of an area: green counts whole, yellow half, out of 100, 四舍五入."""
    if not judged:
        return None
    return int(units.rounded(Decimal(100) * (green + Decimal("0.5") * yellow) / judged, 0))


def records(plan: schema.Plan, t: schema.Target, data: dict) -> list[dict]:
    """The drill-down's rows as people read them: amounts in the unit's column unit (万元) with the
    unit, statistics by their names and areas by theirs; a statistics row the lead marks as the one
    that made the number (``marked``) keeps the key."""
    rows = []
    for r in data["rows"]:
        r = dict(r)
        if data["kind"] == "statistics":
            stat = plan.statistic(r["label"])
            r["label"] = stat.name
            r["area"] = plan.area_name(r["area"])
            r["unit"] = stat.unit
        else:
            r["unit"] = t.unit
        r["value_shown"] = units.shown(r["value"], r["unit"], units.column(r["unit"]))
        r["value_h"] = units.NONE if r["value_shown"] is None else str(r["value_shown"])
        r["unit_label"] = units.label(r["unit"])
        rows.append(r)
    return rows
