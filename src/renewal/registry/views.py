"""Project pages: the list of the user's scope, and a project's detail with the workflow actions
the user may take (htmx), its transitions and its monthly progress."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renewal.accounts.pages import records_required, refuse, service_error
from renewal.accounts.scope import scope_for
from renewal.equipment import selectors as equipment
from renewal.finance.selectors_loans import project_finance
from renewal.lib.errors import ServiceError

from . import selectors, services, workflow

WAN = Decimal(10_000)


def detail_context(request, project, *, error: str = "", form_errors=None) -> dict:
    scope = scope_for(request.user)
    lines = equipment.line_list(project)
    return {
        "lines": lines,
        "lines_total": equipment.lines_total(lines),
        "lines_warnings": equipment.lines_warnings(project, lines) if lines else [],
        "lines_explained": equipment.explained_lines(project, lines),
        "finance": project_finance(scope=scope, project=project),
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
    return render(request, "registry/project_detail.html", detail_context(request, project))


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
        ctx = detail_context(request, project, error=exc.message)
        status = exc.status if exc.status in (403, 409) else 422
        return render(request, "registry/project_detail.html#workflow", ctx, status=status)
    project.refresh_from_db()
    if request.htmx:
        return render(request, "registry/project_detail.html#workflow", detail_context(request, project))
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
    return redirect("lists:project_list")
