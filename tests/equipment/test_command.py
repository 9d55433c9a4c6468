"""`renewal equipment candidates`: the candidates and each area's rate as JSON (numbers as numbers,
amounts in yuan), or as Chinese lines; a bad date or area is refused in Chinese."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import D_DAY

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("equipment", "candidates", *args, stdout=out)
    return out.getvalue()


def test_the_json_lists_the_candidates_and_the_rate_of_each_area(ledger):
    data = json.loads(run("--date", D_DAY.isoformat(), "--json"))
    assert data["date"] == "2024-06-30"
    assert [i["number"] for i in data["items"]] == ["A", "B", "D", "H", "I"]
    assert data["items"][1] == {
        "area": "330402",
        "uscc": ledger["NH"].enterprise.uscc,
        "enterprise": "南湖测试机械有限公司",
        "number": "B",
        "name": "设备B",
        "spec": "ｅｘｍ－２００",
        "category": "通用设备",
        "status": "停用",
        "original_value": 250000,
        "rated_power_kw": 55.5,
        "entry": {
            "catalogue": "测试淘汰目录",
            "batch": "第一批",
            "number": "1",
            "name": "测试淘汰设备1",
            "document_no": "测试文号",
            "effective_on": "2024-01-01",
        },
    }
    assert data["items"][3]["original_value"] is None
    by_area = {r["area"]: r for r in data["by_area"]}
    assert by_area["330402"] == {"area": "330402", "renewed": 1, "candidates": 4, "rate": 0.2}
    assert by_area["330481"] == {"area": "330481", "renewed": 1, "candidates": 1, "rate": 0.5}
    assert by_area["330411"]["rate"] is None and len(by_area) == 9


def test_one_area_by_its_name(ledger):
    data = json.loads(run("--area", "海宁市", "--date", "2024-06-30", "--json"))
    assert [i["number"] for i in data["items"]] == ["I"]
    assert data["by_area"] == [{"area": "330481", "renewed": 1, "candidates": 1, "rate": 0.5}]


def test_the_text_says_t9_has_no_target_and_names_areas(ledger):
    text = run("--area", "330402", "--date", "2024-06-30")
    assert "T9 未设定量目标" in text and "南湖区" in text and "20.0%" in text


def test_a_bad_date_or_area_is_refused(ledger):
    with pytest.raises(CommandError, match="无法识别"):
        run("--date", "2024/13/01")
    with pytest.raises(CommandError, match="未知的区域"):
        run("--area", "火星")
