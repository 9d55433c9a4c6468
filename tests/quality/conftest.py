import datetime as dt
from decimal import Decimal

import pytest

from renewal.registry.models import MonthlyProgress

MONTHS = [dt.date(2024, m, 1) for m in range(1, 13)]
WAN = Decimal(10_000)


def progress(project, month: dt.date, investment_wan, equipment_wan=0, robots=0):
    """A row written as data already there (before the checks): no service, no check."""
    return MonthlyProgress.objects.create(
        project=project,
        month=month,
        investment=Decimal(investment_wan) * WAN,
        equipment_investment=Decimal(equipment_wan) * WAN,
        robots=robots,
    )


@pytest.fixture
def series(people):
    """NH-1 (南湖, 总投资 1,000万元): January–April at 10, 12, 11, 13 万元."""
    for month, v in zip(MONTHS, (10, 12, 11, 13), strict=False):
        progress(people["NH"], month, v)
    return people
