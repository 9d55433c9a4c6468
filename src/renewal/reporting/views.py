"""Pages of monthly reporting: the 督办 list with month locking, the task matrix, the task form."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renewal.accounts.pages import refuse, service_error
from renewal.accounts.scope import scope_for
from renewal.registry.errors import ServiceError

from . import selectors, services
from .models import TaskStatus


def _month(request, default):
    text = request.GET.get("month") or request.POST.get("month")
    if not text:
        return default, None
    try:
        return selectors.parse_month(text), None
    except ValueError as exc:
        return default, str(exc)


@login_required
def overdue(request):
    scope = scope_for(request.user)
    if not scope.can("reports.overdue"):
        return refuse(request, f"您的角色（{scope.role_label}）不查看督办清单")
    month, error = _month(request, selectors.default_month())
    data = selectors.overdue_list(scope=scope, month=month)
    return render(
        request,
        "reporting/overdue.html",
        {
            **data,
            "scope": scope,
            "error": error,
            "can_lock": scope.can("months.lock"),
            "can_unlock": scope.can("months.unlock"),
        },
    )


def _back(month):
    return redirect(f"{reverse('reporting:overdue')}?month={month:%Y-%m}")


@login_required
@require_POST
def lock(request):
    month, error = _month(request, None)
    if month is None:
        return refuse(request, error or "缺少月份", status=400)
    try:
        services.month_lock(user=request.user, month=month, note=request.POST.get("note", ""))
    except ServiceError as exc:
        return service_error(request, exc)
    messages.success(request, f"{month:%Y年%m月} 已锁定")
    return _back(month)


@login_required
@require_POST
def unlock(request):
    month, error = _month(request, None)
    if month is None:
        return refuse(request, error or "缺少月份", status=400)
    try:
        services.month_unlock(user=request.user, month=month, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        return service_error(request, exc)
    messages.success(request, f"{month:%Y年%m月} 已解除锁定")
    return _back(month)


@login_required
def tasks(request):
    scope = scope_for(request.user)
    if not scope.can("tasks.matrix"):
        return refuse(request, f"您的角色（{scope.role_label}）不查看任务报送")
    last, error = _month(request, selectors.default_month())
    n = request.GET.get("n", "6")
    n = min(max(int(n), 1), 12) if n.isdigit() else 6
    first = last
    for _ in range(n - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    months = selectors.months_between(first, last)
    data = selectors.task_matrix(scope=scope, months=months)
    return render(
        request,
        "reporting/tasks.html",
        {
            **data,
            "scope": scope,
            "error": error,
            "last": last,
            "can_report": scope.can("tasks.report"),
            "due_day": selectors.reporting_rules().task_due_day,
        },
    )


@login_required
def task_report(request, clause, unit, month):
    scope = scope_for(request.user)
    try:
        m = selectors.parse_month(month)
    except ValueError as exc:
        return refuse(request, str(exc), status=400)
    leads = {(c.code, u.id) for c, units in selectors.task_clauses(scope=scope) for u in units}
    if (clause, unit) not in leads:
        return refuse(request, f"条款 {clause} 不由您所在单位牵头，或您无权查看", status=404)
    report = selectors.task_report_get(clause=clause, unit=unit, month=m)
    can_edit = scope.can("tasks.report") and scope.covers_unit(unit)
    error = ""
    if request.method == "POST":
        if not can_edit:
            return refuse(request, "只能报送本单位牵头的任务")
        version = request.POST.get("version")
        try:
            services.task_report_submit(
                user=request.user,
                clause=clause,
                unit=unit,
                month=m,
                status=request.POST.get("status", ""),
                text=request.POST.get("text", ""),
                files=request.FILES.getlist("attachments"),
                version=int(version) if version and version.isdigit() else None,
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"{clause} {m:%Y-%m} 已报送")
            return redirect("reporting:tasks")
    return render(
        request,
        "reporting/task_report.html",
        {
            "clause": clause,
            "unit": unit,
            "month": m,
            "report": report,
            "statuses": TaskStatus.values,
            "can_edit": can_edit,
            "error": error,
            "deadline": selectors.task_deadline(m),
            "max_mb": settings.RENEWAL_UPLOAD_MAX_BYTES // 1048576,
        },
        status=400 if error else 200,
    )
