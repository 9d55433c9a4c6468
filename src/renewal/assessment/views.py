"""Pages: the ranking of the areas (O2) with history, chart, annual scores and score events."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renewal.accounts.models import Role
from renewal.accounts.pages import requires
from renewal.accounts.scope import scope_for
from renewal.lib import xlsx as X
from renewal.planning import selectors as plans

from . import selectors, services
from .models import Adjustment


def plan_header() -> dict:
    p = plans.active_plan()
    return {"city": {"name": p.city_name}, "document_number": p.document_number, "start_year": p.start_year}


def _month(request) -> tuple[int, int]:
    """The month asked for (?month=YYYY-MM), else the last month with registry progress."""
    value = request.GET.get("month", "")
    try:
        y, m = (int(x) for x in value.split("-"))
        dt.date(y, m, 1)
        return y, m
    except ValueError:
        from renewal.registry.models import MonthlyProgress

        last = MonthlyProgress.objects.order_by("-month").values_list("month", flat=True).first()
        today = dt.date.today()
        return (last.year, last.month) if last else selectors.last_month(today)


@requires("assessment.ranking")
def ranking(request):
    scope = scope_for(request.user)
    try:
        plan = plan_header()
        scheme = selectors.scheme()
    except (plans.NoPlanLoaded, selectors.NoScheme) as exc:
        return render(request, "web/no_plan.html", {"message": str(exc)}, status=503)
    year, month = _month(request)
    as_of = selectors.month_end(year, month)
    result = selectors.assessment_once(year, as_of)
    hist = selectors.history_once(year, as_of)
    names = {a.code: a.short_name for a in selectors.areas()}
    chart = {
        "months": [m["month"] for m in hist["months"]],
        "series": [
            {
                "name": names[code],
                "ranks": [m["scores"][code].rank for m in hist["months"]],
                "scores": [float(m["scores"][code].score) for m in hist["months"]],
            }
            for code in names
        ],
    }
    history_rows = [
        {"area": names[code], "ranks": [m["scores"][code].rank for m in hist["months"]]} for code in names
    ]
    is_admin = scope.role == Role.CITY_ADMIN
    adjustments = Adjustment.objects.filter(year=year).select_related("area", "author", "withdrawn_by")
    return render(
        request,
        "assessment/ranking.html",
        {
            "plan": plan,
            "scheme": scheme,
            "result": result,
            "year": year,
            "month": month,
            "month_value": f"{year}-{month:02d}",
            "export_url": f"{reverse('assessment:export')}?{urlencode({'month': f'{year}-{month:02d}'})}",
            "history_months": [m["month"] for m in hist["months"]],
            "history_rows": history_rows,
            "annual": [
                {
                    "rank": s.rank,
                    "name": names[s.area],
                    "score": s.score,
                    "basis": "；".join(p.basis for p in s.points),
                    "recommended": s.recommended,
                }
                for s in hist["annual"]
            ],
            "area_names": names,
            "chart": chart,
            "is_admin": is_admin,
            "adjustments": adjustments,
            "areas": selectors.areas(),
        },
    )


@requires("assessment.ranking")
def export(request):
    """The ranking table of the month on screen as xlsx (one row per area, as on the page)."""
    try:
        selectors.scheme()
    except (plans.NoPlanLoaded, selectors.NoScheme) as exc:
        return render(request, "web/no_plan.html", {"message": str(exc)}, status=503)
    year, month = _month(request)
    result = selectors.assessment(year, selectors.month_end(year, month))
    columns = [
        X.ExportColumn("排名", "rank", X.INT, width=6),
        X.ExportColumn("区域", "area_name", width=18),
        X.ExportColumn("得分(分)", "score", X.NUMBER),
        X.ExportColumn("上月排名", "previous_rank", X.INT),
        X.ExportColumn("名次变化(升为正)", "rank_change", X.INT, width=16),
        X.ExportColumn("天工鼎推荐", "recommended", X.BOOL, width=10),
        X.ExportColumn("推荐说明", "recommendation_note", width=24),
        X.ExportColumn(
            "计分明细",
            lambda it: "；".join(f"{p['points']:g} 分 {p['basis']}" for p in it["points"]),
            width=80,
        ),
    ]
    return X.xlsx_response(
        [X.ExportSheet("考核排名", columns, result["items"])], f"考核排名-{year}-{month:02d}.xlsx"
    )


@login_required
@require_POST
def adjustment_add(request):
    year, month = request.POST.get("year", ""), request.POST.get("month", "")
    back = (
        f"/assessment/?month={year}-{month.zfill(2)}"
        if year.isdigit() and month.isdigit()
        else "/assessment/"
    )
    try:
        services.adjustment_create(
            area=request.POST.get("area", ""),
            year=int(request.POST.get("year") or 0),
            month=int(request.POST.get("month") or 0),
            item=request.POST.get("item", ""),
            points=request.POST.get("points") or None,
            reason=request.POST.get("reason", ""),
            author=request.user,
        )
        messages.success(request, "已录入考核加减分，并记入审计记录")
    except ValidationError as exc:
        for field, errs in exc.message_dict.items():
            messages.error(request, f"{field}：{'；'.join(errs)}")
    except (PermissionDenied, ValueError) as exc:
        messages.error(request, str(exc) or "输入有误")
    return redirect(back)


@login_required
@require_POST
def adjustment_withdraw(request, pk: int):
    adj = get_object_or_404(Adjustment, pk=pk)
    try:
        services.adjustment_withdraw(adjustment=adj, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已撤销该加减分（记录保留）")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(f"/assessment/?month={adj.year}-{adj.month:02d}")
