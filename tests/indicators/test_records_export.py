"""The records page of a target exports its rows (same year, date and area, same refusals)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.indicators import selectors
from tests.factories import named_users

from . import factories as f

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)


@pytest.fixture
def data(sample, fast_passwords):
    ent = f.enterprise("330402")
    p = f.project(ent, status="在建")
    f.progress(p, "2024-03", equipment=5_000_000, robots=3)
    return named_users()


def export(client, target, **params):
    response = client.get(reverse("indicators:records_export", args=[target]), params)
    return response


def test_the_records_export_has_the_rows_of_the_page_in_wan(client, data):
    client.force_login(data["city_admin"])
    params = {"year": "2024", "as_of": "2024-03-31", "area": "330402"}
    text = client.get(reverse("indicators:records", args=["T1.equipment"]), params).content.decode()
    assert (
        '<a href="/cockpit/targets/T1.equipment/records.xlsx?year=2024&amp;as_of=2024-03-31&amp;area=330402">'
        in text
    )
    response = export(client, "T1.equipment", **params)
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["明细记录"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["名称", "编号/期间", "企业", "区域", "说明", "计入值(万元)"]
    plan = selectors.active_plan()
    query = selectors.parse_query(plan, year="2024", as_of="2024-03-31", area="330402")
    expected = selectors.indicator_records(plan, "T1.equipment", query)["rows"]
    assert [r[1] for r in rows[1:]] == [r["code"] for r in expected] and len(expected) >= 1
    assert sum(r[5] for r in rows[1:]) == pytest.approx(sum(r["value"] for r in expected) / 10_000)
    assert ws["F2"].data_type == "n"


def test_an_area_operator_exports_only_its_own_areas_records(client, data):
    client.force_login(data["op_nanhu"])
    assert export(client, "T1.projects", year="2024", as_of="2024-03-31", area="330402").status_code == 200
    assert export(client, "T1.projects", year="2024", as_of="2024-03-31", area="330481").status_code == 403
    assert export(client, "T1.projects", year="2024", as_of="2024-03-31", area="").status_code == 403
    own = export(client, "T1.projects", year="2024", as_of="2024-03-31")  # no area: its own
    assert own.status_code == 200 and "%E5%8D%97%E6%B9%96" in own["Content-Disposition"]  # 南湖


def test_a_statistics_export_names_the_statistic_and_holds_numbers_in_its_unit(client, data):
    f.statistic("mfg_investment", "330400", "2024-03", 5_100_010_000)
    client.force_login(data["city_admin"])
    response = export(client, "G1", year="2024", as_of="2024-03-31")
    assert (
        "G1%E5%88%B6%E9%80%A0%E4%B8%9A%E6%8A%95%E8%B5%84" in response["Content-Disposition"]
    )  # G1制造业投资
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["明细记录"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == [
        "名称",
        "编号/期间",
        "企业",
        "区域",
        "说明",
        "单位",
        "数值（按单位列）",
        "数值（基本单位）",
    ]
    assert rows[1][:2] == ["制造业投资", "2024-03"] and rows[1][3] == "嘉兴市"
    assert rows[1][5:] == ["万元", 510001, 5100010000] and ws["G2"].data_type == "n"
