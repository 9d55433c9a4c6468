import datetime as dt

import pytest

from renewal.indicators import selectors

from .sample import load_sample


@pytest.fixture
def sample(loaded_plan):
    load_sample()
    return loaded_plan


@pytest.fixture
def compute(loaded_plan):
    """compute(year, as_of) → the engine's result on the test database."""

    def run(year: int = 2024, as_of: str = "2024-03-31"):
        return selectors.indicators(selectors.active_plan(), year, dt.date.fromisoformat(as_of))

    return run


def city(result, target_id: str) -> dict:
    return next(i for i in result.for_area(None) if i["target_id"] == target_id)


def area(result, code: str, target_id: str) -> dict:
    return next(i for i in result.for_area(code) if i["target_id"] == target_id)


@pytest.fixture
def client(client, db):
    """Signed in as the city's read-only viewer (the API needs a token or a session)."""
    from renewal.accounts.models import Role
    from tests.factories import user

    client.force_login(user("viewer-test", Role.VIEWER))
    return client
