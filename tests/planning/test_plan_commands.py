"""`renewal plan check|load|show` and the second city's plan loading the same way."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renewal.planning.models import Area, Plan, Target
from tests.conftest import FIXTURES, JIAXING_PLAN


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_check_reports_a_valid_file():
    assert "方案文件有效" in run("plan", "check", str(JIAXING_PLAN))


def test_check_lists_every_problem_of_a_broken_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(JIAXING_PLAN.read_text(encoding="utf-8").replace("value: 110000000000", "value: abc"))
    err = StringIO()
    with pytest.raises(CommandError, match="方案文件无效：1 处问题"):
        call_command("plan", "check", str(broken), stdout=StringIO(), stderr=err)
    assert "broken.yaml: targets[0].value: 应为数字" in err.getvalue()


@pytest.mark.django_db
def test_show_prints_the_contract_shape():
    run("plan", "load", str(JIAXING_PLAN))
    data = json.loads(run("plan", "show", "--json"))
    g1 = next(t for t in data["targets"] if t["id"] == "G1")
    assert {k: g1[k] for k in ("id", "clause", "name", "comparator", "value", "unit", "display")} == {
        "id": "G1",
        "clause": "G1",
        "name": "制造业投资",
        "comparator": "≥",
        "value": 110000000000,
        "unit": "CNY",
        "display": "1100亿元以上",
    }
    assert g1["period"]["kind"] == "year" and g1["period"]["year"] == 2024
    g4 = next(t for t in data["targets"] if t["id"] == "G4")
    assert g4["value"] == 0.55
    cap = next(p for p in data["parameters"] if p["id"] == "P11.subsidy_cap")
    assert cap == cap | {"clause": "P11", "value": 30000000, "unit": "CNY", "effective_from": "2024-04-25"}
    assert [t["id"] for t in data["tasks"]] == [f"T{i}" for i in range(1, 11)]


@pytest.mark.django_db
def test_show_prints_every_numeric_parameter_as_a_json_number():
    run("plan", "load", str(JIAXING_PLAN))
    data = json.loads(run("plan", "show", "--json"))

    def texts(value):
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        return [value] if isinstance(value, str) else []

    for p in data["parameters"]:
        for v in [p["value"], *(step["value"] for step in p["values"])]:
            assert p["unit"] == "level" or not texts(v), (p["id"], v)
    rate = next(p for p in data["parameters"] if p["unit"] == "ratio" and not isinstance(p["value"], dict))
    assert isinstance(rate["value"], float)


@pytest.mark.django_db
def test_reloading_the_same_plan_changes_nothing():
    run("plan", "load", str(JIAXING_PLAN))
    before = list(Target.objects.values_list("id", "code", "value"))
    run("plan", "load", str(JIAXING_PLAN))
    assert list(Target.objects.values_list("id", "code", "value")) == before


@pytest.mark.django_db
def test_another_citys_plan_loads_the_same_way():
    run("plan", "load", str(JIAXING_PLAN))
    run("plan", "load", str(FIXTURES / "plans" / "other-city.yaml"))
    data = json.loads(run("plan", "show", "--json"))
    assert data["plan"]["city"] == {"code": "330500", "name": "湖州市"}
    assert [t["id"] for t in data["targets"]] == ["G1", "T1"]
    assert [a["name"] for a in data["areas"]] == ["吴兴区", "南浔区"]
    assert Plan.objects.get(is_active=True).id == "huzhou-test"
    # Jiaxing's areas are kept for the registry, but inactive
    assert not Area.objects.get(code="330402").is_active


@pytest.mark.django_db
def test_show_without_a_plan_says_how_to_load_one():
    with pytest.raises(CommandError, match="尚未载入行动方案"):
        run("plan", "show", "--json")


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["check", "load"])
def test_check_and_load_refuse_an_unknown_measure_naming_the_path_and_the_known_ones(tmp_path, action):
    typo = tmp_path / "typo.yaml"
    text = JIAXING_PLAN.read_text(encoding="utf-8")
    typo.write_text(text.replace("registry: new_robots}", "registry: new_robot}"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="方案文件无效：1 处问题"):
        call_command("plan", action, str(typo), stdout=StringIO(), stderr=err)
    [line] = err.getvalue().splitlines()
    assert line.startswith("typo.yaml: targets[16].source.registry: 未知的度量“new_robot”（可选：")
    assert "provincial_key_projects、provincial_key_equipment_investment、" in line and "new_robots" in line
    assert not Plan.objects.exists()
