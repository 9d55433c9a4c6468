"""Project pages: the list of the user's scope, and a project's detail with the workflow actions
the user may take (htmx), its transitions and its monthly progress."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renewal.accounts.pages import records_required, refuse, service_error
from renewal.accounts.scope import scope_for
from renewal.exchange import registry_exports
from renewal.planning.selectors import NoPlanLoaded, active_plan, area_list

from . import reference, selectors, services, workflow
from .errors import Invalid, ServiceError

WAN = Decimal(10_000)


def _list_page(request, kind: str, selector, template: str, noun: str, **context):
    """A registry list: the caller's scope, the page's filters (GET), 50 rows a page, the export link
    with the same filters (URL-encoded) and the template of its import sheet."""
    scope = scope_for(request.user)
    if reason := scope.records_refusal(noun):
        return refuse(request, reason)
    qs = selector(scope=scope, **selectors.list_filters(kind, request.GET))
    query = selectors.list_query(kind, request.GET)
    return render(
        request,
        template,
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "scope": scope,
            "areas": area_list() if scope.is_city else [],
            "filters": request.GET,
            "query": query,
            "export_url": f"{reverse('exchange:export', args=[kind])}{'?' + query if query else ''}",
            "template_url": reverse("exchange:template_kind", args=[kind]),
            "tab": kind,
            **context,
        },
    )


@login_required
@records_required("项目")
def project_list(request):
    query = selectors.list_query("projects", request.GET)
    return _list_page(
        request,
        "projects",
        selectors.project_list,
        "registry/project_list.html",
        "项目",
        statuses=workflow.STATES,
        workflow=workflow.as_table(),
        progress_url=f"{reverse('exchange:export', args=['progress'])}{'?' + query if query else ''}",
    )


@login_required
@records_required("企业")
def enterprise_list(request):
    return _list_page(
        request,
        "enterprises",
        selectors.enterprise_list,
        "registry/enterprise_list.html",
        "企业",
        industries=sorted(reference.industries().items()),
    )


@login_required
@records_required("试点示范")
def honour_list(request):
    return _list_page(
        request,
        "honours",
        selectors.honour_list,
        "registry/honour_list.html",
        "试点示范",
        kinds=reference.values("honour_kinds"),
        levels=reference.values("levels"),
    )


@login_required
@records_required("首台套")
def first_set_list(request):
    return _list_page(
        request,
        "first-sets",
        selectors.first_set_list,
        "registry/first_set_list.html",
        "首台套",
        categories=reference.values("first_set_categories"),
        levels=reference.values("levels"),
    )


@login_required
@records_required("统计指标")
def statistic_list(request):
    scope = scope_for(request.user)
    return _list_page(
        request,
        "statistics",
        selectors.statistic_list,
        "registry/statistic_list.html",
        "统计指标",
        indicators=selectors.statistic_indicators(scope=scope) if scope.sees_records else [],
        area_names=registry_exports.area_names(),
        city=_city(),
    )


def _city() -> dict | None:
    try:
        plan = active_plan()
    except NoPlanLoaded:
        return None
    return {"code": plan.city_code, "name": plan.city_name}


def _detail_context(request, project, *, error: str = "", form_errors=None) -> dict:
    scope = scope_for(request.user)
    return {
        "project": project,
        "scope": scope,
        "actions": services.project_actions(project=project, user=request.user),
        "transitions": project.transitions.select_related("user"),
        "progress": project.progress.order_by("-month"),
        "can_edit": services.project_may_edit(scope, project),
        "can_report": scope.can_change(project) and project.status not in workflow.FINAL_STATES,
        "can_delete": scope.can_delete(project),
        "error": error,
        "form_errors": form_errors or {},
    }


def _visible(request, code):
    return selectors.project_get(scope=scope_for(request.user), code=code)


@login_required
@records_required("项目")
def project_detail(request, code):
    project = _visible(request, code)
    if project is None:
        return refuse(request, f"未找到项目 {code}（或无权查看）", status=404)
    return render(request, "registry/project_detail.html", _detail_context(request, project))


@login_required
@require_POST
@records_required("项目")
def project_transition(request, code):
    """POST to, comment, version → the workflow panel again (htmx) or the detail page."""
    project = _visible(request, code)
    if project is None:
        return refuse(request, f"未找到项目 {code}（或无权查看）", status=404)
    version = request.POST.get("version")
    try:
        services.project_transition(
            project=project,
            to=request.POST.get("to", ""),
            user=request.user,
            comment=request.POST.get("comment", ""),
            version=int(version) if version and version.isdigit() else None,
        )
    except ServiceError as exc:
        if not request.htmx:
            return service_error(request, exc)
        project.refresh_from_db()
        ctx = _detail_context(request, project, error=exc.message)
        status = exc.status if exc.status in (403, 409) else 422
        return render(request, "registry/project_detail.html#workflow", ctx, status=status)
    project.refresh_from_db()
    if request.htmx:
        return render(request, "registry/project_detail.html#workflow", _detail_context(request, project))
    return redirect("registry:project_detail", code=project.code)


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
    from renewal.reporting.selectors import parse_month
    from renewal.reporting.services import progress_report as report

    project = _visible(request, code)
    if project is None:
        return refuse(request, f"未找到项目 {code}（或无权查看）", status=404)
    p = request.POST
    try:
        try:
            month = parse_month(p.get("month", ""))
        except ValueError as exc:
            raise Invalid(f"月份：{exc}", field="month") from None
        data = {
            "investment": _money(p.get("investment"), "完成投资(万元)"),
            "equipment_investment": _money(p.get("equipment_investment"), "完成设备投资(万元)"),
            "robots": _count(p.get("robots"), "机器人到位(台)"),
            "cnc": _count(p.get("cnc"), "数控机床到位(台)"),
        }
        version = p.get("version")
        report(
            user=request.user,
            project=project,
            month=month,
            data=data,
            version=int(version) if version and version.isdigit() else None,
            reason=p.get("reason", ""),
        )
    except ServiceError as exc:
        ctx = _detail_context(request, project, error=exc.message)
        return render(request, "registry/project_detail.html", ctx, status=exc.status)
    return redirect("registry:project_detail", code=project.code)


@login_required
@require_POST
@records_required("项目")
def project_delete(request, code):
    project = _visible(request, code)
    if project is None:
        return refuse(request, f"未找到项目 {code}（或无权查看）", status=404)
    try:
        services.record_delete(user=request.user, obj=project, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        return service_error(request, exc)
    return redirect("registry:project_list")
