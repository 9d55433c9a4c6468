"""The upload page (校验 → 预览 → 确认导入), job progress, template and export downloads."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renewal.accounts.pages import Gate, refuse
from renewal.accounts.scope import scope_for
from renewal.lib.errors import Invalid, ServiceError
from renewal.lib.uploads import SHEET_MAGIC, body_limit, upload_check

from . import selectors, services
from . import sheets as S
from .annotate import write_annotated
from .importer import IMPORTING_ROLES, may_import
from .lists import list_filters
from .reader import SUFFIXES
from .registry_exports import exportable, registry_export
from .report import ImportReport
from .template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(buffer: io.BytesIO, name: str) -> FileResponse:
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


class UploadGate(Gate):
    """The upload page: the roles that read records, and the roles that import some kind without
    reading the registry (a bank user: its 贷款, 放款 and 还款 sheets, P12)."""

    def refusal(self, scope):
        if scope.role in IMPORTING_ROLES:
            return None
        return super().refusal(scope)


def _importable(scope) -> list[S.Sheet]:
    """The kinds the caller's role imports (all of them for the city administrator)."""
    return [s for s in S.SHEETS if may_import(scope.role, s)]


NO_IMPORT = "当前用户无权导入数据（仅市级管理员、区域操作员和银行用户可以导入）"


def _refusal(upload) -> str | None:
    """Size, type and first bytes (``lib.uploads``); the file is read by the worker's job only."""
    try:
        upload_check(upload, allowed=SUFFIXES, what="文件", field="file", magic=SHEET_MAGIC)
    except Invalid as exc:
        return exc.message
    return None


def _upload_body_limit() -> int:
    """The one file and the form's fields (reason, CSRF token, multipart headers)."""
    return settings.RENEWAL_UPLOAD_MAX_BYTES + 1024 * 1024


@body_limit(_upload_body_limit)
@login_required
@UploadGate(records="登记库")
def upload(request):
    scope = scope_for(request.user)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if scope.role not in IMPORTING_ROLES:
            error = NO_IMPORT
        elif upload is None:
            error = "请选择要上传的文件"
        elif Path(upload.name).suffix.lower() not in SUFFIXES:
            error = f"不支持的文件类型“{Path(upload.name).suffix or upload.name}”（请上传 .xlsx、.xls 或 .csv 文件）"
        elif error := _refusal(upload):
            pass
        else:
            reason = request.POST.get("reason", "") if scope.can("months.correct") else ""
            job = services.import_job_create(user=request.user, upload=upload, reason=reason)
            services.import_job_start(job=job, commit=False)
            return redirect("exchange:job", job_id=job.id)
    return render(
        request,
        "exchange/upload.html",
        {
            "sheets": _importable(scope) if scope.role in IMPORTING_ROLES else S.SHEETS,
            "jobs": selectors.import_job_list(user=request.user)[:10],
            "error": error,
            "can_import": scope.role in IMPORTING_ROLES,
            "can_correct": scope.can("months.correct"),
            "exports": {k: s.name for k, s in exportable().items() if _may_export(scope, s)},
        },
        status=400 if error else 200,
    )


def _may_export(scope, spec: S.Sheet) -> bool:
    """A role that reads records exports every list (its scope narrows the rows); a bank user the
    kinds it imports (its own bank's records, ``accounts.scope``)."""
    if scope.sees_records:
        return True
    return scope.role is not None and may_import(scope.role, spec)


def _job_or_404(request, job_id):
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404("没有这条导入记录")
    return job


def _job_context(job) -> dict:
    report = ImportReport.from_dict(job.report) if job.report else None
    return {
        "job": job,
        "report": report,
        "progress": services.progress_read(job.id),
        "errors": report.errors[:2000] if report else [],
        "warnings": report.warnings[:500] if report else [],
    }


@login_required
def job(request, job_id):
    job = _job_or_404(request, job_id)
    return render(request, "exchange/job.html", _job_context(job))


@login_required
def job_progress(request, job_id):
    """The htmx poll: the progress bar while the job runs; a full reload once it is done."""
    job = _job_or_404(request, job_id)
    if not job.running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "exchange/job.html#progress", _job_context(job))


@login_required
@require_POST
def job_commit(request, job_id):
    job = _job_or_404(request, job_id)
    try:
        services.import_job_start(job=job, commit=True)
    except ValueError as exc:
        return render(
            request, "exchange/job.html", _job_context(job) | {"commit_error": str(exc)}, status=400
        )
    return redirect("exchange:job", job_id=job.id)


@login_required
@require_POST
def job_retry(request, job_id):
    """重试 of a failed job (its worker died, or an internal error): the same stage runs again."""
    job = _job_or_404(request, job_id)
    try:
        services.import_job_retry(job=job)
    except ServiceError as exc:
        return render(
            request, "exchange/job.html", _job_context(job) | {"commit_error": exc.message}, status=400
        )
    return redirect("exchange:job", job_id=job.id)


@login_required
def job_annotated(request, job_id):
    job = _job_or_404(request, job_id)
    report = ImportReport.from_dict(job.report) if job.report else None
    if report is None or report.fatal:
        raise Http404("该文件无法读取，没有可标注的副本")
    buffer = io.BytesIO()
    write_annotated(buffer, path=job.stored_path, filename=job.filename, issues=report.issues)
    return _xlsx(buffer, f"{Path(job.filename).stem}-错误标注.xlsx")


@login_required
def template_download(request, kind: str = ""):
    spec = S.sheet_for(kind) if kind else None
    if kind and spec is None:
        raise Http404("未知的模板种类")
    buffer = io.BytesIO()
    write_template(buffer, [spec.kind] if spec else None)
    return _xlsx(buffer, f"导入模板-{spec.name if spec else '全部'}.xlsx")


@login_required
def export_download(request, kind: str):
    spec = exportable().get(kind)
    if spec is None:
        raise Http404("未知的导出种类")
    scope = scope_for(request.user)
    if not _may_export(scope, spec):
        return refuse(request, scope.records_refusal(spec.name) or f"您无权导出“{spec.name}”")
    # the same parameters, read the same way, as the list page: the file holds the rows on screen
    filters = list_filters(spec, request.GET)
    buffer = io.BytesIO()
    registry_export(buffer, kind=kind, scope=scope, **filters)
    return _xlsx(buffer, f"{spec.name}.xlsx")
