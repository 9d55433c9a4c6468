"""Pages of monthly reporting: the 督办 list, the approval ladder of each area's month (审核确认),
the task matrix, the task form with the city's 确认 / 退回."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renewal.accounts.pages import can_open, records_required, refuse, requires, service_error
from renewal.accounts.scope import scope_for
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.lib.errors import Invalid, ServiceError
from renewal.registry.selectors import project_get
from renewal.registry.views import detail_context

from . import approval, completeness, selectors, services
from .models import TaskReportState, TaskStatus

WAN = Decimal(10_000)


def _month(request, default):
    text = request.GET.get("month") or request.POST.get("month")
    if not text:
        return default, None
    try:
        return selectors.parse_month(text), None
    except ValueError as exc:
        return default, str(exc)


@requires("reports.overdue")
def overdue(request):
    scope = scope_for(request.user)
    month, error = _month(request, selectors.default_month())
    data = selectors.overdue_list(scope=scope, month=month)
    return render(
        request,
        "reporting/overdue.html",
        {
            **data,
            "scope": scope,
            "error": error,
            # enterprises' contacts are records: only for roles that read records
            "show_contacts": scope.sees_records,
            "export_url": f"{reverse('reporting:overdue_export')}?{urlencode({'month': f'{month:%Y-%m}'})}",
            "approvals": selectors.approval_summary(scope=scope, month=month),
        },
    )


@requires("reports.overdue")
def overdue_export(request):
    """The 督办 table of the month on screen as xlsx, with one row per project not (or late) reported."""
    scope = scope_for(request.user)
    month, _ = _month(request, selectors.default_month())
    data = selectors.overdue_list(scope=scope, month=month)
    areas = [
        X.ExportColumn("区域", "name", width=20),
        X.ExportColumn("应报项目(个)", "expected", X.INT),
        X.ExportColumn("按时报送(个)", "on_time", X.INT),
        X.ExportColumn("逾期报送(个)", "late", X.INT),
        X.ExportColumn("未报送(个)", "missing", X.INT),
        X.ExportColumn("未报送项目", lambda a: "、".join(p.code for p in a.missing_projects), width=60),
    ]
    projects = [
        X.ExportColumn("区域", "area", width=16),
        X.ExportColumn("项目编号", lambda r: r["project"].code, width=16),
        X.ExportColumn("项目名称", lambda r: r["project"].name, width=30),
        X.ExportColumn("企业", lambda r: r["project"].enterprise.name, width=28),
        X.ExportColumn("报送情况", "state", width=10),
        X.ExportColumn("首次报送时间", "at", X.DATETIME),
    ]
    rows = [
        {"area": a.name, "project": p, "state": "未报送", "at": None}
        for a in data["areas"]
        for p in a.missing_projects
    ] + [
        {"area": a.name, "project": p, "state": "逾期报送", "at": at}
        for a in data["areas"]
        for p, at in a.late_projects
    ]
    sheets = [
        X.ExportSheet("报送督办", areas, data["areas"]),
        X.ExportSheet("未报送及逾期项目", projects, rows),
    ]
    if scope.sees_records:
        # the area's chase list (催报清单): whom to call for each missing report
        chase = [
            X.ExportColumn("区域", "area", width=16),
            X.ExportColumn("项目编号", lambda r: r["project"].code, width=16),
            X.ExportColumn("项目名称", lambda r: r["project"].name, width=30),
            X.ExportColumn("企业", lambda r: r["project"].enterprise.name, width=28),
            X.ExportColumn("联系人", lambda r: r["project"].enterprise.contact_person, width=12),
            X.ExportColumn("联系电话", lambda r: r["project"].enterprise.contact_phone, width=16),
            X.ExportColumn("报送截止", lambda r: data["deadline"], X.DATETIME, width=18),
        ]
        sheets.append(X.ExportSheet("催报清单", chase, [r for r in rows if r["state"] == "未报送"]))
    return X.xlsx_response(
        sheets,
        f"报送督办-{month:%Y-%m}.xlsx",
    )


@requires("tasks.matrix")
def tasks_export(request):
    """The task matrix on screen (same months) as xlsx: one row per clause and unit."""
    scope = scope_for(request.user)
    data = selectors.task_matrix(scope=scope, months=_task_months(request))
    labels = {"missing": "未报", "pending": "待报"}

    def cell(k):
        def value(row):
            c = row["cells"][k]
            if c["report"] is None:
                return labels[c["state"]]
            return c["report"].status + ("（逾期）" if c["state"] == "late" else "")

        return value

    columns = [
        X.ExportColumn("条款", lambda r: r["clause"].code, width=8),
        X.ExportColumn("事项", lambda r: r["clause"].title, width=40),
        X.ExportColumn("责任单位", lambda r: r["unit"].name, width=16),
    ] + [X.ExportColumn(f"{m:%Y-%m}", cell(k), width=12) for k, m in enumerate(data["months"])]
    last = data["months"][-1] if data["months"] else selectors.default_month(of="tasks")
    return X.xlsx_response(
        [X.ExportSheet("任务报送", columns, data["rows"])], f"任务报送-截至{last:%Y-%m}.xlsx"
    )


@requires("months.view")
def approval_page(request):
    """The approval ladder of a month: an area operator's own area (state, reporting figures, its
    buttons, the steps taken), the city's table of every area with 确认 / 退回 / 撤销确认."""
    scope = scope_for(request.user)
    month, error = _month(request, selectors.default_month())
    data = selectors.approval_board(scope=scope, month=month)
    return render(
        request,
        "reporting/approval.html",
        {**data, "scope": scope, "error": error, "states": approval.STATES},
    )


