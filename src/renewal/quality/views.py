"""数据核查: the flagged progress values of the caller's scope, filtered by area, month and state,
with the review form and an xlsx export (issue 17)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renewal.accounts.models import Role
from renewal.accounts.pages import requires, service_error
from renewal.accounts.scope import scope_for
from renewal.lib import xlsx as X
from renewal.lib.errors import ServiceError
from renewal.lib.months import parse_month
from renewal.planning.selectors import area_list

from . import rules as Q
from . import selectors, services
from .models import ValueFlag

LIMIT = 500  # rows on the page; the export has them all


def _filters(request, scope):
    """(area, month, state, error) from the query; the month defaults to the last with flags."""
    area = (request.GET.get("area") or "").strip() or (scope.area if scope.role == Role.AREA_OPERATOR else "")
    state = (request.GET.get("state") or "").strip()
    if state not in ValueFlag.State.values:
        state = ""
    text, error, month = (request.GET.get("month") or "").strip(), None, None
    if text:
        try:
            month = parse_month(text)
        except ValueError as exc:
            error = str(exc)
    if month is None and not error:
        months = selectors.flag_months(scope=scope)
        month = months[0] if months else None
    return area, month, state, error


def row(flag: ValueFlag) -> dict:
    return {
        "flag": flag,
        "field": Q.FIELDS.get(flag.field, (flag.field,))[0],
        "value": Q.shown(flag.field, flag.value) if flag.field in Q.FIELDS else flag.value,
        "reference": Q.shown(flag.field, flag.reference) if flag.field in Q.FIELDS else flag.reference,
    }


@requires("quality.flags")
def flags(request):
    scope = scope_for(request.user)
    area, month, state, error = _filters(request, scope)
    qs = selectors.flag_list(scope=scope, area=area or None, month=month, state=state or None)
    query = {"area": area, "month": f"{month:%Y-%m}" if month else "", "state": state}
    return render(
        request,
        "quality/flags.html",
        {
            "rows": [row(f) for f in qs[:LIMIT]],
            "total": qs.count(),
            "limit": LIMIT,
            "areas": area_list() if scope.is_city else [],
            "area": area,
            "month": month,
            "state": state,
            "states": ValueFlag.State.values,
            "error": error,
            "example": selectors.checks().example,
            "can_review": scope.can("quality.review"),
            "query": urlencode(query),
            "export_url": f"{reverse('quality:flags_export')}?{urlencode(query)}",
        },
    )


@requires("quality.flags")
def flags_export(request):
    scope = scope_for(request.user)
    area, month, state, _ = _filters(request, scope)
    rows = [
        row(f) for f in selectors.flag_list(scope=scope, area=area or None, month=month, state=state or None)
    ]
    columns = [
        X.ExportColumn("区域", lambda r: r["flag"].project.area.name, width=12),
        X.ExportColumn("项目编号", lambda r: r["flag"].project.code, width=16),
        X.ExportColumn("项目名称", lambda r: r["flag"].project.name, width=30),
        X.ExportColumn("企业", lambda r: r["flag"].project.enterprise.name, width=28),
        X.ExportColumn("月份", lambda r: r["flag"].month, X.MONTH),
        X.ExportColumn("字段", "field", width=14),
        X.ExportColumn("核查值", "value", width=16),
        X.ExportColumn("比较值", "reference", width=16),
        X.ExportColumn("核查提示", lambda r: r["flag"].message, width=60),
        X.ExportColumn("状态", lambda r: r["flag"].state, width=8),
        X.ExportColumn("核实说明", lambda r: r["flag"].comment, width=40),
        X.ExportColumn("提示时间", lambda r: r["flag"].raised_at, X.DATETIME),
        X.ExportColumn("处理时间", lambda r: r["flag"].closed_at, X.DATETIME),
    ]
    name = f"数据核查-{month:%Y-%m}.xlsx" if month else "数据核查.xlsx"
    return X.xlsx_response([X.ExportSheet("数据核查", columns, rows)], name)


@requires("quality.flags")
@require_POST
def review(request, pk: int):
    flag = get_object_or_404(ValueFlag, pk=pk)
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = 0
    try:
        done = services.flag_review(
            user=request.user,
            flag=flag,
            state=request.POST.get("state") or flag.state,
            comment=request.POST.get("comment", ""),
            version=version,
        )
    except ServiceError as exc:
        return service_error(request, exc)
    messages.success(request, f"项目 {done.project.code} {done.month:%Y-%m} 的核查标记：{done.state}")
    back = request.POST.get("back") or ""
    return redirect(f"{reverse('quality:flags')}?{back}" if back else reverse("quality:flags"))
