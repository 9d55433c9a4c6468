"""Audit pages: a record's history, the audit-log export (xlsx), and the recycle bin (回收站)
where a city administrator restores soft-deleted records."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renewal.accounts.pages import records_required, refuse, service_error
from renewal.accounts.scope import scope_for
from renewal.lib import xlsx as X
from renewal.lib.errors import ServiceError
from renewal.registry.services import record_restore

from . import selectors
from .export import audit_sheet


@login_required
@records_required("修改历史")
def history(request, label, pk):
    scope = scope_for(request.user)
    model = selectors.audited_model(label)
    obj = selectors.any_row(model, pk) if model is not None and str(pk).isdigit() else None
    if obj is None or not scope.can("audit.history") or not scope.can_see(obj):
        return refuse(request, "未找到该记录（或无权查看其历史）", status=404)
    if getattr(obj, "is_deleted", False) and not scope.is_city_admin:
        return refuse(request, "未找到该记录（或无权查看其历史）", status=404)
    return render(
        request,
        "audit/history.html",
        {"obj": obj, "model": model._meta.verbose_name, "entries": selectors.record_history(obj=obj)},
    )


def _date(text: str | None):
    if not text:
        return None
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime.combine(d, dt.time()))


@login_required
def export(request):
    scope = scope_for(request.user)
    if not scope.can("audit.export"):
        return refuse(request, "只有市级管理员可以导出审计日志")
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"))
    if until:
        until += dt.timedelta(days=1)
    label = request.GET.get("model")
    labels = [label] if label in selectors.AUDITED else None
    entries = selectors.audit_log(scope=scope, since=since, until=until, labels=labels)
    return X.xlsx_response([audit_sheet(entries)], f"audit-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def trash(request):
    scope = scope_for(request.user)
    if not scope.can("records.restore"):
        return refuse(request, "只有市级管理员可以查看回收站")
    return render(
        request, "audit/trash.html", {"rows": selectors.deleted_records(), "models": selectors.AUDITED}
    )


@login_required
def trash_export(request):
    """The recycle bin's rows as xlsx."""
    scope = scope_for(request.user)
    if not scope.can("records.restore"):
        return refuse(request, "只有市级管理员可以查看回收站")
    columns = [
        X.ExportColumn("对象类型", lambda row: row[1]._meta.verbose_name, width=14),
        X.ExportColumn("类型标识", lambda row: row[0], width=14),
        X.ExportColumn("记录编号", lambda row: row[1].pk, X.INT),
        X.ExportColumn("记录", lambda row: str(row[1]), width=40),
        X.ExportColumn("删除时间", lambda row: row[1].deleted_at, X.DATETIME),
    ]
    return X.xlsx_response(
        [X.ExportSheet("回收站", columns, selectors.deleted_records())],
        f"回收站-{timezone.localdate():%Y%m%d}.xlsx",
    )


@login_required
@require_POST
def restore(request, label, pk):
    model = selectors.audited_model(label)
    obj = selectors.any_row(model, pk) if model is not None and str(pk).isdigit() else None
    if obj is None:
        return refuse(request, "未找到该记录", status=404)
    try:
        record_restore(user=request.user, obj=obj)
    except ServiceError as exc:
        return service_error(request, exc)
    messages.success(request, f"已恢复：{obj}")
    return redirect("audit:trash")
