"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points
there (`make test` does both when TEST_POSTGRES_URL is set)."""

from pathlib import Path

import pytest

from renewal.planning import schema
from renewal.planning.services import plan_load

ROOT = Path(__file__).resolve().parent.parent
JIAXING_PLAN = ROOT / "src" / "renewal" / "plans" / "jiaxing-2024.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def jiaxing() -> schema.Plan:
    return schema.read_plan(JIAXING_PLAN)


@pytest.fixture
def loaded_plan(db, jiaxing):
    return plan_load(plan=jiaxing, source_file=str(JIAXING_PLAN))
