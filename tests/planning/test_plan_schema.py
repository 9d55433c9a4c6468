"""Plan schema errors name the file, the path inside it and what is wrong."""

import copy

import pytest
import yaml

from renewal.planning import schema
from tests.conftest import FIXTURES, JIAXING_PLAN


@pytest.fixture
def raw():
    return yaml.safe_load(JIAXING_PLAN.read_text(encoding="utf-8"))


def problems(data) -> list[str]:
    with pytest.raises(schema.PlanError) as exc:
        schema.parse_plan(data, "city.yaml")
    return exc.value.problems


def test_it_names_the_path_of_a_wrong_value(raw):
    raw["targets"][3]["value"] = "很多"
    assert problems(raw) == ["city.yaml: targets[3].value: 应为数字，实为 '很多'"]


def test_it_names_a_missing_field(raw):
    del raw["targets"][0]["unit"]
    assert problems(raw) == ["city.yaml: targets[0].unit: 缺少必填字段"]


def test_it_rejects_an_unknown_field(raw):
    raw["areas"][0]["colour"] = "red"
    assert problems(raw) == ["city.yaml: areas[0].colour: 未知字段（拼写错误？）"]


def test_it_rejects_a_percentage_written_as_a_whole_number(raw):
    g4 = next(i for i, t in enumerate(raw["targets"]) if t["id"] == "G4")
    raw["targets"][g4]["value"] = 55
    assert problems(raw) == [f"city.yaml: targets[{g4}]: 比例应写成小数（55% 写 0.55），实为 55"]


def test_it_rejects_a_reference_to_an_unknown_clause_and_unit(raw):
    raw["targets"][0]["clause"] = "G99"
    raw["clauses"][10]["lead_units"] = ["nobody"]
    [message] = problems(raw)
    assert "targets[0].clause: 未定义的条款 'G99'" in message
    assert "clauses[10].lead_units: 未定义的责任单位 'nobody'" in message


def test_it_rejects_duplicate_ids(raw):
    raw["targets"].append(copy.deepcopy(raw["targets"][0]))
    [message] = problems(raw)
    assert f"targets[{len(raw['targets']) - 1}].id: 重复的标识 'G1'" in message


def test_it_rejects_a_period_with_two_kinds(raw):
    raw["targets"][0]["period"] = {"year": 2024, "by": 2027}
    assert problems(raw) == [
        "city.yaml: targets[0].period: 期间须且只能给出 year、each_year、cumulative、by 之一"
    ]


def test_it_rejects_an_unknown_comparator(raw):
    raw["targets"][0]["comparator"] = "≥≥"
    [message] = problems(raw)
    assert message.startswith("city.yaml: targets[0].comparator: 取值不在允许范围内")


def test_it_reports_yaml_syntax_errors_with_the_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\ncity: {code: 1\n", encoding="utf-8")
    with pytest.raises(schema.PlanError) as exc:
        schema.read_plan(bad)
    assert exc.value.problems[0].startswith("broken.yaml: 第 ")
    assert "YAML 语法错误" in exc.value.problems[0]


def test_it_reports_a_missing_file(tmp_path):
    with pytest.raises(schema.PlanError) as exc:
        schema.read_plan(tmp_path / "nope.yaml")
    assert exc.value.problems == ["nope.yaml: 文件不存在"]


def test_another_citys_plan_validates():
    plan = schema.read_plan(FIXTURES / "plans" / "other-city.yaml")
    assert plan.city.name == "湖州市"
    assert [t.id for t in plan.targets] == ["G1", "T1"]


def test_periods_know_their_bounds_and_labels():
    assert schema.Period(cumulative="2024-01..2027-12").bounds[1].isoformat() == "2027-12-31"
    assert schema.Period(cumulative="2024-01..2024-02").bounds[1].isoformat() == "2024-02-29"
    assert schema.Period(each_year="2025-2027").label == "2025—2027年每年"
    assert schema.Period(by=2027).label == "到2027年"


def test_it_checks_registry_measures_only_against_the_known_ones_it_is_given(raw):
    t5 = next(i for i, t in enumerate(raw["targets"]) if t["id"] == "T5")
    known = tuple(t["source"]["registry"] for t in raw["targets"] if "registry" in t["source"])
    raw["targets"][t5]["source"] = {"registry": "robots_total"}
    with pytest.raises(schema.PlanError) as exc:
        schema.parse_plan(raw, "city.yaml", measures=known)
    assert exc.value.problems == [
        f"city.yaml: targets[{t5}].source.registry: 未知的度量“robots_total”（可选：{'、'.join(known)}）"
    ]
    # a plan already loaded is parsed without the check: its target then shows 未知的登记库指标
    assert schema.parse_plan(raw, "city.yaml").target("T5").source.registry == "robots_total"


def test_it_asks_for_the_name_of_every_statistic_a_target_reads_once_the_section_exists(raw):
    raw["statistics"] = [s for s in raw["statistics"] if s["code"] != "tech_investment"]
    found = problems(raw)
    assert found and all("统计指标 'tech_investment' 未在 statistics 中定义名称和单位" in p for p in found)
    raw["statistics"].append({"code": "mfg_investment", "name": "重复", "unit": "CNY"})
    assert any("statistics[" in p and "重复的标识 'mfg_investment'" in p for p in problems(raw))


def test_a_statistic_and_an_area_are_named_as_the_plan_names_them(raw):
    plan = schema.parse_plan(raw, "city.yaml")
    assert (plan.statistic("tech_investment").name, plan.statistic("tech_investment").unit) == (
        "技术改造投资",
        "CNY",
    )
    assert plan.area_name("330400") == plan.area_name(None) == "嘉兴市"
    assert plan.area_name("330481") == "海宁市"
    del raw["statistics"]  # a plan written before the section: names from the targets
    older = schema.parse_plan(raw, "city.yaml")
    assert older.statistic("mfg_investment").name == "制造业投资"
    assert older.statistic("tech_investment").name == "技术改造投资"  # from 技术改造投资增长
    assert older.statistic("labour_productivity").unit == "CNY/person-year"
