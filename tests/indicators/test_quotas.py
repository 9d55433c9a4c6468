"""Area quotas (任务分解) in the plan file: validated, warned about when they do not add up."""

import copy

import pytest
import yaml

from renewal.planning import schema
from tests.conftest import JIAXING_PLAN


@pytest.fixture
def raw():
    return yaml.safe_load(JIAXING_PLAN.read_text(encoding="utf-8"))


def test_the_shipped_quotas_add_up_to_the_city_targets_and_the_unsplit_ones_are_named(jiaxing):
    # every split adds up; T8's subsidised projects and P11's funds have none (the cockpit says so)
    assert [w.split("：")[0] for w in jiaxing.quota_warnings()] == [
        "T8 争取省级以上补助项目（2024—2027年每年）",
        "P11 争取省级以上补助资金（2024—2027年每年）",
    ]
    assert all("未分解到各区域" in w for w in jiaxing.quota_warnings())
    assert jiaxing.quota("T1.projects", 2025).areas["330481"] == 70


def test_a_quota_below_the_city_target_is_warned_about(raw):
    q = next(q for q in raw["quotas"] if q["target"] == "T1.projects")
    q["areas"]["330481"] = 60
    [warning] = [w for w in schema.parse_plan(raw).quota_warnings() if "未分解到各区域" not in w]
    assert warning.startswith("T1 省级重点技术改造项目") and "T1.projects" not in warning
    assert "各区域分解合计 490个 低于全市目标 500个（差 10个）" in warning


def test_a_quota_above_the_city_target_and_a_missing_area_are_warned_about(raw):
    q = next(q for q in raw["quotas"] if q["target"] == "T3")
    q["areas"]["330481"] += 1
    del q["areas"]["jxport"]
    warnings = schema.parse_plan(raw).quota_warnings()
    assert any("未分解到 港区" in w for w in warnings)
    assert not any("高于" in w for w in warnings)  # 港区's 1 left out, 海宁 +1: adds up again
    q["areas"]["330402"] += 2
    assert any("高于全市目标 15" in w for w in schema.parse_plan(raw).quota_warnings())


def test_a_quota_for_one_year_overrides_the_general_one(raw):
    general = next(q for q in raw["quotas"] if q["target"] == "T6")
    special = copy.deepcopy(general)
    special["year"] = 2026
    special["areas"]["jxport"] = 1
    special["areas"]["330402"] = 0
    raw["quotas"].append(special)
    plan = schema.parse_plan(raw)
    assert plan.quota("T6", 2026).areas["jxport"] == 1
    assert plan.quota("T6", 2025).areas["jxport"] == 0


def test_a_quota_naming_an_unknown_target_or_area_is_rejected(raw):
    raw["quotas"][0]["target"] = "T99"
    raw["quotas"][1]["areas"]["330499"] = 5
    with pytest.raises(schema.PlanError) as exc:
        schema.parse_plan(raw, "city.yaml")
    [message] = exc.value.problems
    assert "quotas[0].target: 未定义的指标 'T99'" in message
    assert "quotas[1].areas: 未定义的区域 '330499'" in message


def test_a_negative_quota_is_rejected(raw):
    raw["quotas"][0]["areas"]["330402"] = -1
    with pytest.raises(schema.PlanError) as exc:
        schema.parse_plan(raw, "city.yaml")
    assert "quotas[0].areas.330402" in exc.value.problems[0]
