import datetime as dt
from decimal import Decimal

import pytest

from renewal.equipment.models import EquipmentLine
from renewal.registry.models import Enterprise, Project

# The equipment lines (设备清单) of ``make_project``'s project: 4 machining centres of 900万 (36M,
# above the 500万 expensing limit per unit) and one 省级 first-set grinder of 400万 (4M, expensable):
# P11 counts 36M + 4M × 150 % = 42M.
LINES = (
    {
        "name": "五轴立式加工中心",
        "category": "数控机床",
        "unit_price": Decimal(9_000_000),
        "quantity": 4,
        "acquired_on": dt.date(2024, 6, 10),
    },
    {
        "name": "精密数控磨床",
        "category": "数控机床",
        "unit_price": Decimal(4_000_000),
        "quantity": 1,
        "first_set_level": "省级",
        "first_set_product": "精密数控磨床",
        "acquired_on": dt.date(2024, 6, 20),
    },
)


@pytest.fixture
def enterprise(loaded_plan):
    return Enterprise.objects.create(
        uscc="913304007429141869", name="嘉兴某机械有限公司", area_id="330402", industry_code="34"
    )


def add_line(project: Project, number: int, **kw) -> EquipmentLine:
    """One valid line (``full_clean``: a purchase states its price, quantity and date): a domestic
    purchase of machinery unless ``kw`` says otherwise."""
    fields = {"name": f"设备{number}", "category": "通用设备", "acquisition": "购置", "origin": "国产"}
    line = EquipmentLine(project=project, number=number, **(fields | kw))
    line.full_clean()
    line.save()
    return line


def make_project(enterprise, code="P-2024-001", lines=LINES, **kw) -> Project:
    """An accepted 2024 project of ``enterprise`` with equipment ``lines`` (numbered 1, 2, …)."""
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
    project = Project.objects.create(**fields)
    for number, line in enumerate(lines, start=1):
        add_line(project, number, **line)
    return project


@pytest.fixture
def project(enterprise):
    return make_project(enterprise)
