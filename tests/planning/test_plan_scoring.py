"""The scoring section of the plan file (O2): an example scheme, validated with precise errors."""

from decimal import Decimal

import pytest
import yaml

from renewal.planning import schema
from tests.conftest import JIAXING_PLAN


@pytest.fixture
def raw():
    return yaml.safe_load(JIAXING_PLAN.read_text(encoding="utf-8"))


def problems(data) -> list[str]:
    with pytest.raises(schema.PlanError) as exc:
        schema.parse_plan(data, "city.yaml")
    return exc.value.problems


def test_the_shipped_scheme_is_an_example_of_clause_o2_with_weights_adding_up_to_100(jiaxing):
    s = jiaxing.scoring
    assert s.example is True and s.clause == "O2"
    assert sum(r.weight for r in s.rules) == Decimal(100)
    assert s.recommendation.method == "top_n" and s.recommendation.top_n == 3


def test_it_rejects_a_rule_for_an_unknown_target(raw):
    raw["scoring"]["rules"][0]["target"] = "G99"
    assert problems(raw) == [
        "city.yaml: (根): scoring.rules[0].target: 未定义的指标 'G99'；scoring.tie_break[0]: 'G1' 不是计分指标"
    ]


def test_it_rejects_a_floor_above_the_cap(raw):
    raw["scoring"]["rules"][0]["floor"] = 2
    assert problems(raw) == ["city.yaml: scoring.rules[0]: 下限 floor（2）不能大于上限 cap（1.2）"]


def test_top_n_needs_a_number(raw):
    raw["scoring"]["recommendation"] = {"method": "top_n"}
    assert problems(raw) == ["city.yaml: scoring.recommendation: method 为 top_n 时须给出 top_n（推荐个数）"]


def test_a_tie_break_target_must_be_scored(raw):
    raw["scoring"]["tie_break"] = ["G2"]
    assert problems(raw) == ["city.yaml: (根): scoring.tie_break[0]: 'G2' 不是计分指标"]


def test_a_plan_without_a_scheme_still_loads(raw):
    del raw["scoring"]
    assert schema.parse_plan(raw, "city.yaml").scoring is None
