"""Leases for background jobs (imports, bulletins, batch settlement): a job never stays "running"
after its worker died.

A job row (a model with ``LeasedJob``) is claimed by the process that runs it: ``lease_claim``
moves it from 排队中 to 进行中 with a fresh owner token and heartbeat. The run renews the heartbeat at
each progress point (``Lease.beat``, which also saves the progress) and, in the worker, from a
keep-alive thread, so a long step (a PDF conversion) is no sign of death. ``sweep_dead_jobs`` —
run by `renewal db_worker` at start and every ``RENEWAL_JOB_SWEEP_SECONDS`` — fails every running
job whose heartbeat is older than ``RENEWAL_JOB_LEASE_SECONDS`` with ``DEAD_REASON``; the page then
offers 重试 (``job_requeue`` + the kind's own retry service). A run that lost its lease (swept while
it was only frozen) finds out at its next beat (``LeaseLost``) and stops before writing more.

Each kind says where its page shows the reason (``failed_fields``) and may keep its heartbeat
elsewhere than in the row (``touch``/``last_beat``): an import runs inside one transaction, so a
heartbeat written to its row would stay invisible until the end (docs/decisions/0022).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from .errors import Invalid

log = logging.getLogger(__name__)

DEAD_REASON = "后台任务进程中断（心跳超时），可重试"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# Set by `renewal db_worker`: only the worker runs the keep-alive threads (a job run inside a web
# request or a test beats at its progress points only).
KEEPALIVE = False


class LeaseLost(Exception):
    """The job was failed by a sweep (or retried elsewhere) while this run still worked on it."""


class LeasedJob(models.Model):
    """What a job row carries for its lease. Its ``status`` uses the values queued, running, done
    and failed, and it has a ``finished_at``."""

    lease_owner = models.CharField("租约持有者", max_length=64, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    task_id = models.CharField("任务标识", max_length=64, blank=True)

    class Meta:
        abstract = True

    def failed_fields(self, reason: str) -> dict:
        """The fields that show ``reason`` on the kind's page when the job is failed by a sweep."""
        raise NotImplementedError

    @classmethod
    def touch(cls, pk, owner: str, now: dt.datetime, **fields) -> bool:
        """Renews the heartbeat (and saves ``fields``) if ``owner`` still holds the lease."""
        return bool(
            cls.objects.filter(pk=pk, status=RUNNING, lease_owner=owner).update(heartbeat_at=now, **fields)
        )

    def last_beat(self) -> dt.datetime | None:
        return self.heartbeat_at

    @property
    def retryable(self) -> bool:
        return self.status == FAILED


def lease_seconds() -> int:
    return settings.RENEWAL_JOB_LEASE_SECONDS


def job_models() -> list[type[LeasedJob]]:
    return [m for m in apps.get_models() if issubclass(m, LeasedJob)]


