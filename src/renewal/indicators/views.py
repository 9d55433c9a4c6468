"""The cockpit (驾驶舱): overview, area matrix, one target (trend, ranking, map, areas), records."""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from renewal.accounts.models import Role
from renewal.accounts.pages import requires
from renewal.accounts.scope import scope_for
from renewal.equipment.views import cockpit_card as equipment_card
from renewal.lib import units
from renewal.lib.xlsx import (
    NUMBER,
    PERCENT,
    WAN,
    ExportColumn,
    ExportSheet,
    write_xlsx,
    xlsx_response,
)
from renewal.planning import selectors as plans

from . import answers, display, periods, rules, selectors


def _query(request):
    """Plan, query and data version for the request's filters (the version read first: nothing is
    cached under a version newer than the data it was computed from)."""
    version = answers.data_version() if answers.cacheable() else None
    plan = selectors.active_plan()
    query = selectors.parse_query(
        plan, year=request.GET.get("year"), as_of=request.GET.get("as_of"), area=_area(request)
    )
    return plan, query, version


def _area(request) -> str | None:
    """The area a page shows: the one asked for (``?area=`` empty: the city); without the parameter
    an area operator's pages open on its own area (its drill-downs then answer instead of refusing)."""
    if "area" in request.GET:
        return request.GET["area"]
    if not request.user.is_authenticated:
        return None
    scope = scope_for(request.user)
    return scope.area if scope.role == Role.AREA_OPERATOR else None


def _result(plan, query, version):
    """Every target for the city and the areas, computed once per data version."""
    return answers.once(
        "indicators-result",
        (plan.id, query.year, query.as_of),
        lambda: selectors.indicators(plan, query.year, query.as_of),
        version=version,
    )


