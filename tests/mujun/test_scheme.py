"""The 亩均 scheme in the plan file (P14): the issue's example values, checked by `renewal plan
check`, stored with its numbers as JSON numbers; bad schemes are refused with their path."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from renewal.planning import schema
from renewal.planning.models import Plan
from tests.conftest import JIAXING_PLAN


def test_the_shipped_scheme_is_the_issues_example(jiaxing):
    m = jiaxing.mujun
    assert (m.clause, m.example, m.cap, m.tie_break, m.publicity_days) == (
        "P14",
        True,
        Decimal("1.5"),
        "tax_per_mu",
        7,
    )
    assert [(i.name, i.numerator, i.denominator, i.weight) for i in m.indicators] == [
        ("亩均税收", "tax", "land", 30),
        ("亩均增加值", "value_added", "land", 20),
        ("单位能耗增加值", "value_added", "energy", 20),
        ("单位排放增加值", "value_added", "emissions", 10),
        ("全员劳动生产率", "value_added", "employees", 10),
        ("研发经费投入强度", "rd", "revenue", 10),
    ]
    assert (m.bonus.min_equipment_investment, m.bonus.points_per_project, m.bonus.cap) == (5_000_000, 2, 5)
    assert m.bonus.statuses == ["竣工", "验收通过", "已兑现"]
    assert (m.classes.A, m.classes.B, m.classes.D) == (Decimal("0.2"), Decimal("0.5"), Decimal("0.05"))


def test_plan_check_passes():
    out = StringIO()
    call_command("plan", "check", str(JIAXING_PLAN), stdout=out)
    assert "方案文件有效" in out.getvalue()


@pytest.mark.django_db
def test_the_loaded_plan_keeps_the_schemes_numbers_as_json_numbers(loaded_plan):
    stored = Plan.objects.get(is_active=True).content["mujun"]
    assert stored["cap"] == 1.5 and stored["indicators"][0]["weight"] == 30
    assert stored["classes"] == {"A": 0.2, "B": 0.5, "D": 0.05}
    assert stored["bonus"]["min_equipment_investment"] == 5000000
    out = StringIO()
    call_command("plan", "show", "--json", stdout=out)
    assert json.loads(out.getvalue())["plan"]["start_year"] == 2024


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tie_break": "nope"}, "mujun: 'tie_break: 未定义的指标 'nope'"),
        ({"areas": {"999999": {}}}, "mujun.areas: 未定义的区域 '999999'"),
        ({"classes": {"A": 0.5, "B": 0.5, "D": 0.05}}, "A、B、D 类比例之和不能超过 1"),
        ({"cap": 0}, "mujun.cap: 应大于下限，实为 0"),
    ],
)
def test_a_bad_scheme_is_refused_with_its_path(jiaxing, change, message):
    data = jiaxing.model_dump(mode="json")
    data["mujun"] |= change
    with pytest.raises(schema.PlanError) as err:
        schema.parse_plan(data, "jiaxing-2024.yaml")
    assert any(message.split("'")[0] in p for p in err.value.problems), err.value.problems
