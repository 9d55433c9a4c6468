"""Pages: the enterprise calculator, the simulation, settlement runs and decision records."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renewal.accounts.pages import requires
from renewal.accounts.scope import scope_for
from renewal.finance import subsidy
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.lib.errors import ServiceError
from renewal.planning import selectors as plans
from renewal.policy.contract import CATEGORY_LABELS, RequestError, parse_request
from renewal.policy.interest import PeriodError
from renewal.policy.rules import calculate
from renewal.registry import reference
from renewal.registry.models import Project

from . import forms, selectors, services, simulation
from .models import DecisionRecord, SettlementRun


def _plan_context() -> dict:
    try:
        plan = plans.active_plan()
    except plans.NoPlanLoaded:
        return {}
    return {"plan": {"city": {"name": plan.city_name}, "document_number": plan.document_number}}


def _wan(yuan) -> float:
    """A chart's amount in 万元 (the axis says so), rounded 四舍五入 like the tables."""
    return float(units.shown(yuan, "CNY", units.column("CNY")).value)


def _parameter_rows(values: list[dict]) -> list[dict]:
    """A record's frozen parameter versions named and written as the plan writes them."""
    try:
        plan = plans.active_plan_document()
    except plans.NoPlanLoaded:
        plan = None
    rows = []
    for v in values:
        p = plan.parameter(v["id"]) if plan else None
        name = p.description if p else v["id"]
        rows.append({**v, "name": name, "value_text": p.value_text(v["value"]) if p else v["value"]})
    return rows


# ---- enterprise calculator (open to everyone) ----------------------------------------------------


def _calculate_form(form: dict) -> tuple[dict | None, dict, list[str]]:
    request, errors = forms.request_from_form(form)
    if errors:
        return None, request, errors
    try:
        return calculate(parse_request(request), selectors.policy_data()), request, []
    except RequestError as exc:
        return None, request, [f"{e['label']}：{e['message']}" for e in exc.errors]


def calculator(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = forms.form_from_post(request.POST)
    elif request.GET.get("example"):
        form = forms.example_form(today)
    else:
        form = forms.blank_form(today)
    result, errors = None, []
    if request.method == "POST" or request.GET.get("example"):
        result, _, errors = _calculate_form(form)
    context = {
        **_plan_context(),
        "form": form,
        "result": result,
        "errors": errors,
        "areas": plans.area_list(),
        "project_types": reference.values("project_types"),
        "acquisitions": forms.ACQUISITIONS,
        "levels": forms.FIRST_SET_LEVELS,
        "categories": forms.CATEGORIES,
        "now": timezone.localtime(),
    }
    return render(request, "settlement/calculator.html", context, status=422 if errors else 200)


@require_POST
def calculator_xlsx(request):
    form = forms.form_from_post(request.POST)
    result, req, errors = _calculate_form(form)
    if errors:
        return HttpResponse("；".join(errors), status=422, content_type="text/plain; charset=utf-8")
    return HttpResponse(
        _xlsx(req, result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="policy-calculation.xlsx"'},
    )


def _xlsx(req: dict, result: dict) -> bytes:
    import xlsxwriter  # noqa: PLC0415 - only this export needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#EEF3FB", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    num = book.add_format({"num_format": "#,##0.00", "border": 1, "valign": "top"})

    def sheet(name, headers, rows, widths):
        ws = book.add_worksheet(name)
        for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
            ws.write(0, c, h, head)
            ws.set_column(c, c, w)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values):
                ws.write(r, c, v, num if isinstance(v, int | float) and not isinstance(v, bool) else wrap)
        return ws

    tax = result["tax"]
    summary = [
        ("计算日期", result["date"], "", ""),
        ("设备投资额（含首台套加计）(元)", result["eligible_equipment_investment"], "P11", ""),
        ("其中首台（套）加计(元)", result["first_set_bonus"], "P11", ""),
        (
            "补助合计(元)",
            result["subsidy_total"],
            "P11",
            "已按单个项目叠加上限核减" if result["capped"] else "",
        ),
        ("单个项目补助上限(元)", result["subsidy_cap"] or "", "P11", ""),
        ("一次性税前扣除额(元)", tax["one_time_expensing"]["eligible_amount"], "P13", ""),
        ("首年递延企业所得税(元)", tax["one_time_expensing"]["first_year_tax_deferral"], "P13", ""),
        (
            "研发费用加计扣除额(元)",
            tax["rd_super_deduction"]["extra_deduction"],
            "P13",
            tax["rd_super_deduction"]["basis"],
        ),
        ("研发加计少缴企业所得税(元)", tax["rd_super_deduction"]["tax_saved"], "P13", ""),
        (
            "专用设备投资抵免(元)",
            tax["special_equipment_credit"]["credit"],
            "P13",
            tax["special_equipment_credit"]["basis"],
        ),
    ]
    sheet("计算结果", ["项目", "金额", "条款", "说明"], summary, [30, 18, 8, 90])
    sheet(
        "补助明细",
        ["政策", "级别", "核减前(元)", "核定(元)", "条款", "依据"],
        [
            (s["name"], s["level"], s["before_cap"], s["amount"], s["clause"], s["basis"])
            for s in result["subsidies"]
        ],
        [30, 8, 16, 16, 8, 90],
    )
    sheet(
        "一次性扣除明细",
        ["设备", "可扣除(元)", "最低折旧年限", "首年递延税额(元)", "依据"],
        [
            (i["name"], i["amount"], i["min_years"], i["first_year_tax_deferral"], i["basis"])
            for i in tax["one_time_expensing"]["items"]
        ],
        [28, 16, 12, 16, 90],
    )
    sheet(
        "计算过程",
        ["步骤", "数值", "参数", "生效日期", "条款", "依据"],
        [
            (t["step"], t["value"], t["parameter"] or "", t["effective_from"] or "", t["clause"], t["basis"])
            for t in result["trace"]
        ],
        [36, 16, 36, 12, 8, 90],
    )
    sheet(
        "输入",
        ["设备", "取得方式", "单价(元)", "数量", "租赁费(元)", "首台（套）", "购置日期", "类别"],
        [
            (
                e["name"],
                "购置" if e["acquisition"] == "purchase" else "租赁",
                e["unit_price"] if e["unit_price"] is not None else "",
                e["quantity"],
                e["lease_fee"] if e["lease_fee"] is not None else "",
                e["first_set"] or "",
                e["acquired_on"] or "",
                CATEGORY_LABELS[e["category"]],
            )
            for e in req["equipment"]
        ],
        [28, 10, 16, 8, 16, 10, 12, 26],
    )
    book.close()
    return out.getvalue()


# ---- simulation (city) ---------------------------------------------------------------------------------


def _decimal(text: str, scale: Decimal, label: str, errors: list[str]) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text) * scale
    except InvalidOperation:
        errors.append(f"{label}：应为数字，实为 {text!r}")
        return None
    if value < 0:
        errors.append(f"{label}：不能为负数")
        return None
    return value