def _context(request):
    """Plan, query and computed result for the request's filters; or an error page."""
    plan, query, version = _query(request)
    return plan, query, _result(plan, query, version)


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except plans.NoPlanLoaded as exc:
            return render(request, "web/no_plan.html", {"message": str(exc)}, status=503)
        except selectors.BadRequest as exc:
            return render(request, "indicators/error.html", {"message": str(exc)}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _filters(plan, query) -> dict:
    day = periods.data_date(query.as_of)
    return {
        "years": list(range(plan.start_year, plan.end_year + 1)),
        "year": query.year,
        "as_of": query.as_of.isoformat(),
        # every figure is taken at the data date: the last day of the last whole month
        "data_through": f"{day.year}年{day.month}月",
        "area": query.area or "",
        "areas": [{"code": a.code, "name": a.name} for a in plan.areas],
        "qs": f"year={query.year}&as_of={query.as_of.isoformat()}",
    }


def _tiles(plan, status_by_area: dict[str, dict]) -> list[dict]:
    tiles = []
    for i, a in enumerate(plan.areas):
        col, row = a.tile or (i % 3 + 1, i // 3 + 1)
        tiles.append(
            {"code": a.code, "name": a.short_name, "col": col, "row": row, **status_by_area.get(a.code, {})}
        )
    return tiles


def _area_summary(items: list[dict]) -> dict:
    judged = [i for i in items if i["status"] in rules.JUDGED]  # 未分解 (none) is left out
    counts = {s: sum(1 for i in judged if i["status"] == s) for s in (rules.GREEN, rules.YELLOW, rules.RED)}
    score = display.index(counts["green"], counts["yellow"], len(judged))
    status = None
    if score is not None:
        status = rules.GREEN if score >= 75 else rules.YELLOW if score >= 50 else rules.RED
    return {"counts": counts, "judged": len(judged), "score": score, "status": status}


# The aggregated figures need a role that reads them (not an enterprise user, not a visitor), unless
# the deployment publishes them on purpose (RENEWAL_PUBLIC_COCKPIT, accounts.scope.PUBLIC_WHEN).
FIGURES = requires("figures.cockpit")


@FIGURES
@_guard
def cockpit(request):
    """City overview: one card per target, status counts, the tile map of the areas."""
    plan, query, version = _query(request)
    # everything but the equipment card is the same for every reader: computed once per version
    page = answers.once(
        "cockpit",
        (plan.id, query),
        lambda: _cockpit_page(plan, query, _result(plan, query, version)),
        version=version,
    )
    # so are its cards and its area panel, rendered once per version; only the parts that depend on
    # the reader (filters form, bulletin button, equipment links, header) are rendered per request
    fragments = answers.once(
        "cockpit-html",
        (plan.id, query),
        lambda: {
            name: mark_safe(render_to_string(f"indicators/_cockpit_{name}.html", page))
            for name in ("cards", "side")
        },
        version=version,
    )
    context = {
        **page,
        "cards_html": fragments["cards"],
        "side_html": fragments["side"],
        "equipment": equipment_card(request, as_of=query.as_of, area=query.area),
    }
    template = "indicators/cockpit.html#body" if request.htmx else "indicators/cockpit.html"
    return render(request, template, context)


def _cockpit_page(plan, query, result) -> dict:
    items = [display.decorate(plan, i) for i in result.for_area(query.area)]
    applicable = [i for i in items if i["applicable"]]
    groups = [
        {"name": "一、工作目标（统计数据）", "items": [i for i in applicable if i["clause"].startswith("G")]},
        {"name": "二、重点任务（登记库）", "items": [i for i in applicable if i["clause"].startswith("T")]},
        {"name": "三、政策支持", "items": [i for i in applicable if i["clause"].startswith("P")]},
    ]
    summaries = {a.code: _area_summary(result.for_area(a.code)) for a in plan.areas}
    return {
        "plan": _plan_header(plan),
        "filters": _filters(plan, query),
        "area_name": plan.area(query.area).name if query.area else plan.city.name,
        "groups": [g for g in groups if g["items"]],
        "summary": _area_summary(items),
        "elapsed_year": display.pct(rules_elapsed_year(query)),
        "inapplicable": [i for i in items if not i["applicable"]],
        "tiles": _tiles(plan, summaries),
        "warnings": result.warnings,
    }


def rules_elapsed_year(query) -> float:
    from . import periods

    return periods.elapsed_share(*periods.year_bounds(query.year), query.as_of)


def _plan_header(plan) -> dict:
    return {"city": {"name": plan.city.name}, "document_number": plan.document.number}


@FIGURES
@_guard
def matrix(request):
    """Areas × targets, coloured by status, sortable; a ranking chart per target."""
    plan, query, version = _query(request)
    page = answers.once(
        "matrix",
        (plan.id, query),
        lambda: _matrix_page(plan, query, _result(plan, query, version)),
        version=version,
    )
    context = {**page, **_records_links(request)}
    return render(
        request, "indicators/matrix.html#body" if request.htmx else "indicators/matrix.html", context
    )


def _matrix_page(plan, query, result) -> dict:
    targets = [i for i in result.for_area(None) if i["period"] is not None]
    rows = []
    for a in plan.areas:
        by_id = {i["target_id"]: display.decorate(plan, i) for i in result.for_area(a.code)}
        rows.append(
            {
                "code": a.code,
                "name": a.short_name,
                "full_name": a.name,
                "cells": [by_id[t["target_id"]] for t in targets],
                **_area_summary(list(by_id.values())),
            }
        )
    chart = {
        "targets": [
            {"id": t["target_id"], "name": f"{t['clause']} {t['name']}", "unit": t["unit"]} for t in targets
        ],
        "areas": [r["name"] for r in rows],
        "values": {
            t["target_id"]: [
                {
                    "completion": r["cells"][k]["completion"],
                    "expected": r["cells"][k]["expected"],
                    "status": r["cells"][k]["status"],
                    "actual": r["cells"][k]["actual_h"],
                }
                for r in rows
            ]
            for k, t in enumerate(targets)
        },
    }
    return {
        "plan": _plan_header(plan),
        "filters": _filters(plan, query),
        "targets": targets,
        "rows": rows,
        "chart": chart,
        "warnings": result.warnings,
    }


@FIGURES
@_guard
def target_detail(request, target_id: str):
    """One target: the number, its trend, the areas (ranking, tile map, table) and its explanation."""
    plan, query, result = _context(request)
    if target_id not in {t.id for t in plan.targets}:
        raise Http404("未知的指标")
    t = plan.target(target_id)
    clause = next(c for c in plan.clauses if c.id == t.clause)
    item = display.decorate(plan, next(i for i in result.for_area(query.area) if i["target_id"] == target_id))
    areas = []
    for a in plan.areas:
        ai = display.decorate(plan, next(i for i in result.for_area(a.code) if i["target_id"] == target_id))
        areas.append({"code": a.code, "name": a.name, "short": a.short_name, "item": ai})
    scale = units.pick(t.unit, [p["actual"] for p in item["series"]] + [item["target"]])
    series = {
        k: [display.axis(p[k], t.unit, scale) for p in item["series"]]
        for k in ("actual", "expected", "forecast")
    }
    trend = {
        "months": [p["month"][5:] + "月" for p in item["series"]],
        **series,
        "target": display.axis(item["target"], t.unit, scale),
        "unit": scale.label,
        "expected_label": "路径值"
        if t.kind in ("share", "level")
        else "目标值"
        if t.kind in ("growth", "average_growth")
        else "序时进度",
    }
    ranked = sorted(areas, key=lambda a: -(a["item"]["completion"] or -1))
    ranking = {
        "areas": [a["short"] for a in ranked],
        "completion": [a["item"]["completion_pct"] for a in ranked],
        "expected": [a["item"]["expected_pct"] for a in ranked],
        "status": [a["item"]["status"] for a in ranked],
        "actual": [a["item"]["actual_h"] for a in ranked],
    }
    tiles = _tiles(
        plan,
        {a["code"]: {"status": a["item"]["status"], "score": a["item"]["completion_pct"]} for a in areas},
    )
    context = {
        "plan": _plan_header(plan),
        "filters": _filters(plan, query),
        "t": t,
        "clause": clause,
        "item": item,
        "areas": areas,
        "trend": trend,
        "ranking": ranking,
        "tiles": tiles,
        "area_name": plan.area(query.area).name if query.area else plan.city.name,
        "city_item": display.decorate(
            plan, next(i for i in result.for_area(None) if i["target_id"] == target_id)
        ),
        **_records_links(request),
    }
    return render(
        request, "indicators/target.html#body" if request.htmx else "indicators/target.html", context
    )


@login_required
@_guard
def records(request, target_id: str):
    """The records that make one number; their sum is shown next to the indicator. The city's
    users see every area's records, an area operator only those of its own area."""
    plan, query, result = _context(request)
    if target_id not in {t.id for t in plan.targets}:
        raise Http404("未知的指标")
    refusal = _records_refusal(scope_for(request.user), query)
    if refusal:
        return render(request, "indicators/error.html", {"message": refusal}, status=403)
    item = display.decorate(plan, next(i for i in result.for_area(query.area) if i["target_id"] == target_id))
    t = plan.target(target_id)
    data = selectors.indicator_records(plan, target_id, query)
    context = {
        "plan": _plan_header(plan),
        "filters": _filters(plan, query),
        "t": t,
        "item": item,
        "data": data,
        "rows": display.records(plan, t, data),
        "any_marked": any(r.get("marked") for r in data["rows"]),
        "total_h": None
        if data["total"] is None
        else units.figure(data["total"], t.unit, units.column(t.unit)),
        "matches": data["total"] is not None
        and item["actual"] is not None
        and abs(data["total"] - item["actual"]) < 0.01,
        "area_name": plan.area(query.area).name if query.area else plan.city.name,
        "export_url": reverse("indicators:records_export", args=[target_id])
        + "?"
        + urlencode(
            {k: v for k, v in (("year", query.year), ("as_of", query.as_of), ("area", query.area)) if v}
        ),
    }
    return render(request, "indicators/records.html", context)


def _records_refusal(scope, query) -> str | None:
    """The city's record roles see every area's records, an area operator only those of its own
    area; the viewer reads the figures, not the records behind them."""
    if reason := scope.records_refusal("指标"):
        return reason
    if scope.covers(area=query.area) and (query.area or scope.sees_all_records):
        return None
    return "只能查看本区域的明细" if scope.area else "当前账号无权查看明细记录"


def _records_links(request) -> dict:
    """Which records pages the template links: every area's for the city's record roles, the own
    area's for an area operator, none for the viewer (figures only) — no link to a page that
    refuses. A visitor not signed in (a cockpit published with RENEWAL_PUBLIC_COCKPIT) gets none."""
    if not request.user.is_authenticated:
        return {"records_all": False, "records_area": None}
    scope = scope_for(request.user)
    return {
        "records_all": scope.sees_all_records,
        "records_area": scope.area if scope.sees_records and scope.role == Role.AREA_OPERATOR else None,
    }


@login_required
@_guard
def records_export(request, target_id: str):
    """The records page of one target (same year, date and area) as xlsx."""
    plan, query, result = _context(request)
    if target_id not in {t.id for t in plan.targets}:
        raise Http404("未知的指标")
    refusal = _records_refusal(scope_for(request.user), query)
    if refusal:
        return render(request, "indicators/error.html", {"message": refusal}, status=403)
    t = plan.target(target_id)
    data = selectors.indicator_records(plan, target_id, query)
    if data["kind"] == "statistics":  # several statistics, each in its own unit
        value = [
            ExportColumn("单位", "unit_label", width=12),
            ExportColumn("数值（按单位列）", "value_shown", width=18),
            ExportColumn("数值（基本单位）", "value", NUMBER, width=18),
        ]
    elif t.unit == "CNY":
        value = [ExportColumn("计入值(万元)", "value", WAN)]
    else:
        value = [ExportColumn(f"计入值({units.label(t.unit)})", "value", NUMBER)]
    columns = [
        ExportColumn("名称", "label", width=30),
        ExportColumn("编号/期间", "code", width=18),
        ExportColumn("企业", "enterprise", width=28),
        ExportColumn("区域", "area", width=12),
        ExportColumn("说明", "detail", width=30),
        *value,
    ]
    name = f"{_file_stem(t)}-明细-{query.year}-截至{query.as_of.isoformat()}{_area_suffix(plan, query)}.xlsx"
    return xlsx_response([ExportSheet("明细记录", columns, display.records(plan, t, data))], name)


def _file_stem(t) -> str:
    """A target in a file name as people know it: its clause and name (no internal id)."""
    return f"{t.clause}{t.name}".replace("/", "-")


def _area_suffix(plan, query) -> str:
    return f"-{plan.area(query.area).name}" if query.area else ""


def _export_rows(plan, result, query) -> list[dict]:
    """The cockpit's numbers, one row per area (the city first) and target, as on screen: in one
    display unit per target (the city's, so that the areas compare), and in base units."""
    scopes = [(None, plan.city.name)] + [(a.code, a.name) for a in plan.areas]
    if query.area:
        scopes = [(query.area, plan.area(query.area).name)]
    scale = {i["target_id"]: units.pick(i["unit"], [i["target"], i["actual"]]) for i in result.for_area(None)}
    rows = []
    for code, name in scopes:
        for i in result.for_area(code):
            if i["period"] is None:
                continue  # not assessed in this year
            s, unit = scale[i["target_id"]], i["unit"]
            forecast = (i.get("forecast") or {}).get("value")
            rows.append(
                {
                    **i,
                    "area_name": name,
                    "unit_label": s.label,
                    "base_label": units.unit_of(unit).base,
                    "target_shown": units.shown(i["target"], unit, s),
                    "actual_shown": units.shown(i["actual"], unit, s),
                    "forecast_shown": units.shown(forecast, unit, s),
                    "status_label": rules.STATUS_LABELS[i["status"]],
                    "forecast_value": forecast,
                    "reason": display.readable(plan, i.get("reason")),
                }
            )
    return rows


@FIGURES
@_guard
def export(request):
    """The cockpit's table as xlsx (filters applied): numbers as numbers, in the unit of the 单位
    column as on screen, and in base units."""
    plan, query, result = _context(request)
    columns = [
        ExportColumn("区域", "area_name", width=16),
        ExportColumn("条款", "clause", width=7),
        ExportColumn("指标", "name", width=30),
        ExportColumn("单位", "unit_label", width=10),
        ExportColumn("目标（按单位列）", "target_shown", width=16),
        ExportColumn("实际（按单位列）", "actual_shown", width=16),
        ExportColumn("完成率(%)", "completion", PERCENT),
        ExportColumn("序时进度(%)", "expected", PERCENT),
        ExportColumn("状态", "status_label", width=14),
        ExportColumn("年末预测（按单位列）", "forecast_shown", width=16),
        ExportColumn("来源", lambda r: "登记库" if r["source"] == "registry" else "统计数据", width=10),
        ExportColumn("说明", lambda r: r.get("reason") or "", width=40),
        ExportColumn("基本单位", "base_label", width=10),
        ExportColumn("目标（基本单位）", "target", NUMBER),
        ExportColumn("实际（基本单位）", "actual", NUMBER),
        ExportColumn("年末预测（基本单位）", "forecast_value", NUMBER),
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [ExportSheet("指标完成情况", columns, _export_rows(plan, result, query))])
    name = f"指标完成情况-{query.year}-截至{query.as_of.isoformat()}{_area_suffix(plan, query)}.xlsx"
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
