"""Leases of background jobs (renewal.lib.jobs), in this process: the sweep, a lost lease, 重试 and
its buttons. The same with real worker processes killed: test_jobs_kill.py."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.exchange import services as imports
from renewal.exchange.models import ImportJob
from renewal.lib import jobs
from renewal.lib.errors import Invalid
from renewal.reports.models import Bulletin
from renewal.settlement import services as settlement
from renewal.settlement.models import DecisionRecord, SettlementRun
from tests import factories
from tests.settlement.conftest import enterprise, make_project  # noqa: F401  (shared fixture)

pytestmark = pytest.mark.django_db
DATE = dt.date(2024, 10, 8)
EACH = Decimal(5_460_000)  # make_project's subsidy (tests/settlement/test_decision_records.py)


def later(seconds: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def running_run(**fields) -> tuple[SettlementRun, jobs.Lease]:
    run = SettlementRun.objects.create(year=2024, decided_on=DATE, **fields)
    return run, jobs.lease_claim(SettlementRun, run.pk)


def test_the_sweep_fails_a_job_whose_heartbeat_is_older_than_the_lease(settings):
    settings.RENEWAL_JOB_LEASE_SECONDS = 60
    dead, _ = running_run()
    alive, _ = running_run()
    SettlementRun.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=61))
    SettlementRun.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=50))
    assert len(jobs.sweep_dead_jobs()) == 1
    dead.refresh_from_db(), alive.refresh_from_db()
    assert dead.status == "failed" and dead.retryable and dead.finished_at is not None
    assert (
        dead.message
        == "批量核定中断：后台任务进程中断（心跳超时），可重试（已核定的项目重试时跳过，不重复核定）"
    )
    assert alive.status == "running" and not alive.retryable


def test_a_run_that_lost_its_lease_stops_at_its_next_beat():
    run, lease = running_run()
    lease.beat(done=1)
    jobs.sweep_dead_jobs(now=later(120))
    with pytest.raises(jobs.LeaseLost):
        lease.beat(done=2)
    assert not lease.finish("done")
    run.refresh_from_db()
    assert (run.status, run.done) == ("failed", 1)


def test_a_task_finds_its_job_not_queued_and_does_nothing():
    run, _ = running_run()
    assert jobs.lease_claim(SettlementRun, run.pk) is None  # already claimed
    assert settlement.settlement_run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == "running" and run.attempts == 1


def test_only_a_failed_job_is_retried():
    run, _ = running_run()
    with pytest.raises(Invalid, match="只有失败的任务可以重试"):
        settlement.settlement_run_retry(run=run)


def test_an_imports_heartbeat_is_its_file_next_to_the_upload(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RENEWAL_JOB_LEASE_SECONDS = 60
    upload = SimpleUploadedFile("企业.csv", "统一社会信用代码\n".encode())
    job = imports.import_job_create(user=people["city_admin"], upload=upload)
    lease = jobs.lease_claim(ImportJob, job.id)
    beat = json.loads((imports.job_dir(job.id) / "lease.json").read_text())
    assert beat["owner"] == lease.owner
    # the row's heartbeat is old (the import's transaction hides newer ones), the file's is fresh
    ImportJob.objects.filter(id=job.id).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=300))
    assert jobs.sweep_dead_jobs() == []
    lease.beat()
    assert jobs.sweep_dead_jobs(now=later(59)) == []
    assert len(jobs.sweep_dead_jobs(now=later(61))) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.report["fatal"] == jobs.DEAD_REASON
    with pytest.raises(jobs.LeaseLost):
        lease.beat()


def test_an_interrupted_settlement_counts_what_it_committed_and_its_retry_settles_the_rest(
    enterprise,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    for i in range(5):
        make_project(enterprise, code=f"R-{i}")
    run = SettlementRun.objects.create(year=2024, decided_on=DATE, total=5)
    real = jobs.Lease.beat

    def dies_at_the_third_project(self, **fields):
        if fields.get("done") == 3:
            raise KeyboardInterrupt  # the process dies with the third record written, uncommitted
        real(self, **fields)

    monkeypatch.setattr(jobs.Lease, "beat", dies_at_the_third_project)
    with pytest.raises(KeyboardInterrupt):
        settlement.settlement_run_execute(run_id=run.pk)
    monkeypatch.setattr(jobs.Lease, "beat", real)
    run.refresh_from_db()
    assert run.status == "running" and DecisionRecord.objects.filter(run=run).count() == 2
    assert (run.done, run.created, run.subsidy_total) == (2, 2, 2 * EACH)

    print(
        "SWEPT",
        jobs.sweep_dead_jobs(now=later(120)),
        SettlementRun.objects.values("status", "heartbeat_at", "lease_owner"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        settlement.settlement_run_retry(run=run)
    run.refresh_from_db()
    assert run.status == "done" and run.attempts == 2
    assert (run.done, run.created, run.unchanged, run.subsidy_total) == (5, 5, 0, 5 * EACH)
    assert DecisionRecord.objects.count() == DecisionRecord.objects.filter(version=1, run=run).count() == 5


# ---- the buttons -------------------------------------------------------------------------------


def test_a_failed_import_offers_retry_on_its_page_and_runs_again(people, client, settings, tmp_path):
    from tests.exchange import files as F

    settings.MEDIA_ROOT = tmp_path
    path = F.csv_file(tmp_path / "企业.csv", "企业", [F.ENTERPRISE_A], "utf-8")
    job = imports.import_job_create(
        user=people["city_admin"], upload=SimpleUploadedFile("企业.csv", path.read_bytes())
    )
    jobs.lease_claim(ImportJob, job.id)
    jobs.sweep_dead_jobs(now=later(120))
    client.force_login(people["city_admin"])
    page = client.get(reverse("exchange:job", args=[job.id])).content.decode()
    assert jobs.DEAD_REASON in page and "重试" in page
    response = client.post(reverse("exchange:job_retry", args=[job.id]))
    assert response.status_code == 302
    job.refresh_from_db()  # a small file: the preview ran in the request
    assert job.status == "done" and job.report["sheets"][0]["new"] == 1 and not job.committed
    again = client.post(reverse("exchange:job_retry", args=[job.id]))
    assert again.status_code == 400 and "只有失败的任务可以重试" in again.content.decode()


def test_a_failed_bulletin_offers_retry_to_the_city_administrator(
    people, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.RENEWAL_BULLETIN_PDF = False
    b = Bulletin.objects.create(month="2024-03")
    jobs.lease_claim(Bulletin, b.pk)
    jobs.sweep_dead_jobs(now=later(120))
    retry = reverse("reports:bulletin_retry", args=[b.pk])
    client.force_login(people["viewer"])
    assert retry not in client.get(reverse("reports:bulletins")).content.decode()
    client.force_login(people["city_admin"])
    page = client.get(reverse("reports:bulletins")).content.decode()
    assert jobs.DEAD_REASON in page and retry in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:bulletin_retry", args=[b.pk]))
    b.refresh_from_db()
    assert b.status == "done" and b.error == "" and "月度通报-2024-03.docx" in b.files


def test_a_failed_settlement_run_offers_retry_on_the_settlement_page(
    client,
    enterprise,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    make_project(enterprise, code="S-1")
    run, _ = running_run(total=1)
    jobs.sweep_dead_jobs(now=later(120))
    client.force_login(factories.user("city-admin", Role.CITY_ADMIN))
    page = client.get(reverse("settlement:home")).content.decode()
    assert reverse("settlement:run_retry", args=[run.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("settlement:run_retry", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.subsidy_total) == ("done", 1, EACH)
