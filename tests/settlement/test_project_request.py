"""A registry project becomes a calculation request in one place (``selectors.project_request``),
each of its equipment lines (设备清单) one item: the settlement of one project and the simulation's
columns of a year read it the same way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renewal.equipment.models import EquipmentLine
from renewal.equipment.policy import line_item
from renewal.policy.batch import calculate_batch
from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate
from renewal.registry.models import Enterprise, Project
from renewal.settlement import selectors

from .conftest import add_line, make_project

pytestmark = pytest.mark.django_db
DATE = dt.date(2024, 12, 31)


@pytest.fixture
def projects(enterprise):
    high_tech = Enterprise.objects.create(
        uscc="91330400MA2BXXXX1L",
        name="嘉兴某电子有限公司",
        area_id="330411",
        industry_code="39",
        high_tech=True,
    )
    second = make_project(
        high_tech,
        code="P-2024-002",
        provincial_key=False,
        types="设备更新",
        total_investment=Decimal("12345678.91"),
        lines=[
            {  # 国家级 first set, a price in fen
                "name": "晶圆检测设备",
                "category": "检测检验设备",
                "unit_price": Decimal("10000000.01"),
                "quantity": 1,
                "first_set_level": "国家级",
                "acquired_on": dt.date(2024, 3, 1),
                "depreciation_class": "电子设备",
            },
            {
                "name": "洁净厂房空调",
                "category": "通用设备",
                "acquisition": "租赁",
                "lease_fee": Decimal("250000.5"),
            },
            {  # 市级 first set: no bonus
                "name": "污水处理站",
                "category": "环境保护专用设备",
                "unit_price": Decimal(1_200_000),
                "quantity": 2,
                "first_set_level": "市级",
                "acquired_on": dt.date(2024, 4, 2),
            },
        ],
    )
    third = make_project(enterprise, code="P-2024-003", status="已兑现", lines=())
    # created out of order, numbered with gaps: the request follows 序号
    add_line(
        third,
        7,
        name="叉车",
        unit_price=Decimal(180_000),
        quantity=3,
        acquired_on=dt.date(2024, 7, 1),
        depreciation_class="运输工具",
    )
    add_line(
        third,
        2,
        name="服务器",
        category="信息化设备",
        unit_price=Decimal(45_000),
        quantity=10,
        acquired_on=dt.date(2024, 7, 2),
        depreciation_class="电子设备",
    )
    gone = add_line(
        third, 5, name="已删除的设备", unit_price=Decimal(1), quantity=1, acquired_on=dt.date(2024, 7, 3)
    )
    EquipmentLine.all_objects.filter(pk=gone.pk).update(is_deleted=True)
    return [make_project(enterprise), second, third]


def test_each_live_line_is_one_item_in_the_order_of_its_number(projects):
    third = projects[2]
    request = selectors.project_request(third, date=DATE)
    assert [e["name"] for e in request["equipment"]] == ["2. 服务器", "7. 叉车"]
    live = EquipmentLine.objects.filter(project=third).order_by("number")
    assert request["equipment"] == [line_item(line) for line in live]
    assert request["equipment"][1] | {"name": ""} == {
        "name": "",
        "acquisition": "purchase",
        "unit_price": 180000,
        "quantity": 3,
        "lease_fee": None,
        "first_set": None,
        "acquired_on": "2024-07-01",
        "category": "general",
        "depreciation_class": "vehicles",
    }


def test_a_project_without_lines_asks_for_no_equipment_whatever_its_totals(enterprise):
    bare = make_project(enterprise, code="P-BARE", lines=())
    assert bare.equipment_investment == Decimal(40_000_000)
    assert selectors.project_request(bare, date=DATE)["equipment"] == []


def test_a_values_row_and_the_model_give_the_same_request(projects):
    rows = Project.objects.order_by("code").values(*selectors.REQUEST_FIELDS)
    for project, row in zip(projects, rows, strict=True):
        assert selectors.project_request(row, date=DATE) == selectors.project_request(project, date=DATE)
    assert all(selectors.project_request(p, date=DATE)["equipment"] for p in projects)


def test_the_simulation_reads_every_line_of_the_year_in_one_query(projects):
    with CaptureQueriesContext(connection) as queries:
        _, items, _ = selectors.year_columns(year=2024, date=DATE)
    assert len(items.project) == 2 + 3 + 2
    on_lines = [q["sql"] for q in queries.captured_queries if "equipment_equipmentline" in q["sql"]]
    assert len(on_lines) == 1


def test_the_simulation_counts_each_project_as_its_settlement_does(projects):
    data = selectors.policy_data()
    columns, items, _ = selectors.year_columns(year=2024, date=DATE)
    out = calculate_batch(columns, items, data, DATE)
    assert len(columns) == len(projects)
    for k, project in enumerate(sorted(projects, key=lambda p: p.code)):
        exact = calculate(parse_request(selectors.project_request(project, date=DATE)), data)
        tax = exact["tax"]
        assert round(out.eligible_equipment_investment[k], 2) == exact["eligible_equipment_investment"]
        assert round(out.first_set_bonus[k], 2) == exact["first_set_bonus"]
        assert round(out.subsidy_total[k], 2) == exact["subsidy_total"]
        assert round(out.expensing_eligible[k], 2) == tax["one_time_expensing"]["eligible_amount"]
        assert (
            round(out.first_year_tax_deferral[k], 2) == tax["one_time_expensing"]["first_year_tax_deferral"]
        )
        assert round(out.special_equipment_credit[k], 2) == tax["special_equipment_credit"]["credit"]
        assert out.cit_rate[k] == tax["cit_rate"]
    # P-2024-002 by hand: 10,000,000.01 × 150 % (国家级) = 15,000,000.02 (bonus 5,000,000.01 to the
    # fen, half up) + lease 250,000.50 + 2 × 1,200,000 (市级: no bonus) = 17,650,000.52
    second = calculate(parse_request(selectors.project_request(projects[1], date=DATE)), data)
    assert second["first_set_bonus"] == 5_000_000.01
    assert second["eligible_equipment_investment"] == 17_650_000.52
