"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points
there (`make test` does both when TEST_POSTGRES_URL is set)."""

from pathlib import Path

import pytest

from renewal.planning import schema
from renewal.planning.services import plan_load

ROOT = Path(__file__).resolve().parent.parent
JIAXING_PLAN = ROOT / "src" / "renewal" / "plans" / "jiaxing-2024.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run on the spot in tests; production queues them in the database for `renewal
    db_worker` (settings.TASKS, chosen by TASKS_BACKEND)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty default cache (e.g. the failed-token counts per address)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def no_published_forecast_errors(monkeypatch):
    """Figures in tests do not depend on the errors bench/forecast.py last published (which hide
    a forecast above 25 %); tests of the publication set their own table."""
    from renewal.indicators import selectors

    monkeypatch.setattr(selectors, "forecast_errors", lambda: {})


@pytest.fixture(scope="session")
def jiaxing() -> schema.Plan:
    return schema.read_plan(JIAXING_PLAN)


@pytest.fixture
def loaded_plan(db, jiaxing):
    return plan_load(plan=jiaxing, source_file=str(JIAXING_PLAN))


@pytest.fixture
def fast_passwords(settings):
    """Tests that create many users hash with MD5 (Argon2 is deliberately slow)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(loaded_plan, fast_passwords):
    """Named users (factories.named_users) and one enterprise + project in 南湖 and in 海宁:
    ``NH-1`` (南湖, the enterprise user's own) and ``HN-1`` (海宁)."""
    from tests.factories import USCC_HAINING, USCC_NANHU, enterprise, named_users, project

    users = named_users()
    nanhu = enterprise(USCC_NANHU, "330402", name="南湖测试机械有限公司")
    haining = enterprise(USCC_HAINING, "330481", name="海宁测试经编有限公司")
    users["NH"] = project("NH-1", nanhu)
    users["HN"] = project("HN-1", haining)
    return users


@pytest.fixture
def admin_staff(client, people):
    """The city administrator signed in to the admin (staff and superuser)."""
    user = people["city_admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return user
