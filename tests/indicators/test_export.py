"""The cockpit's table exports to xlsx with the filters applied and the cockpit's numbers."""

import io

import openpyxl
import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["指标完成情况"]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_the_export_carries_the_city_and_every_area_with_the_cockpits_numbers(client, loaded_plan):
    f.project()  # a provincial key project of 海宁, 在建, 2024
    f.project(f.enterprise(area="330402"))
    response = client.get("/cockpit/export.xlsx?year=2024&as_of=2024-09-30")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    table = rows(response)
    key_projects = {r["区域"]: r["实际（基本单位）"] for r in table if r["指标"] == "省级重点技术改造项目"}
    assert key_projects["嘉兴市"] == 2 and key_projects["海宁市"] == 1 and key_projects["南湖区"] == 1
    assert key_projects["桐乡市"] == 0
    t1 = next(r for r in table if r["指标"] == "省级重点技术改造项目" and r["区域"] == "嘉兴市")
    assert t1["条款"] == "T1" and t1["目标（基本单位）"] == 500 and t1["基本单位"] == "个"
    assert t1["单位"] == "个" and t1["目标（按单位列）"] == 500 and t1["实际（按单位列）"] == 2
    assert t1["序时进度(%)"] == pytest.approx(0.75)  # 9 whole months of 12
    assert not any(r["条款"] == "G3" for r in table)  # G3 is assessed 2025–2027 only


def test_the_export_holds_numbers_in_the_unit_of_its_unit_column_and_no_internal_id(client, loaded_plan):
    f.project()
    table = rows(client.get("/cockpit/export.xlsx?year=2024&as_of=2024-09-30"))
    g1 = next(r for r in table if r["条款"] == "G1" and r["区域"] == "嘉兴市")
    assert (g1["单位"], g1["目标（按单位列）"], g1["基本单位"]) == ("亿元", 1100, "元")
    nanhu = next(r for r in table if r["条款"] == "G1" and r["区域"] == "南湖区")
    assert nanhu["单位"] == "亿元"  # the city's unit: the areas compare
    g9 = next(r for r in table if r["条款"] == "G9" and r["区域"] == "嘉兴市")
    assert (g9["单位"], g9["目标（按单位列）"]) == ("万元/人·年", 38)
    assert "指标编号" not in table[0]
    assert not any(
        isinstance(v, str) and ("T1." in v or v in ("CNY", "ratio")) for r in table for v in r.values()
    )


def test_the_export_of_one_area_holds_only_that_area(client, loaded_plan):
    f.project()
    table = rows(client.get("/cockpit/export.xlsx?year=2024&as_of=2024-09-30&area=330481"))
    assert {r["区域"] for r in table} == {"海宁市"}
