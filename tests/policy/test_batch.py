"""The float batch gives the exact calculator's answers to the fen: the table cases, generated
batches (hypothesis) and the half fen that 四舍五入 rounds up."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal.policy.batch import EXACT, FLOAT, calculate_batch, columns_from_requests
from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate, programmes_for

from .conftest import build_request
from .test_rules_table import CASES

TYPES = ("技术改造", "设备更新", "智能化改造", "数字化改造", "绿色化改造", "安全化改造", "产业链协同创新")
AREAS = ("330402", "330411")


def fen(value) -> Decimal:
    """A batch figure (float) as the exact calculator writes it: to the fen."""
    return Decimal(repr(float(value))).quantize(Decimal("0.01"))


def assert_agrees(out, k: int, exact: dict) -> None:
    """Row ``k`` of a float batch equals the exact answer to the fen, flags exactly."""
    tax = exact["tax"]
    pairs = {
        "eligible_equipment_investment": (
            out.eligible_equipment_investment,
            exact["eligible_equipment_investment"],
        ),
        "first_set_bonus": (out.first_set_bonus, exact["first_set_bonus"]),
        "subsidy_total": (out.subsidy_total, exact["subsidy_total"]),
        "one_time_expensing": (out.expensing_eligible, tax["one_time_expensing"]["eligible_amount"]),
        "deferral": (out.first_year_tax_deferral, tax["one_time_expensing"]["first_year_tax_deferral"]),
        "rd_extra_deduction": (out.rd_extra_deduction, tax["rd_super_deduction"]["extra_deduction"]),
        "rd_tax_saved": (out.rd_tax_saved, tax["rd_super_deduction"]["tax_saved"]),
        "special_equipment_credit": (out.special_equipment_credit, tax["special_equipment_credit"]["credit"]),
        "cit_rate": (out.cit_rate, tax["cit_rate"]),
    }
    for name, (column, expected) in pairs.items():
        assert fen(column[k]) == Decimal(str(expected)), name
    assert bool(out.capped[k]) == exact["capped"]
    for j, s in enumerate(exact["subsidies"]):
        assert fen(out.before_cap[k, j]) == Decimal(str(s["before_cap"])), s["programme"]
        assert fen(out.amounts[k, j]) == Decimal(str(s["amount"])), s["programme"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_batch_engine_agrees_with_the_calculator(case, policy_data):
    req = parse_request(build_request(case["input"]))
    exact = calculate(req, policy_data)
    projects, items = columns_from_requests([req], TYPES, AREAS)
    programmes, _ = programmes_for(req, policy_data)
    out = calculate_batch(projects, items, policy_data, req.date, programmes)
    assert_agrees(out, 0, exact)


def test_many_projects_are_computed_in_one_call(policy_data):
    reqs = [
        parse_request(build_request({"equipment": [{"unit_price": 1_000_000 * (i + 1)}]})) for i in range(30)
    ]
    projects, items = columns_from_requests(reqs, TYPES, AREAS)
    out = calculate_batch(projects, items, policy_data, dt.date(2024, 9, 30))
    # city example programme: 8% from 10,000,000 up, capped at 5,000,000 (from 62.5M on)
    assert out.subsidy_total[8] == 0
    assert out.subsidy_total[9] == 800_000
    assert out.subsidy_total[29] == 2_400_000
    assert out.expensing_eligible[4] == 5_000_000 and out.expensing_eligible[5] == 0


def test_a_half_fen_is_rounded_up_in_the_batch_as_in_the_calculator(policy_data):
    # 0.01 × 50 % = 0.005 and 10,000.01 × 50 % = 5,000.005: 四舍五入 gives 0.01 and 5,000.01, where
    # numpy's round (half to even) gives 0.00 and 5,000.00.
    req = parse_request(
        build_request(
            {
                "equipment": [
                    {"acquisition": "lease", "lease_fee": "0.01", "first_set": "省级"},
                    {"unit_price": "10000.01", "first_set": "国家级"},
                ]
            }
        )
    )
    exact = calculate(req, policy_data)
    assert exact["first_set_bonus"] == 5000.02
    projects, items = columns_from_requests([req])
    out = calculate_batch(projects, items, policy_data, req.date)
    assert list(out.items.bonus) == [0.01, 5000.01]
    assert_agrees(out, 0, exact)


def test_the_exact_columns_are_decimals(policy_data):
    req = parse_request(build_request({"equipment": [{"unit_price": "0.1", "quantity": 3}]}))
    projects, items = columns_from_requests([req], ops=EXACT)
    out = calculate_batch(projects, items, policy_data, req.date, ops=EXACT)
    assert out.eligible_equipment_investment[0] == Decimal("0.3")
    assert isinstance(out.items.straight_line[0], Decimal)
    projects, items = columns_from_requests([req], ops=FLOAT)
    assert items.unit_price.dtype == np.float64


# ---- generated batches ------------------------------------------------------------------------------
# The domain in which float and exact agree (batch.FLOAT): whole fen, every figure below 10亿元,
# rates of at most three decimals, income-tax rates of two.

DAY = st.dates(dt.date(2022, 6, 1), dt.date(2028, 6, 30))


def money(top: int):
    fens = st.integers(0, top * 100).map(lambda c: str(Decimal(c) / 100))
    edges = st.sampled_from(["0", "0.01", "0.05", "4999999.99", "5000000", "5000000.01", "10000000"])
    return st.one_of(st.integers(0, top), fens, edges)


RATE = st.one_of(
    st.sampled_from(["0", "0.05", "0.08", "0.1", "0.125", "0.2", "0.25", "0.5", "1"]),
    st.integers(0, 1000).map(lambda m: str(Decimal(m) / 1000)),
)
ITEM = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["", "数控机床"]),
        "acquisition": st.sampled_from(["purchase", "purchase", "lease"]),
        "unit_price": money(10_000_000),
        "quantity": st.integers(1, 20),
        "lease_fee": money(10_000_000),
        "first_set": st.sampled_from([None, None, "县级", "市级", "省级", "国家级", "世界级"]),
        "acquired_on": DAY.map(str),  # required for a purchase
        "category": st.sampled_from(
            ["general", "machinery", "tools", "vehicles", "electronics", "energy_saving", "safety"]
        ),
    }
)
REQUEST = st.fixed_dictionaries(
    {
        "enterprise": st.fixed_dictionaries(
            {
                "cit_rate": st.one_of(st.none(), st.integers(0, 100).map(lambda p: str(Decimal(p) / 100))),
                "high_tech": st.booleans(),
                "ic_enterprise": st.booleans(),
                "machine_tool_enterprise": st.booleans(),
                "rd_expense": money(100_000_000),
            }
        ),
        "project": st.fixed_dictionaries(
            {
                "types": st.lists(st.sampled_from(TYPES[:4]), max_size=2),
                "provincial_key": st.booleans(),
                "total_investment": money(500_000_000),
                "area": st.sampled_from([*AREAS, "330421"]),
            }
        ),
        "equipment": st.lists(ITEM, max_size=4),
    }
)
PROGRAMME = st.fixed_dictionaries(
    {
        "name": st.just("补助"),
        "level": st.sampled_from(["国家级", "省级", "市级", "县级", "区县"]),
        "base": st.sampled_from(["eligible_equipment_investment", "total_investment"]),
        "rate": RATE,
    },
    optional={
        "cap": money(30_000_000),
        "min_investment": money(50_000_000),
        "project_types": st.lists(st.sampled_from(TYPES[:4]), min_size=1, max_size=2),
        "provincial_key": st.booleans(),
        "areas": st.lists(st.sampled_from(AREAS), min_size=1, max_size=1),
        "valid_from": DAY.map(str),
        "valid_to": DAY.map(str),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    date=DAY,
    requests=st.lists(REQUEST, min_size=1, max_size=6),
    programmes=st.one_of(st.none(), st.lists(PROGRAMME, max_size=4)),
)
def test_a_generated_batch_agrees_with_the_calculator_to_the_fen(policy_data, date, requests, programmes):
    reqs = []
    for r in requests:
        body = {**r, "date": date.isoformat()}
        if programmes is not None:
            body["programmes"] = [{**p, "id": f"p{j}"} for j, p in enumerate(programmes)]
        reqs.append(parse_request(body))
    programmes_used, _ = programmes_for(reqs[0], policy_data)
    projects, items = columns_from_requests(reqs, TYPES, AREAS)
    out = calculate_batch(projects, items, policy_data, date, programmes_used)
    for k, req in enumerate(reqs):
        assert_agrees(out, k, calculate(req, policy_data))