@requires("settlement.view")
def simulation_page(request):
    errors: list[str] = []
    try:
        year = int(request.GET.get("year") or 2024)
    except ValueError:
        year, _ = 2024, errors.append("年度：应为整数")
    data = selectors.policy_data()
    what_if = simulation.WhatIf(
        subsidy_cap=_decimal(request.GET.get("subsidy_cap", ""), forms.WAN, "单个项目补助上限", errors),
        first_set_bonus_rate=_decimal(
            request.GET.get("first_set_bonus_rate", ""), Decimal("0.01"), "首台套加计比例", errors
        ),
    )
    for p in data.programmes:
        change = {
            "rate": _decimal(
                request.GET.get(f"{p.id}-rate", ""), Decimal("0.01"), f"{p.name}·补助比例", errors
            ),
            "cap": _decimal(request.GET.get(f"{p.id}-cap", ""), forms.WAN, f"{p.name}·单项上限", errors),
            "min_investment": _decimal(
                request.GET.get(f"{p.id}-min", ""), forms.WAN, f"{p.name}·最低投资额", errors
            ),
        }
        if change["rate"] is not None and change["rate"] > 1:
            errors.append(f"{p.name}·补助比例：不能超过100%")
            change["rate"] = None
        if any(v is not None for v in change.values()):
            if change["cap"] is None:
                change["cap"] = p.cap
            what_if.programmes[p.id] = change
    result = simulation.simulate(year=year, what_if=what_if)
    for p in result["programmes"]:
        for key, suffix in (("q_rate", "rate"), ("q_cap", "cap"), ("q_min", "min")):
            p[key] = request.GET.get(f"{p['id']}-{suffix}", "")
    return render(
        request,
        "settlement/simulation.html",
        {
            **_plan_context(),
            "year": year,
            "years": list(range(2023, 2028)),
            "result": result,
            "errors": errors,
            "query": request.GET,
            "programmes": data.programmes,
            "chart": {
                "areas": [a["short_name"] for a in result["areas"]],
                "current": [_wan(a["current"]) for a in result["areas"]],
                "changed": [_wan(a["changed"]) for a in result["areas"]],
            },
        },
        status=422 if errors else 200,
    )


# ---- settlement (city) ----------------------------------------------------------------------------------


@requires("settlement.view")
def settlement_home(request):
    year = _settlement_year(request)
    return render(
        request,
        "settlement/settlement.html",
        {
            **_plan_context(),
            "runs": selectors.run_list(),
            "records": selectors.record_list(year=year, limit=100),
            "year": year,
            "years": list(range(2023, 2028)),
            "settleable": selectors.settleable_projects(year=year).count(),
            "without_lines": list(selectors.projects_without_lines(year=year).select_related("area")),
            "can_start": scope_for(request.user).can("settlement.run"),
            "today": timezone.localdate(),
            "interest": _interest_subsidy_context(request),
        },
    )


def _settlement_year(request) -> int:
    value = request.GET.get("year") or "2024"
    return int(value) if value.isdigit() else 2024