def _owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Lease:
    """The claim of one run on one job row."""

    def __init__(self, model: type[LeasedJob], pk, owner: str):
        self.model, self.pk, self.owner = model, pk, owner

    def beat(self, **fields) -> None:
        """A progress point: renews the heartbeat and saves ``fields`` (the progress) with it.
        Raises ``LeaseLost`` when the job is no longer this run's."""
        delay = settings.RENEWAL_JOB_STEP_DELAY
        if delay:
            time.sleep(delay)  # test only: makes a job slow enough to be killed in the middle
        if not self.model.touch(self.pk, self.owner, timezone.now(), **fields):
            raise LeaseLost(f"{self.model._meta.label} {self.pk}")

    def finish(self, status: str, **fields) -> bool:
        """Ends the run (done or failed) if it still holds the lease; False when it lost it."""
        return bool(
            self.model.objects.filter(pk=self.pk, status=RUNNING, lease_owner=self.owner).update(
                status=status, lease_owner="", finished_at=timezone.now(), **fields
            )
        )

    @contextlib.contextmanager
    def keepalive(self):
        """In the worker: renews the heartbeat every quarter lease from a thread while the block
        runs, so that only a dead process (not a long step) lets the lease expire."""
        if not KEEPALIVE:
            yield self
            return
        stop = threading.Event()

        def run() -> None:
            try:
                while not stop.wait(max(lease_seconds() / 4, 0.2)):
                    try:
                        self.model.touch(self.pk, self.owner, timezone.now())
                    except Exception:  # a locked SQLite file: the next beat will do
                        log.warning(
                            "heartbeat of %s %s failed", self.model._meta.label, self.pk, exc_info=True
                        )
            finally:
                connection.close()

        thread = threading.Thread(target=run, name=f"heartbeat-{self.pk}", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(timeout=5)


def lease_claim(model: type[LeasedJob], pk) -> Lease | None:
    """Claims a queued job for this process (进行中, one more attempt). None when the job is not
    queued any more: done, failed by a sweep, or already claimed — then the task does nothing."""
    owner = _owner()
    claimed = model.objects.filter(pk=pk, status=QUEUED).update(
        status=RUNNING, lease_owner=owner, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        log.warning("%s %s is not queued; its task does nothing", model._meta.label, pk)
        return None
    lease = Lease(model, pk, owner)
    model.touch(pk, owner, timezone.now())  # a kind keeping its heartbeat elsewhere starts it now
    return lease


def job_requeue(job: LeasedJob, **fields) -> None:
    """The generic part of 重试: a failed job goes back to 排队中 (its kind's service resets its own
    fields with ``fields`` and enqueues its task with ``job_enqueue``)."""
    model = type(job)
    moved = model.objects.filter(pk=job.pk, status=FAILED).update(
        status=QUEUED, lease_owner="", heartbeat_at=None, finished_at=None, task_id="", **fields
    )
    job.refresh_from_db()
    if not moved:  # the row decides, not the caller's copy (two clicks: the second one is refused)
        raise Invalid("只有失败的任务可以重试（该任务可能已在重试，请刷新页面）")


def job_enqueue(job: LeasedJob, task, *args) -> None:
    """Enqueues ``task(*args)`` once the transaction commits and keeps its task id on the job (the
    sweep fails a job whose task was taken by a worker that died before claiming the job)."""
    model, pk = type(job), job.pk

    def enqueue() -> None:
        result = task.enqueue(*args)
        model.objects.filter(pk=pk).update(task_id=str(result.id)[:64])

    connection = transaction.get_connection()
    if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        # no transaction of the application's own is open (a test's outer one does not count:
        # it never commits, and the job row is already visible to the immediate backend)
        enqueue()
    else:
        transaction.on_commit(enqueue)


def sweep_dead_jobs(now: dt.datetime | None = None) -> list[str]:
    """Fails every running job of every kind whose heartbeat is older than the lease (and every
    queued one whose task a worker took more than a lease ago without claiming the job), with
    ``DEAD_REASON``. Returns a line per job failed (for the worker's log)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=lease_seconds())
    swept: list[str] = []
    for model in job_models():
        stale = model.objects.filter(status=RUNNING).filter(
            models.Q(heartbeat_at__lt=cutoff) | models.Q(heartbeat_at__isnull=True)
        )
        for job in stale:
            beat = job.last_beat()
            if beat is not None and beat >= cutoff:
                continue
            done = model.objects.filter(pk=job.pk, status=RUNNING, lease_owner=job.lease_owner).update(
                status=FAILED, lease_owner="", finished_at=now, **job.failed_fields(DEAD_REASON)
            )
            if done:
                swept.append(f"{job} ({model._meta.label} {job.pk})")
                _task_failed(job.task_id, now)
        for job in model.objects.filter(status=QUEUED).exclude(task_id=""):
            if not _task_taken_before(job.task_id, cutoff):
                continue
            done = model.objects.filter(pk=job.pk, status=QUEUED, task_id=job.task_id).update(
                status=FAILED, finished_at=now, **job.failed_fields(DEAD_REASON)
            )
            if done:
                swept.append(f"{job} ({model._meta.label} {job.pk})")
                _task_failed(job.task_id, now)
    return swept


def _task_results():
    try:
        return apps.get_model("django_tasks_db", "DBTaskResult")
    except LookupError:  # another task backend
        return None


def _task_taken_before(task_id: str, cutoff: dt.datetime) -> bool:
    results = _task_results()
    if results is None:
        return False
    return results.objects.filter(id=_uuid(task_id), started_at__lt=cutoff).exists()


def _task_failed(task_id: str, now: dt.datetime) -> None:
    """The worker that died left its task result "running": it is failed too (the admin's list)."""
    results = _task_results()
    if results is None or not task_id or _uuid(task_id) is None:
        return
    results.objects.filter(id=_uuid(task_id), status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="renewal.lib.jobs.LeaseLost",
        traceback=DEAD_REASON,
    )


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def start_sweeper() -> threading.Thread:
    """The worker's periodic sweep (a daemon thread: it dies with the worker)."""

    def run() -> None:
        while True:
            time.sleep(settings.RENEWAL_JOB_SWEEP_SECONDS)
            try:
                close_old_connections()
                for line in sweep_dead_jobs():
                    log.warning("后台任务心跳超时，已标记失败：%s", line)
            except Exception:  # a locked SQLite file: the next round will do
                log.warning("sweep of dead jobs failed", exc_info=True)

    thread = threading.Thread(target=run, name="job-sweeper", daemon=True)
    thread.start()
    return thread
