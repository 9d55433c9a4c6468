"""The 数据核查 page: flags listed per area with the figures and the rule's message, the review
form, the history link and the export; the viewer and the bank are refused (issue 17)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from renewal.quality.models import ValueFlag
from renewal.reporting.services import progress_report
from tests.quality.conftest import MONTHS, WAN

pytestmark = pytest.mark.django_db
URL = "/quality/flags/"


@pytest.fixture
def flagged(series):
    progress_report(
        user=series["op_nanhu"], project=series["NH"], month=MONTHS[4], data={"investment": 40 * WAN}
    )
    series["flag"] = ValueFlag.objects.get()
    return series


def test_the_area_operator_sees_its_flags_with_figures_message_and_history(flagged, client):
    client.force_login(flagged["op_nanhu"])
    page = client.get(URL).content.decode()
    assert "数据核查 · 2024年5月" in page  # opens on the last month with flags
    assert "NH-1" in page and "40.00万元" in page and "12.00万元" in page
    assert "偏离本项目各月中位数12.00万元超过10倍中位数绝对偏差（1.00万元）" in page
    assert "阈值为示例" in page and "待核实" in page
    history = f"/audit/history/quality.valueflag/{flagged['flag'].pk}/"
    assert history in page
    assert client.get(history).status_code == 200
    assert (
        reverse("quality:flags") in client.get(reverse("reporting:overdue")).content.decode()
    )  # header link


def test_another_areas_operator_sees_none_of_them(flagged, client):
    client.force_login(flagged["op_haining"])
    page = client.get(URL + "?month=2024-05").content.decode()
    assert "NH-1" not in page and "没有符合条件的核查标记" in page


@pytest.mark.parametrize("who", ["viewer", "unit"])
def test_roles_without_records_are_refused(flagged, client, who):
    client.force_login(flagged[who])
    response = client.get(URL)
    assert response.status_code == 403
    assert "数据核查" not in client.get("/").content.decode()


def test_the_review_button_confirms_the_flag(flagged, client):
    client.force_login(flagged["op_nanhu"])
    response = client.post(
        reverse("quality:review", args=[flagged["flag"].pk]),
        {"state": "已核实", "comment": "集中付款属实", "version": 1, "back": "month=2024-05"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?month=2024-05")
    flagged["flag"].refresh_from_db()
    assert (flagged["flag"].state, flagged["flag"].comment) == ("已核实", "集中付款属实")
    stale = client.post(
        reverse("quality:review", args=[flagged["flag"].pk]),
        {"state": "待核实", "comment": "x", "version": 1},
    )
    assert stale.status_code == 409


def test_the_enterprise_comments_but_cannot_confirm(flagged, client):
    client.force_login(flagged["enterprise"])
    assert "NH-1" in client.get(URL).content.decode()
    refused = client.post(
        reverse("quality:review", args=[flagged["flag"].pk]),
        {"state": "已核实", "comment": "无误", "version": 1},
    )
    assert refused.status_code == 403


def test_a_bad_month_is_a_chinese_message(flagged, client):
    client.force_login(flagged["city_admin"])
    page = client.get(URL + "?month=2024-13").content.decode()
    assert "月份应为 YYYY-MM" in page


def test_the_export_lists_the_flags(flagged, client):
    client.force_login(flagged["city_reviewer"])
    response = client.get(reverse("quality:flags_export") + "?month=2024-05")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("区域", "项目编号", "项目名称", "企业", "月份", "字段")
    assert (
        rows[1][1] == "NH-1"
        and rows[1][5] == "完成投资"
        and rows[1][6] == "40.00万元"
        and rows[1][9] == "待核实"
    )
