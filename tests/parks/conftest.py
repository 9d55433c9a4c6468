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
