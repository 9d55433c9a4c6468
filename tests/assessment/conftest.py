import datetime as dt
from decimal import Decimal

import pytest

from renewal.registry.models import MonthlyProgress, Statistic
from tests import factories

USCC_HAINING_2 = "91330481MA2BXXXXX0"


@pytest.fixture
def small_registry(loaded_plan):
    """Two areas with a little progress: 南湖 ahead of 海宁 in equipment investment."""
    nanhu = factories.enterprise(factories.USCC_NANHU, "330402", name="南湖甲机械有限公司")
    haining = factories.enterprise(factories.USCC_HAINING, "330481", name="海宁乙经编有限公司")
    since = dt.date(2024, 1, 1)  # in 在建 since January: counted at every data date of 2024
    p1 = factories.project("P-NH-1", nanhu, provincial_key=True, status="在建", since=since)
    p2 = factories.project("P-HN-1", haining, provincial_key=True, status="在建", since=since)
    for m in (1, 2, 3):
        MonthlyProgress.objects.create(
            project=p1,
            month=dt.date(2024, m, 1),
            investment=Decimal(2_000_000),
            equipment_investment=Decimal(1_000_000),
            robots=2,
        )
    MonthlyProgress.objects.create(
        project=p2,
        month=dt.date(2024, 2, 1),
        investment=Decimal(500_000),
        equipment_investment=Decimal(300_000),
    )
    for area, value in (("330402", 3_000_000_000), ("330481", 1_000_000_000), ("330400", 4_000_000_000)):
        Statistic.objects.create(
            indicator="mfg_investment", area_code=area, period="2024-03", year=2024, month=3, value=value
        )
    return {"nanhu": nanhu, "haining": haining}
