"""Equipment pages: the T9 candidates for renewal (待更新淘汰设备) with their 督办 sheet, the lines
behind the T6/T3 figures, and the cockpit's equipment card. Records pages: the roles that read
records (city, reviewer, an area operator its area, an enterprise its own); the viewer reads the
card's aggregates only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.pages import can_open, records_required, request_scope
from renewal.indicators import answers, periods
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.planning.models import Area
from renewal.planning.selectors import area_list

from . import indicators, rules, selectors

ZERO = Decimal(0)
NO_TARGET = "T9 未设定量目标，本页为信息性指标"
FIRST_SET_YES = {"1", "higher", "true", "是"}


def _day(raw: str | None, default: dt.date) -> tuple[dt.date, str]:
    text = (raw or "").strip()
    if not text:
        return default, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return default, f"日期“{text}”无法识别（应为 YYYY-MM-DD），已按 {default:%Y-%m-%d} 显示"


def _area(scope, raw: str | None) -> str | None:
    """The area filter: an area operator sees its own area whatever it asks."""
    if scope.role == Role.AREA_OPERATOR:
        return scope.area
    return (raw or "").strip() or None


def _sums(rows, key) -> list[dict]:
    out: dict = {}
    for c in rows:
        k = key(c)
        s = out.setdefault(k, {"count": 0, "value": ZERO, "first": c})
        s["count"] += 1
        s["value"] += c.original_value or ZERO
    return [{"key": k, **s} for k, s in out.items()]


def _filtered(items: list[selectors.Candidate], q: str) -> list[selectors.Candidate]:
    if not q:
        return items
    return [c for c in items if q in c.enterprise or q.upper() in c.uscc]


GATE = records_required("淘汰类设备")


@GATE
def candidates(request):
    """T9: per area and enterprise, the ledger items matching the elimination catalogue that are
    still to renew, with the renewal rate of each area (informational: no target)."""
    scope = request_scope(request)
    day, error = _day(request.GET.get("date"), timezone.localdate())
    area = _area(scope, request.GET.get("area"))
    q = (request.GET.get("q") or "").strip()
    items = selectors.candidates(scope=scope, area=area, day=day)
    by_area = {s["key"]: s for s in _sums(items, lambda c: c.area)}
    areas = []
    if scope.role != Role.ENTERPRISE:  # an area's rate is a figure of other enterprises too
        for r in selectors.renewal_rate(area=area, day=day):
            if scope.sees_all_records or r["area"] == scope.area:
                s = by_area.get(r["area"], {"count": 0, "value": ZERO})
                areas.append({**r, "rate_h": units.percent(r["rate"]), "value": s["value"]})
    shown = _filtered(items, q)
    enterprises = _sums(shown, lambda c: (c.area, c.uscc))
    query = {k: v for k, v in {"date": day.isoformat(), "area": area or "", "q": q}.items() if v}
    export = reverse("equipment:candidates_export")
    return render(
        request,
        "equipment/candidates.html",
        {
            "day": day,
            "error": error,
            "filters": {"area": area or "", "q": q, "date": day.isoformat()},
            "areas": areas,
            "area_choices": area_list() if scope.sees_all_records else [],
            "enterprises": enterprises,
            "page": Paginator(shown, 100).get_page(request.GET.get("page")),
            "total": {"count": len(shown), "value": sum((c.original_value or ZERO for c in shown), ZERO)},
            "query": urlencode(query),
            "export_url": f"{export}?{urlencode(query)}",
            "export": export,
            "no_target": NO_TARGET,
            "scope": scope,
        },
        status=400 if error else 200,
    )


COLUMNS = [
    X.ExportColumn("区域", "area_name", width=14),
    X.ExportColumn("企业名称", "enterprise", width=28),
    X.ExportColumn("统一社会信用代码", "uscc", width=22),
    X.ExportColumn("设备编号", "number", width=16),
    X.ExportColumn("设备名称", "name", width=22),
    X.ExportColumn("规格型号", "spec", width=16),
    X.ExportColumn("设备类别", "category", width=14),
    X.ExportColumn("状态", "status", width=8),
    X.ExportColumn("原值(万元)", "original_value", X.WAN),
    X.ExportColumn("额定功率(kW)", "rated_power_kw", X.NUMBER),
    X.ExportColumn("匹配目录", lambda c: c.entry.catalogue, width=30),
    X.ExportColumn("批次", lambda c: c.entry.batch, width=10),
    X.ExportColumn("序号", lambda c: c.entry.number, width=8),
    X.ExportColumn("目录设备名称", lambda c: c.entry.name, width=22),
    X.ExportColumn("文号", lambda c: c.entry.document_no, width=22),
    X.ExportColumn("生效日期", lambda c: c.entry.effective_on, X.DATE),
    X.ExportColumn("示例条目", lambda c: c.entry.example, X.BOOL, width=8),
]
SHEET = "待更新淘汰设备"


@GATE
def candidates_export(request):
    """The 督办 sheet of one area (``?area=CODE``; an area operator: its own): the candidates of the
    page, one row each, numbers as numbers (原值 in 万元)."""
    scope = request_scope(request)
    day, _ = _day(request.GET.get("date"), timezone.localdate())
    area = _area(scope, request.GET.get("area"))
    q = (request.GET.get("q") or "").strip()
    items = _filtered(selectors.candidates(scope=scope, area=area, day=day), q)
    name = Area.objects.filter(code=area).values_list("name", flat=True).first() if area else "全部"
    return X.xlsx_response(
        [X.ExportSheet(SHEET, COLUMNS, items, autofilter=True)], f"{SHEET}-{name}-{day}.xlsx"
    )


@records_required("设备清单")
def lines(request):
    """The lines behind 国产设备投资占比 (T6) and 省级及以上首台套设备投资 (T3) on the data date of
    ``as_of``, within the caller's scope."""
    scope = request_scope(request)
    as_of, error = _day(request.GET.get("as_of"), timezone.localdate())
    day = periods.data_date(as_of)
    area = _area(scope, request.GET.get("area"))
    origin = (request.GET.get("origin") or "").strip() or None
    first_set = (request.GET.get("first_set") or "").strip().lower() in FIRST_SET_YES
    qs = indicators.counted_lines(day=day, scope=scope, area=area, origin=origin, first_set=first_set)
    total = qs.aggregate(s=Sum("line_amount"))["s"] or ZERO
    qs = qs.select_related("project", "project__enterprise", "project__area").order_by(
        "project__code", "number"
    )
    query = {
        "as_of": as_of.isoformat(),
        "area": area or "",
        "origin": origin or "",
        "first_set": "1" if first_set else "",
    }
    return render(
        request,
        "equipment/lines.html",
        {
            "day": day,
            "error": error,
            "filters": query,
            "area_choices": area_list() if scope.sees_all_records else [],
            "page": Paginator(qs, 100).get_page(request.GET.get("page")),
            "total": total,
            "query": urlencode({k: v for k, v in query.items() if v}),
            "levels": "、".join(rules.REGISTERED_LEVELS),
        },
        status=400 if error else 200,
    )


