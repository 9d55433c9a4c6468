"""Pages of the online declaration: the enterprise's list and form, the reviewers' inbox and review
page, and the attachment download (the only way a stored file leaves the server)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renewal.accounts.models import Role
from renewal.accounts.pages import Gate, records_required, refuse, request_scope, service_error
from renewal.lib.errors import Invalid, ServiceError
from renewal.registry import reference, workflow
from renewal.registry import selectors as registry_selectors
from renewal.registry import services as registry

from . import files, forms, selectors, services


@dataclass(frozen=True)
class RoleGate(Gate):
    """A page of some roles only (the header asks the same gate, ``pages.can_open``)."""

    roles: frozenset = frozenset()
    reason: str = ""

    def refusal(self, scope) -> str | None:
        if scope.role in self.roles:
            return None
        return self.reason.format(who=scope.role_label)


enterprise_only = RoleGate(roles=frozenset({Role.ENTERPRISE}), reason="在线申报由企业用户填写（您是{who}）")
reviewers_only = RoleGate(roles=frozenset(selectors.INBOX_STATUS), reason="您（{who}）没有需要审核的项目申报")


def _project(request, code):
    return registry_selectors.project_get(scope=request_scope(request), code=code)


def _missing(code):
    return f"未找到项目 {code}（或无权查看）"


def _version(request) -> int | None:
    v = request.POST.get("version", "")
    return int(v) if v.isdigit() else None


# -- the enterprise's side ----------------------------------------------------------------------


@login_required
@enterprise_only
def index(request):
    projects = selectors.own_projects(scope=request_scope(request))
    for p in projects:
        p.steps = selectors.steps(p.status)
    return render(request, "declaration/index.html", {"projects": projects})


def form_context(
    request, project, *, text=None, rows=None, errors=None, warnings=None, confirm=False
) -> dict:
    errors = errors or {}
    lines = selectors.lines(project) if project else []
    if rows is None:
        rows = [forms.line_text(line) for line in lines] or [forms.blank_line()]
    for n, row in enumerate(rows, start=1):
        fields = ("number", *services.LINE_FIELDS)
        row["errors"] = {f: errors[k] for f in fields if (k := services.line_key(n, f)) in errors}
    scope = request_scope(request)
    return {
        "project": project,
        "form": text
        or (forms.project_text(project) if project else forms.blank_project(timezone.localdate())),
        "rows": rows,
        "blank": forms.blank_line(),
        "errors": errors,
        "line_errors": [m for k, m in errors.items() if k.startswith("lines.")],
        "field_errors": {k: m for k, m in errors.items() if not k.startswith("lines.")},
        "warnings": warnings if warnings is not None else (selectors.warnings(project) if project else []),
        "confirm": confirm,
        "enterprise": registry_selectors.enterprise_get(scope=scope, uscc=scope.uscc or ""),
        "attachments": selectors.attachments(project) if project else [],
        "totals": selectors.totals(project, lines) if project else None,
        "project_types": reference.values("project_types"),
        "choices": {
            "category": reference.values("equipment_categories"),
            "acquisition": reference.values("acquisition_modes"),
            "origin": reference.values("equipment_origins"),
            "first_set_level": reference.values("first_set_levels"),
            "depreciation_class": reference.values("depreciation_classes"),
        },
        "attachment_kinds": list(enumerate(reference.values("attachment_kinds"))),
        "accept": files.ACCEPT,
        "max_mb": files.limit() // (1024 * 1024),
        "tolerance": selectors.tolerance(),
    }


def _form(request, project, status=200, **kw):
    return render(request, "declaration/form.html", form_context(request, project, **kw), status=status)


def _save(request, project):
    """POST of the form: save the draft; with ``action=submit`` also 申报 (after the warnings are
    confirmed, when there are any)."""
    text, data, errors = forms.project_from_post(request.POST)
    rows, lines, line_errors = forms.lines_from_post(request.POST)
    errors |= line_errors
    if errors:
        more = {k: m for k, m in services.lines_check(lines).items() if k not in errors}
        return _form(request, project, 422, text=text, rows=rows, errors=errors | more)
    try:
        saved = services.declaration_save(
            user=request.user,
            project=project,
            data=data,
            lines=lines,
            uploads=forms.uploads_from_request(request),
            version=_version(request),
        )
    except Invalid as exc:
        errs = exc.errors or {"": exc.message}
        return _form(request, project, 422, text=text, rows=rows, errors=errs)
    except ServiceError as exc:
        return service_error(request, exc)
    if request.POST.get("action") != "submit":
        messages.success(request, f"已保存草稿（项目编号 {saved.code}）")
        return redirect("declaration:edit", code=saved.code)
    warnings = selectors.warnings(saved)
    if warnings and not request.POST.get("confirm"):
        return _form(request, saved, warnings=warnings, confirm=True)
    return _submit(request, saved, version=saved.version)


def _submit(request, project, *, version):
    try:
        services.declaration_submit(user=request.user, project=project, version=version)
    except ServiceError as exc:
        project.refresh_from_db()
        return _form(request, project, exc.status if exc.status != 404 else 422, errors={"": exc.message})
    messages.success(request, f"项目 {project.code} 已申报，等待区县审核")
    return redirect("declaration:index")


@login_required
@enterprise_only
def new(request):
    if request.method == "POST":
        return _save(request, None)
    return _form(request, None)


@login_required
@enterprise_only
def edit(request, code):
    project = _project(request, code)
    if project is None:
        return refuse(request, _missing(code), status=404)
    if project.status not in workflow.EDITABLE_STATES:
        messages.info(request, f"项目 {project.code} 当前状态为“{project.status}”，不能再修改")
        return redirect("declaration:review", code=project.code)
    if request.method == "POST":
        return _save(request, project)
    return _form(request, project)


@login_required
@require_POST
@enterprise_only
def submit(request, code):
    """申报 after the warnings were shown (the form's confirmation)."""
    project = _project(request, code)
    if project is None:
        return refuse(request, _missing(code), status=404)
    return _submit(request, project, version=_version(request))


# -- the reviewers' side ------------------------------------------------------------------------


@login_required
@reviewers_only
def inbox(request):
    scope = request_scope(request)
    projects = list(selectors.inbox(scope=scope).select_related("enterprise", "area")[:500])
    for p in projects:
        p.totals = selectors.totals(p, selectors.lines(p))
    return render(
        request,
        "declaration/inbox.html",
        {
            "projects": projects,
            "count": selectors.inbox_count(scope=scope),
            "waiting": selectors.INBOX_STATUS[scope.role],
        },
    )


def review_context(request, project, *, error: str = "", comment: str = "") -> dict:
    rows = selectors.lines(project)
    actions = [
        a
        for a in registry.project_actions(project=project, user=request.user)
        if a.target in selectors.REVIEW_TARGETS
    ]
    return {
        "project": project,
        "lines": rows,
        "totals": selectors.totals(project, rows),
        "warnings": selectors.warnings(project, rows),
        "attachments": selectors.attachments(project),
        "transitions": project.transitions.select_related("user"),
        "actions": actions,
        "steps": selectors.steps(project.status),
        "editable": project.status in workflow.EDITABLE_STATES
        and request_scope(request).role == Role.ENTERPRISE,
        "reviews": selectors.reviews(request_scope(request)),
        "error": error,
        "comment": comment,
    }


@login_required
@records_required("项目")
def review(request, code):
    project = _project(request, code)
    if project is None:
        return refuse(request, _missing(code), status=404)
    return render(request, "declaration/review.html", review_context(request, project))


@login_required
@require_POST
@records_required("项目")
def review_action(request, code):
    """审核通过 / 退回 (reason required) through the workflow table."""
    project = _project(request, code)
    if project is None:
        return refuse(request, _missing(code), status=404)
    to, comment = request.POST.get("to", ""), request.POST.get("comment", "")
    try:
        registry.project_transition(
            project=project, to=to, user=request.user, comment=comment, version=_version(request)
        )
    except ServiceError as exc:
        project.refresh_from_db()
        status = exc.status if exc.status in (403, 409) else 422
        ctx = review_context(request, project, error=exc.message, comment=comment)
        return render(request, "declaration/review.html", ctx, status=status)
    messages.success(request, f"项目 {project.code}：已{'退回' if to == '退回' else '审核通过'}（{to}）")
    if selectors.reviews(request_scope(request)):
        return redirect("declaration:inbox")
    return redirect("declaration:review", code=project.code)


# -- attachments --------------------------------------------------------------------------------


@login_required
@records_required("附件")
def attachment_download(request, code, pk):
    """The file, to a caller who may see the project; 404 for anyone else, the same as for a file
    that does not exist."""
    a = selectors.attachment_get(scope=request_scope(request), code=code, pk=pk)
    try:
        handle = files.storage.open(a.file.name, "rb") if a is not None else None
    except FileNotFoundError:
        handle = None
    if handle is None:
        return refuse(request, "未找到该附件（或无权查看）", status=404)
    response = FileResponse(handle, as_attachment=True, filename=a.original_name, content_type=a.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@records_required("附件")
def attachment_delete(request, code, pk):
    a = selectors.attachment_get(scope=request_scope(request), code=code, pk=pk)
    if a is None:
        return refuse(request, "未找到该附件（或无权查看）", status=404)
    try:
        services.attachment_delete(user=request.user, attachment=a, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        return service_error(request, exc)
    messages.success(request, f"已删除附件“{a.original_name}”")
    return redirect("declaration:edit", code=code)
