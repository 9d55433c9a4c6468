"""The data version and the answers cached under it (docs/decisions/0025-data-version-cache.md):
every write path raises the version, and the next answer is the new one, never a stale one.

These tests run with real commits (``transaction=True``): answers are cached only outside a
transaction, as in production, where every request runs in autocommit."""

from __future__ import annotations

import json
import socket

import pytest
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from renewal.accounts.tokens import token_create
from renewal.indicators import answers, display, selectors
from renewal.indicators.api import IndicatorsOut
from renewal.indicators.models import DataVersion
from renewal.planning.services import plan_load
from renewal.registry import services as registry
from renewal.registry.models import Project, Statistic
from tests.conftest import JIAXING_PLAN
from tests.exchange import files as F
from tests.exchange.conftest import CITY

pytestmark = pytest.mark.django_db(transaction=True)

ASKED = {"year": 2024, "as_of": "2024-03-31"}


def api(client, user, **params):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    return client.get("/api/v1/indicators", ASKED | params, headers=headers)


def fresh(**params) -> dict:
    """The answer computed now from the database, without any cache."""
    plan = selectors.active_plan()
    query = selectors.parse_query(plan, **(ASKED | params))
    answer = display.answer_display(selectors.indicators_answer(plan, query)) | {"data_version": 0}
    data = json.loads(json.dumps(IndicatorsOut.model_validate(answer).model_dump()))
    data.pop("data_version")
    return data


def figure(answer: dict, target_id: str):
    return next(i["actual"] for i in answer["items"] if i["target_id"] == target_id)


@pytest.fixture
def world(sample, people):
    return people


def check_next_answer(client, user, write, target_id: str):
    """The answer before ``write`` (now cached), then the next one: a higher version, the figure
    moved, and the answer is exactly the one computed afresh."""
    before = api(client, user).json()
    assert api(client, user).json() == before  # the second one comes from the cache
    write()
    after = api(client, user).json()
    assert after["data_version"] > before["data_version"]
    assert figure(after, target_id) != figure(before, target_id)
    version = after.pop("data_version")
    assert after == fresh()
    return version


def test_the_answer_carries_the_data_version_and_keeps_every_field(world, client):
    response = api(client, world["viewer"])
    data = response.json()
    assert data["data_version"] == answers.data_version() > 0
    assert isinstance(data["data_version"], int)
    data.pop("data_version")
    assert data == fresh()
    assert response["ETag"] and response["Cache-Control"] == "private, no-cache"


def test_an_unchanged_answer_is_a_304_for_its_etag_and_a_write_changes_the_etag(world, client):
    user = world["viewer"]
    first = api(client, user)
    tag = first["ETag"]
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}", "If-None-Match": tag}
    cached = client.get("/api/v1/indicators", ASKED, headers=headers)
    assert cached.status_code == 304 and cached.content == b"" and cached["ETag"] == tag
    Project.objects.filter(code="NH-1").update(total_investment=123_456_789)
    changed = client.get("/api/v1/indicators", ASKED, headers=headers)
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_a_write_by_a_service_changes_the_next_answer(world, client):
    p = Project.objects.filter(is_deleted=False, status="在建").order_by("code").first()
    check_next_answer(
        client,
        world["viewer"],
        lambda: registry.record_delete(user=world["city_admin"], obj=p, reason="测试"),
        "T1.projects",
    )


def test_a_write_by_a_page_changes_the_next_answer(world, client):
    p = Project.objects.filter(is_deleted=False, status="在建").order_by("code").first()

    def write():
        client.force_login(world["city_admin"])
        response = client.post(reverse("registry:project_delete", args=[p.code]), {"reason": "测试"})
        assert response.status_code == 302
        client.logout()

    check_next_answer(client, world["viewer"], write, "T1.projects")


