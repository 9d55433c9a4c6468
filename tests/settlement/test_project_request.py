"""A registry project becomes a calculation request in one place (``selectors.project_request``):
the settlement of one project and the simulation's columns of a year read it the same way."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.policy.batch import calculate_batch
from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate
from renewal.registry.models import Enterprise, Project
from renewal.settlement import selectors

from .conftest import make_project

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
    return [
        make_project(enterprise),  # provincial key, 40M of which 4M first-set
        make_project(
            high_tech,
            code="P-2024-002",
            provincial_key=False,
            types="设备更新",
            total_investment=Decimal("12345678.91"),
            equipment_investment=Decimal("10000000.01"),
            first_set_purchase=Decimal("10000000.01"),  # all of it first-set: no general row
            end_date=None,
            start_date=dt.date(2024, 3, 1),
        ),
        make_project(
            enterprise,
            code="P-2024-003",
            status="已兑现",
            equipment_investment=Decimal("4999999.99"),
            first_set_purchase=Decimal(0),
            end_date=None,
            start_date=None,
        ),
    ]


def test_a_values_row_and_the_model_give_the_same_request(projects):
    rows = Project.objects.order_by("code").values(*selectors.REQUEST_FIELDS)
    for project, row in zip(projects, rows, strict=True):
        assert selectors.project_request(row, date=DATE) == selectors.project_request(project, date=DATE)


def test_the_simulation_counts_each_project_as_its_settlement_does(projects):
    data = selectors.policy_data()
    columns, items, _ = selectors.year_columns(year=2024, date=DATE)
    out = calculate_batch(columns, items, data, DATE)
    assert len(columns) == len(projects)
    for k, project in enumerate(sorted(projects, key=lambda p: p.code)):
        exact = calculate(parse_request(selectors.project_request(project, date=DATE)), data)
        tax = exact["tax"]
        assert round(out.eligible_equipment_investment[k], 2) == exact["eligible_equipment_investment"]
        assert round(out.subsidy_total[k], 2) == exact["subsidy_total"]
        assert round(out.expensing_eligible[k], 2) == tax["one_time_expensing"]["eligible_amount"]
        assert (
            round(out.first_year_tax_deferral[k], 2) == tax["one_time_expensing"]["first_year_tax_deferral"]
        )
        assert out.cit_rate[k] == tax["cit_rate"]
