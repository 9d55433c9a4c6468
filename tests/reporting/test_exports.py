"""The 督办 list and the task matrix export what the page shows (same month, same scope)."""

import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from renewal.registry.models import MonthlyProgress, Project
from renewal.reporting.models import TaskReport
from renewal.reporting.services import task_report_submit
from tests.factories import project

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
AUG = dt.date(2024, 8, 1)


@pytest.fixture
def august(people):
    """南湖: NH-1 on time, NH-2 late, NH-3 missing; 海宁: HN-1 missing."""
    nanhu = people["NH"].enterprise
    for code in ("NH-2", "NH-3"):
        project(code, nanhu)
    for code, at in (
        ("NH-1", dt.datetime(2024, 9, 3, 10, tzinfo=SH)),
        ("NH-2", dt.datetime(2024, 9, 8, 10, tzinfo=SH)),
    ):
        row = MonthlyProgress.objects.create(
            project=Project.objects.get(code=code), month=AUG, investment=Decimal(1)
        )
        MonthlyProgress.objects.filter(pk=row.pk).update(created_at=at)
    return people


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def values(ws):
    return [[c.value for c in r] for r in ws.iter_rows()]


def test_the_overdue_page_links_its_export_for_the_month_on_screen(client, august):
    client.force_login(august["city_admin"])
    text = client.get(reverse("reporting:overdue"), {"month": "2024-08"}).content.decode()
    assert '<a href="/reporting/overdue/export.xlsx?month=2024-08">导出 Excel</a>' in text


def test_the_overdue_export_has_the_areas_and_the_projects_to_chase(client, august):
    client.force_login(august["city_admin"])
    wb = workbook(client.get(reverse("reporting:overdue_export"), {"month": "2024-08"}))
    areas = wb["报送督办"]
    assert areas.freeze_panes == "A2"
    rows = {r[0]: r for r in values(areas)[1:]}
    assert rows["南湖区"] == ["南湖区", 3, 1, 1, 1, "NH-3"]
    assert rows["海宁市"] == ["海宁市", 1, 0, 0, 1, "HN-1"]
    assert areas["B2"].data_type == "n"
    chase = values(wb["未报送及逾期项目"])
    assert chase[0] == ["区域", "项目编号", "项目名称", "企业", "报送情况", "首次报送时间"]
    assert sorted(r[1:2] + r[4:] for r in chase[1:]) == [
        ["HN-1", "未报送", None],
        ["NH-2", "逾期报送", dt.datetime(2024, 9, 8, 10, 0)],  # local time
        ["NH-3", "未报送", None],
    ]


def test_an_area_operator_exports_only_its_area_and_an_enterprise_is_refused(client, august):
    client.force_login(august["op_haining"])
    wb = workbook(client.get(reverse("reporting:overdue_export"), {"month": "2024-08"}))
    assert [r[0] for r in values(wb["报送督办"])[1:]] == ["海宁市"]
    assert [r[1] for r in values(wb["未报送及逾期项目"])[1:]] == ["HN-1"]
    client.force_login(august["enterprise"])
    assert client.get(reverse("reporting:overdue_export")).status_code == 403


def test_the_task_matrix_export_has_the_months_on_screen_and_the_units_rows(client, people):
    task_report_submit(
        user=people["unit"], clause="P13", unit="tax", month=AUG, status="按计划推进", text="x"
    )
    TaskReport.objects.update(submitted_at=dt.datetime(2024, 9, 9, tzinfo=SH))
    client.force_login(people["unit"])
    text = client.get(reverse("reporting:tasks"), {"month": "2024-09", "n": "2"}).content.decode()
    [link] = re.findall(r'<a href="([^"]*)">导出 Excel</a>', text)
    assert link == "/reporting/tasks/export.xlsx?month=2024-09&amp;n=2"
    ws = workbook(client.get(link.replace("&amp;", "&"))).active
    assert ws.title == "任务报送" and ws.freeze_panes == "A2"
    assert values(ws)[0] == ["条款", "事项", "责任单位", "2024-08", "2024-09"]
    [row] = values(ws)[1:]  # the tax bureau leads P13 only
    assert row[0] == "P13" and row[3] == "按计划推进" and row[4] == "未报"


def test_the_task_matrix_export_is_refused_to_an_enterprise(client, people):
    client.force_login(people["enterprise"])
    assert client.get(reverse("reporting:tasks_export")).status_code == 403