@requires("settlement.view")
def records_export(request):
    """Every decision record of the year on screen (the page lists the latest 100) as xlsx."""
    year = _settlement_year(request)
    columns = [
        X.ExportColumn("项目编号", lambda r: r.project.code, width=16),
        X.ExportColumn("项目名称", lambda r: r.project.name, width=30),
        X.ExportColumn("区域", lambda r: r.project.area.name, width=16),
        X.ExportColumn("版本", "version", X.INT, width=6),
        X.ExportColumn("核定补助(万元)", "subsidy_total", X.WAN),
        X.ExportColumn("依据日期", "decided_on", X.DATE),
        X.ExportColumn("核定人", "created_by_name", width=14),
        X.ExportColumn("核定时间", "created_at", X.DATETIME),
        X.ExportColumn("原因", "reason", width=30),
    ]
    rows = selectors.record_list(year=year, limit=None)
    return X.xlsx_response([X.ExportSheet("补助核定记录", columns, rows)], f"补助核定记录-{year}.xlsx")


@requires("settlement.run")
@require_POST
def settlement_start(request):
    try:
        year = int(request.POST.get("year", ""))
        date = dt.date.fromisoformat(request.POST.get("date", "")) if request.POST.get("date") else None
    except ValueError:
        return HttpResponse("年度或核定日期格式有误（年度为整数，日期为 YYYY-MM-DD）", status=422)
    services.settlement_run_start(year=year, user=request.user, date=date)
    return redirect("settlement:home")


@requires("settlement.run")
@require_POST
def settlement_run_retry(request, pk: int):
    """重试 of a failed run: the projects it settled keep their record, the others are settled."""
    run = get_object_or_404(SettlementRun, pk=pk)
    try:
        services.settlement_run_retry(run=run, user=request.user)
    except ServiceError as exc:
        return HttpResponse(exc.message, status=422)
    return redirect("settlement:home")


@requires("settlement.view")
def settlement_run(request, pk: int):
    """The progress of one run (an htmx fragment polled while the run is under way)."""
    run = get_object_or_404(SettlementRun, pk=pk)
    can_start = scope_for(request.user).can("settlement.run")
    return render(request, "settlement/settlement.html#run-row", {"run": run, "can_start": can_start})


@requires("settlement.view")
def record_detail(request, pk: int):
    record = get_object_or_404(DecisionRecord.objects.select_related("project", "previous"), pk=pk)
    versions = list(record.project.decisions.order_by("-version"))
    return render(
        request,
        "settlement/record.html",
        {
            **_plan_context(),
            "record": record,
            "versions": versions,
            "parameters": _parameter_rows(record.parameters.get("values") or []),
        },
    )


@requires("settlement.run")
@require_POST
def project_settle(request, code: str):
    project = get_object_or_404(Project, code=code)
    try:
        record, _ = services.decision_record_settle(
            project=project, user=request.user, reason=request.POST.get("reason", "")[:200] or "人工重新核定"
        )
    except services.NotSettled as exc:
        # e.g. 缺少设备清单: said on the page it came from (the latest record, else the settlement page)
        messages.error(request, exc.message)
        latest = selectors.latest_record(project)
        if latest is not None:
            return redirect("settlement:record", pk=latest.pk)
        return redirect(f"{reverse('settlement:home')}?year={project.year}")
    return redirect("settlement:record", pk=record.pk)


# ---- interest subsidy (贷款贴息, P12): a period's contracts settled and frozen ---------------------------


def _interest_period(data) -> tuple[dt.date | None, dt.date | None]:
    try:
        return (
            dt.date.fromisoformat(data.get("period_from", "")),
            dt.date.fromisoformat(data.get("period_to", "")),
        )
    except ValueError:
        return None, None


def _interest_subsidy_context(request) -> dict:
    """The period on screen (the query's, else the latest settled, else this year so far) and its
    settled records."""
    periods = subsidy.settled_periods()
    start, end = _interest_period(request.GET)
    if start is None and periods:
        start, end = periods[0]
    today = timezone.localdate()
    start, end = start or dt.date(today.year, 1, 1), end or today
    return {
        "period_from": start,
        "period_to": end,
        "periods": periods,
        **subsidy.subsidy_settled(period_from=start, period_to=end),
    }


@requires("settlement.run")
@require_POST
def interest_subsidy_settle(request):
    start, end = _interest_period(request.POST)
    if start is None:
        messages.error(request, "贷款贴息核定：期间起、期间止应为 YYYY-MM-DD 格式的日期")
        return redirect(f"{reverse('settlement:home')}#interest-subsidy")
    try:
        records = subsidy.subsidy_settle(period_from=start, period_to=end, user=request.user)
    except PeriodError as exc:
        messages.error(request, f"贷款贴息核定：{exc}")
        return redirect(f"{reverse('settlement:home')}#interest-subsidy")
    new = sum(getattr(r, "created", False) for r in records)
    total = sum((r.amount for r in records), Decimal(0))
    messages.success(
        request,
        f"贷款贴息核定（P12）{start}至{end}：核定合同{len(records)}份，新增版本{new}个，"
        f"结果未变{len(records) - new}个，贴息合计{units.wan(total)}万元",
    )
    query = f"period_from={start.isoformat()}&period_to={end.isoformat()}"
    return redirect(f"{reverse('settlement:home')}?{query}#interest-subsidy")
