"""The settlement page exports every decision record of the year on screen."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.settlement.services import decision_record_settle
from tests.factories import named_users

from .conftest import make_project

pytestmark = pytest.mark.django_db


def test_the_records_of_the_year_export_with_amounts_in_wan_and_dates(client, enterprise, fast_passwords):
    users = named_users()
    record, _ = decision_record_settle(
        project=make_project(enterprise), user=users["city_admin"], reason="测试核定"
    )
    decision_record_settle(
        project=make_project(enterprise, code="P-2023-009", year=2023), user=users["city_admin"]
    )
    client.force_login(users["city_reviewer"])
    text = client.get(reverse("settlement:home"), {"year": "2024"}).content.decode()
    assert '<a href="/settlement/records.xlsx?year=2024">' in text
    response = client.get(reverse("settlement:records_export"), {"year": "2024"})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["补助核定记录"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == [
        "项目编号",
        "项目名称",
        "区域",
        "版本",
        "核定补助(万元)",
        "依据日期",
        "核定人",
        "核定时间",
        "原因",
    ]
    [row] = rows[1:]  # the 2023 project is not on the 2024 page
    assert row[0] == "P-2024-001" and row[3] == 1
    assert row[4] == pytest.approx(float(record.subsidy_total) / 10_000) and ws["E2"].data_type == "n"
    assert row[5] == dt.datetime.combine(record.decided_on, dt.time()) and ws["F2"].is_date
    assert ws["H2"].is_date and row[8] == "测试核定"


def test_an_area_operator_cannot_export_settlement_records(client, enterprise, fast_passwords):
    client.force_login(named_users()["op_nanhu"])
    assert client.get(reverse("settlement:records_export")).status_code == 403
