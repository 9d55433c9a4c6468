"""What the trace says on either side of the plan's effective date (P11, 2024-04-25)."""

from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate

from .conftest import build_request

# 20% × 100,000,000 = 20,000,000 and 10% × 110,000,000 = 11,000,000: 31,000,000 before any cap.
OVER_THE_CAP = {
    "project": {"total_investment": 110_000_000},
    "equipment": [{"unit_price": 100_000_000}],
    "programmes": [
        {
            "id": "prov",
            "name": "省级补助",
            "level": "省级",
            "base": "eligible_equipment_investment",
            "rate": 0.2,
        },
        {"id": "city", "name": "市级补助", "level": "市级", "base": "total_investment", "rate": 0.1},
    ],
}


def step(answer: dict, name: str) -> dict:
    (found,) = [s for s in answer["trace"] if s["step"] == name]
    return found


def test_a_request_dated_before_2024_04_25_says_the_30_million_cap_did_not_yet_apply(policy_data):
    answer = calculate(parse_request(build_request({**OVER_THE_CAP, "date": "2024-04-24"})), policy_data)
    total = step(answer, "补助合计")
    assert total["value"] == 31_000_000 and answer["capped"] is False
    assert (total["parameter"], total["clause"], total["effective_from"]) == ("P11.subsidy_cap", "P11", None)
    assert total["basis"] == (
        "各项补助合计3,100万元，不作叠加核减：计算日期2024-04-24早于嘉制高办〔2024〕5号 三、11（P11）"
        "“单个项目叠加补助最高不超过3,000万元”限额的施行日期2024-04-25，该限额尚未适用。"
    )
    assert not [s for s in answer["trace"] if s["step"].startswith("叠加限额核减")]


def test_from_2024_04_25_the_trace_cuts_to_the_cap(policy_data):
    answer = calculate(parse_request(build_request({**OVER_THE_CAP, "date": "2024-04-25"})), policy_data)
    total = step(answer, "补助合计")
    assert total["value"] == 30_000_000 and total["effective_from"] == "2024-04-25"
    assert "超过单个项目最高3,000万元的限额，核定为3,000万元" in total["basis"]
    assert step(answer, "叠加限额核减“市级补助”")["value"] == -1_000_000


def test_a_first_set_product_before_2024_04_25_is_told_when_the_bonus_applies(policy_data):
    req = build_request(
        {"date": "2024-04-24", "equipment": [{"name": "机床", "unit_price": 2_000_000, "first_set": "省级"}]}
    )
    bonus = step(calculate(parse_request(req), policy_data), "设备第1行“机床”首台（套）加计")
    assert bonus["value"] == 0 and bonus["parameter"] == "P11.first_set_bonus_rate"
    assert (
        "早于嘉制高办〔2024〕5号 三、11（P11）首台（套）加计的施行日期2024-04-25，尚未适用" in bonus["basis"]
    )
