import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import services

CITY = Scope(role=Role.CITY_ADMIN)
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")


@pytest.fixture
def run_import(loaded_plan):
    """Import a file as the city (or the given user/scope) and return the report."""

    def run(path, *, dry_run=False, user=None, scope=CITY):
        return services.workbook_import(
            path=path, filename=path.name, user=user, scope=scope, dry_run=dry_run, reason=""
        )

    return run


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


@pytest.fixture
def parks(people, run_import, tmp_path):
    """The parks, members, items and ratings of ``data.ALL`` (imported by the city), the named
    users of ``people``."""
    from tests.exchange import files as F

    from . import data as D

    report = run_import(F.xlsx(tmp_path / "parks.xlsx", D.ALL))
    assert report.committed, lines(report)
    return people