@login_required
@require_POST
@requires("months.view")
def approval_step(request):
    """One step of the ladder from the approval page's buttons (services.month_step)."""
    month, error = _month(request, None)
    if month is None:
        return refuse(request, error or "缺少月份", status=400)
    version = request.POST.get("version", "")
    action = request.POST.get("action", "")
    try:
        row = services.month_step(
            user=request.user,
            area=request.POST.get("area", ""),
            month=month,
            action=action,
            reason=request.POST.get("reason", ""),
            version=int(version) if version.isdigit() else None,
        )
    except ServiceError as exc:
        if isinstance(exc, Invalid):
            messages.error(request, exc.message)
            return redirect(f"{reverse('reporting:approval')}?month={month:%Y-%m}")
        return service_error(request, exc)
    messages.success(request, f"{row.area.name} {month:%Y年%m月}：{row.state}")
    return redirect(f"{reverse('reporting:approval')}?month={month:%Y-%m}")


@requires("tasks.matrix")
def tasks(request):
    scope = scope_for(request.user)
    last, error = _month(request, selectors.default_month(of="tasks"))
    months = _task_months(request)
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
            "export_url": reverse("reporting:tasks_export")
            + "?"
            + urlencode({"month": f"{last:%Y-%m}", "n": len(months)}),
            "due_day": selectors.reporting_rules().task_due_day,
        },
    )


def _task_months(request) -> list[dt.date]:
    """The months the matrix shows: ``n`` (1–12, default 6) months up to ``month``."""
    last, _ = _month(request, selectors.default_month(of="tasks"))
    n = request.GET.get("n", "6")
    n = min(max(int(n), 1), 12) if n.isdigit() else 6
    first = last
    for _ in range(n - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return selectors.months_between(first, last)


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
    accepted = report is not None and report.state == TaskReportState.ACCEPTED
    can_edit = scope.can("tasks.report") and scope.covers_unit(unit) and not accepted
    can_review = report is not None and scope.can("tasks.accept")
    error = ""
    if request.method == "POST" and request.POST.get("review"):
        if not can_review:
            return refuse(request, scope.refusal("tasks.accept") or "该报送尚未提交，不能审核")
        version = request.POST.get("version", "")
        review = request.POST["review"]
        try:
            if review == "accept":
                services.task_report_accept(
                    user=request.user, report=report, version=int(version) if version.isdigit() else None
                )
            else:
                services.task_report_return(
                    user=request.user,
                    report=report,
                    reason=request.POST.get("reason", ""),
                    version=int(version) if version.isdigit() else None,
                )
        except ServiceError as exc:
            if not isinstance(exc, Invalid):
                return service_error(request, exc)
            error = exc.message
        else:
            messages.success(request, f"{clause} {m:%Y-%m}：{'已确认' if review == 'accept' else '已退回'}")
            return redirect("reporting:task_report", clause=clause, unit=unit, month=month)
    elif request.method == "POST":
        if accepted:
            return refuse(request, f"{clause} {m:%Y-%m} 的报送已由市里确认，不能再修改")
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
            "can_review": can_review,
            "error": error,
            "deadline": selectors.task_deadline(m),
            "max_mb": settings.RENEWAL_UPLOAD_MAX_BYTES // 1048576,
        },
        status=400 if error else 200,
    )


# -- the monthly progress form of a project's page ------------------------------------------


def _money(value: str, label: str) -> Decimal:
    """A 万元 amount typed in a page → yuan."""
    try:
        return (Decimal(value or "0") * WAN).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Invalid(f"{label}：应为数字（万元）", field=label) from None


def _count(value: str, label: str) -> int:
    if not (value or "0").isdigit():
        raise Invalid(f"{label}：应为非负整数", field=label)
    return int(value or 0)


