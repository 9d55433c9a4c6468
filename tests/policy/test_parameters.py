"""Dated parameters: a look-up takes a date and cites when the value took effect."""

import datetime as dt
from decimal import Decimal

from renewal.policy.parameters import DatedValue, Parameter, PolicyData


def test_a_parameter_is_in_force_only_between_its_dates(policy_data):
    limit = policy_data.resolve("P13.expensing_unit_limit", dt.date(2024, 1, 1))
    assert limit.value == Decimal(5000000) and limit.effective_from == dt.date(2024, 1, 1)
    assert not policy_data.resolve("P13.expensing_unit_limit", dt.date(2023, 12, 31)).in_force
    assert policy_data.resolve("P13.expensing_unit_limit", dt.date(2027, 12, 31)).in_force
    assert not policy_data.resolve("P13.expensing_unit_limit", dt.date(2028, 1, 1)).in_force


def test_a_later_value_replaces_an_earlier_one_from_its_date():
    p = Parameter(
        "P11.subsidy_cap",
        "P11",
        "",
        "CNY",
        "ref",
        (
            DatedValue(dt.date(2024, 4, 25), None, Decimal(30)),
            DatedValue(dt.date(2026, 1, 1), None, Decimal(40)),
        ),
    )
    data = PolicyData({p.id: p})
    assert data.resolve("P11.subsidy_cap", dt.date(2025, 12, 31)).value == 30
    assert data.resolve("P11.subsidy_cap", dt.date(2026, 1, 1)).value == 40


def test_parameters_and_programmes_come_from_the_plan_file(policy_data):
    assert policy_data.resolve("P11.subsidy_cap", dt.date(2024, 9, 30)).value == 30_000_000
    assert policy_data.resolve("P11.first_set_min_level", dt.date(2024, 9, 30)).value == "省级"
    assert [p.id for p in policy_data.programmes] == [
        "example-provincial-key",
        "example-city-renewal",
        "example-green",
    ]
    assert all(p.example for p in policy_data.programmes)


def test_a_what_if_value_does_not_touch_the_original(policy_data):
    changed = policy_data.with_value("P11.subsidy_cap", Decimal(20_000_000), dt.date(2024, 4, 25))
    assert changed.resolve("P11.subsidy_cap", dt.date(2024, 9, 30)).value == 20_000_000
    assert policy_data.resolve("P11.subsidy_cap", dt.date(2024, 9, 30)).value == 30_000_000