def cockpit_card(request, *, as_of: dt.date, area: str | None = None) -> dict:
    """The cockpit's equipment card: per area and for the city, the three informational figures
    (T9, T6, T3: no target) as text; links to the records behind them only for a role that opens
    those pages, and only for the areas it covers."""
    # the same for every reader of the data date: computed once per data version
    data = answers.once("equipment-figures", (as_of,), lambda: indicators.figures(as_of=as_of))
    scope = request_scope(request)
    money = units.column("CNY")
    may = {name: can_open(request, f"equipment:{name}") for name in ("lines", "candidates")}

    def link(name: str, code: str, params: dict) -> str:
        if not may[name] or not (scope.sees_all_records or (code and code == scope.area)):
            return ""
        return f"{reverse(f'equipment:{name}')}?{urlencode(({'area': code} if code else {}) | params)}"

    def row(f: indicators.AreaFigures) -> dict:
        code = f.area or ""
        as_of_param = {"as_of": as_of.isoformat()}
        return {
            "area": code,
            "name": f.name,
            "current": bool(area) and code == area,
            "renewed": f.renewed,
            "candidates": f.candidates,
            "rate": units.percent(f.renewal_rate),
            "domestic_share": units.percent(f.domestic_share),
            "domestic": units.figure(f.domestic, "CNY", money),
            "lines_total": units.figure(f.lines_total, "CNY", money),
            "first_set": units.figure(f.first_set, "CNY", money),
            "candidates_url": link("candidates", code, {"date": data["day"].isoformat()}),
            "domestic_url": link("lines", code, as_of_param | {"origin": indicators.DOMESTIC}),
            "first_set_url": link("lines", code, as_of_param | {"first_set": "1"}),
        }

    return {"day": data["day"], "rows": [row(f) for f in data["areas"]], "city": row(data["city"])}