@login_required
@require_POST
@records_required("项目")
def progress_report(request, code):
    """The monthly progress form of the detail page (amounts typed in 万元)."""
    project = project_get(scope=scope_for(request.user), code=code)
    if project is None:
        return refuse(request, f"未找到项目 {code}（或无权查看）", status=404)
    p = request.POST
    try:
        try:
            month = selectors.parse_month(p.get("month", ""))
        except ValueError as exc:
            raise Invalid(f"月份：{exc}", field="month") from None
        data = {
            "investment": _money(p.get("investment"), "完成投资(万元)"),
            "equipment_investment": _money(p.get("equipment_investment"), "完成设备投资(万元)"),
            "robots": _count(p.get("robots"), "机器人到位(台)"),
            "cnc": _count(p.get("cnc"), "数控机床到位(台)"),
        }
        version = p.get("version")
        services.progress_report(
            user=request.user,
            project=project,
            month=month,
            data=data,
            version=int(version) if version and version.isdigit() else None,
            reason=p.get("reason", ""),
        )
    except ServiceError as exc:
        ctx = detail_context(request, project, error=exc.message)
        return render(request, "registry/project_detail.html", ctx, status=exc.status)
    return redirect("registry:project_detail", code=project.code)


# -- completeness and timeliness (issue 17) ---------------------------------------------------


def _board_months(request, of: str) -> tuple[list[dt.date], str | None]:
    """The board's months: ``n`` (1–24, default 12) months up to ``month`` (default: the last
    month with data)."""
    last, error = _month(request, selectors.default_month(of=of))
    n = request.GET.get("n", "12")
    n = min(max(int(n), 1), 24) if n.isdigit() else 12
    first = last
    for _ in range(n - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return selectors.months_between(first, last), error


def _board_page(request, *, of: str, data: dict, error, tab: str, export_name: str, noun: str):
    months = data["months"]
    rules = selectors.reporting_rules()
    query = urlencode({"month": f"{months[-1]:%Y-%m}", "n": len(months)})
    return render(
        request,
        "reporting/completeness.html",
        {
            **data,
            "error": error,
            "tab": tab,
            "noun": noun,
            "tabs": {
                "areas": can_open(request, "reporting:completeness"),
                "units": can_open(request, "reporting:completeness_units"),
            },
            "last": months[-1],
            "n": len(months),
            "due_day": rules.task_due_day if of == "tasks" else rules.progress_due_day,
            "bands": rules.completeness,
            "good_text": units.percent(rules.completeness.good, trim=True),
            "fair_text": units.percent(rules.completeness.fair, trim=True),
            "chart": completeness.trend(data),
            "export_url": f"{reverse(export_name)}?{query}",
            "query": query,
        },
    )


@requires("reports.completeness")
def completeness_board(request):
    """Area × month: expected, on time, late and missing monthly progress reports, coloured by the
    on-time rate, with the city's trend (figures of every area: counts, not records)."""
    months, error = _board_months(request, "progress")
    data = completeness.progress_board(months=months)
    return _board_page(
        request,
        of="progress",
        data=data,
        error=error,
        tab="areas",
        export_name="reporting:completeness_export",
        noun="区域",
    )


@requires("tasks.matrix")
def completeness_units(request):
    """Unit × month: the task reports of the responsible units (a unit reporter: its own unit)."""
    months, error = _board_months(request, "tasks")
    data = completeness.task_board(scope=scope_for(request.user), months=months)
    return _board_page(
        request,
        of="tasks",
        data=data,
        error=error,
        tab="units",
        export_name="reporting:completeness_units_export",
        noun="责任单位",
    )


def _board_sheets(data: dict, noun: str, title: str) -> list[X.ExportSheet]:
    columns = [
        X.ExportColumn(noun, "name", width=20),
        X.ExportColumn("月份", "month", X.MONTH, width=10),
        X.ExportColumn("报送截止", "deadline", X.DATETIME, width=18),
        X.ExportColumn("应报(份)", "expected", X.INT),
        X.ExportColumn("按时报送(份)", "on_time", X.INT),
        X.ExportColumn("逾期报送(份)", "late", X.INT),
        X.ExportColumn("未报送(份)", "missing", X.INT),
        X.ExportColumn("待报(份)", "pending", X.INT),
        X.ExportColumn("及时率", "on_time_rate", X.PERCENT),
        X.ExportColumn("报送率", "reported_rate", X.PERCENT),
    ]
    rows = []
    for row in [*data["rows"], data["city"]]:
        for c in row.cells:
            rows.append(
                {
                    "name": row.name,
                    "month": c.month,
                    "deadline": c.deadline,
                    "expected": c.expected,
                    "on_time": c.on_time,
                    "late": c.late,
                    "missing": c.missing,
                    "pending": c.pending,
                    "on_time_rate": c.on_time_rate,
                    "reported_rate": c.reported_rate,
                }
            )
    return [X.ExportSheet(title, columns, rows)]


@requires("reports.completeness")
def completeness_export(request):
    months, _ = _board_months(request, "progress")
    data = completeness.progress_board(months=months)
    return X.xlsx_response(
        _board_sheets(data, "区域", "报送及时率"), f"报送及时率-截至{months[-1]:%Y-%m}.xlsx"
    )


@requires("tasks.matrix")
def completeness_units_export(request):
    months, _ = _board_months(request, "tasks")
    data = completeness.task_board(scope=scope_for(request.user), months=months)
    return X.xlsx_response(
        _board_sheets(data, "责任单位", "任务报送及时率"), f"任务报送及时率-截至{months[-1]:%Y-%m}.xlsx"
    )
