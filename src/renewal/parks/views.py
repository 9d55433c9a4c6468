"""Park pages (T7, T8): the park list per area with the informational figures, one park, and the
records behind a figure. City and area users (``parks.view``); the viewer (领导/观察员) reads the
figures only; an enterprise user reads its own membership and ratings on the registry lists
(/registry/ratings/ …)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.pages import Gate, request_scope, requires
from renewal.planning.selectors import area_list

from . import rules, selectors

# the figures: ``parks.view`` (accounts/scope.py); a park's records also ask that the role reads
# records (the viewer: the figures only)
FIGURES_GATE = requires("parks.view")
RECORDS_GATE = Gate(permission="parks.view", records="园区")


def _as_of(raw: str | None) -> tuple[dt.date, str]:
    today = timezone.localdate()
    text = (raw or "").strip()
    if not text:
        return today, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return today, f"日期“{text}”无法识别（应为 YYYY-MM-DD），已按 {today:%Y-%m-%d} 显示"


def _area(scope, raw: str | None) -> str | None:
    if scope.role == Role.AREA_OPERATOR:
        return scope.area
    return (raw or "").strip() or None


def _choice(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    value = (raw or "").strip()
    return value if value in allowed else None


@FIGURES_GATE
def index(request):
    """The figures of every area (aggregates) and, for a role that reads records, the parks of its
    scope per area with the level / kind filters, and per chemical park its renewal candidates (T9;
    listed one by one on the park's page)."""
    scope = request_scope(request)
    as_of, error = _as_of(request.GET.get("as_of"))
    data = selectors.figures(as_of=as_of)
    area = _area(scope, request.GET.get("area"))
    level = _choice(request.GET.get("level"), rules.LEVELS)
    kind = _choice(request.GET.get("kind"), rules.KINDS)
    groups, chemical = [], []
    if scope.sees_records:
        rows = selectors.park_rows(scope=scope, as_of=as_of, area=area, level=level, park_kind=kind)
        for r in rows:
            if not groups or groups[-1]["area"] != r.park.area_id:
                groups.append({"area": r.park.area_id, "name": r.park.area.name, "rows": []})
            groups[-1]["rows"].append(r)
        if kind in (None, rules.CHEMICAL):
            chemical = selectors.chemical_summary(scope=scope, as_of=data["data_date"], area=area)
    return render(
        request,
        "parks/index.html",
        {
            "figures": data,
            "error": error,
            "records": scope.sees_records,
            "scope": scope,
            "groups": groups,
            "chemical": chemical,
            "filters": {
                "as_of": as_of.isoformat(),
                "area": area or "",
                "level": level or "",
                "kind": kind or "",
            },
            "area_choices": area_list() if scope.sees_all_records else [],
            "levels": rules.LEVELS,
            "kinds": rules.KINDS,
        },
        status=400 if error else 200,
    )


@RECORDS_GATE
def detail(request, code: str):
    """One park: its members with their rating, its smart and green items; 亩均 not yet available."""
    scope = request_scope(request)
    park = selectors.park_get(scope=scope, code=code)
    if park is None:
        raise Http404("园区未登记或无权查看")
    as_of, error = _as_of(request.GET.get("as_of"))
    data = selectors.park_detail(scope=scope, park=park, as_of=as_of)
    chemical = []
    if park.kind == rules.CHEMICAL:
        chemical = selectors.chemical_candidates(scope=scope, as_of=data["day"], park=park)
    return render(
        request,
        "parks/detail.html",
        {"park": park, **data, "chemical": chemical, "error": error, "as_of": as_of.isoformat()},
        status=400 if error else 200,
    )


@RECORDS_GATE
def figure(request, name: str):
    """The records behind one figure of the index (drill-down), within the caller's scope."""
    if name not in selectors.FIGURES:
        raise Http404("未知的指标")
    scope = request_scope(request)
    as_of, error = _as_of(request.GET.get("as_of"))
    area = _area(scope, request.GET.get("area"))
    data = selectors.figure_records(scope=scope, figure=name, as_of=as_of, area=area)
    return render(
        request,
        "parks/figure.html",
        {"name": name, "label": selectors.FIGURES[name], **data, "error": error, "area": area or ""},
        status=400 if error else 200,
    )
