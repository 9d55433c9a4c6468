"""The vectorised engine gives the exact calculator's answers (table cases, one date at a time)."""

import datetime as dt

import pytest

from renewal.policy.batch import calculate_batch, columns_from_requests
from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate, programmes_for

from .conftest import build_request
from .test_rules_table import CASES

TYPES = ("技术改造", "设备更新", "智能化改造", "数字化改造", "绿色化改造", "安全化改造", "产业链协同创新")
AREAS = ("330402", "330411")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_batch_engine_agrees_with_the_calculator(case, policy_data):
    req = parse_request(build_request(case["input"]))
    exact = calculate(req, policy_data)
    projects, items = columns_from_requests([req], TYPES, AREAS, policy_data, req.date)
    programmes, _ = programmes_for(req, policy_data)
    out = calculate_batch(projects, items, policy_data, req.date, programmes)
    assert out.eligible_equipment_investment[0] == pytest.approx(exact["eligible_equipment_investment"])
    assert out.first_set_bonus[0] == pytest.approx(exact["first_set_bonus"])
    assert out.subsidy_total[0] == pytest.approx(exact["subsidy_total"])
    assert bool(out.capped[0]) == exact["capped"]
    assert list(out.amounts[0]) == pytest.approx([s["amount"] for s in exact["subsidies"]])
    tax = exact["tax"]
    assert out.expensing_eligible[0] == pytest.approx(tax["one_time_expensing"]["eligible_amount"])
    assert out.first_year_tax_deferral[0] == pytest.approx(
        tax["one_time_expensing"]["first_year_tax_deferral"]
    )
    assert out.special_equipment_credit[0] == pytest.approx(tax["special_equipment_credit"]["credit"])


def test_many_projects_are_computed_in_one_call(policy_data):
    reqs = [
        parse_request(build_request({"equipment": [{"unit_price": 1_000_000 * (i + 1)}]})) for i in range(30)
    ]
    projects, items = columns_from_requests(reqs, TYPES, AREAS, policy_data, dt.date(2024, 9, 30))
    out = calculate_batch(projects, items, policy_data, dt.date(2024, 9, 30))
    # city example programme: 8% from 10,000,000 up, capped at 5,000,000 (from 62.5M on)
    assert out.subsidy_total[8] == 0
    assert out.subsidy_total[9] == 800_000
    assert out.subsidy_total[29] == 2_400_000
    assert out.expensing_eligible[4] == 5_000_000 and out.expensing_eligible[5] == 0
