"""The records behind a number add up to it, for every registry target, the city and every area."""

import datetime as dt

import pytest

from renewal.indicators import selectors

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(sample):
    ent = f.enterprise("330402")
    p = f.project(ent, status="竣工", energy_saving=40, end_date=dt.date(2024, 3, 2))
    f.progress(p, "2024-03", equipment=5_000_000, robots=3)
    f.honour(ent, "绿色工厂", "省级", 2024)
    f.honour(ent, "未来工厂", "省级", 2024)
    f.first_set(ent, "首台套", "国家级", 2024)
    f.fund(2024, "省级", 80_000_000)
    f.fund(2024, "国家级", 10_000_000, area="330402")
    f.fund(2024, "市级", 70_000_000)
    return sample


def test_every_registry_target_drills_down_to_records_that_sum_to_it(data, jiaxing):
    plan = selectors.active_plan()
    as_of = dt.date(2024, 3, 31)
    result = selectors.indicators(plan, 2024, as_of)
    registry_targets = [t for t in plan.targets if t.source.registry]
    assert len(registry_targets) == 13
    for code in [None] + [a.code for a in plan.areas]:
        query = selectors.Query(2024, as_of, code)
        for t in registry_targets:
            item = next(i for i in result.for_area(code) if i["target_id"] == t.id)
            records = selectors.indicator_records(plan, t.id, query)
            assert records["total"] == pytest.approx(item["actual"]), (t.id, code)


def test_the_drilldown_of_equipment_investment_lists_projects_with_their_sums(data):
    plan = selectors.active_plan()
    records = selectors.indicator_records(
        plan, "T1.equipment", selectors.Query(2024, dt.date(2024, 3, 31), None)
    )
    by_code = {r["code"]: r["value"] for r in records["rows"]}
    assert by_code["EX-001"] == 170_000_000  # 8000 + 9000 万元; April is after as_of
    assert by_code["EX-002"] == 180_000_000
    assert all(r["url"].startswith("/admin/registry/project/") for r in records["rows"])
