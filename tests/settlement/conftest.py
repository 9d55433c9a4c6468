import datetime as dt
from decimal import Decimal

import pytest

from renewal.registry.models import Enterprise, Project


@pytest.fixture
def enterprise(loaded_plan):
    return Enterprise.objects.create(
        uscc="913304007429141869", name="嘉兴某机械有限公司", area_id="330402", industry_code="34"
    )


def make_project(enterprise, code="P-2024-001", **kw) -> Project:
    fields = dict(
        code=code,
        name="数控产线更新",
        enterprise=enterprise,
        area_id=enterprise.area_id,
        year=2024,
        types="技术改造",
        provincial_key=True,
        total_investment=Decimal(60_000_000),
        equipment_investment=Decimal(40_000_000),
        first_set_purchase=Decimal(4_000_000),
        end_date=dt.date(2024, 8, 1),
        status="验收通过",
    )
    fields.update(kw)
    return Project.objects.create(**fields)


@pytest.fixture
def project(enterprise):
    return make_project(enterprise)