def test_a_write_through_the_api_changes_the_next_answer(world, client):
    admin = world["city_admin"]
    p = Project.objects.get(code="NH-1")

    def write():
        headers = {"Authorization": f"Bearer {token_create(user=admin)[1]}"}
        body = {"version": p.version, "new_robots": 40}
        response = client.patch(
            "/api/v1/projects/NH-1", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200, response.content

    before = api(client, world["viewer"]).json()
    write()
    after = api(client, world["viewer"]).json()
    assert after["data_version"] > before["data_version"]
    after.pop("data_version")
    assert after == fresh()


def test_a_write_by_the_import_changes_the_next_answer(people, client, tmp_path):
    from renewal.exchange import services as exchange

    def write():
        path = F.legacy_sample(tmp_path / "registry-sample.xlsx")
        report = exchange.workbook_import(
            path=path, filename=path.name, user=None, scope=CITY, dry_run=False, reason=""
        )
        assert report.committed

    check_next_answer(client, people["viewer"], write, "T1.projects")


def test_a_write_by_the_worker_task_changes_the_next_answer(people, client, tmp_path):
    world = people
    from renewal.exchange.models import ImportJob

    def write():
        client.force_login(world["city_admin"])
        data = F.legacy_sample(tmp_path / "registry-sample.xlsx").read_bytes()
        client.post(reverse("exchange:upload"), {"file": SimpleUploadedFile("registry-sample.xlsx", data)})
        job = ImportJob.objects.get()
        client.post(reverse("exchange:job_commit", args=[job.id]))
        job.refresh_from_db()
        assert job.committed and job.background  # run by the (immediate) worker's task
        client.logout()

    check_next_answer(client, world["viewer"], write, "T1.projects")


def test_loading_the_plan_again_with_another_target_changes_the_next_answer(world, client, jiaxing):
    before = api(client, world["viewer"]).json()
    target = next(t for t in jiaxing.targets if t.id == "T1.projects")
    changed = target.model_copy(update={"value": target.value * 2})
    plan = jiaxing.model_copy(update={"targets": [changed if t is target else t for t in jiaxing.targets]})
    plan_load(plan=plan, source_file=str(JIAXING_PLAN))
    after = api(client, world["viewer"]).json()
    assert after["data_version"] > before["data_version"]
    t = lambda a: next(i["target"] for i in a["items"] if i["target_id"] == "T1.projects")  # noqa: E731
    assert t(after) == 2 * t(before)
    after.pop("data_version")
    assert after == fresh()


def test_statistics_and_bulk_sql_and_suspended_triggers_raise_the_version(world):
    from renewal.indicators import services

    v = answers.data_version()
    s = Statistic.objects.first()
    if s is not None:
        Statistic.objects.filter(pk=s.pk).update(value=s.value + 1)
        assert answers.data_version() > v
        v = answers.data_version()
    with connection.cursor() as c:
        c.execute("UPDATE registry_project SET energy_saving = energy_saving + 1")
    assert answers.data_version() > v
    v = answers.data_version()
    if connection.vendor == "sqlite":
        with transaction.atomic():
            restore = services.rollups_suspend()
            Project.all_objects.filter(code="NH-1").update(new_robots=7)
            restore()
        assert answers.data_version() > v


def test_one_row_per_year_is_bumped(world):
    versions = dict(DataVersion.objects.values_list("year", "version"))
    Project.objects.filter(code="NH-1").update(new_robots=99)
    after = dict(DataVersion.objects.values_list("year", "version"))
    assert after[2024] > versions.get(2024, 0)
    assert {y: v for y, v in after.items() if y != 2024} == {y: v for y, v in versions.items() if y != 2024}


def test_inside_a_transaction_the_answer_is_computed_afresh(world, client):
    api(client, world["viewer"])  # cached
    with transaction.atomic():
        Project.objects.filter(code="NH-1").update(total_investment=2_000_000_000)
        assert not answers.cacheable()
        inside = answers.once("indicators-api", ("x",), lambda: "fresh")
        assert inside == "fresh"
        transaction.set_rollback(True)
    assert cache.get(answers.key("indicators-api", answers.data_version(), "x")) is None


def test_the_cockpit_and_the_matrix_show_a_write_at_once(world, client):
    client.force_login(world["viewer"])
    url = reverse("indicators:cockpit") + "?year=2024&as_of=2024-03-31"
    matrix = reverse("indicators:matrix") + "?year=2024&as_of=2024-03-31"

    def t1(response):
        items = [i for g in response.context["groups"] for i in g["items"]]
        return next(i["actual"] for i in items if i["target_id"] == "T1.projects")

    def t1_areas(response):
        k = [t["target_id"] for t in response.context["targets"]].index("T1.projects")
        return [r["cells"][k]["actual"] for r in response.context["rows"]]

    first, first_matrix = client.get(url), client.get(matrix)
    again = client.get(url)
    assert again.status_code == 200 and t1(again) == t1(first) == 2
    assert again.context["equipment"] is not None or "equipment" in again.context  # still per request
    Project.objects.filter(is_deleted=False).update(is_deleted=True)
    assert t1(client.get(url)) == 0
    assert sum(t1_areas(first_matrix)) == 2 and sum(t1_areas(client.get(matrix))) == 0


def test_the_ranking_and_the_public_lists_are_computed_once_per_version(world, monkeypatch):
    import datetime as dt

    from renewal.assessment import selectors as assessment
    from renewal.mujun import results

    calls = []
    for module, name in ((assessment, "assessment"), (results, "public_lists")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, _real=real, _n=name, **k: calls.append(_n) or _real(*a, **k)
        )
    day = dt.date(2024, 3, 31)
    first = assessment.assessment_once(2024, day)
    assert assessment.assessment_once(2024, day) == first
    assert results.public_lists_once(year=2024) == results.public_lists_once(year=2024)
    assert calls == ["assessment", "public_lists"]
    Project.objects.filter(code="NH-1").update(new_robots=5)
    assessment.assessment_once(2024, day)
    results.public_lists_once(year=2024)
    assert calls == ["assessment", "public_lists"] * 2


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/15", "db://renewal_cache_test"])
def test_a_shared_cache_backend_serves_the_new_answer_after_a_write(world, client, settings, url):
    from renewal.settings import cache_from_url

    if url.startswith("redis"):
        if not redis_up():
            pytest.skip("no Redis server answers at 127.0.0.1:6379")
        pytest.importorskip("redis")
    with override_settings(CACHES={"default": cache_from_url(url)}):
        if url.startswith("db"):
            call_command("createcachetable")
        caches["default"].clear()
        before = api(client, world["viewer"]).json()
        assert api(client, world["viewer"]).json() == before
        Project.objects.filter(is_deleted=False).update(is_deleted=True)
        after = api(client, world["viewer"]).json()
        assert after["data_version"] > before["data_version"]
        assert figure(after, "T1.projects") != figure(before, "T1.projects")
        caches["default"].clear()


def test_the_dummy_cache_answers_the_same(world, client):
    from renewal.settings import cache_from_url

    cached = api(client, world["viewer"]).json()
    with override_settings(CACHES={"default": cache_from_url("dummy://")}):
        assert api(client, world["viewer"]).json() == cached


def test_the_triggers_are_taken_down_and_put_back_with_the_debug_cursor(world):
    """``renewal migrate`` under DEBUG logs every query through the debug cursor, which formats the
    SQL with its parameters: the triggers' own queries must use the driver-neutral placeholder."""
    from renewal.indicators import dataversion_sql

    connection.force_debug_cursor = True
    try:
        drops = dataversion_sql.uninstall(connection)
    finally:
        connection.force_debug_cursor = False
    assert drops and all(d.startswith("DROP TRIGGER IF EXISTS indicators_dv_") for d in drops)
