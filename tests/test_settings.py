"""settings.py reads the environment: yes/no values it knows, the task backend by setting."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from renewal import settings as module

SETTINGS_FILE = Path(module.__file__)


def load_settings(monkeypatch, **environ) -> dict:
    """The settings module evaluated afresh with these environment variables."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("off", False),
    ],
)
def test_envbool_reads_the_known_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("RENEWAL_SOME_FLAG", value)
    assert module.envbool("RENEWAL_SOME_FLAG", not expected) is expected


def test_envbool_gives_the_default_when_the_variable_is_unset_or_empty(monkeypatch):
    monkeypatch.delenv("RENEWAL_SOME_FLAG", raising=False)
    assert module.envbool("RENEWAL_SOME_FLAG", True) is True
    monkeypatch.setenv("RENEWAL_SOME_FLAG", "")
    assert module.envbool("RENEWAL_SOME_FLAG", False) is False


def test_envbool_rejects_an_unknown_value_naming_the_variable_and_the_accepted_ones(monkeypatch):
    monkeypatch.setenv("RENEWAL_SOME_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured) as err:
        module.envbool("RENEWAL_SOME_FLAG", True)
    assert "RENEWAL_SOME_FLAG='flase'" in str(err.value)
    assert "1, true, yes, on, 0, false, no, off" in str(err.value)


def test_a_typo_in_debug_stops_the_settings_from_loading(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        load_settings(monkeypatch, DEBUG="ture")


def test_the_task_backend_is_the_database_queue_by_default_even_under_pytest(monkeypatch):
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    assert load_settings(monkeypatch)["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_tasks_backend_selects_another_backend(monkeypatch):
    backend = "django_tasks.backends.dummy.DummyBackend"
    assert load_settings(monkeypatch, TASKS_BACKEND=backend)["TASKS"]["default"]["BACKEND"] == backend


def test_the_test_suite_runs_tasks_on_the_spot():
    assert django_settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
