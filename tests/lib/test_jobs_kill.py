"""Jobs never hang (issue 20, part 2): a real `renewal db_worker` is killed with SIGKILL in the
middle of an import, a bulletin and a batch settlement; a new worker fails the job with the Chinese
reason, 重试 finishes it, and the outcome equals an uninterrupted run.

The worker processes need to see the test's data: the tests are transactional, and on SQLite the
(in-memory) test database is copied to a file for the test (``worker_db``). Run only these with
``pytest -m worker_kill``."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from stdnum.cn import uscc as stdnum_uscc

from renewal.exchange import services as imports
from renewal.exchange.models import ImportJob
from renewal.lib import jobs
from renewal.registry.models import Enterprise
from renewal.reports import bulletin as writer
from renewal.reports import services as reports
from renewal.reports.models import Bulletin
from renewal.settlement import services as settlement
from renewal.settlement.models import DecisionRecord, SettlementRun
from tests.assessment.conftest import small_registry  # noqa: F401  (shared fixture)
from tests.settlement.conftest import enterprise, make_project  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.worker_kill, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEASE = 2  # seconds, in the workers: a dead worker's job is failed 2-3 s after its last beat
WAIT = 60  # seconds: the bound of every wait (a loaded machine starts Django slowly)


def wait_for(what: str, check, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


@pytest.fixture
def worker_db(transactional_db, settings, tmp_path):
    """The database URL the worker processes use: the test database itself on PostgreSQL, a file
    copy of the in-memory SQLite test database (which this test then uses too) on SQLite."""
    settings.TASKS = DB_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    conn = connections["default"]
    s = conn.settings_dict
    if conn.vendor != "sqlite":
        login = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        yield f"postgres://{login}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    path = tmp_path / "worker.sqlite3"
    conn.ensure_connection()
    target = sqlite3.connect(path)
    conn.connection.backup(target)
    target.close()
    copy = type(conn)({**s, "NAME": str(path)}, "default")
    connections["default"] = copy
    try:
        yield f"sqlite:///{path}"
    finally:
        copy.close()
        connections["default"] = conn


@pytest.fixture
def workers(worker_db, tmp_path):
    """Starts `renewal db_worker` processes (``start(delay)``: seconds each progress point waits)
    and kills whatever is left at the end."""
    started: list[subprocess.Popen] = []

    def start(delay: float = 0.0) -> subprocess.Popen:
        env = os.environ | {
            "DATABASE_URL": worker_db,
            "RENEWAL_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "renewal.settings",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "RENEWAL_JOB_LEASE_SECONDS": str(LEASE),
            "RENEWAL_JOB_SWEEP_SECONDS": "1",
            "RENEWAL_JOB_STEP_DELAY": str(delay),
            "RENEWAL_BULLETIN_PDF": "0",
        }
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        command = [sys.executable, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay"]
        process = subprocess.Popen(
            [*command, "--interval", "0.2", "--queue-name", "*"], env=env, stdout=log, stderr=log
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def refreshed(obj):
    obj.refresh_from_db()
    return obj


# ---- import ------------------------------------------------------------------------------------

ROWS = 4_500  # three batches of the importer (2,000 rows each): three progress points


def enterprise_rows() -> list[list]:
    rows = []
    for i in range(ROWS):
        body = f"91330402MA{i:07d}"
        rows.append(
            [
                body + stdnum_uscc.calc_check_digit(body),
                f"测试企业{i}",
                "南湖区",
                "34",
                "是",
                10,
                50,
                "否",
                "否",
                "否",
            ]
        )
    return rows


def test_a_killed_import_writes_nothing_fails_and_its_retry_imports_every_row(
    workers, people, tmp_path, monkeypatch
):
    from tests.exchange.files import csv_file

    path = csv_file(tmp_path / "企业.csv", "企业", enterprise_rows(), "utf-8")
    upload = SimpleUploadedFile("企业.csv", path.read_bytes())
    job = imports.import_job_create(user=people["city_admin"], upload=upload)
    job.status = ImportJob.Status.QUEUED
    job.save()
    imports.import_job_run(job_id=job.id, commit=False)  # the preview, here (no delay)
    assert refreshed(job).report["sheets"][0]["new"] == ROWS
    before = Enterprise.objects.count()
    imports.import_job_start(job=job, commit=True)

    first = workers(delay=1.0)
    wait_for("the import's first batch", lambda: imports.progress_read(job.id)["done"] >= 2000)
    assert refreshed(job).status == ImportJob.Status.RUNNING
    kill(first)
    assert refreshed(job).status == ImportJob.Status.RUNNING  # what the issue saw: running forever
    assert Enterprise.objects.count() == before  # one transaction: the killed import wrote nothing

    workers()
    wait_for("the dead import to fail", lambda: refreshed(job).status == ImportJob.Status.FAILED)
    assert job.report["fatal"] == jobs.DEAD_REASON == "后台任务进程中断（心跳超时），可重试"
    assert job.retryable and not job.committed and job.attempts == 2  # the preview, the killed commit

    imports.import_job_retry(job=job)
    wait_for("the retried import", lambda: refreshed(job).status == ImportJob.Status.DONE)
    # as an uninterrupted import of the file: every row new, written once
    assert job.committed and job.report["sheets"][0]["new"] == ROWS and job.attempts == 3
    assert Enterprise.objects.count() == before + ROWS
    last = Enterprise.objects.get(uscc=enterprise_rows()[-1][0])
    assert (last.name, last.area_id, last.employees) == (f"测试企业{ROWS - 1}", "330402", 50)


# ---- bulletin ----------------------------------------------------------------------------------


def test_a_killed_bulletin_fails_and_its_retry_writes_the_same_files(workers, small_registry, tmp_path):  # noqa: F811
    b = reports.bulletin_request(month="2024-03")
    first = workers(delay=1.0)
    wait_for("the bulletin's second step", lambda: refreshed(b).progress == "绘制图表")
    kill(first)
    assert refreshed(b).status == Bulletin.Status.RUNNING

    workers()
    wait_for("the dead bulletin to fail", lambda: refreshed(b).status == Bulletin.Status.FAILED)
    assert b.error == jobs.DEAD_REASON and b.files == []

    reports.bulletin_retry(bulletin=b)
    wait_for("the retried bulletin", lambda: refreshed(b).status == Bulletin.Status.DONE, timeout=90)
    # as an uninterrupted generation of the same month (in this process)
    direct = writer.generate("2024-03", tmp_path / "direct", pdf=False)
    assert sorted(b.files) == sorted(p.name for p in direct)
    annex = "月度通报-2024-03-附件.xlsx"

    def cells(path: Path) -> dict:
        book = openpyxl.load_workbook(path, read_only=True)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}

    assert cells(Path(b.directory) / annex) == cells(tmp_path / "direct" / annex)


# ---- settlement --------------------------------------------------------------------------------

PROJECTS = 10
# make_project's lines: 36M + 4M × 150 % = 42M counted; 10,920,000 for two projects
# (tests/settlement/test_decision_records.py), 5,460,000 each
EACH = Decimal(5_460_000)


def test_a_killed_settlement_counts_what_it_committed_and_its_retry_never_writes_twice(
    workers,
    enterprise,  # noqa: F811
):
    for i in range(PROJECTS):
        make_project(enterprise, code=f"K-{i:02d}")
    run = settlement.settlement_run_start(year=2024, date=dt.date(2024, 10, 8))
    first = workers(delay=0.5)
    wait_for("three settled projects", lambda: refreshed(run).done >= 3)
    kill(first)
    run.refresh_from_db()
    records = DecisionRecord.objects.filter(run=run).count()
    # the 72 committed against a progress of 50: here the progress is the committed records
    assert run.status == SettlementRun.Status.RUNNING and 3 <= records < PROJECTS
    assert run.done == run.created == records and run.subsidy_total == records * EACH

    workers()
    wait_for("the dead run to fail", lambda: refreshed(run).status == SettlementRun.Status.FAILED)
    assert jobs.DEAD_REASON in run.message

    settlement.settlement_run_retry(run=run)
    wait_for("the retried run", lambda: refreshed(run).status == SettlementRun.Status.DONE)
    # as an uninterrupted run: every project settled once, version 1, by this run
    assert (run.total, run.done, run.created, run.unchanged) == (PROJECTS, PROJECTS, PROJECTS, 0)
    assert run.subsidy_total == PROJECTS * EACH == Decimal(54_600_000)
    assert (
        DecisionRecord.objects.count()
        == DecisionRecord.objects.filter(run=run, version=1).count()
        == PROJECTS
    )
    assert run.message == f"共核定{PROJECTS}个项目，新增版本{PROJECTS}个，结果未变0个"
