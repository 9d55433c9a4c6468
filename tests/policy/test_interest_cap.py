"""Whether 贴息 (P12) stacks under P11's 3,000万 cap: ``finance.subsidy_counts_towards_cap``. Shipped
false (P11's cap concerns 技改补助); when true, 贴息 is one more 国家级 programme listed last and the
excess is cut lowest level first, within a level the one listed last first (policy/README.md)."""

from decimal import Decimal

import pytest

from renewal.policy.interest import Award, stack_with_p11

CAP = Decimal(30_000_000)
CITY = Award("city", "市级技改补助", "市级", Decimal(20_000_000))
PROVINCE = Award("province", "省级技改补助", "省级", Decimal(8_000_000))
NATIONAL = Award("national", "国家级技改补助", "国家级", Decimal(29_500_000))
SMALL_CITY = Award("city", "市级技改补助", "市级", Decimal(1_000_000))


def amounts(out):
    return {r["id"]: r["amount"] for r in out["subsidies"]} | {"interest": out["interest_subsidy"]["amount"]}


# (name, programmes, interest, counts, amounts after the cap, total, capped) — P11 cap, P12 贴息
CASES = [
    # 2,000万 + 800万 = 2,800万 under the cap; 贴息 300万 outside it: total 3,100万, nothing cut
    (
        "not counted: the subsidy comes on top",
        [CITY, PROVINCE],
        3_000_000,
        False,
        {"city": 20_000_000, "province": 8_000_000, "interest": 3_000_000},
        31_000_000,
        False,
    ),
    # counted: 3,100万 is 100万 over, cut from the lowest level (市级) first
    (
        "counted: the excess is cut from 市级 first",
        [CITY, PROVINCE],
        3_000_000,
        True,
        {"city": 19_000_000, "province": 8_000_000, "interest": 3_000_000},
        30_000_000,
        True,
    ),
    # counted, exactly at the cap: 2,800万 + 200万 = 3,000万 is not cut
    (
        "counted: a total of exactly the cap is not cut",
        [CITY, PROVINCE],
        2_000_000,
        True,
        {"city": 20_000_000, "province": 8_000_000, "interest": 2_000_000},
        30_000_000,
        False,
    ),
    # counted: 100万 + 2,950万 + 80万 = 3,130万, 130万 over: 市级 100万 first, then within 国家级 the
    # one listed last — the 贴息 — 30万, leaving it 50万
    (
        "counted: within 国家级 the 贴息 listed last is cut first",
        [SMALL_CITY, NATIONAL],
        800_000,
        True,
        {"city": 0, "national": 29_500_000, "interest": 500_000},
        30_000_000,
        True,
    ),
    # not counted, the same figures: P11 alone is 3,050万, cut 50万 from 市级; 贴息 80万 in full
    (
        "not counted: P11 is capped alone and the 贴息 kept",
        [SMALL_CITY, NATIONAL],
        800_000,
        False,
        {"city": 500_000, "national": 29_500_000, "interest": 800_000},
        30_800_000,
        True,
    ),
]


@pytest.mark.parametrize(
    ("programmes", "interest", "counts", "expected", "total", "capped"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_p11_cap_with_the_p12_interest_subsidy(programmes, interest, counts, expected, total, capped):
    out = stack_with_p11(programmes, Decimal(interest), cap=CAP, counts_towards_cap=counts)
    assert amounts(out) == expected
    assert out["total"] == total and out["capped"] is capped
    assert out["counts_towards_cap"] is counts
    assert ("不计入叠加上限" in out["basis"]) is not counts


def test_the_shipped_plan_does_not_count_the_subsidy_towards_the_cap(jiaxing):
    assert jiaxing.finance.subsidy_counts_towards_cap is False


def test_without_a_cap_in_force_nothing_is_cut():
    out = stack_with_p11([CITY, NATIONAL], Decimal(5_000_000), cap=None, counts_towards_cap=True)
    assert out["total"] == 54_500_000 and not out["capped"]
