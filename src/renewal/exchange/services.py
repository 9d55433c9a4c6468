"""Writes of the exchange app: imports (all or nothing) and the import jobs of the upload page."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from pathlib import Path

from django.conf import settings

from renewal.accounts.scope import Scope, scope_for
from renewal.lib import jobs

from .importer import Importer, Progress
from .models import ImportJob
from .report import ImportReport

log = logging.getLogger(__name__)


def workbook_import(
    *,
    path: str | Path,
    filename: str,
    user,
    scope: Scope,
    dry_run: bool,
    progress: Progress | None = None,
    reason: str = "",
) -> ImportReport:
    """Validate every row of the file and, unless ``dry_run`` or any row is invalid, upsert all
    rows in one transaction. ``reason``: a city administrator's reason for changing locked months
    (kept in the history). Returns the preview counts and every issue."""
    importer = Importer(scope=scope, user=user, dry_run=dry_run, progress=progress, correction=reason)
    return importer.run(path, Path(filename).name)


def job_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(job_id)


def import_job_create(*, user, upload, reason: str = "") -> ImportJob:
    """Store an uploaded file and create its job (the preview runs next: ``import_job_start``)."""
    job = ImportJob(
        user=user,
        filename=Path(upload.name).name[:255],
        size=upload.size,
        reason=(reason or "").strip()[:200],
    )
    folder = job_dir(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()[:8]
    target = folder / f"upload{suffix}"
    with target.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    job.stored_path = str(target)
    job.save()
    return job


def import_job_start(*, job: ImportJob, commit: bool) -> ImportJob:
    """Queue the preview (``commit=False``) or the real import for the worker."""
    if commit and (job.committed or job.report is None or not ImportReport.from_dict(job.report).ok):
        raise ValueError("只有校验通过且尚未导入的文件可以确认导入")
    job.stage = ImportJob.Stage.COMMIT if commit else ImportJob.Stage.PREVIEW
    job.status = ImportJob.Status.QUEUED
    # every file, whatever its size, is read by the worker (never in a web request, decision
    # 0023); the job is saved first, so the database backend's task row follows it
    job.background = True
    job.finished_at = None
    job.save(update_fields=["stage", "status", "background", "finished_at"])
    progress_write(job.id, 0, 0, "排队中")
    from .tasks import import_job_task

    jobs.job_enqueue(job, import_job_task, str(job.id), commit)
    job.refresh_from_db()  # the immediate backend (tests) has run it already
    return job


def import_job_retry(*, job: ImportJob) -> ImportJob:
    """重试 of a job failed by a dead worker or an internal error: the same stage runs again. The
    import writes in one transaction, so an interrupted one wrote nothing and is simply redone
    (a rerun of a finished one only finds its rows unchanged)."""
    jobs.job_requeue(job, report=None)
    progress_write(job.id, 0, 0, "排队中")
    commit = job.stage == ImportJob.Stage.COMMIT
    from .tasks import import_job_task

    jobs.job_enqueue(job, import_job_task, str(job.id), commit)
    job.refresh_from_db()
    return job


def import_job_run(*, job_id, commit: bool) -> None:
    lease = jobs.lease_claim(ImportJob, job_id)
    if lease is None:
        return
    job = ImportJob.objects.select_related("user").get(id=job_id)

    def progress(done: int, total: int, stage: str) -> None:
        progress_write(job.id, done, total, stage)
        lease.beat()  # LeaseLost inside the import rolls it back

    try:
        with lease.keepalive():
            report = workbook_import(
                path=job.stored_path,
                filename=job.filename,
                user=job.user,
                scope=scope_for(job.user),
                dry_run=not commit,
                progress=progress,
                reason=job.reason,
            )
    except jobs.LeaseLost:
        log.warning("import %s lost its lease; stopped", job.id)
        return
    except Exception:
        fatal = ImportReport(
            filename=job.filename, dry_run=not commit, fatal="导入时发生内部错误，未写入任何数据"
        )
        lease.finish(ImportJob.Status.FAILED, report=fatal.as_dict())
        raise
    lease.finish(ImportJob.Status.DONE, report=report.as_dict(), committed=report.committed)


def beat_write(job_id, owner: str, now: dt.datetime) -> bool:
    """An import's heartbeat, in a file next to its upload (see ``progress_write``); False when the
    job is no longer this run's (a sweep failed it, or a retry took it)."""
    if not ImportJob.objects.filter(id=job_id, status=ImportJob.Status.RUNNING, lease_owner=owner).exists():
        return False
    folder = job_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"lease.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"owner": owner, "at": now.isoformat()}))
    os.replace(tmp, folder / "lease.json")
    return True


def beat_read(job_id, owner: str) -> dt.datetime | None:
    """The last heartbeat ``owner`` wrote for the import (None: none, or another run's)."""
    try:
        beat = json.loads((job_dir(job_id) / "lease.json").read_text())
        return dt.datetime.fromisoformat(beat["at"]) if beat.get("owner") == owner else None
    except (OSError, ValueError, KeyError):
        return None


def progress_write(job_id, done: int, total: int, stage: str) -> None:
    """Progress lives in a small file next to the upload: the import itself runs inside one
    transaction, so a progress row in the database would stay invisible until the end."""
    folder = job_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "progress.json.tmp"
    tmp.write_text(json.dumps({"done": done, "total": total, "stage": stage}, ensure_ascii=False))
    os.replace(tmp, folder / "progress.json")


def progress_read(job_id) -> dict:
    try:
        return json.loads((job_dir(job_id) / "progress.json").read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": 0, "stage": "排队中"}


def import_job_delete(*, job: ImportJob) -> None:
    shutil.rmtree(job_dir(job.id), ignore_errors=True)
    job.delete()
